"""Bulk imports: three formats, idempotent upserts, replace mode, dry runs, per-record reports, crash safety."""

from __future__ import annotations

import codecs
import csv
import io
import uuid
from pathlib import Path
from typing import Any

import msgspec
import pytest
from lxml import etree
from sqlalchemy import func, select

from ila_register import cli
from ila_register.db.models import ImportJob, OfferRecord, OfferVersion, OutboxEvent
from ila_register.imports import services as import_services
from ila_register.imports.csv_format import template
from ila_register.wiring import Services
from support import ADMIN_TOKEN, ROOT, Api, FakeClock, example

SAMPLES = ROOT.parent / "shared" / "elm" / "samples"
NDJSON = "application/x-ndjson"


def _offers(count: int = 3) -> list[dict[str, Any]]:
    names = ["offer-training.json", "offer-guidance.json", "offer-validation.json"]
    return [example(names[i % 3]) | {"reference": f"IMP-{i + 1:03d}"} for i in range(count)]


def _jsonl(documents: list[dict[str, Any]]) -> bytes:
    return b"".join(msgspec.json.encode(d) + b"\n" for d in documents)


def _upload(api: Api, token: str, body: bytes, media_type: str = NDJSON, **params: Any) -> Any:
    headers = api.auth(token) | {"Content-Type": media_type}
    return api.client.post("/api/v1/imports", content=body, headers=headers, params=params)


def _import(api: Api, runtime: Services, token: str, body: bytes, media_type: str = NDJSON, **params: Any) -> Any:
    """Upload, let the worker run the job, and return the finished job as the API shows it."""
    answer = _upload(api, token, body, media_type, **params)
    assert answer.status_code == 202, answer.text
    assert answer.headers["location"] == f"/api/v1/imports/{answer.json()['id']}"
    assert answer.json()["status"] == "queued"
    assert runtime.imports.run_once() == 1
    job = api.client.get(answer.headers["location"], headers=api.auth(token)).json()
    assert job["status"] in {"succeeded", "failed"}, job
    return job


def _count(runtime: Services, model: type, *where: Any) -> int:
    with runtime.db.read() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def _mine(api: Api, token: str) -> dict[str, dict[str, Any]]:
    items = api.client.get("/api/v1/offers", headers=api.auth(token), params={"limit": 100}).json()["items"]
    return {item["reference"]: item for item in items}


def test_jsonl_creates_offers_exactly_as_single_submissions_do(api: Api, runtime: Services) -> None:
    _single_id, single_token = api.register_provider(kbo_number="0203.201.340")
    single = api.submit(single_token)
    _provider_id, token = api.register_provider()
    job = _import(api, runtime, token, _jsonl(_offers(3)))

    assert job["counts"] == {"created": 3, "updated": 0, "unchanged": 0, "withdrawn": 0, "rejected": 0}
    assert (job["records_done"], job["records_total"], job["problems"]) == (3, 3, [])
    offers = _mine(api, token)
    assert set(offers) == {"IMP-001", "IMP-002", "IMP-003"}
    # the same pre-check as a single submission: same schemes, same automatic outcome per scheme
    imported = offers["IMP-001"]
    assert [(e["scheme"], e["status"]) for e in imported["eligibility"]] == [
        (e["scheme"], e["status"]) for e in single["eligibility"]
    ]
    assert _count(runtime, OutboxEvent, OutboxEvent.offer_id == uuid.UUID(imported["id"])) >= 1
    runtime.drain()
    hits = api.client.get("/api/v1/search", params={"q": "boekhouding"}).json()
    assert hits["total"] == 0  # in review: not searchable until a reviewer decides, like any offer
    history = api.client.get(f"/api/v1/offers/{imported['id']}/history", headers=api.auth(token)).json()
    assert [v["change"] for v in history["versions"]] == ["created"]


def test_importing_the_same_file_twice_changes_nothing(api: Api, runtime: Services) -> None:
    _provider_id, token = api.register_provider()
    body = _jsonl(_offers(3))
    _import(api, runtime, token, body)
    versions, events = _count(runtime, OfferVersion), _count(runtime, OutboxEvent)

    again = _import(api, runtime, token, body)

    assert again["counts"] == {"created": 0, "updated": 0, "unchanged": 3, "withdrawn": 0, "rejected": 0}
    assert (_count(runtime, OfferVersion), _count(runtime, OutboxEvent)) == (versions, events)
    assert {o["version"] for o in _mine(api, token).values()} == {1}


def test_a_changed_record_becomes_a_new_version_of_that_offer_only(api: Api, runtime: Services) -> None:
    _provider_id, token = api.register_provider()
    documents = _offers(3)
    _import(api, runtime, token, _jsonl(documents))
    documents[1]["title"] = documents[1]["title"] | {"en": "Career guidance, renewed"}

    job = _import(api, runtime, token, _jsonl(documents))

    assert job["counts"] == {"created": 0, "updated": 1, "unchanged": 2, "withdrawn": 0, "rejected": 0}
    offers = _mine(api, token)
    assert (offers["IMP-001"]["version"], offers["IMP-002"]["version"]) == (1, 2)
    history = api.client.get(f"/api/v1/offers/{offers['IMP-002']['id']}/history", headers=api.auth(token)).json()
    assert history["versions"][-1]["changed_fields"] == ["title"]


def test_replace_mode_withdraws_what_the_file_no_longer_contains(api: Api, runtime: Services) -> None:
    _provider_id, token = api.register_provider()
    _other_id, other_token = api.register_provider(kbo_number="0203.201.340")
    api.submit(other_token)
    documents = _offers(3)
    _import(api, runtime, token, _jsonl(documents))

    upsert = _import(api, runtime, token, _jsonl(documents[:2]))
    assert upsert["counts"]["withdrawn"] == 0
    replace = _import(api, runtime, token, _jsonl(documents[:2]), mode="replace")

    assert replace["counts"] == {"created": 0, "updated": 0, "unchanged": 2, "withdrawn": 1, "rejected": 0}
    assert {r: o["status"] for r, o in _mine(api, token).items()} == {
        "IMP-001": "active",
        "IMP-002": "active",
        "IMP-003": "withdrawn",
    }
    assert [o["status"] for o in _mine(api, other_token).values()] == ["active"]  # another provider's stay
    back = _import(api, runtime, token, _jsonl(documents), mode="replace")
    assert back["counts"] == {"created": 0, "updated": 1, "unchanged": 2, "withdrawn": 0, "rejected": 0}
    assert _mine(api, token)["IMP-003"]["status"] == "active"


def test_a_dry_run_validates_everything_and_writes_nothing(api: Api, runtime: Services) -> None:
    _provider_id, token = api.register_provider()
    documents = _offers(3)
    documents[2]["mode"] = "hybrid"

    job = _import(api, runtime, token, _jsonl(documents), dry_run="true")

    assert job["dry_run"] is True
    assert job["counts"] == {"created": 2, "updated": 0, "unchanged": 0, "withdrawn": 0, "rejected": 1}
    assert [(p["record"], p["pointer"]) for p in job["problems"]] == [(3, "/mode")]
    assert (_count(runtime, OfferRecord), _count(runtime, OfferVersion), _count(runtime, OutboxEvent)) == (0, 0, 0)


def test_every_rejected_record_is_reported_with_its_line_and_pointer(api: Api, runtime: Services) -> None:
    _provider_id, token = api.register_provider()
    good, bad_mode, bad_session = _offers(3)
    bad_mode["mode"] = "hybrid"
    bad_session["sessions"][0]["end"] = "2020-01-01"
    body = b"\n".join(
        [
            msgspec.json.encode(good),
            b"",  # blank lines are skipped, not records
            b'{"reference": "BROKEN", "title": ',
            msgspec.json.encode(bad_mode),
            msgspec.json.encode(bad_session),
            b"\xff\xfe not utf-8",
            b"[1, 2, 3]",
        ]
    )

    job = _import(api, runtime, token, body)

    assert job["status"] == "succeeded"
    assert job["counts"]["created"] == 1
    assert job["counts"]["rejected"] == 5
    by_record = {(p["record"], p["location"]): p for p in job["problems"]}
    assert by_record[(2, "line 3")]["detail"].startswith("not valid JSON")
    assert by_record[(3, "line 4")]["pointer"] == "/mode"
    assert "hybrid" in by_record[(3, "line 4")]["detail"]
    assert by_record[(3, "line 4")]["reference"] == "IMP-002"
    assert by_record[(4, "line 5")]["pointer"] == "/sessions/0/end"
    assert "UTF-8" in by_record[(5, "line 6")]["detail"]
    assert (6, "line 7") in by_record
    assert all(p["type"] == "/problems/invalid-document" for p in job["problems"])
    assert set(_mine(api, token)) == {"IMP-001"}


def test_problems_are_kept_up_to_a_cap_per_job_and_counts_stay_exact(
    api: Api, runtime: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    _provider_id, token = api.register_provider()
    monkeypatch.setattr(import_services, "MAX_PROBLEMS_PER_JOB", 3)
    bad = [d | {"mode": "hybrid"} for d in _offers(5)]

    first = _import(api, runtime, token, _jsonl(bad))
    second = _import(api, runtime, token, _jsonl(bad))

    for job in (first, second):  # each job keeps its own first problems
        assert job["counts"]["rejected"] == 5
        assert [p["record"] for p in job["problems"]] == [1, 2, 3]


def test_a_reference_twice_in_one_file_keeps_the_later_record(api: Api, runtime: Services) -> None:
    _provider_id, token = api.register_provider()
    first, second = _offers(1)[0], _offers(1)[0]
    second["title"] = second["title"] | {"en": "The later one"}

    job = _import(api, runtime, token, _jsonl([first, second]))

    assert job["counts"]["created"] == 1
    assert job["counts"]["unchanged"] == 1
    offer = _mine(api, token)["IMP-001"]
    assert offer["title"]["en"] == "The later one"
    assert offer["version"] == 1


def _csv_rows(rows: list[dict[str, str]], separator: str = ";") -> str:
    header = next(csv.reader(io.StringIO(template()), delimiter=";"))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator)
    writer.writerow(header)
    writer.writerows([row.get(column, "") for column in header] for row in rows)
    return out.getvalue()


def _template_row() -> dict[str, str]:
    header, row = list(csv.reader(io.StringIO(template()), delimiter=";"))[:2]
    return dict(zip(header, row, strict=True))


def test_csv_from_a_belgian_spreadsheet(api: Api, runtime: Services) -> None:
    _provider_id, token = api.register_provider()
    offer = {
        "reference": "CSV-1",
        "kind": "training",
        "title_nl": "Lassen voor beginners",
        "title_fr": "Soudure pour débutants",
        "description_nl": "Basistechnieken MIG/MAG-lassen in een echte werkplaats.",
        "default_language": "nl",
        "languages": "nl|fr",
        "homepage": "https://kustacademie.example.be/lassen",
        "learning_opportunity_type": "course",
        "mode": "presential",
        "outcomes_nl": "Last een hoeknaad|Leest een lasplan",
        "outcomes_fr": "Soude un angle|Lit un plan de soudure",
        "duration_hours": "40,5",
        "price_amount": "1.250,00",
        "price_currency": "EUR",
        "schemes_requested": "be-vl-opleidingscheques",
        "session_postcode": "8400",
        "session_municipality": "Oostende",
        "session_country": "BE",
        "session_online": "nee",
    }
    rows = [
        offer | {"session_start": "01/03/2027", "session_end": "30/04/2027"},
        offer | {"session_start": "2027-09-01", "session_end": "2027-10-31", "session_capacity": "12"},
    ]
    body = codecs.BOM_UTF8 + _csv_rows(rows).encode()

    job = _import(api, runtime, token, body, "text/csv")

    assert job["counts"]["created"] == 1, job["problems"]
    created = _mine(api, token)["CSV-1"]
    assert created["duration_hours"] == 40.5
    assert created["price"] == {"amount": "1250.00", "currency": "EUR"}
    assert [s["start"] for s in created["sessions"]] == ["2027-03-01", "2027-09-01"]
    assert created["learning_outcomes"][1] == {"nl": "Leest een lasplan", "fr": "Lit un plan de soudure"}


def test_csv_with_commas_and_the_template_row(api: Api, runtime: Services) -> None:
    _provider_id, token = api.register_provider()
    answer = api.client.get("/api/v1/imports/template.csv")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    assert answer.text == template()
    assert "title_nl;" in answer.text
    as_commas = _csv_rows([_template_row()], separator=",")

    job = _import(api, runtime, token, as_commas.encode(), "text/csv")

    assert job["counts"]["created"] == 1, job["problems"]


def test_csv_problems_name_the_line_and_the_field(api: Api, runtime: Services) -> None:
    _provider_id, token = api.register_provider()
    body = _csv_rows(
        [_template_row() | {"reference": "BAD", "duration_hours": "veertig", "session_start": "31/02/2027"}]
    )

    job = _import(api, runtime, token, body.encode(), "text/csv")

    assert job["counts"]["rejected"] == 1
    details = {p["pointer"]: p["detail"] for p in job["problems"]}
    assert "'veertig' is not a number" in details["/duration_hours"]
    assert "/sessions/0/start" in details
    assert {p["location"] for p in job["problems"]} == {"line 2"}


def test_the_file_as_a_multipart_form_field(api: Api, runtime: Services) -> None:
    _provider_id, token = api.register_provider()
    answer = api.client.post(
        "/api/v1/imports",
        files={"file": ("catalogue.jsonl", _jsonl(_offers(2)), "application/octet-stream")},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 202, answer.text
    runtime.imports.run_once()
    job = api.client.get(f"/api/v1/imports/{answer.json()['id']}", headers=api.auth(token)).json()
    assert (job["format"], job["counts"]["created"]) == ("jsonl", 2)


def _fixed_sample(path: Path) -> bytes:
    """The Commission sample with the values its generator made up made real (languages, hours, place, price, dates)."""
    tree = etree.parse(str(path))
    ns = {"l": "http://data.europa.eu/snb/model/ap/loq-constraints/"}
    for language in tree.iterfind(".//l:language", ns):
        language.set("uri", "http://publications.europa.eu/resource/authority/language/NLD")
    for language in tree.iterfind(".//l:defaultLanguage", ns):
        language.set("uri", "http://publications.europa.eu/resource/authority/language/NLD")
    for volume in tree.iterfind(".//l:volumeOfLearning", ns):
        volume.text = "PT40H"
    for address in tree.iterfind(".//l:location/l:address/l:fullAddress/l:noteLiteral", ns):
        address.text = "Vindictivelaan 1, 8400 Oostende"
    for amount in tree.iterfind(".//l:learningOpportunity/l:priceDetail/l:amount", ns):
        amount.find("l:value", ns).text = "495.00"  # type: ignore[union-attr]
        amount.find("l:unit", ns).set("uri", "http://publications.europa.eu/resource/authority/currency/EUR")  # type: ignore[union-attr]
    for opportunity in tree.iterfind(".//l:learningOpportunity", ns):
        for name, value in (("startDate", "2027-02-01T09:00:00"), ("endDate", "2027-05-31T17:00:00")):
            for found in opportunity.iterfind(f"l:temporal/l:{name}", ns):
                found.text = value
        for deadline in opportunity.iterfind("l:applicationDeadline", ns):
            deadline.text = "2027-01-20T23:59:59"
    return bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))


@pytest.mark.parametrize("sample", ["loq-sample.xml", "loq-sample-with-las.xml"])
def test_the_commission_loq_samples_import_with_a_report_per_record(api: Api, runtime: Services, sample: str) -> None:
    _provider_id, token = api.register_provider()
    job = _import(api, runtime, token, (SAMPLES / sample).read_bytes(), "application/xml")

    # The file is read whole; its generated values fall outside the register's published lists,
    # so every record is rejected and the job fails saying that nothing was applied. LOP-02 is part
    # of LOP-01 (isPartOf, the same specification): one of its sessions, not an offer of its own.
    assert (job["status"], job["format"], job["records_total"]) == ("failed", "xml", 1)
    assert job["counts"]["rejected"] == 1
    assert "Nothing was applied: its one record was rejected" in job["error"]
    for record in (1,):
        mine = [p for p in job["problems"] if p["record"] == record]
        assert mine[0]["location"].startswith(f"/Courses/learningOpportunityReferences/learningOpportunity[{record}]")
        errors = {p["pointer"]: p["detail"] for p in mine if p["severity"] == "error"}
        # Every problem at once: the reader's findings do not hide the validator's (the generated
        # prices and dates, which _fixed_sample corrects below).
        read = {"/languages", "/duration_hours", "/sessions/0/location"}
        assert read < set(errors), errors
        validated = {"/price/amount", "/price/currency", "/sessions/0/end", "/sessions/0/enrolment_deadline"}
        validated |= {"/sessions/0/price/amount", "/sessions/0/price/currency"}  # LOP-02's own price
        assert set(errors) - read <= validated, errors
        assert "/api/v1/vocab/languages" in errors["/languages"]
        notes = [p["detail"] for p in mine if p["severity"] == "note"]
        assert any(n.startswith("ignored: ") and "bannerImage" in n for n in notes)
        assert any("grants are not read" in n for n in notes)

    fixed = _import(api, runtime, token, _fixed_sample(SAMPLES / sample), "application/xml")

    assert fixed["counts"]["created"] == 1, fixed["problems"]
    offers = _mine(api, token)
    assert len(offers) == 1
    offer = next(iter(offers.values()))
    assert [(s["start"], s["end"]) for s in offer["sessions"]] == [("2027-02-01", "2027-05-31")]  # LOP-02's
    notes = [p["detail"] for p in fixed["problems"] if p["severity"] == "note"]
    assert any(n.startswith("sessions: ") and "of part 1 not read" in n for n in notes), notes
    assert (offer["languages"], offer["duration_hours"]) == (["nl"], 40)
    assert offer["sessions"][0]["location"]["postcode"] == "8400"
    assert offer["learning_outcomes"], "outcomes come from the referenced specification"


def test_imports_belong_to_their_provider(api: Api, runtime: Services) -> None:
    provider_id, token = api.register_provider()
    other_id, other_token = api.register_provider(kbo_number="0203.201.340")
    job = _import(api, runtime, token, _jsonl(_offers(1)))

    assert api.client.get(f"/api/v1/imports/{job['id']}", headers=api.auth(other_token)).status_code == 404
    assert [j["id"] for j in api.client.get("/api/v1/imports", headers=api.auth(other_token)).json()] == []
    assert [j["id"] for j in api.client.get("/api/v1/imports", headers=api.auth(token)).json()] == [job["id"]]
    foreign = _upload(api, token, _jsonl(_offers(1)), provider_id=other_id)
    assert foreign.status_code == 404
    assert foreign.headers["content-type"] == "application/problem+json"
    assert api.client.post("/api/v1/imports", content=b"{}", headers={"Content-Type": NDJSON}).status_code == 401
    for_provider = _import(api, runtime, ADMIN_TOKEN, _jsonl(_offers(2)[1:]), provider_id=other_id)
    assert for_provider["provider_id"] == other_id
    assert set(_mine(api, other_token)) == {"IMP-002"}
    assert set(_mine(api, token)) == {"IMP-001"}
    admin_without_provider = _upload(api, ADMIN_TOKEN, _jsonl(_offers(1)))
    assert admin_without_provider.status_code == 422  # the administrator must name the provider
    assert admin_without_provider.json()["errors"][0]["parameter"] == "provider_id"
    assert provider_id != other_id


def test_unsupported_media_types_and_empty_forms_are_refused(api: Api, runtime: Services) -> None:
    _provider_id, token = api.register_provider()
    answer = _upload(api, token, b"%PDF-1.7", "application/pdf")
    assert answer.status_code == 415
    assert answer.headers["content-type"] == "application/problem+json"
    empty = api.client.post(
        "/api/v1/imports",
        files={"other": ("x.txt", b"hello", "text/plain")},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert empty.status_code == 422
    assert empty.json()["errors"][0]["parameter"] == "file"
    assert _count(runtime, ImportJob) == 0
    assert list(runtime.settings.imports.storage.glob("*")) == []


def test_a_suspended_provider_cannot_import(api: Api, runtime: Services) -> None:
    provider_id, token = api.register_provider()
    answer = _upload(api, token, _jsonl(_offers(2)))
    suspended = api.client.post(
        f"/api/v1/providers/{provider_id}/status",
        json={"status": "suspended", "reason": "Quality audit failed."},
        headers=api.admin,
    )
    assert suspended.status_code in {200, 201}, suspended.text
    runtime.imports.run_once()
    job = api.client.get(f"/api/v1/imports/{answer.json()['id']}", headers=api.admin).json()
    assert job["status"] == "failed"
    assert "suspended" in job["error"]
    assert (job["counts"]["created"], _count(runtime, OfferRecord)) == (0, 0)


# -- crash safety -------------------------------------------------------------------------------


def _accept(runtime: Services, provider_id: str, body: bytes, *, dry_run: bool = False) -> uuid.UUID:
    from ila_register.platform.auth import Principal

    admin = Principal(role="admin", token_id="test")
    job_id, path = runtime.imports.new_upload()
    path.write_bytes(body)
    return runtime.imports.accept(
        admin, uuid.UUID(provider_id), job_id, path, "jsonl", mode="upsert", dry_run=dry_run
    ).id


def _job(runtime: Services, job_id: uuid.UUID) -> ImportJob:
    with runtime.db.read() as session:
        job = session.get(ImportJob, job_id)
    assert job is not None
    return job


def test_a_crash_mid_import_leaves_whole_offers_and_the_job_resumes(
    api: Api, runtime: Services, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    provider_id, token = api.register_provider()
    monkeypatch.setattr(import_services, "BATCH", 2)
    job_id = _accept(runtime, provider_id, _jsonl(_offers(5)))
    real_assess = runtime.eligibility.assess_offer
    calls = {"n": 0}

    def dies_on_the_fourth_offer(*args: Any, **kwargs: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt  # stands for kill -9: nothing after this line runs
        real_assess(*args, **kwargs)

    monkeypatch.setattr(runtime.eligibility, "assess_offer", dies_on_the_fourth_offer)
    with pytest.raises(KeyboardInterrupt):
        runtime.imports.run_once()

    crashed = _job(runtime, job_id)
    assert (crashed.status, crashed.records_done, crashed.created) == ("running", 2, 2)
    assert _count(runtime, OfferRecord) == 2  # the batch holding the crash left nothing behind
    assert _count(runtime, OfferVersion) == 2
    assert runtime.imports.run_once() == 0  # another worker waits for the lease to expire

    clock.advance(seconds=61)
    assert runtime.imports.run_once() == 1

    resumed = _job(runtime, job_id)
    assert (resumed.status, resumed.records_done, resumed.created, resumed.rejected) == ("succeeded", 5, 5, 0)
    assert (_count(runtime, OfferRecord), _count(runtime, OfferVersion)) == (5, 5)
    assert {o["version"] for o in _mine(api, token).values()} == {1}


def test_a_job_that_cannot_go_on_is_failed_with_an_exact_account(
    api: Api, runtime: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    provider_id, _token = api.register_provider()
    monkeypatch.setattr(import_services, "BATCH", 2)
    job_id = _accept(runtime, provider_id, _jsonl(_offers(5)))
    real_upsert = runtime.offers.upsert_many
    batches = {"n": 0}

    def disk_fails_on_the_second_batch(*args: Any, **kwargs: Any) -> list[str]:
        batches["n"] += 1
        if batches["n"] == 2:
            raise OSError(28, "No space left on device")
        return real_upsert(*args, **kwargs)

    monkeypatch.setattr(runtime.offers, "upsert_many", disk_fails_on_the_second_batch)
    runtime.imports.run_once()

    job = _job(runtime, job_id)
    assert (job.status, job.records_done, job.created) == ("failed", 2, 2)
    assert job.error is not None
    assert "No space left on device" in job.error
    assert "Records 1-2 were applied" in job.error
    assert _count(runtime, OfferRecord) == 2
    assert not Path(job.path).exists()


# -- the command line ---------------------------------------------------------------------------


def test_the_cli_imports_with_progress(
    api: Api, runtime: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    provider_id, token = api.register_provider()
    source = tmp_path / "catalogue.jsonl"
    source.write_bytes(_jsonl(_offers(3)))
    monkeypatch.setenv("ILA_DATABASE_URL", runtime.settings.database.url)
    monkeypatch.setenv("ILA_VAR_DIR", str(tmp_path / "cli-var"))

    with pytest.raises(SystemExit) as dry:
        cli.main(["import", str(source), "--provider", provider_id, "--dry-run"])
    assert dry.value.code == 0
    assert "3 created" in capsys.readouterr().out
    assert _count(runtime, OfferRecord) == 0

    with pytest.raises(SystemExit) as done:
        cli.main(["import", str(source), "--provider", provider_id])
    out, err = capsys.readouterr()
    assert done.value.code == 0
    assert "succeeded: 3 created, 0 updated, 0 unchanged, 0 withdrawn, 0 rejected" in out
    assert "3/3 100%" in err  # the progress bar
    assert set(_mine(api, token)) == {"IMP-001", "IMP-002", "IMP-003"}


def test_a_record_with_every_kind_of_problem_lists_them_all(api: Api, runtime: Services) -> None:
    _provider_id, token = api.register_provider()
    broken = _offers(1)[0] | {"eqf_level": 11, "mode": "hybrid", "homepage": "javascript:alert(1)"}
    job = _import(api, runtime, token, _jsonl([broken]))
    assert job["counts"]["rejected"] == 1
    assert sorted(p["pointer"] for p in job["problems"]) == ["/eqf_level", "/homepage", "/mode"]


def test_a_dry_run_that_cannot_go_on_says_nothing_was_written(
    api: Api, runtime: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    provider_id, _token = api.register_provider()
    monkeypatch.setattr(import_services, "BATCH", 2)
    job_id = _accept(runtime, provider_id, _jsonl(_offers(5)), dry_run=True)
    real_batch = runtime.imports._batch
    batches = {"n": 0}

    def fails_on_the_second_batch(*args: Any, **kwargs: Any) -> int:
        batches["n"] += 1
        if batches["n"] == 2:
            raise OSError(28, "No space left on device")
        return real_batch(*args, **kwargs)

    monkeypatch.setattr(runtime.imports, "_batch", fails_on_the_second_batch)
    runtime.imports.run_once()

    job = _job(runtime, job_id)
    assert (job.status, job.records_done) == ("failed", 2)
    assert job.error is not None
    assert "were applied" not in job.error
    assert "Records 1-2 were checked" in job.error
    assert "a dry run writes nothing" in job.error
    assert _count(runtime, OfferRecord) == 0


def test_notes_beyond_the_cap_are_said_to_be_left_out(
    api: Api, runtime: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    _provider_id, token = api.register_provider()
    monkeypatch.setattr(import_services, "MAX_NOTES_PER_JOB", 4)
    body = (SAMPLES / "loq-sample.xml").read_bytes()

    job = _import(api, runtime, token, body, "application/xml")

    notes = [p for p in job["problems"] if p["severity"] == "note"]
    assert len(notes) == 5
    assert notes[-1]["detail"] == "notes: the import keeps 4 notes; those from this record on are not listed"
