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
def example_queries(lang: str = "en") -> list[dict[str, str]]:
    """Ready example queries for people: name, title in lang and text. A file opens with its English
    title (one or more comment lines) and then its Dutch one on a line "# nl: …"."""
    examples = []
    for path in sorted(EXAMPLE_DIR.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        titles: dict[str, list[str]] = {"en": [], "nl": []}
        for line in text.splitlines():
            comment = line.removeprefix("#").strip()
            if not line.startswith("#") or comment.startswith("Inputs:"):
                break
            if comment.startswith("nl:"):
                titles["nl"].append(comment.removeprefix("nl:").strip())
            elif not titles["nl"]:
                titles["en"].append(comment)
        title = " ".join(titles.get(lang) or titles["en"])
        examples.append({"name": path.stem, "title": title, "query": text})
    return examples
