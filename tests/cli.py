"""`plgkg ARGS` as the tests run it: in this process (plgkg.cli.main with stdout and stderr captured,
in the folder the user would be in), with its exit code and exact output. Tests about processes (a
kill -9, a lock another process holds, the installed script) run PLGKG in a subprocess instead."""

from __future__ import annotations

import io
import sys
from contextlib import chdir, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

from plgkg.cli import main

PLGKG = str(Path(sys.executable).with_name("plgkg"))
ROOT = Path(__file__).resolve().parents[1]
DUO = ROOT / "tests" / "fixtures" / "duo"  # DUO-shaped register files (vestigingen-vo.csv: ten locations)
PROFILES = ROOT / "tests" / "fixtures" / "profiles"


@dataclass(frozen=True)
class Done:
    """What a finished command left: its exit code and what it printed."""

    returncode: int
    stdout: str
    stderr: str


def run(*args: str, cwd: Path = ROOT) -> Done:
    """`plgkg ARGS` run in cwd, in this process."""
    out, err = io.StringIO(), io.StringIO()
    with chdir(cwd), redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exit:  # argparse's usage errors
            code = exit.code if isinstance(exit.code, int) else 1
    return Done(code, out.getvalue(), err.getvalue())


def import_into(store: Path, what: str, path: Path) -> None:
    """`plgkg import WHAT PATH --store-path STORE`, which must succeed."""
    done = run("import", what, str(path), "--store-path", str(store))
    assert done.returncode == 0, done.stdout + done.stderr
