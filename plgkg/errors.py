"""Every error of plgkg's domain, under one base class, `PlgkgError`.

Errors that callers catch as a built-in kind keep it as a second base (ValueError for bad input,
RuntimeError for the sandbox), so `except ValueError` still sees them. Grouped by where they arise:
reading data, the stores, screening and running queries, importing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from plgkg.paths import display_path

if TYPE_CHECKING:
    from plgkg.validate import Report


class PlgkgError(Exception):
    """The base of every error plgkg raises on purpose."""


# --- data --------------------------------------------------------------------------------------


class DataError(PlgkgError):
    """A file that cannot be read as RDF: names the file and, where known, the line (and column)."""

    def __init__(self, path: Path, reason: str, line: int | None = None, column: int | None = None) -> None:
        self.path = path
        self.reason = reason
        self.line = line
        self.column = column
        where = f"{display_path(path)}:{line}" if line else display_path(path)
        super().__init__(f"{where}: {reason}")


class InputRefused(PlgkgError, ValueError):
    """Input that asks for what a parser must not do here; .line is where, if known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.line = line
        super().__init__(message)


class InvalidDataError(PlgkgError):
    """The data does not conform to the shapes: the service refuses to start."""

    def __init__(self, report: Report) -> None:
        self.report = report
        lines = "\n".join(v.line() for v in report.violations)
        super().__init__(
            f"the data does not conform to the shapes ({len(report.violations)} violation(s)):\n{lines}"
        )


# --- stores ------------------------------------------------------------------------------------


class StoreError(PlgkgError):
    """A store that cannot be opened, reached or written to."""


class RemoteTimeout(StoreError):
    """A remote store that did not answer within the time limit (the request was abandoned)."""


class ResultTooLarge(StoreError):
    """A result with more rows (or triples) than the caller allows."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"the result has more than {limit} rows; add a LIMIT")


class QueryError(StoreError):
    """A query that cannot be parsed or run: says what is wrong and where."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        self.line = line
        self.column = column
        where = (
            "" if line is None else f"line {line}: " if column is None else f"line {line}, column {column}: "
        )
        super().__init__(f"{where}{message}")


# --- screening and running queries -------------------------------------------------------------


class SparqlSyntaxError(PlgkgError, ValueError):
    """The text is not a query by the grammar: .pos is where reading stopped; .kind is 'string' for
    a string literal that does not end, 'form' where the query form should stand, else 'syntax'."""

    def __init__(self, pos: int, message: str, kind: str = "syntax") -> None:
        self.pos = pos
        self.kind = kind
        super().__init__(message)


class TooDeepError(PlgkgError, ValueError):
    """Brackets nest deeper than the limit: .pos is the bracket that went too deep."""

    def __init__(self, pos: int, limit: int) -> None:
        self.pos = pos
        super().__init__(f"brackets nested more than {limit} levels deep")


class ScreeningError(PlgkgError, ValueError):
    """A refused query: an HTTP status, a short machine code and a plain message that says where."""

    def __init__(
        self, status: int, reason: str, message: str, line: int | None = None, column: int | None = None
    ) -> None:
        self.status = status
        self.reason = reason
        self.line = line
        self.column = column
        self.message = f"line {line}, column {column}: {message}" if line is not None else message
        super().__init__(self.message)


class NotAcceptable(PlgkgError, ValueError):
    """A query whose form (found by the screen) has no media type the client accepts: .form."""

    def __init__(self, form: str) -> None:
        self.form = form
        super().__init__(f"no acceptable media type for a {form} query")


class SandboxError(PlgkgError, RuntimeError):
    """The confinement could not be installed where it should have been."""


class WorkerBusy(PlgkgError):
    """No worker is idle, and the caller asked not to wait in this thread (WAIT_ELSEWHERE)."""


class QueryLimitError(PlgkgError):
    """A query stopped at a limit: .reason is 'timeout', 'memory', 'rows', 'crash' or 'busy'."""

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason
        super().__init__(message)


# --- imports -----------------------------------------------------------------------------------


class FormatError(PlgkgError):
    """A format that does not fit the kind of result (--format csv for a CONSTRUCT, say)."""


class ImportFailed(PlgkgError):
    """Nothing could be read: the file is missing, empty, or not laid out as expected (exit 2)."""
