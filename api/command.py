"""The `plgkg serve` command: the web service on uvicorn. plgkg's CLI finds it through the entry point
group plgkg.commands (pyproject.toml), so the domain package never imports the web layer. serve
builds the settings, listens on the port (a port in use is named, with how to choose another), builds
the app with create_app(settings) and hands it to uvicorn."""

from __future__ import annotations

import argparse
import errno
import socket
import sys
from pathlib import Path

import uvicorn

from plgkg import settings
from plgkg.catalogue import DEFAULT_PATHS
from plgkg.cli import add_data_option
from plgkg.errors import DataError, InvalidDataError, StoreError
from plgkg.imports.pipeline import interrupted_warning
from plgkg.settings import HttpBounds, ServiceSettings
from plgkg_api.app import create_app
from plgkg_api.protocol import GuardedHttpToolsProtocol
from plgkg_api.settings import Settings

EXIT_OK, EXIT_NOT_STARTED, EXIT_BAD_INPUT = 0, 1, 2


def add_command(commands: argparse._SubParsersAction) -> None:
    """Register `serve` with plgkg's command line (the plgkg.commands entry point)."""
    p = commands.add_parser("serve", help="run the web service: SPARQL endpoint, linked data, JSON API")
    p.add_argument("--host", default=settings.HOST, help=f"address to listen on (default {settings.HOST})")
    p.add_argument(
        "--port", type=port, default=settings.PORT, help=f"port (default {settings.PORT}; 0: any free one)"
    )
    p.add_argument(
        "--store",
        default=settings.STORE,
        help="oxigraph (default, in process), rdflib, or the URL of a SPARQL 1.1 endpoint",
    )
    p.add_argument("--store-path", type=Path, help="keep the oxigraph store on disk in this folder")
    add_data_option(p)
    p.add_argument("--base-iri", default=settings.BASE_IRI, help="the IRI base served under /id/")
    for flag, kind, default, text in (
        (
            "--timeout",
            float,
            settings.QUERY_TIMEOUT_S,
            "time limit per query in s (default %(default)g)",
        ),
        (
            "--memory",
            int,
            settings.QUERY_MEMORY_MB,
            "memory per query worker in MB (default %(default)s)",
        ),
        ("--workers", int, settings.WORKERS, "query worker processes (default %(default)s)"),
    ):
        p.add_argument(flag, type=kind, default=default, help=text)
    p.add_argument(
        "--threads",
        type=int,
        default=settings.THREADS,
        help=f"threads for pages and the JSON API (default {settings.THREADS}; "
        f"{settings.RESERVED_THREADS} of them never wait for a worker)",
    )
    p.add_argument(
        "--queries-per-client",
        type=int,
        default=0,
        help="queries one client address may run at once; more get 429 (default: workers - 1, at least 1)",
    )
    p.add_argument("--max-rows", type=int, default=settings.MAX_ROWS, help="most result rows per query")
    p.add_argument(
        "--allow-service",
        action="append",
        default=[],
        metavar="IRI",
        help="a SERVICE endpoint queries may call (none by default)",
    )
    p.add_argument(
        "--public-url",
        help="the URL clients reach the service at, for the links it publishes (default http://HOST:PORT)",
    )
    # the bounds of the HTTP server (plgkg.settings.HttpBounds)
    for flag, kind, default, text in (
        (
            "--max-connections",
            int,
            HttpBounds.max_connections,
            "open connections at most; more are answered 503",
        ),
        (
            "--max-connections-per-client",
            int,
            HttpBounds.max_connections_per_client,
            "open connections one client address may hold; more are answered 503",
        ),
        (
            "--header-timeout",
            float,
            HttpBounds.header_timeout_s,
            "seconds a client has to send a request's headers, else 408",
        ),
        ("--body-timeout", float, HttpBounds.body_timeout_s, "seconds a client has to send a request's body"),
    ):
        p.add_argument(flag, type=kind, default=default, help=text + " (default %(default)s)")
    p.set_defaults(run=serve)


def port(text: str) -> int:
    """A TCP port number, 0 to 65535 (argparse says which value was wrong)."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"{number} is not a port number (0 to 65535)")
    return number


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to host:port and listening; OSError names what went wrong."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    return sock


def serve(args: argparse.Namespace) -> int:
    """Listen, build the app (the data loaded and validated, the query workers started), then serve
    until interrupted. Every failure before serving is one line on stderr and a non-zero exit."""
    service = ServiceSettings(
        store=args.store,
        store_path=args.store_path,
        data=tuple(args.data) if args.data else DEFAULT_PATHS,
        base_iri=args.base_iri,
        query_timeout_s=args.timeout,
        query_memory_mb=args.memory,
        workers=args.workers,
        queries_per_client=args.queries_per_client,
        threads=args.threads,
        max_rows=args.max_rows,
        allowed_services=frozenset(args.allow_service),
    )
    try:
        sock = listening_socket(args.host, args.port)
    except OSError as err:
        if err.errno == errno.EADDRINUSE:
            print(
                f"plgkg: not starting: port {args.port} on {args.host} is in use by another program; "
                f"choose another with --port (e.g. plgkg serve --port {args.port + 1})",
                file=sys.stderr,
            )
        else:
            print(
                f"plgkg: not starting: cannot listen on {args.host}:{args.port}: {err.strerror}",
                file=sys.stderr,
            )
        return EXIT_BAD_INPUT
    port = sock.getsockname()[1]
    public_url = (args.public_url or f"http://{args.host}:{port}").rstrip("/")
    try:
        app = create_app(Settings(service=service, public_url=public_url, warm=True))
    except (InvalidDataError, DataError, StoreError, RuntimeError) as err:
        # data that does not load or conform, a store that does not answer, query workers that cannot
        # start (a kernel that refuses their sandbox, say)
        sock.close()
        print(f"plgkg: not starting: {err}", file=sys.stderr)
        return EXIT_NOT_STARTED
    config = uvicorn.Config(
        app,
        log_level="warning",
        http=GuardedHttpToolsProtocol,  # bounds on request heads and bodies
        limit_concurrency=args.max_connections,
        h11_max_incomplete_event_size=HttpBounds.max_header_bytes,
    )
    # read by the protocol from its config, per connection
    config.plgkg_max_header_bytes = HttpBounds.max_header_bytes
    config.plgkg_header_timeout_s = args.header_timeout
    config.plgkg_body_timeout_s = args.body_timeout
    config.plgkg_max_connections_per_client = args.max_connections_per_client
    print(f"plgkg: serving on http://{args.host}:{port}/ (store: {args.store})", file=sys.stderr)
    if args.store_path is not None and (warning := interrupted_warning(args.store_path)):
        print(f"plgkg: {warning}", file=sys.stderr)
    uvicorn.Server(config).run(sockets=[sock])
    return EXIT_OK
