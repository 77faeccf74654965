"""A replace import withdraws only what a file that was read whole and understood leaves out; a
dry run says exactly what the real run would do; a withdrawal by import says so in the history."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path
from typing import Any

import msgspec
import pytest

from ila_register import cli
from ila_register.imports.csv_format import template
from ila_register.wiring import Services
from support import Api, example

NDJSON = "application/x-ndjson"


def _offers(count: int, prefix: str = "IMP") -> list[dict[str, Any]]:
    names = ["offer-training.json", "offer-guidance.json", "offer-validation.json"]
    return [example(names[i % 3]) | {"reference": f"{prefix}-{i + 1:03d}"} for i in range(count)]


def _jsonl(documents: list[dict[str, Any]]) -> bytes:
    return b"".join(msgspec.json.encode(d) + b"\n" for d in documents)


def _import(api: Api, runtime: Services, token: str, body: bytes, media_type: str = NDJSON, **params: Any) -> Any:
    answer = api.client.post(
        "/api/v1/imports", content=body, headers=api.auth(token) | {"Content-Type": media_type}, params=params
    )
    assert answer.status_code == 202, answer.text
    while runtime.imports.run_once():
        pass
    job = api.client.get(f"/api/v1/imports/{answer.json()['id']}", headers=api.auth(token)).json()
    assert job["status"] in {"succeeded", "failed"}, job
    return job


def _statuses(api: Api, token: str) -> dict[str, str]:
    items = api.client.get("/api/v1/offers", headers=api.auth(token), params={"limit": 200}).json()["items"]
    return {item["reference"]: item["status"] for item in items}


def _csv(references: list[str], *, title: str = "Boekhouding module {n}") -> str:
    """A CSV in the template's layout, one row per reference (';'-separated, CRLF, as Excel writes)."""
    header, row = list(csv.reader(io.StringIO(template()), delimiter=";"))[:2]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for n, reference in enumerate(references, start=1):
        values = dict(zip(header, row, strict=True)) | {"reference": reference, "title_nl": title.format(n=n)}
        writer.writerow([values[h] for h in header])
    return out.getvalue()


# -- 1. a file cut off part-way withdraws nothing ---------------------------------------------


def test_a_jsonl_file_cut_off_mid_record_withdraws_nothing_in_replace(api: Api, runtime: Services) -> None:
    _provider_id, token = api.register_provider()
    body = _jsonl(_offers(10))
    assert _import(api, runtime, token, body)["counts"]["created"] == 10

    job = _import(api, runtime, token, body[:-300], mode="replace")

    assert job["status"] == "failed", job
    assert job["counts"]["withdrawn"] == 0
    assert job["counts"]["unchanged"] == 9
    assert "Nothing was withdrawn" in job["error"]
    assert "line 10" in job["error"]
    assert set(_statuses(api, token).values()) == {"active"}


def test_an_unreadable_line_in_the_middle_withdraws_nothing_even_below_the_rejected_share(
    api: Api, runtime: Services
) -> None:
    _provider_id, token = api.register_provider()
    documents = _offers(20)
    assert _import(api, runtime, token, _jsonl(documents))["counts"]["created"] == 20
    lines = _jsonl(documents).splitlines(keepends=True)
    lines[4] = b'{"reference": "IMP-005", "kind": "training", \n'  # 1 of 20: below the 10 % share

    job = _import(api, runtime, token, b"".join(lines), mode="replace")

    assert job["status"] == "failed", job
    assert (job["counts"]["withdrawn"], job["counts"]["rejected"]) == (0, 1)
    assert "line 5" in job["error"]
    assert _statuses(api, token)["IMP-005"] == "active"


def test_a_valid_json_line_that_is_not_an_offer_object_is_not_understood(api: Api, runtime: Services) -> None:
    _provider_id, token = api.register_provider()
    documents = _offers(20)
    assert _import(api, runtime, token, _jsonl(documents))["counts"]["created"] == 20
    lines = _jsonl(documents).splitlines(keepends=True)
    lines[-1] = b'"IMP-020"\n'

    job = _import(api, runtime, token, b"".join(lines), mode="replace")

    assert (job["status"], job["counts"]["withdrawn"]) == ("failed", 0), job
    assert _statuses(api, token)["IMP-020"] == "active"


# -- 2. a CSV with an unclosed quote -----------------------------------------------------------


def test_a_csv_with_an_unclosed_quote_withdraws_nothing_and_names_the_line(api: Api, runtime: Services) -> None:
    _provider_id, token = api.register_provider()
    references = [f"IMP-{n:02d}" for n in range(1, 31)]
    whole = _csv(references)
    assert _import(api, runtime, token, whole.encode(), "text/csv")["counts"]["created"] == 30
    broken = whole.replace(";Boekhouding module 27;", ';"Boekhouding module 27;')
    assert broken != whole

    job = _import(api, runtime, token, broken.encode(), "text/csv", mode="replace")

    assert job["status"] == "failed", job
    assert (job["counts"]["withdrawn"], job["counts"]["unchanged"], job["counts"]["rejected"]) == (0, 26, 1)
    assert "line 28" in job["error"]  # IMP-27's row: the header is line 1
    assert "quote" in job["error"]
    assert set(_statuses(api, token).values()) == {"active"}
    problem = next(p for p in job["problems"] if p["severity"] == "error")
    assert problem["location"] == "line 28"


def test_a_quoted_field_with_line_breaks_and_separators_is_still_read(api: Api, runtime: Services) -> None:
    _provider_id, token = api.register_provider()
    text = _csv(["IMP-01", "IMP-02"]).replace(
        "Praktische opleiding dubbel boekhouden.", '"Dag 1: journaal; grootboek\r\nDag 2: btw; balans"', 1
    )

    job = _import(api, runtime, token, text.encode(), "text/csv", mode="replace")

    assert job["status"] == "succeeded", job
    assert (job["counts"]["created"], job["counts"]["rejected"]) == (2, 0)


# -- 3. a dry run reports what the real run does -------------------------------------------------


def _case(rng: random.Random, live: list[str]) -> list[dict[str, Any]]:
    """A replace file for a catalogue: some offers kept, changed, left out or broken, some new."""
    documents = []
    for reference in live:
        roll = rng.random()
        if roll < 0.15:
            continue  # left out: withdrawn
        document = _offers(1)[0] | {"reference": reference}
        if roll < 0.3:
            document["title"] = document["title"] | {"nl": f"Vernieuwd {rng.randint(1, 999)}"}
        elif roll < 0.33:
            document["mode"] = "hybrid"  # present but invalid
        documents.append(document)
    documents += [_offers(1, f"NEW{rng.randint(100, 999)}")[0] for _ in range(rng.randint(0, 2))]
    rng.shuffle(documents)
    return documents


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_a_replace_dry_run_reports_exactly_what_the_real_run_does(api: Api, runtime: Services, seed: int) -> None:
    _provider_id, token = api.register_provider()
    assert _import(api, runtime, token, _jsonl(_offers(12)))["counts"]["created"] == 12
    rng = random.Random(seed)  # noqa: S311 - generated test cases, not security
    for _round in range(2):
        live = sorted(r for r, status in _statuses(api, token).items() if status == "active")
        body = _jsonl(_case(rng, live))

        dry = _import(api, runtime, token, body, mode="replace", dry_run="true")
        real = _import(api, runtime, token, body, mode="replace")

        assert (dry["status"], dry["counts"]) == (real["status"], real["counts"]), (dry, real)
        assert dry["withdrawn_references"] == real["withdrawn_references"]
        assert len(real["withdrawn_references"]) == real["counts"]["withdrawn"]


def test_a_replace_dry_run_names_what_it_would_withdraw(api: Api, runtime: Services) -> None:
    _provider_id, token = api.register_provider()
    documents = _offers(10)
    assert _import(api, runtime, token, _jsonl(documents))["counts"]["created"] == 10

    dry = _import(api, runtime, token, _jsonl(documents[:9]), mode="replace", dry_run="true")

    assert dry["status"] == "succeeded"
    assert (dry["counts"]["unchanged"], dry["counts"]["withdrawn"]) == (9, 1)
    assert dry["withdrawn_references"] == ["IMP-010"]
    assert _statuses(api, token)["IMP-010"] == "active"  # a dry run writes nothing


def test_the_cli_dry_run_counts_what_a_replace_would_withdraw(
    api: Api, runtime: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ILA_DATABASE_URL", runtime.settings.database.url)
    monkeypatch.setenv("ILA_VAR_DIR", str(tmp_path / "cli-var"))
    provider_id, token = api.register_provider()
    documents = _offers(10)
    assert _import(api, runtime, token, _jsonl(documents))["counts"]["created"] == 10
    source = tmp_path / "catalogue.jsonl"
    source.write_bytes(_jsonl(documents[:9]))

    with pytest.raises(SystemExit) as exited:
        cli.main(["import", str(source), "--provider", provider_id, "--mode", "replace", "--dry-run"])

    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert "1 withdrawn" in out
    assert "IMP-010" in out
    assert _statuses(api, token)["IMP-010"] == "active"


# -- 7. the history says who withdrew and why ----------------------------------------------------


def test_a_withdrawal_by_a_replace_import_says_so_in_the_history(api: Api, runtime: Services) -> None:
    _provider_id, token = api.register_provider()
    documents = _offers(3)
    assert _import(api, runtime, token, _jsonl(documents))["counts"]["created"] == 3
    offer_id = next(
        i["id"]
        for i in api.client.get("/api/v1/offers", headers=api.auth(token)).json()["items"]
        if i["reference"] == "IMP-003"
    )

    job = _import(api, runtime, token, _jsonl(documents[:2]), mode="replace")
    assert job["counts"]["withdrawn"] == 1

    history = api.client.get(f"/api/v1/offers/{offer_id}/history", headers=api.auth(token)).json()
    withdrawal = history["versions"][-1]
    assert withdrawal["change"] == "withdrawn"
    assert job["id"] in withdrawal["reason"]
    assert "absent from the file" in withdrawal["reason"]
    for decision in (d for d in history["decisions"] if d["to_status"] == "withdrawn"):
        assert job["id"] in decision["reason"]
        assert "absent from the file" in decision["reason"]
    manual = api.submit(token, reference="BY-HAND")
    api.client.delete(f"/api/v1/offers/{manual['id']}", headers=api.auth(token))
    by_hand = api.client.get(f"/api/v1/offers/{manual['id']}/history", headers=api.auth(token)).json()
    assert "import" not in (by_hand["versions"][-1]["reason"] or "")


# -- 8. small things ---------------------------------------------------------------------------


def test_an_upsert_import_whose_every_record_is_rejected_fails(api: Api, runtime: Services) -> None:
    _provider_id, token = api.register_provider()
    documents = _offers(3)
    for document in documents:
        document["mode"] = "hybrid"

    job = _import(api, runtime, token, _jsonl(documents))

    assert job["status"] == "failed", job
    assert job["counts"]["rejected"] == 3
    assert "all 3 records were rejected" in job["error"]
    assert "Nothing was applied" in job["error"]


def test_an_administrator_import_without_provider_id_is_a_422_naming_it(api: Api, runtime: Services) -> None:
    answer = api.client.post(
        "/api/v1/imports", content=_jsonl(_offers(1)), headers=api.admin | {"Content-Type": NDJSON}
    )

    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert "provider_id" in answer.json()["detail"]
    assert [e["parameter"] for e in answer.json()["errors"]] == ["provider_id"]
