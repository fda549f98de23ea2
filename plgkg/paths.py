"""How plgkg names a file to its reader."""

from __future__ import annotations

from pathlib import Path


def display_path(path: Path) -> str:
    """A path relative to the working directory where that is shorter, else absolute."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
