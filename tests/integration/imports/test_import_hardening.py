"""Imports under attack and accident: a replace that reads nothing withdraws nothing, one provider's
job cannot hold back the others, limits are told as problems, and no refused upload leaves a file."""

from __future__ import annotations

import csv
import errno
import io
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import anyio
import msgspec
import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from ila_register import cli
from ila_register.db.models import ImportJob
from ila_register.imports import services as import_services
from ila_register.imports.csv_format import template
from ila_register.settings import Settings
from ila_register.wiring import Services
from support import Api, FakeClock, example

NDJSON = "application/x-ndjson"
LOQ = "http://data.europa.eu/snb/model/ap/loq-constraints/"


def _offers(count: int = 3, prefix: str = "IMP") -> list[dict[str, Any]]:
    names = ["offer-training.json", "offer-guidance.json", "offer-validation.json"]
    return [example(names[i % 3]) | {"reference": f"{prefix}-{i + 1:03d}"} for i in range(count)]


def _jsonl(documents: list[dict[str, Any]]) -> bytes:
    return b"".join(msgspec.json.encode(d) + b"\n" for d in documents)


def _upload(api: Api, token: str, body: bytes, media_type: str = NDJSON, **params: Any) -> Any:
    return api.client.post(
        "/api/v1/imports", content=body, headers=api.auth(token) | {"Content-Type": media_type}, params=params
    )


def _job(api: Api, token: str, job_id: str) -> dict[str, Any]:
    answer = api.client.get(f"/api/v1/imports/{job_id}", headers=api.auth(token))
    assert answer.status_code == 200, answer.text
    job: dict[str, Any] = answer.json()
    return job


def _import(api: Api, runtime: Services, token: str, body: bytes, media_type: str = NDJSON, **params: Any) -> Any:
    answer = _upload(api, token, body, media_type, **params)
    assert answer.status_code == 202, answer.text
    while runtime.imports.run_once():
        pass
    job = _job(api, token, answer.json()["id"])
    assert job["status"] in {"succeeded", "failed"}, job
    return job


def _statuses(api: Api, token: str) -> dict[str, str]:
    items = api.client.get("/api/v1/offers", headers=api.auth(token), params={"limit": 100}).json()["items"]
    return {item["reference"]: item["status"] for item in items}


def _jobs(runtime: Services) -> int:
    with runtime.db.read() as session:
        return int(session.scalar(select(func.count()).select_from(ImportJob)) or 0)


def _stored(runtime: Services) -> list[Path]:
    storage = runtime.settings.imports.storage
    return list(storage.glob("*")) if storage.exists() else []


def _assert_problem(answer: Any, status: int, *words: str) -> None:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert "Traceback" not in answer.text
    for word in words:
        assert word in answer.json()["detail"], answer.json()


@pytest.fixture
def catalogue(api: Api, runtime: Services) -> tuple[str, str]:
    """A provider with three live offers, imported earlier."""
    provider_id, token = api.register_provider()
    first = _import(api, runtime, token, _jsonl(_offers(3)))
    assert first["counts"]["created"] == 3
    return provider_id, token


ALL_ACTIVE = {"IMP-001": "active", "IMP-002": "active", "IMP-003": "active"}


# -- 1. a replace that reads nothing withdraws nothing ----------------------------------------


@pytest.mark.parametrize(
    ("body", "media_type", "why"),
    [
        (b"", NDJSON, "empty"),
        (b"", "text/csv", "empty"),
        (b"", "application/xml", "empty"),
        (b"\n \n\r\n", NDJSON, "no records"),
        (template().splitlines(keepends=True)[0].encode(), "text/csv", "no records"),
        (
            f'<?xml version="1.0"?><Courses xmlns="{LOQ}"><learningOpportunityReferences/></Courses>'.encode(),
            "application/xml",
            "no learning opportunities",
        ),
        (b'<?xml version="1.0"?><catalogue><offer ref="IMP-001"/></catalogue>', "application/xml", "Courses"),
    ],
    ids=["empty-jsonl", "empty-csv", "empty-xml", "blank-jsonl", "csv-header-only", "xml-no-opportunity", "xml-root"],
)
def test_a_replace_import_of_a_file_with_nothing_in_it_is_refused_and_withdraws_nothing(
    api: Api, runtime: Services, catalogue: tuple[str, str], body: bytes, media_type: str, why: str
) -> None:
    _provider_id, token = catalogue

    answer = _upload(api, token, body, media_type, mode="replace")

    _assert_problem(answer, 422, why)
    assert _statuses(api, token) == ALL_ACTIVE
    assert _jobs(runtime) == 1  # the first import only
    assert _stored(runtime) == []


def test_an_empty_multipart_file_is_refused(api: Api, runtime: Services, catalogue: tuple[str, str]) -> None:
    _provider_id, token = catalogue
    answer = api.client.post(
        "/api/v1/imports",
        params={"mode": "replace"},
        files={"file": ("catalogue.jsonl", b"", NDJSON)},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert _statuses(api, token) == ALL_ACTIVE
    assert _stored(runtime) == []


def test_a_replace_import_whose_records_are_all_rejected_fails_and_withdraws_nothing(
    api: Api, runtime: Services, catalogue: tuple[str, str]
) -> None:
    _provider_id, token = catalogue

    job = _import(api, runtime, token, b'{"reference": "x"}\n', mode="replace")  # the 19-byte body

    assert job["status"] == "failed"
    assert job["counts"]["withdrawn"] == 0
    assert job["counts"]["rejected"] == 1
    assert "nothing was withdrawn" in job["error"].lower()
    assert "ILA_IMPORT_REPLACE_MAX_REJECTED_SHARE" in job["error"]
    assert _statuses(api, token) == ALL_ACTIVE


def test_a_replace_dry_run_says_it_would_fail(api: Api, runtime: Services, catalogue: tuple[str, str]) -> None:
    _provider_id, token = catalogue
    documents = _offers(3)
    for document in documents[1:]:
        document["mode"] = "hybrid"

    job = _import(api, runtime, token, _jsonl(documents), mode="replace", dry_run="true")

    assert (job["status"], job["counts"]["rejected"], job["counts"]["withdrawn"]) == ("failed", 2, 0)
    assert "2 of 3" in job["error"]
    assert _statuses(api, token) == ALL_ACTIVE


def test_above_the_rejected_share_nothing_is_withdrawn_but_the_good_records_apply(
    api: Api, runtime: Services, catalogue: tuple[str, str]
) -> None:
    _provider_id, token = catalogue
    documents = _offers(4)
    documents[0]["title"] = documents[0]["title"] | {"en": "Renewed"}
    documents[1]["mode"] = "hybrid"  # present but invalid; IMP-003 is absent

    job = _import(api, runtime, token, _jsonl([documents[0], documents[1], documents[3]]), mode="replace")

    assert job["status"] == "failed"
    assert job["counts"] == {"created": 1, "updated": 1, "unchanged": 0, "withdrawn": 0, "rejected": 1}
    assert "1 of 3 records (33%)" in job["error"]
    assert _statuses(api, token) == ALL_ACTIVE | {"IMP-004": "active"}


def test_a_rejected_record_never_withdraws_its_live_offer(
    api: Api, runtime: Services, catalogue: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _provider_id, token = catalogue
    monkeypatch.setattr(runtime.imports, "max_rejected_share", 0.5)
    documents = _offers(3)
    documents[1]["mode"] = "hybrid"  # IMP-002 is in the file but rejected; IMP-003 is absent

    job = _import(api, runtime, token, _jsonl(documents[:2]), mode="replace")

    assert job["status"] == "succeeded", job
    assert job["counts"] == {"created": 0, "updated": 0, "unchanged": 1, "withdrawn": 1, "rejected": 1}
    assert _statuses(api, token) == {"IMP-001": "active", "IMP-002": "active", "IMP-003": "withdrawn"}


def test_the_rejected_share_is_a_setting() -> None:
    settings = Settings.from_env({"ILA_IMPORT_REPLACE_MAX_REJECTED_SHARE": "0.25", "ILA_IMPORT_MAX_RECORDS": "7"})
    assert (settings.imports.replace_max_rejected_share, settings.imports.max_records) == (0.25, 7)
    defaults = Settings.from_env({})
    assert defaults.imports.replace_max_rejected_share == 0.1
    assert defaults.imports.max_records >= 100_000  # the benchmark's 100,000 offers in one file


def test_a_csv_that_cannot_be_read_to_its_end_withdraws_nothing(
    api: Api, runtime: Services, catalogue: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _provider_id, token = catalogue
    monkeypatch.setattr(runtime.imports, "max_rejected_share", 0.9)
    header, row = list(csv.reader(io.StringIO(template()), delimiter=";"))[:2]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerows([header, [v if h != "reference" else "IMP-001" for h, v in zip(header, row, strict=True)]])
    too_long = b'"' + b"a" * 200_000 + b'"'  # beyond the CSV reader's field limit: it stops there
    body = out.getvalue().encode() + b"IMP-002;" + too_long + b"\r\nIMP-003;training\r\n"

    job = _import(api, runtime, token, body, "text/csv", mode="replace")

    assert job["status"] == "failed"
    assert job["counts"]["withdrawn"] == 0
    assert "not read to its end" in job["error"]
    assert _statuses(api, token)["IMP-002"] == "active"
    assert _statuses(api, token)["IMP-003"] == "active"


# -- 15. one import does not block the others; limits ------------------------------------------


def test_a_long_import_yields_to_another_providers_job(
    api: Api, runtime: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    _big_id, big = api.register_provider()
    _small_id, small = api.register_provider(kbo_number="0203.201.340")
    monkeypatch.setattr(import_services, "BATCH", 2)
    monkeypatch.setattr(import_services, "SLICE_SECONDS", 0.0)  # one batch per turn
    long_job = _upload(api, big, _jsonl(_offers(9, "BIG")), dry_run="true").json()["id"]
    assert runtime.imports.run_once() == 1  # the long job starts
    short_job = _upload(api, small, _jsonl(_offers(2, "SMALL"))).json()["id"]

    assert runtime.imports.run_once() == 1

    assert _job(api, small, short_job)["status"] == "succeeded"
    paused = _job(api, big, long_job)
    assert (paused["status"], paused["records_done"]) == ("running", 2)
    while runtime.imports.run_once():
        pass
    finished = _job(api, big, long_job)
    assert (finished["status"], finished["records_done"], finished["counts"]["created"]) == ("succeeded", 9, 9)


def test_turns_go_to_the_provider_served_least_recently(
    api: Api, runtime: Services, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    tokens = [api.register_provider(kbo_number=kbo)[1] for kbo in ("0203.201.439", "0203.201.538", "0203.201.637")]
    monkeypatch.setattr(import_services, "BATCH", 1)
    monkeypatch.setattr(import_services, "SLICE_SECONDS", 0.0)
    jobs = []
    for number, (token, body) in enumerate(
        [(t, _jsonl(_offers(3, f"P{n}"))) for n, t in enumerate(tokens)] + [(tokens[0], _jsonl(_offers(1, "P0B")))]
    ):
        clock.advance(seconds=1)  # uploaded one after the other
        jobs.append(_upload(api, token, body, dry_run="true").json()["id"])
        assert number == len(jobs) - 1

    progress = []
    for _turn in range(3):
        assert runtime.imports.run_once() == 1
        progress.append([_job(api, t, j)["records_done"] for t, j in zip([*tokens, tokens[0]], jobs, strict=True)])

    assert progress == [[1, 0, 0, 0], [1, 1, 0, 0], [1, 1, 1, 0]]  # round robin, oldest job first per provider


def test_a_file_over_the_record_limit_is_refused_at_upload(
    api: Api, runtime: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    _provider_id, token = api.register_provider()
    monkeypatch.setattr(runtime.imports, "max_records", 3)
    csv_body = template().splitlines(keepends=True)[0] + "".join(f"R{n};training\r\n" for n in range(4))

    for body, media_type in ((_jsonl(_offers(4)), NDJSON), (csv_body.encode(), "text/csv")):
        answer = _upload(api, token, body, media_type)
        _assert_problem(answer, 422, "4 records", "at most 3", "ILA_IMPORT_MAX_RECORDS")
    assert _upload(api, token, _jsonl(_offers(3))).status_code == 202
    assert len(_stored(runtime)) == 1  # the accepted one only


# -- 16. uploads that must not give a 500 or leave a file behind -------------------------------


def _multipart(parts: list[tuple[str, bytes]], boundary: str = "b0undary") -> tuple[bytes, dict[str, str]]:
    body = b"".join(
        f"--{boundary}\r\n".encode() + headers + b"\r\n\r\n" + content + b"\r\n" for headers, content in parts
    )
    return body + f"--{boundary}--\r\n".encode(), {"Content-Type": f"multipart/form-data; boundary={boundary}"}


@pytest.mark.parametrize("case", ["17 parts", "9 KB part header"])
def test_a_multipart_body_beyond_the_parser_limits_is_a_clear_4xx(api: Api, runtime: Services, case: str) -> None:
    _provider_id, token = api.register_provider()
    if case == "17 parts":
        parts = [(f'Content-Disposition: form-data; name="f{n}"'.encode(), b"x") for n in range(17)]
    else:
        parts = [(b'Content-Disposition: form-data; name="file"; filename="a.jsonl"\r\nX-Pad: ' + b"a" * 9000, b"{}")]
    body, headers = _multipart(parts)

    answer = api.client.post("/api/v1/imports", content=body, headers={"Authorization": f"Bearer {token}"} | headers)

    assert 400 <= answer.status_code < 500, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert "16 parts" in answer.json()["detail"]
    assert _stored(runtime) == []
    assert _jobs(runtime) == 0


@pytest.mark.parametrize("how", ["body", "multipart"])
def test_an_upload_on_a_full_disk_is_a_503_and_leaves_nothing(
    api: Api, runtime: Services, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    _provider_id, token = api.register_provider()

    async def disk_full(_self: Any, _data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(anyio.AsyncFile, "write", disk_full)
    if how == "body":
        answer = _upload(api, token, _jsonl(_offers(2)))
    else:
        answer = api.client.post(
            "/api/v1/imports",
            files={"file": ("catalogue.jsonl", _jsonl(_offers(2)), NDJSON)},
            headers={"Authorization": f"Bearer {token}"},
        )

    _assert_problem(answer, 503, "no space left")
    assert "Retry-After" in answer.headers
    assert _stored(runtime) == []
    assert _jobs(runtime) == 0


def test_an_upload_refused_by_a_read_only_database_leaves_no_file(api: Api, runtime: Services) -> None:
    _provider_id, token = api.register_provider()

    def read_only(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO IMPORT_JOBS"):
            raise OperationalError(statement, {}, sqlite3.OperationalError("attempt to write a readonly database"))

    event.listen(runtime.db.engine, "before_cursor_execute", read_only)
    try:
        answer = _upload(api, token, _jsonl(_offers(2)))
    finally:
        event.remove(runtime.db.engine, "before_cursor_execute", read_only)

    _assert_problem(answer, 503, "accepts no changes")
    assert _stored(runtime) == []
    assert _jobs(runtime) == 0


# -- 18. every problem of a record -----------------------------------------------------------


@pytest.mark.parametrize("media_type", [NDJSON, "text/csv"])
def test_a_record_with_several_kinds_of_problems_reports_them_all(api: Api, runtime: Services, media_type: str) -> None:
    _provider_id, token = api.register_provider()
    if media_type == NDJSON:
        document = _offers(1)[0] | {"eqf_level": 11, "mode": "hybrid", "homepage": "javascript:alert(1)"}
        body = _jsonl([document])
    else:
        header, row = list(csv.reader(io.StringIO(template()), delimiter=";"))[:2]
        values = dict(zip(header, row, strict=True)) | {
            "eqf_level": "11",
            "mode": "hybrid",
            "homepage": "javascript:alert(1)",
        }
        out = io.StringIO()
        csv.writer(out, delimiter=";").writerows([header, [values[h] for h in header]])
        body = out.getvalue().encode()

    job = _import(api, runtime, token, body, media_type)

    assert job["counts"]["rejected"] == 1
    assert {p["pointer"] for p in job["problems"] if p["severity"] == "error"} >= {"/eqf_level", "/mode", "/homepage"}


# -- 21. the command line --------------------------------------------------------------------


@pytest.fixture
def cli_env(runtime: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ILA_DATABASE_URL", runtime.settings.database.url)
    monkeypatch.setenv("ILA_VAR_DIR", str(tmp_path / "cli-var"))
    return tmp_path


def _run_cli(*argv: str) -> int:
    with pytest.raises(SystemExit) as exited:
        cli.main(list(argv))
    return int(exited.value.code or 0)


def test_the_cli_exits_1_when_records_were_rejected(
    api: Api, cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    provider_id, _token = api.register_provider()
    documents = _offers(2)
    documents[1]["mode"] = "hybrid"
    source = cli_env / "catalogue.jsonl"
    source.write_bytes(_jsonl(documents))

    assert _run_cli("import", str(source), "--provider", provider_id) == 1
    out = capsys.readouterr().out
    assert "1 created" in out
    assert "1 rejected" in out
    source.write_bytes(_jsonl(documents[:1]))
    assert _run_cli("import", str(source), "--provider", provider_id) == 0


@pytest.mark.parametrize("case", ["missing file", "unknown provider", "empty file", "not a provider id"])
def test_the_cli_says_in_one_line_what_is_wrong_and_exits_2(
    api: Api, runtime: Services, cli_env: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    provider_id, _token = api.register_provider()
    source = cli_env / "catalogue.jsonl"
    source.write_bytes(_jsonl(_offers(1)))
    if case == "missing file":
        source = cli_env / "no-such-file.jsonl"
    elif case == "unknown provider":
        provider_id = str(uuid.uuid4())
    elif case == "empty file":
        source.write_bytes(b"")
    else:
        provider_id = "acme"

    code = _run_cli("import", str(source), "--provider", provider_id)

    out, err = capsys.readouterr()
    assert code == 2
    assert "Traceback" not in out + err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("ila-register: ")
    expected = {
        "missing file": str(source),
        "unknown provider": provider_id,
        "empty file": "empty",
        "not a provider id": "acme",
    }[case]
    assert expected in lines[0]
    storage = cli_env / "cli-var" / "imports"
    assert not storage.exists() or list(storage.glob("*")) == []


def test_a_paused_job_whose_reader_was_closed_resumes_from_its_checkpoint(
    api: Api, runtime: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    _first_id, first = api.register_provider()
    _second_id, second = api.register_provider(kbo_number="0203.201.340")
    monkeypatch.setattr(import_services, "BATCH", 2)
    monkeypatch.setattr(import_services, "SLICE_SECONDS", 0.0)
    monkeypatch.setattr(import_services, "MAX_OPEN_READERS", 1)  # each turn closes the other job's reader
    jobs = [
        (first, _upload(api, first, _jsonl(_offers(7, "ONE"))).json()["id"]),
        (second, _upload(api, second, _jsonl(_offers(5, "TWO")), "application/x-ndjson").json()["id"]),
    ]

    turns = 0
    while runtime.imports.run_once():
        turns += 1

    assert turns == 7  # 4 turns of 2, 2, 2, 1 records and 3 of 2, 2, 1, alternating
    for token, job_id in jobs:
        job = _job(api, token, job_id)
        assert (job["status"], job["counts"]["rejected"], job["problems"]) == ("succeeded", 0, [])
        assert job["counts"]["created"] == job["records_total"]
    assert len(_statuses(api, first)) == 7
    assert len(_statuses(api, second)) == 5
