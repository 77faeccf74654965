"""Stalled requests are cut off on every endpoint, against a real server (uvicorn, as in production).

A client that sends part of its headers and goes quiet (or drips them a byte at a time), or a body
shorter than its Content-Length, used to hold a connection and a worker forever: no answer, no
close. Now the headers must arrive within ILA_HTTP_HEADER_TIMEOUT_SECONDS and each part of a body
within ILA_HTTP_READ_TIMEOUT_SECONDS of the previous one; beyond, 408 and the connection is closed.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import msgspec
import pytest

from harness import ServerProcess
from processes import register_provider, served
from support import ADMIN_TOKEN

HEADER_TIMEOUT = 1.0
READ_TIMEOUT = 1.0
MARGIN = 4.0  # a busy machine answers a little late, never a minute late


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ServerProcess]:
    env = {
        "ILA_HTTP_HEADER_TIMEOUT_SECONDS": str(HEADER_TIMEOUT),
        "ILA_HTTP_READ_TIMEOUT_SECONDS": str(READ_TIMEOUT),
    }
    with served(request.param, tmp_path, "ila_stall", env) as process:
        yield process


def _connect(server: ServerProcess) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=HEADER_TIMEOUT + READ_TIMEOUT + 30)


def _until_closed(connection: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (a timeout here fails the test)."""
    received = b""
    while chunk := connection.recv(65536):
        received += chunk
    return received


def _status_and_body(answer: bytes) -> tuple[int, dict[str, str], bytes]:
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
    return int(status_line.split()[1]), headers, body


def test_a_request_whose_headers_stall_is_cut_off(server: ServerProcess) -> None:
    started = time.monotonic()
    stalled = _connect(server)
    stalled.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: ")
    dripping = _connect(server)
    dripping.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    try:
        with httpx.Client(base_url=server.url, timeout=10) as http:
            assert http.get("/health").status_code == 200  # everyone else is served meanwhile
        for _ in range(int((HEADER_TIMEOUT + MARGIN) / 0.25)):  # a byte now and then never extends the deadline
            try:
                dripping.sendall(b"X")
            except OSError:
                break
            time.sleep(0.25)
        answers = [_until_closed(stalled), _until_closed(dripping)]
    finally:
        stalled.close()
        dripping.close()
    assert time.monotonic() - started < HEADER_TIMEOUT + 2 * MARGIN
    for answer in answers:
        status, headers, body = _status_and_body(answer)
        assert status == 408, answer
        assert headers["content-type"] == "application/problem+json"
        assert headers["connection"] == "close"
        assert msgspec.json.decode(body)["type"] == "/problems/request-timeout"


def test_a_connection_that_never_sends_a_request_is_closed(server: ServerProcess) -> None:
    started = time.monotonic()
    silent = _connect(server)
    try:
        assert _until_closed(silent) == b""  # closed quietly, as an idle keep-alive connection is
    finally:
        silent.close()
    assert time.monotonic() - started < HEADER_TIMEOUT + MARGIN


@pytest.mark.parametrize(
    ("path", "content_type", "start"),
    [
        ("/api/v1/offers", "application/json", b'{"reference": "'),
        ("/dashboard/sign-in", "application/x-www-form-urlencoded", b"csrf=abc&token="),
        ("/api/v1/providers", "application/json", b"{"),
    ],
)
def test_a_body_shorter_than_its_length_is_cut_off_with_408(
    server: ServerProcess, path: str, content_type: str, start: bytes
) -> None:
    with httpx.Client(base_url=server.url, timeout=10) as http:
        token = register_provider(http) if path == "/api/v1/offers" else ADMIN_TOKEN
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: 1000\r\n\r\n"
    )
    started = time.monotonic()
    connection = _connect(server)
    try:
        connection.sendall(head.encode() + start[:12])
        answer = _until_closed(connection)
    finally:
        connection.close()
    assert time.monotonic() - started < READ_TIMEOUT + MARGIN
    status, headers, body = _status_and_body(answer)
    assert status == 408, answer
    assert headers["content-type"] == "application/problem+json"
    assert headers["connection"] == "close"
    problem = msgspec.json.decode(body)
    assert problem["type"] == "/problems/request-timeout"
    assert f"sent nothing for {READ_TIMEOUT:g} s" in problem["detail"]


def test_no_log_line_of_the_server_holds_a_token(server: ServerProcess) -> None:
    """Beside the timeouts, the same served instance: a token pasted into a URL is not logged."""
    secret = "ila_" + "Obdngts5m" * 5
    with httpx.Client(base_url=server.url, timeout=10) as http:
        assert http.get("/health", params={"token": secret}).status_code == 200
        assert http.get("/api/v1/offers", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    deadline = time.monotonic() + 5
    while b"/health?token=" not in server.log.read_bytes() and time.monotonic() < deadline:
        time.sleep(0.1)
    log = server.log.read_text(encoding="utf-8", errors="replace")
    assert "/health?token=ila_" in log  # the request was logged ...
    assert "Obdngts5m" not in log  # ... without the secret
