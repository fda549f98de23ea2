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
IMPORT_LINES: list[tuple[str, float, str]] = []  # the whole import against `oxigraph load`


def write_csv(rows_: list, path: Path) -> None:
    """The rows as DUO publishes them: ';'-separated, UTF-8 with a byte-order mark."""
    import csv

    from plgkg.imports.register import COLUMNS

    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        out.writerow(COLUMNS)
        for row in rows_:
            out.writerow([row.values.get(column, "") for column in COLUMNS])


def whole_import(rows_: list, ntriples: bytes) -> None:
    """`plgkg import schools` of the rows as DUO's CSV into a fresh on-disk store, the CLI as a user
    runs it (reading, checks, validation, the write), against `oxigraph load` of the triples it
    writes into a fresh folder (the issue's peer). Best of two runs each."""
    import shutil
    import subprocess
    import tempfile

    work = Path(tempfile.mkdtemp(prefix="plgkg-bench-import-"))
    try:
        csv_path, nt_path = work / "register.csv", work / "import.nt"
        write_csv(rows_, csv_path)
        nt_path.write_bytes(ntriples)
        triples = ntriples.count(b"\n")
        bin_dir = Path(sys.executable).parent
        oxigraph = shutil.which("oxigraph", path=str(bin_dir)) or shutil.which("oxigraph")

        def fresh(name: str) -> Path:
            return work / f"{name}-{time.monotonic_ns()}"

        def cli_import() -> str:
            command = [str(bin_dir / "plgkg"), "import", "schools", str(csv_path), "--store-path", str(fresh("store"))]
            done = subprocess.run(command, capture_output=True, text=True, timeout=1800)
            assert done.returncode == 0, done.stderr[-2000:]
            return done.stderr.strip().splitlines()[-1].split(" into ")[0]

        def ox_load() -> str:
            command = [oxigraph, "load", "--location", str(fresh("oxigraph")), "--file", str(nt_path)]
            subprocess.run(command, check=True, capture_output=True, timeout=1800)
            return f"{triples} triples into a fresh folder"

        for label, run in (("oxigraph load (CLI) of the same triples", ox_load),
                           ("plgkg import schools (CLI), validation on", cli_import)):  # fmt: skip
            best = min(_seconds(run) for _ in range(2))
            print(f"{label:<58} {best[0]:8.2f} s  {best[1]}", flush=True)
            IMPORT_LINES.append((label, *best))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _seconds(run) -> tuple[float, str]:
    t0 = time.perf_counter()
    outcome = run()
    return time.perf_counter() - t0, outcome


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
                *_import_table(),
            ]
        ),
    )


def _import_table() -> list[str]:
    if len(IMPORT_LINES) < 2:
        return []
    floor = IMPORT_LINES[0][1]
    return [
        "",
        f"The whole import of the {ROWS} rows (bench.validation.whole_import: DUO's CSV through "
        "`plgkg import schools` into a fresh on-disk store, process start included) against "
        "`oxigraph load` of the triples it writes into a fresh folder; best of two runs. Goal (issue "
        "16): ≤ 5×.",
        "",
        "| what | s | × oxigraph load | outcome |",
        "|---|---|---|---|",
        *(f"| {label} | {s:.2f} | {s / floor:.1f}× | {outcome} |" for label, s, outcome in IMPORT_LINES),
    ]


def main() -> int:
    import pyoxigraph as ox

    from plgkg.catalogue import ONTOLOGY_DIR, load
    from plgkg.imports import register
    from plgkg.shape_queries import compile_shapes
    from plgkg.triples import oxigraph_store
    from plgkg.validate import load_shapes, validate_scoped

    shapes = load_shapes()
    ontology = load([ONTOLOGY_DIR]).graph
    made = rows(ROWS)
    graph = register.build_graph(made)
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
    store = oxigraph_store(merged)
    timed(
        "  copy rdflib graph -> pyoxigraph store (as validate_loaded does)",
        lambda: f"{len(oxigraph_store(merged))} quads",
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
    whole_import(made, register.build_triples(made).ntriples())
    write_results(ROWS, len(merged))
    return 0


def _outcome(report) -> str:
    return f"conforms={report.conforms}, {len(report.violations)} violations, {len(report.warnings)} warnings"


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
