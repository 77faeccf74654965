"""Hostile XML is refused at upload with a problem+json, writes nothing, reads nothing, calls nobody."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from ila_register.db.models import ImportJob, OfferRecord
from ila_register.wiring import Services
from support import ROOT, Api

LOQ = "http://data.europa.eu/snb/model/ap/loq-constraints/"


def _courses(inner: str, prolog: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}\n<Courses xmlns="{LOQ}"><learningOpportunityReferences>'
        f'<learningOpportunity id="http://x/1"><title language="en">{inner}</title></learningOpportunity>'
        "</learningOpportunityReferences></Courses>"
    ).encode()


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A local port that records whether anyone connected (it must stay untouched)."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.setblocking(False)
    yield server
    server.close()


def _nobody_called(server: socket.socket) -> bool:
    time.sleep(0.05)
    try:
        connection, _address = server.accept()
    except BlockingIOError:
        return True
    connection.close()
    return False


def _hostile(port: int) -> dict[str, bytes]:
    laughs = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    )
    big = "a" * 100_000
    return {
        "xxe-file": _courses("&xxe;", '<!DOCTYPE Courses [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'),
        "xxe-http": _courses("&xxe;", f'<!DOCTYPE Courses [<!ENTITY xxe SYSTEM "http://127.0.0.1:{port}/x">]>'),
        "external-dtd": _courses("t", f'<!DOCTYPE Courses SYSTEM "http://127.0.0.1:{port}/evil.dtd">'),
        "parameter-entity": _courses(
            "t", f'<!DOCTYPE Courses [<!ENTITY % p SYSTEM "http://127.0.0.1:{port}/p.dtd"> %p;]>'
        ),
        "billion-laughs": _courses("&lol9;", f"<!DOCTYPE Courses [{laughs}]>"),
        "quadratic-blowup": _courses("&a;" * 20_000, f'<!DOCTYPE Courses [<!ENTITY a "{big}">]>'),
        "deep-nesting": _courses("<x>" * 10_000 + "t" + "</x>" * 10_000),
        "invalid-utf8": _courses("caf\xe9").replace("caf\xc3\xa9".encode("latin-1"), b"caf\xff\xfe"),
        "unknown-encoding": _courses("t").replace(b'encoding="UTF-8"', b'encoding="x-no-such-encoding"'),
        "truncated": _courses("t")[:-40],
        "not-xml": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        # read as if it were LOQ, these used to "succeed" with 0 records, or hide markup in plain text
        "wrong-root": _courses("t").replace(b"<Courses ", b"<Catalogue ").replace(b"</Courses>", b"</Catalogue>"),
        "foreign-namespace": _courses("t").replace(LOQ.encode(), b"urn:example:courses"),
        "utf-7": _courses("+ADw-b+AD4-t+ADw-/b+AD4-").replace(b'encoding="UTF-8"', b'encoding="UTF-7"'),
        "xinclude": _courses(
            '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd" parse="text"/>'
        ),
    }


CASES = list(_hostile(1))


@pytest.mark.parametrize("case", CASES)
def test_hostile_xml_is_refused_and_nothing_happens(
    api: Api, runtime: Services, listener: socket.socket, case: str
) -> None:
    _provider_id, token = api.register_provider()
    body = _hostile(listener.getsockname()[1])[case]
    started = time.perf_counter()

    answer = api.client.post(
        "/api/v1/imports", content=body, headers=api.auth(token) | {"Content-Type": "application/xml"}
    )

    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["detail"].startswith("The file cannot be imported: ")
    assert "Traceback" not in answer.text
    assert "root:" not in answer.text
    assert time.perf_counter() - started < 5  # refused up front, not after expanding anything
    assert _nobody_called(listener)
    with runtime.db.read() as session:
        assert session.scalar(select(func.count()).select_from(ImportJob)) == 0
        assert session.scalar(select(func.count()).select_from(OfferRecord)) == 0
    assert list(runtime.settings.imports.storage.glob("*")) == []
    # and the service carries on
    assert api.client.get("/health").status_code == 200
    sample = (ROOT.parent / "shared" / "elm" / "samples" / "loq-sample.xml").read_bytes()
    ok = api.client.post("/api/v1/imports", content=sample, headers=api.auth(token) | {"Content-Type": "text/xml"})
    assert ok.status_code == 202


@pytest.mark.parametrize(
    ("case", "says"),
    [
        ("wrong-root", "the root element is Catalogue"),
        ("foreign-namespace", "not Courses in the ELM LOQ namespace"),
        ("utf-7", "the encoding 'UTF-7' is not accepted"),
        ("xinclude", "XInclude is not accepted"),
    ],
)
def test_xml_that_is_not_plain_loq_is_refused_saying_why(api: Api, runtime: Services, case: str, says: str) -> None:
    _provider_id, token = api.register_provider()
    answer = api.client.post(
        "/api/v1/imports", content=_hostile(1)[case], headers=api.auth(token) | {"Content-Type": "application/xml"}
    )
    assert answer.status_code == 422, answer.text
    assert says in answer.json()["detail"]
    assert "root:" not in answer.text  # XInclude is never followed


def test_an_upload_over_the_limit_is_refused_while_streaming(
    api: Api, runtime: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    _provider_id, token = api.register_provider()
    monkeypatch.setattr(runtime.imports, "max_bytes", 10_000)
    body = b'{"reference": "x"}\n' * 1_000  # 19 kB

    answer = api.client.post(
        "/api/v1/imports", content=body, headers=api.auth(token) | {"Content-Type": "application/x-ndjson"}
    )
    assert answer.status_code == 413
    assert answer.headers["content-type"] == "application/problem+json"
    assert "10000 bytes" in answer.json()["detail"]
    multipart = api.client.post(
        "/api/v1/imports",
        files={"file": ("a.jsonl", body, "application/x-ndjson")},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert multipart.status_code == 413
    assert list(runtime.settings.imports.storage.glob("*")) == []
    with runtime.db.read() as session:
        assert session.scalar(select(func.count()).select_from(ImportJob)) == 0
