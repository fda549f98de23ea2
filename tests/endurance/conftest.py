"""Endurance tests: soak (many clients for a while) and fuzz (schemathesis) against a real service.

Both have a short form that runs in CI with the rest of the suite and a full form, `make soak`, which
sets PLGKG_SOAK_SECONDS and PLGKG_FUZZ_EXAMPLES."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.api.conftest import start_service, stop_service

# Not 2 s: with 32 clients on 2 cores the /ontology page's own query (0.2 s alone, a 2 MB result)
# sometimes passed 2 s, and the page answered 503.
TIMEOUT_S = 4.0
WORKERS = 3
MEMORY_MB = 128  # a worker holds about 65 MB; the soak's GROUP_CONCAT passes 128 MB in < 1 s


def env_number(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    return float(value) if value else default


@pytest.fixture(scope="module")
def endurance_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A service with small limits: its base URL and the pid of its uvicorn process."""
    log = tmp_path_factory.mktemp("endurance") / "serve.log"
    process, url = start_service(
        "--workers",
        str(WORKERS),
        "--timeout",
        f"{TIMEOUT_S:g}",
        "--memory",
        str(MEMORY_MB),
        "--max-rows",
        "20000",
        log=log,
    )
    try:
        yield url, process.pid
    finally:
        stop_service(process)
