"""The SPARQL queries that ship with plgkg, one per .rq file in plgkg/queries/."""

from __future__ import annotations

from functools import cache
from pathlib import Path

QUERY_DIR = Path(__file__).resolve().parent / "queries"


@cache
def load_query(name: str) -> str:
    """The text of the named query (file name without .rq)."""
    path = QUERY_DIR / f"{name}.rq"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in QUERY_DIR.glob("*.rq")))
        raise KeyError(f"no query named {name!r} (known: {known})")
    return path.read_text(encoding="utf-8")


EXAMPLE_DIR = QUERY_DIR / "examples"


@cache
def example_queries() -> list[dict[str, str]]:
    """Ready example queries for people: name, title (the first comment line) and text."""
    examples = []
    for path in sorted(EXAMPLE_DIR.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        first = text.splitlines()[0] if text else ""
        examples.append({"name": path.stem, "title": first.lstrip("# ").strip(), "query": text})
    return examples
