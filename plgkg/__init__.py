"""plgkg — the knowledge graph of what schools can do to become a professional learning community."""

from importlib.metadata import PackageNotFoundError, version

try:
    # one version, pyproject.toml's, read from the installed package's metadata
    __version__ = version("plgkg")
except PackageNotFoundError:  # the source tree on sys.path without an install
    __version__ = "0+unknown"
