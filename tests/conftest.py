"""Shared fixtures: the shapes, the ontology and the whole catalogue, each loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from plgkg.catalogue import ONTOLOGY_DIR, LoadedGraph, load
from plgkg.validate import load_shapes

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
SEED = TESTS.parent.parent / "shared" / "seed" / "de-school-als-plg.txt"


@pytest.fixture(scope="session")
def shapes() -> Graph:
    return load_shapes()


@pytest.fixture(scope="session")
def ontology() -> Graph:
    return load([ONTOLOGY_DIR]).graph


@pytest.fixture(scope="session")
def catalogue() -> LoadedGraph:
    return load()


@pytest.fixture(scope="session")
def chapter_text() -> str:
    """The chapter as one line of text: page breaks, line breaks and hyphenation undone."""
    if not SEED.is_file():
        pytest.skip(f"the chapter is not at {SEED}")
    return normalise_chapter(SEED.read_text(encoding="utf-8"))


def normalise_chapter(text: str) -> str:
    import re

    text = text.replace("\u00ad", "").replace("\uf0b7", "").replace("�", "")
    text = re.sub(r"-\n(?=[a-zà-ÿ])", "", text)  # "individu-\neel" -> "individueel"
    text = re.sub(r"\s+", " ", text)
    return text
