"""HTTP bounds below the app (issue 11): request heads are limited in size and time, bodies in time,
connections in number, and none of it slows other clients. Against a real `plgkg serve` on 127.0.0.1."""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.api.conftest import start_service, stop_service


@pytest.fixture(scope="module")
def bounded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    log = tmp_path_factory.mktemp("bounds") / "log"
    args = ("--workers", "1", "--header-timeout", "1", "--body-timeout", "1", "--max-connections", "40")
    args += ("--max-connections-per-client", "20")
    process, url = start_service(*args, log=log)
    yield url, int(url.rsplit(":", 1)[1])
    stop_service(process)


def _connect(port: int, address: str) -> socket.socket:
    """A connection from address: each loopback address stands for a client of its own."""
    return socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(address, 0))


def _send(port: int, data: bytes, read: bool = True, timeout: float = 10.0) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
        conn.sendall(data)
        if not read:
            return b""
        chunks = []
        while True:
            try:
                chunk = conn.recv(65536)
            except (ConnectionResetError, TimeoutError):
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)


def test_a_huge_header_gets_431_at_once_and_others_are_served(bounded: tuple[str, int]) -> None:
    url, port = bounded
    started = time.monotonic()
    head = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (4 * 1024 * 1024) + b"\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            conn.sendall(head)  # the server may answer and stop reading before all is sent
        answer = conn.recv(4096)
    assert answer.startswith(b"HTTP/1.1 431 ")
    assert time.monotonic() - started < 2
    assert httpx.get(f"{url}/healthz", timeout=5).status_code == 200


def test_headers_just_under_the_limit_are_fine(bounded: tuple[str, int]) -> None:
    url, _ = bounded
    response = httpx.get(f"{url}/healthz", headers={"X-Pad": "a" * 30_000}, timeout=5)
    assert response.status_code == 200


def test_a_head_sent_too_slowly_gets_408_and_the_connection_closes(bounded: tuple[str, int]) -> None:
    _, port = bounded
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # and never the blank line
        answer = conn.recv(4096)
        assert conn.recv(4096) == b""  # closed
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert 0.8 < time.monotonic() - started < 5


def test_a_body_sent_too_slowly_closes_the_connection(bounded: tuple[str, int]) -> None:
    _, port = bounded
    started = time.monotonic()
    head = b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(head + b"Content-Length: 100\r\n\r\nSELECT")
        while conn.recv(4096):
            pass
    assert time.monotonic() - started < 5


def test_half_sent_requests_are_dropped_and_the_service_stays_responsive(bounded: tuple[str, int]) -> None:
    url, port = bounded
    held = []
    try:
        for n in range(30):  # from three addresses, under the per-address cap
            conn = _connect(port, f"127.0.0.{2 + n % 3}")
            conn.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
            held.append(conn)
        started = time.monotonic()
        assert httpx.get(f"{url}/healthz", timeout=5).status_code == 200
        assert time.monotonic() - started < 1
        time.sleep(2)  # past the header timeout: every one of them is closed by the server
        for conn in held:
            conn.settimeout(3)
            data = b""
            while chunk := conn.recv(4096):
                data += chunk
            assert data.startswith(b"HTTP/1.1 408 ")
    finally:
        for conn in held:
            conn.close()


def test_connections_past_the_cap_get_503(bounded: tuple[str, int]) -> None:
    url, port = bounded
    held = [_connect(port, f"127.0.0.{10 + n % 4}") for n in range(40)]
    try:
        time.sleep(0.2)
        response = httpx.get(f"{url}/healthz", timeout=5)
        assert response.status_code == 503
    finally:
        for conn in held:
            conn.close()
    time.sleep(0.3)
    assert httpx.get(f"{url}/healthz", timeout=5).status_code == 200


def test_keep_alive_requests_each_get_a_fresh_allowance(bounded: tuple[str, int]) -> None:
    url, _ = bounded
    with httpx.Client(base_url=url, timeout=5) as client:
        for _ in range(5):
            assert client.get("/healthz", headers={"X-Pad": "a" * 20_000}).status_code == 200
            time.sleep(0.3)


def test_one_address_cannot_take_every_connection(bounded: tuple[str, int]) -> None:
    """Half-sent requests from one address past its cap are refused at once and count against
    nothing: another address is served (the global cap here is 40 connections)."""
    url, port = bounded
    held = [_connect(port, "127.0.0.20") for _ in range(20)]
    try:
        for conn in held:
            conn.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # half-sent, as a slow client does
        refused = [_connect(port, "127.0.0.20") for _ in range(30)]
        for conn in refused:
            conn.settimeout(5)
            assert conn.recv(4096).startswith(b"HTTP/1.1 503 ")
        held += refused
        transport = httpx.HTTPTransport(local_address="127.0.0.21")
        with httpx.Client(base_url=url, timeout=5, transport=transport) as other:
            assert other.get("/healthz").status_code == 200
    finally:
        for conn in held:
            conn.close()
