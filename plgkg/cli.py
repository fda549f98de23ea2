"""The `plgkg` command: validate, query, export, count and load the knowledge graph, import user data."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from importlib.metadata import entry_points
from pathlib import Path

from rdflib import Literal

from plgkg import __version__, settings
from plgkg.catalogue import DEFAULT_PATHS, load
from plgkg.errors import DataError, FormatError, QueryError, StoreError
from plgkg.formats import GRAPH_FORMATS, RESULT_FORMATS, render
from plgkg.paths import display_path
from plgkg.queries import load_query
from plgkg.stores import OxigraphStore, RdflibStore, Store, open_store
from plgkg.validate import validate, validate_once

EXIT_OK, EXIT_INVALID, EXIT_BAD_INPUT = 0, 1, 2
# the entry-point group of the commands other packages add to `plgkg` (see pyproject.toml)
COMMANDS = "plgkg.commands"


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except DataError as err:
        print(f"plgkg: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (QueryError, StoreError, FormatError) as err:
        print(f"plgkg: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        return 130


def add_data_option(p: argparse.ArgumentParser) -> None:
    """--data FILE_OR_FOLDER, repeatable: the RDF to read instead of the ontology and the catalogue."""
    p.add_argument(
        "--data", type=Path, action="append", help="RDF files or folders (default: ontology/ catalogue/)"
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="plgkg",
        description="The knowledge graph of what schools can do to become a professional learning community.",
    )
    parser.add_argument("--version", action="version", version=f"plgkg {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("validate", help="check RDF files against the SHACL shapes")
    p.add_argument("paths", nargs="*", type=Path, help="files or folders (default: ontology/ catalogue/)")
    p.add_argument(
        "--with-catalogue",
        action="store_true",
        help="also load the catalogue, for data that links to catalogue resources",
    )
    p.add_argument("--lang", choices=("en", "nl"), default="en", help="language of the messages")
    p.add_argument("--quiet", "-q", action="store_true", help="print violations only, no summary")
    p.set_defaults(run=_validate)

    p = commands.add_parser("query", help="run a SPARQL query over the validated graph")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("sparql", nargs="?", help="the query text")
    source.add_argument("-f", "--file", type=Path, help="read the query from a .rq file")
    p.add_argument("--format", choices=RESULT_FORMATS, default="table")
    over = p.add_mutually_exclusive_group()
    over.add_argument(
        "--data",
        type=Path,
        action="append",
        help="RDF files or folders (default: ontology/ catalogue/)",
    )
    over.add_argument(
        "--store-path",
        type=Path,
        metavar="DIR",
        help="query the on-disk oxigraph store that plgkg serve --store-path and the imports use "
        "(read only; the catalogue and the imported user graph together)",
    )
    p.set_defaults(run=_query)

    p = commands.add_parser("export", help="write the merged, validated graph")
    p.add_argument(
        "--format",
        choices=[*sorted(GRAPH_FORMATS), *EXPORTS],
        default="ttl",
        help="the whole graph (ttl, nt, jsonld, xml); plain SKOS for Skosmos (skos); the JSON-LD @context "
        "(context); spreadsheets (interventions-csv, serves-csv)",
    )
    p.add_argument("-o", "--output", type=Path, help="output file (default: standard output)")
    add_data_option(p)
    p.set_defaults(run=_export)

    p = commands.add_parser("stats", help="counts per class, and characteristics no intervention serves")
    add_data_option(p)
    p.add_argument("--lang", choices=("en", "nl"), default="en")
    p.set_defaults(run=_stats)

    p = commands.add_parser("load", help="validate the data and push it into a SPARQL store over HTTP")
    p.add_argument(
        "--into",
        required=True,
        metavar="URL",
        help="the store's URL: Oxigraph (http://127.0.0.1:7878), Virtuoso (…:8890/sparql), "
        "Fuseki (…:3030/ds/query) or GraphDB (…:7200/repositories/REPO)",
    )
    p.add_argument("--replace", action="store_true", help="replace the default graph instead of adding to it")
    add_data_option(p)
    p.set_defaults(run=_load)

    # commands of other installed packages (the web service registers `serve`): plgkg never imports them
    for entry in sorted(entry_points(group=COMMANDS), key=lambda e: e.name):
        entry.load()(commands)

    p = commands.add_parser("import", help="import user data into the user graph of a store")
    imports = p.add_subparsers(dest="what", required=True, metavar="WHAT")
    p = imports.add_parser("schools", help="DUO's CSV of secondary-school locations (alle vestigingen VO)")
    p.add_argument(
        "file", type=Path, metavar="FILE.csv", help="the CSV, separated by ';' as DUO publishes it"
    )
    _import_target(p)
    p.add_argument(
        "--encoding",
        default="auto",
        help="the file's encoding (default: detected: a byte-order mark, else UTF-8, else Windows-1252)",
    )
    p.add_argument(
        "--progress", action="store_true", help="show a progress bar even when stderr is no terminal"
    )
    p.set_defaults(run=_import_schools)
    p = imports.add_parser(
        "profiles", help="school profiles: which interventions a school runs (CSV or YAML)"
    )
    p.add_argument(
        "file", type=Path, metavar="FILE", help="a .csv or .yaml file: school, intervention, since, notes"
    )
    _import_target(p)
    p.set_defaults(run=_import_profiles)
    return parser


def _import_target(p: argparse.ArgumentParser) -> None:
    """Where an import writes (an on-disk store or a SPARQL store), and how long it waits for one."""
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--store-path", type=Path, metavar="DIR", help="the on-disk oxigraph store (a folder)")
    where.add_argument("--into", metavar="URL", help="a SPARQL store over HTTP (see plgkg load)")
    p.add_argument(
        "--wait",
        type=float,
        default=settings.LOCK_WAIT_S,
        metavar="SECONDS",
        help="how long to wait while another writer holds the on-disk store "
        f"(default {settings.LOCK_WAIT_S:g})",
    )


def _validate(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    report = validate(args.paths or DEFAULT_PATHS, with_catalogue=args.with_catalogue)
    for violation in report.violations:
        print(violation.line(args.lang))
    for warning in report.warnings:
        print(f"warning: {warning.line(args.lang)}", file=sys.stderr)
    if not args.quiet:
        verdict = "conforms" if report.conforms else f"{len(report.violations)} violation(s)"
        print(
            f"{verdict}; {len(report.warnings)} warning(s); {report.triples} triples in "
            f"{len(report.files)} file(s); {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
    return EXIT_OK if report.conforms else EXIT_INVALID


def _validated_store(paths: Sequence[Path] | None, *, engine: str = "oxigraph") -> Store:
    """Load and validate (unless these exact files conformed before: plgkg.validate.validate_once);
    invalid data stops the command with the report. plgkg's own queries (stats, export) run on
    Oxigraph, several times faster; a user's query and `load` (which sends the graph itself) on
    rdflib, whose syntax errors point at the place ("line 1, column 18: syntax error near
    '?s ?p }'", where Oxigraph names the end of the query)."""
    loaded = load(paths or DEFAULT_PATHS)
    report = validate_once(loaded)
    if report is not None and not report.conforms:
        for violation in report.violations:
            print(violation.line(), file=sys.stderr)
        raise DataError(
            Path(display_path(loaded.files[0])) if len(loaded.files) == 1 else Path("data"),
            f"does not conform to the shapes ({len(report.violations)} violation(s)); run plgkg validate",
        )
    return RdflibStore(loaded.graph) if engine == "rdflib" else OxigraphStore(loaded.graph)


def _query(args: argparse.Namespace) -> int:
    if args.file is not None:
        try:
            sparql = args.file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise DataError(args.file, f"cannot read query: {err}") from None
    else:
        sparql = args.sparql
    if args.store_path is not None:
        return _query_on_disk(args.store_path, sparql, args.format)
    store = _validated_store(args.data, engine="rdflib")
    result = store.query(sparql)
    sys.stdout.write(render(result, args.format, store.graph()))
    return EXIT_OK


def _query_on_disk(path: Path, sparql: str, fmt: str) -> int:
    """A query over an on-disk store, opened read only: what the service reads (the catalogue in the
    default graph and the user graph as one), validated when it was written."""
    from rdflib import Graph

    from plgkg.namespaces import bind_prefixes

    if not path.is_dir():
        raise StoreError(f"no on-disk store at {path}: the folder does not exist")
    store = OxigraphStore.open_read_only(path, union_default_graph=True)
    try:
        result = store.query(sparql)
    finally:
        store.close()
    prefixes = Graph()
    bind_prefixes(prefixes)
    sys.stdout.write(render(result, fmt, prefixes))
    return EXIT_OK


EXPORTS = ("skos", "context", "interventions-csv", "serves-csv")


def _export(args: argparse.Namespace) -> int:
    import json

    from plgkg import exports

    store = _validated_store(args.data)
    query = exports.store_query(store)
    if args.format == "skos":
        text = exports.skos(query).serialize(format="turtle")
    elif args.format == "context":
        text = json.dumps(exports.jsonld_context(query), indent=2, ensure_ascii=False) + "\n"
    elif args.format == "interventions-csv":
        text = exports.interventions_csv(query)
    elif args.format == "serves-csv":
        text = exports.serves_csv(query)
    else:
        text = store.graph().serialize(format=GRAPH_FORMATS[args.format])
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _stats(args: argparse.Namespace) -> int:
    store = _validated_store(args.data)
    graph = store.graph()
    print(f"{len(store)} triples")
    print("\nresources per class:")
    for row in store.query(load_query("class-counts")).bindings():
        print(f"  {graph.namespace_manager.normalizeUri(row['class']):28} {int(row['count']):5}")
    print("\nserves statements per basis:")
    for row in store.query(load_query("serves-counts")).bindings():
        print(f"  {graph.namespace_manager.normalizeUri(row['basis']):28} {int(row['count']):5}")
    unserved = list(
        store.query(load_query("unserved-characteristics"), {"lang": Literal(args.lang)}).bindings()
    )
    print(f"\ncharacteristics no intervention serves: {len(unserved)}")
    for row in unserved:
        reason = row.get("reason", "(no reason given)")
        print(f'  {graph.namespace_manager.normalizeUri(row["characteristic"])} "{row["label"]}": {reason}')
    return EXIT_OK


def _load(args: argparse.Namespace) -> int:
    if not args.into.startswith(("http://", "https://")):
        raise StoreError(f"--into needs an http:// or https:// URL, not {args.into!r}")
    try:
        with open_store(args.into) as store:
            len(store)  # fails fast, before the validation, when the store is not there
            graph = _validated_store(args.data, engine="rdflib").graph()
            started = time.perf_counter()
            if args.replace:
                store.replace_default_graph(graph)
            else:
                store.add(graph)
            count = len(store)
    except StoreError as err:  # QueryError included: the store answers, but not as a store should
        raise StoreError(f"cannot load into {args.into}: {err}") from None
    print(f"{count} triples at {args.into}")
    print(f"sent {len(graph)} triples in {time.perf_counter() - started:.2f} s", file=sys.stderr)
    return EXIT_OK


def _import_schools(args: argparse.Namespace) -> int:
    """Exit 0 when every row was imported, 1 when some were rejected, 2 when nothing could be read."""
    from plgkg.errors import ImportFailed
    from plgkg.imports.pipeline import default_progress
    from plgkg.imports.register import import_schools

    try:
        outcome = import_schools(
            args.file,
            name=str(args.file),
            store_path=args.store_path,
            into=args.into,
            encoding=args.encoding,
            progress=default_progress(args.progress),
            wait_s=args.wait,
            say=lambda note: print(f"plgkg: {note}", file=sys.stderr),
        )
    except ImportFailed as err:
        print(f"plgkg: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return _report(args, outcome, len(outcome.schools), "school(s)")


def _import_profiles(args: argparse.Namespace) -> int:
    """Exit 0 when every row was imported, 1 when some were rejected, 2 when nothing could be read."""
    from plgkg.errors import ImportFailed
    from plgkg.imports.profiles import import_profiles

    try:
        outcome = import_profiles(
            args.file, name=str(args.file), store_path=args.store_path, into=args.into, wait_s=args.wait
        )
    except ImportFailed as err:
        print(f"plgkg: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return _report(args, outcome, len(outcome.practices), "practice(s)")


def _report(args: argparse.Namespace, outcome, imported: int, noun: str) -> int:
    """An import's problems on stdout (file:line: …), its summary on stderr; exit 1 if rows were
    rejected."""
    from plgkg.imports.pipeline import USER_GRAPH, interrupted_warning

    for problem in outcome.problems:
        print(problem.text(str(args.file)))
    rejected = len(outcome.rejected_lines)
    print(
        f"{imported} of {outcome.rows} {noun} imported into <{USER_GRAPH}> at "
        f"{args.into or args.store_path}; {rejected} row(s) rejected",
        file=sys.stderr,
    )
    if args.store_path is not None and (warning := interrupted_warning(args.store_path)):
        print(f"plgkg: {warning}", file=sys.stderr)
    return EXIT_INVALID if rejected else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
