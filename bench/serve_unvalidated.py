"""`plgkg serve` with the SHACL validation step skipped, to measure load and serve cost apart from
validation at scale. Benchmark use only: the real service always validates its data."""

from __future__ import annotations

import sys
from types import SimpleNamespace

import plgkg.execution.service
from plgkg.cli import main

plgkg.execution.service.validate_loaded = lambda loaded: SimpleNamespace(conforms=True, violations=[])

if __name__ == "__main__":
    sys.exit(main(["serve", *sys.argv[1:]]))
