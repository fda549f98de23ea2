"""`plgkg serve`, the command the web package adds to plgkg (issue 13): a port in use is named with
how to choose another, before anything loads; no "serving on" line for a service that is not."""

from __future__ import annotations

import socket
import subprocess

from tests.cli import PLGKG


def test_a_port_in_use_is_named_with_how_to_choose_another() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = subprocess.run(
            [PLGKG, "serve", "--port", str(port)], capture_output=True, text=True, timeout=60
        )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == (
        f"plgkg: not starting: port {port} on 127.0.0.1 is in use by another program; "
        f"choose another with --port (e.g. plgkg serve --port {port + 1})\n"
    )


def test_data_that_does_not_load_stops_the_start_in_one_line(tmp_path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n", encoding="utf-8")
    done = subprocess.run(
        [PLGKG, "serve", "--port", "0", "--data", str(bad)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1
    assert "serving on" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("plgkg: not starting: "), done.stderr
    assert f"{bad}:2:" in lines[0]  # the file and the line of the error


def test_a_port_out_of_range_is_refused_by_the_option() -> None:
    done = subprocess.run([PLGKG, "serve", "--port", "99999"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == (
        "plgkg serve: error: argument --port: 99999 is not a port number (0 to 65535)"
    )
