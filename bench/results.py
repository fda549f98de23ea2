"""bench/RESULTS.md: each benchmark rewrites its own section and leaves the others alone."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
HEADER = """# plgkg benchmarks

Written by `make bench` (section *Throughput*) and `make bench-scale` (section *Scale*); see
bench/README.md for what is measured and how. Numbers are from one machine and one run each.
"""


def update_section(name: str, text: str) -> None:
    begin, end = f"<!-- begin {name} -->", f"<!-- end {name} -->"
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else HEADER
    block = f"{begin}\n{text.rstrip()}\n{end}"
    if begin in old and end in old:
        head, rest = old.split(begin, 1)
        new = head + block + rest.split(end, 1)[1]
    else:
        new = old.rstrip() + "\n\n" + block + "\n"
    RESULTS.write_text(new, encoding="utf-8")


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def _cmd(*args: str) -> str:
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=10)
        return (done.stdout or done.stderr).strip().splitlines()[0]
    except (OSError, subprocess.SubprocessError, IndexError):
        return "not installed"


def machine_facts() -> str:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError):
        pass
    bin_dir = Path(sys.executable).parent
    lines = [
        f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- machine: {os.cpu_count()} CPUs (nproc), {cpu}, {mem} RAM, {platform.platform()}",
        f"- Python {platform.python_version()}; plgkg {_version('plgkg')}, pyoxigraph {_version('pyoxigraph')}, "
        f"rdflib {_version('rdflib')}, fastapi {_version('fastapi')}, uvicorn {_version('uvicorn')}",
        f"- peers: {_cmd(str(bin_dir / 'oxigraph'), '--version')} (PyPI `oxigraph`), rdflib-endpoint "
        f"{_version('rdflib-endpoint')}, Virtuoso: {_virtuoso()}",
        f"- load generator: {_cmd('wrk', '--version').split(' Copyright')[0]}",
    ]
    return "\n".join(lines)


def _virtuoso() -> str:
    try:
        done = subprocess.run(["virtuoso-t", "-?"], capture_output=True, text=True, timeout=10)
        for line in (done.stdout + done.stderr).splitlines():
            if line.startswith("Version"):
                return "open source " + line.split()[1]
    except (OSError, subprocess.SubprocessError):
        pass
    return "not installed"
