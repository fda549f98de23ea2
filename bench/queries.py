"""The query sets: the competency questions (tests/cq/*.rq) and the parametrised characteristic query."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote_plus

ROOT = Path(__file__).resolve().parent.parent
PLG = "https://w3id.org/plgkg/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

# "Which interventions serve characteristic X, on what basis?" X changes every request, and so does
# the (harmless) LIMIT, so that no response or plan cache can answer it.
CHARACTERISTIC_PRE = """PREFIX plg: <https://w3id.org/plgkg/ontology#>
SELECT ?intervention ?basis WHERE {
    ?statement a plg:ServesStatement ; plg:intervention ?intervention ;
        plg:characteristic <"""
CHARACTERISTIC_MID = """> ; plg:basis ?basis .
}
ORDER BY ?intervention
LIMIT """

# Gap analysis: the characteristics of framework F that none of school S's practices serves.
GAP = """PREFIX plg: <https://w3id.org/plgkg/ontology#>
SELECT ?characteristic WHERE {{
    ?characteristic plg:inFramework <{framework}> .
    FILTER NOT EXISTS {{ <{school}> plg:runs ?intervention . ?intervention plg:serves ?characteristic }}
}}
ORDER BY ?characteristic
LIMIT {limit}"""


def competency_questions() -> list[tuple[str, str]]:
    return [(p.stem, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "tests" / "cq").glob("*.rq"))]


def characteristic_query(iri: str, n: int) -> str:
    return f"{CHARACTERISTIC_PRE}{iri}{CHARACTERISTIC_MID}{1000 + n}"


def subjects_of_type(nt: Path, cls: str, limit: int | None = None) -> list[str]:
    """IRIs typed `cls` in an N-Triples file, by a plain scan (no RDF parser needed)."""
    needle = f"> <{RDF_TYPE}> <{cls}> ."
    found = []
    with nt.open(encoding="utf-8") as lines:
        for line in lines:
            if line.rstrip().endswith(needle) and line.startswith("<"):
                found.append(line[1 : line.index(">")])
                if limit and len(found) >= limit:
                    break
    return sorted(set(found))


def form(query: str) -> str:
    return "query=" + quote_plus(query)


def write_wrk_inputs(directory: Path, characteristics: list[str]) -> dict[str, Path]:
    """Bodies for bench/wrk.lua: one form body per line (cycle), or pre/mid/IRIs (param)."""
    directory.mkdir(parents=True, exist_ok=True)
    cq = directory / "cq.bodies"
    cq.write_text("".join(form(q) + "\n" for _, q in competency_questions()), encoding="utf-8")
    param = directory / "param.bodies"
    param.write_text(
        "\n".join([quote_plus(CHARACTERISTIC_PRE), quote_plus(CHARACTERISTIC_MID),
                   *(quote_plus(c) for c in characteristics)]) + "\n",
        encoding="utf-8",
    )
    return {"cq": cq, "param": param}
