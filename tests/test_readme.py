"""The README's set-up commands and example queries stay true."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from plgkg.catalogue import load
from plgkg.stores import RdflibStore

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
EXAMPLES = re.findall(r"```sparql\n(.*?)```", README, flags=re.S)


def test_readme_opens_with_the_two_setup_commands() -> None:
    first_block = re.search(r"```sh\n(.*?)```", README, flags=re.S).group(1)
    commands = [line.split("#")[0].strip() for line in first_block.splitlines()]
    assert commands == ["make run", "make test"]


def test_readme_has_three_example_queries() -> None:
    assert len(EXAMPLES) == 3


@pytest.mark.parametrize("query", EXAMPLES)
def test_readme_example_query_answers(query: str) -> None:
    result = RdflibStore(load().graph).query(query)
    assert result.kind == "SELECT"
    assert len(result.rows) >= 3
