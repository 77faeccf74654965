"""Slow uploads against a real server: a stalled import upload is cut off with a 408, leaves no file,
and many of them at once do not stop the register from answering everyone else."""

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

STALLED = 20
READ_TIMEOUT = 1.0


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ServerProcess]:
    env = {"ILA_IMPORT_READ_TIMEOUT_SECONDS": str(READ_TIMEOUT)}
    with served(request.param, tmp_path, "ila_slow", env) as process:
        yield process


def _stall(port: int, token: str, multipart: bool) -> socket.socket:
    """Start an import upload that promises 100 kB, send a few bytes of it, then go quiet."""
    if multipart:
        content_type = "multipart/form-data; boundary=xyz"
        start = b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.jsonl"\r\n\r\n{"refer'
    else:
        content_type, start = "application/x-ndjson", b'{"reference": "SLOW-1", "ti'
    head = (
        f"POST /api/v1/imports HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: 100000\r\n\r\n"
    )
    connection = socket.create_connection(("127.0.0.1", port), timeout=15)
    connection.sendall(head.encode() + start)
    return connection


def _answer(connection: socket.socket) -> tuple[int, dict[str, str], bytes]:
    received = b""
    while b"\r\n\r\n" not in received or not received.rstrip().endswith(b"}"):
        chunk = connection.recv(65536)
        if not chunk:
            break
        received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
    return int(status_line.split()[1]), headers, body


def test_stalled_uploads_are_cut_off_and_leave_nothing(server: ServerProcess, tmp_path: Path) -> None:
    with httpx.Client(base_url=server.url, timeout=10) as http:
        token = register_provider(http)
        started = time.monotonic()
        stalled = [_stall(server.port, token, multipart=n % 4 == 0) for n in range(STALLED)]
        try:
            # the uploads are under way: their files appear (on a loaded machine a moment later than
            # the connections), and are cut off only after READ_TIMEOUT of silence
            deadline = started + READ_TIMEOUT * 0.9
            while not list((tmp_path / "var" / "imports").glob("*.upload")) and time.monotonic() < deadline:
                time.sleep(0.02)
            assert list((tmp_path / "var" / "imports").glob("*.upload")), "the uploads are under way"
            health = http.get("/health")  # everyone else is still served meanwhile
            assert health.status_code == 200
            answers = [_answer(connection) for connection in stalled]
        finally:
            for connection in stalled:
                connection.close()
        waited = time.monotonic() - started

        for status, headers, body in answers:
            assert status == 408, body
            assert headers["content-type"] == "application/problem+json"
            assert "sent nothing for 1 s" in msgspec.json.decode(body)["detail"]
        assert waited < READ_TIMEOUT + 8
        assert list((tmp_path / "var" / "imports").glob("*")) == []
        jobs = http.get("/api/v1/imports", headers={"Authorization": f"Bearer {token}"})
        assert jobs.json() == []
        # and a whole upload still goes through
        whole = http.post(
            "/api/v1/imports",
            content=b'{"reference": "X"}\n',
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/x-ndjson"},
        )
        assert whole.status_code == 202, whole.text
