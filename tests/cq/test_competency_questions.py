"""The competency questions: each tests/cq/NN-*.rq runs on the whole catalogue and must give
exactly the rows of its NN-*.tsv (IRIs as prefixed names, literals as their lexical form)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef

from plgkg.catalogue import LoadedGraph
from plgkg.namespaces import curie
from plgkg.stores import RdflibStore

CQ_DIR = Path(__file__).resolve().parent
QUESTIONS = sorted(CQ_DIR.glob("*.rq"))


def _cell(term) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        short = curie(str(term))
        return short if short != str(term) else f"<{term}>"
    return str(term)


def _expected(question: Path) -> list[list[str]]:
    lines = question.with_suffix(".tsv").read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


@pytest.fixture(scope="module")
def store(catalogue: LoadedGraph) -> RdflibStore:
    return RdflibStore(catalogue.graph)


def test_there_are_at_least_twelve_questions() -> None:
    assert len(QUESTIONS) >= 12
    assert all(q.with_suffix(".tsv").is_file() for q in QUESTIONS)


@pytest.mark.parametrize("question", QUESTIONS, ids=[q.stem for q in QUESTIONS])
def test_competency_question(question: Path, store: RdflibStore) -> None:
    result = store.query(question.read_text(encoding="utf-8"))
    got = [result.variables] + [[_cell(t) for t in row] for row in result.rows]
    assert got == _expected(question)
