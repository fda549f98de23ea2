"""Fuzz: schemathesis generates requests for every JSON API operation in the running service's
/openapi.json, valid and invalid ones, and checks every answer: never a 5xx, the status code documented
for the operation, the body of the documented content type and schema.

The requests come from schemathesis' Hypothesis strategies (`APIOperation.as_strategy`), driven here
with plain Hypothesis: schemathesis' own pytest decorators rely on pytest internals that pytest 9.2
removed. Path ids are drawn both at random (404 answers) and from the catalogue (200 answers), so
both are checked against the schema."""

from __future__ import annotations

import os

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.endurance.conftest import env_number

pytestmark = pytest.mark.fuzz

EXAMPLES = int(env_number("PLGKG_FUZZ_EXAMPLES", 20))  # per operation and generation mode
FIXED = "PLGKG_FUZZ_EXAMPLES" not in os.environ  # the short form (CI) sends the same requests every run
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _known_ids(url: str, collection: str) -> list[str]:
    """Real ids for an {id} path parameter: those the collection the path starts with lists."""
    response = httpx.get(f"{url}/api/{collection}", params={"limit": 1000}, timeout=30)
    if response.status_code != 200:
        return []
    return sorted(item["id"] for item in response.json()["items"] if "id" in item)


def _strategies(operation, url: str) -> dict[str, st.SearchStrategy]:
    strategies = {
        "positive": operation.as_strategy(GenerationMode.POSITIVE),
        "negative": operation.as_strategy(GenerationMode.NEGATIVE),
    }
    known = _known_ids(url, operation.path.split("/")[2]) if "{id}" in operation.path else []
    if known:
        strategies["known id"] = st.sampled_from(known).flatmap(
            lambda id_: operation.as_strategy(GenerationMode.POSITIVE, path_parameters={"id": id_})
        )
    return strategies


def test_json_api_answers_as_documented(
    endurance_url: tuple[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    url, _ = endurance_url
    schema = schemathesis.openapi.from_url(f"{url}/openapi.json", timeout=30).include(path_regex="^/api/")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 9, [op.label for op in operations]
    failures: list[str] = []
    calls = 0
    for operation in operations:
        for mode, strategy in _strategies(operation, url).items():

            @given(case=strategy)
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=FIXED,
                suppress_health_check=list(HealthCheck),
            )
            def run(case) -> None:
                nonlocal calls
                calls += 1
                case.call_and_validate(base_url=url, checks=CHECKS, timeout=30)

            # collect every operation's failures (a FailureGroup is a BaseExceptionGroup), report all
            try:
                run()
            except (Exception, BaseExceptionGroup) as err:
                failures.append(f"{operation.label} ({mode}): {err}")
    with capsys.disabled():
        print(f"\nfuzz: {calls} requests to {len(operations)} JSON API operations, {len(failures)} failing")
    assert not failures, "\n\n".join(failures)
