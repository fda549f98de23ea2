"""What validating a register import costs (issue 16, item 2): the shapes compiled to SPARQL
(plgkg.shape_queries, engine "sparql") against pyshacl over pyoxigraph (engine "oxigraph", what the
imports used before) and against loading the same triples into pyoxigraph (Store.bulk_load), the
floor.

The import is DUO's register (../shared/data/duo/alle-vestigingen-vo.csv, 1,630 rows) replicated
with new institution and location codes up to VALIDATION_ROWS rows (default 12000), built by the
import's own code (plgkg.imports.register.build_graph) and validated as the import validates it
(plgkg.validate.validate_scoped over the graph and the ontology). Prints one line per measurement.

    .venv/bin/python -m bench.validation
"""

from __future__ import annotations

import os
import string
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REGISTER = ROOT.parent / "shared" / "data" / "duo" / "alle-vestigingen-vo.csv"
ROWS = int(os.environ.get("VALIDATION_ROWS") or 12000)
ENGINES = (os.environ.get("VALIDATION_ENGINES") or "sparql oxigraph").split()


def rows(n: int) -> list:
    """The register's rows, copied with new codes (two digits, two letters; the location keeps its
    two last digits) until there are n."""
    from plgkg.imports import register

    original, problems = register.read_rows(REGISTER, REGISTER.name)
    assert not problems, problems[:3]
    taken = {row.values["INSTELLINGSCODE"] for row in original}
    codes = (
        f"{d:02d}{a}{b}" for a in string.ascii_uppercase for b in string.ascii_uppercase for d in range(100)
    )
    out = list(original)
    renamed: dict[tuple[int, str], str] = {}
    copy = 0
    while len(out) < n:
        copy += 1
        for row in original:
            if len(out) >= n:
                break
            key = (copy, row.values["INSTELLINGSCODE"])
            if key not in renamed:
                renamed[key] = next(c for c in codes if c not in taken)
            institution = renamed[key]
            values = dict(row.values)
            values["INSTELLINGSCODE"] = institution
            values["VESTIGINGSCODE"] = institution + row.values["VESTIGINGSCODE"][4:]
            out.append(register.Row(len(out) + 2, values))
    return out


LINES: list[tuple[str, float, str]] = []


def timed(label: str, run, repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        outcome = run()
        best = min(best, time.perf_counter() - t0)
    print(f"{label:<58} {best:8.2f} s  {outcome}", flush=True)
    LINES.append((label.strip(), best, str(outcome)))
    return best


def write_results(rows_: int, triples: int) -> None:
    """The Validation section of bench/RESULTS.md: each measurement and its ratio to bulk_load."""
    from bench.results import machine_facts, update_section

    floor = LINES[0][1]
    table = ["| step | s | × bulk_load | outcome |", "|---|---|---|---|"]
    table += [f"| {label} | {s:.2f} | {s / floor:.1f}× | {outcome} |" for label, s, outcome in LINES]
    update_section(
        "validation",
        "\n".join(
            [
                "## Validation (`make bench-validation`)",
                "",
                machine_facts(),
                "",
                f"DUO's register replicated to {rows_} rows ({triples} triples with the ontology), built by "
                "the import's own code and validated as the import validates it (validate_scoped). "
                "Goal (issue 16): the import within 5× `bulk_load` of the same triples.",
                "",
                *table,
            ]
        ),
    )


def main() -> int:
    import pyoxigraph as ox

    from plgkg.catalogue import ONTOLOGY_DIR, load
    from plgkg.imports import register
    from plgkg.shape_queries import compile_shapes
    from plgkg.validate import _oxigraph_store, load_shapes, validate_scoped

    shapes = load_shapes()
    ontology = load([ONTOLOGY_DIR]).graph
    graph = register.build_graph(rows(ROWS))
    merged = graph + ontology
    triples = merged.serialize(format="nt", encoding="utf-8")
    print(f"{ROWS} register rows: {len(graph)} triples, {len(merged)} with the ontology", flush=True)

    def bulk_load() -> str:
        store = ox.Store()
        store.bulk_load(triples, ox.RdfFormat.N_TRIPLES)
        return f"{len(store)} quads"

    timed("pyoxigraph Store().bulk_load (N-Triples bytes)", bulk_load, repeat=3)
    timed(
        "compile the shapes (once per shapes graph)", lambda: f"{len(compile_shapes(shapes).checks)} queries"
    )
    store = _oxigraph_store(merged)
    timed(
        "  copy rdflib graph -> pyoxigraph store (as validate_loaded does)",
        lambda: f"{len(_oxigraph_store(merged))} quads",
    )
    timed(
        "  compiled shapes on the store (CompiledShapes.validate)",
        lambda: f"{len(list(compile_shapes(shapes).validate(store)))} result triples",
        repeat=3,
    )
    for engine in ENGINES:
        timed(
            f"validate_scoped(engine={engine!r}) end to end",
            lambda engine=engine: _outcome(validate_scoped(graph, ontology, shapes, engine=engine)),
        )
    write_results(ROWS, len(merged))
    return 0


def _outcome(report) -> str:
    return f"conforms={report.conforms}, {len(report.violations)} violations, {len(report.warnings)} warnings"


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
