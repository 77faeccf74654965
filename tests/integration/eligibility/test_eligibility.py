"""Eligibility in the running register: review, four eyes, expiry, suspension, schemes as data."""

from __future__ import annotations

import csv
import io
import shutil
import uuid
from datetime import timedelta
from pathlib import Path

import msgspec
from litestar.testing import TestClient

from ila_register.app import create_app
from ila_register.demo.seed import seed_demo
from ila_register.platform.schedule import Job, Scheduler
from ila_register.search.interface import SearchQuery
from ila_register.wiring import Services
from support import ROOT, Api, FakeClock, example


def _decide(
    api: Api, offer_id: str, scheme: str, decision: str, token: str | None = None, reason: str | None = None
) -> dict:
    body = {"scheme": scheme, "decision": decision} | ({"reason": reason} if reason else {})
    answer = api.client.post(
        f"/api/v1/offers/{offer_id}/decisions",
        json=body,
        headers=(api.auth(token) if token else api.admin) | api.if_match(offer_id),
    )
    return {"status_code": answer.status_code, **answer.json()}


def _statuses(api: Api, offer_id: str, token: str) -> dict[str, str]:
    offer = api.client.get(f"/api/v1/offers/{offer_id}", headers=api.auth(token)).json()
    return {e["scheme"]: e["status"] for e in offer["eligibility"]}


def test_rule_results_are_shown_in_four_languages(api: Api) -> None:
    _, token = api.register_provider()
    offer = api.submit(token, duration_hours=20)  # below the 32 hours of opleidingsverlof
    eligibility = {e["scheme"]: e for e in offer["eligibility"]}
    leave = eligibility["be-vl-opleidingsverlof"]
    assert leave["status"] == "rejected"
    failed = next(r for r in leave["rules"] if r["outcome"] == "failed")
    assert failed["rule"] == "minimum-hours"
    assert failed["explanation"]["nl"] == "Het aanbod omvat minstens 32 uur."
    assert set(failed["explanation"]) == {"nl", "fr", "de", "en"}
    assert failed["illustrative"] is True
    assert eligibility["be-vl-opleidingscheques"]["status"] == "in-review"


def test_only_relevant_changes_send_an_offer_back_to_review(api: Api) -> None:
    _, token = api.register_provider()
    offer = api.submit(token)
    _decide(api, offer["id"], "be-vl-opleidingscheques", "eligible")
    _decide(api, offer["id"], "be-vl-opleidingsverlof", "eligible")
    etag = api.client.get(f"/api/v1/offers/{offer['id']}", headers=api.auth(token)).headers["etag"]
    typo = example("offer-training.json")
    typo["description"]["nl"] = typo["description"]["nl"].replace("Praktische", "Praktijkgerichte")
    answer = api.client.put(f"/api/v1/offers/{offer['id']}", json=typo, headers=api.auth(token, **{"If-Match": etag}))
    assert set(_statuses(api, offer["id"], token).values()) == {"eligible"}
    longer = typo | {"duration_hours": 64}
    api.client.put(
        f"/api/v1/offers/{offer['id']}", json=longer, headers=api.auth(token, **{"If-Match": answer.headers["etag"]})
    )
    assert set(_statuses(api, offer["id"], token).values()) == {"in-review"}
    history = api.client.get(f"/api/v1/offers/{offer['id']}/history", headers=api.auth(token)).json()
    decision = next(d for d in history["decisions"] if d["to_status"] == "eligible")
    assert decision["actor"].startswith("admin:")
    assert "minimum-hours@1" in decision["rules_version"]


def test_who_may_decide_and_rejected_offers_stay_out_of_search(api: Api, runtime: Services) -> None:
    _, token = api.register_provider()
    offer = api.submit(token)
    assert _decide(api, offer["id"], "be-vl-opleidingscheques", "eligible", token=token)["status_code"] == 403
    assert _decide(api, offer["id"], "be-vl-opleidingscheques", "rejected")["status_code"] == 422  # no reason
    rejected = _decide(api, offer["id"], "be-vl-opleidingscheques", "rejected", reason="Hobby course")
    assert (rejected["status_code"], rejected["status"], rejected["reason"]) == (200, "rejected", "Hobby course")
    assert _decide(api, offer["id"], "be-vl-opleidingscheques", "eligible")["status_code"] == 409
    runtime.sync.drain()
    assert runtime.index.search(SearchQuery(text="boekhouding")).total == 0
    assert _decide(api, str(uuid.uuid4()), "be-vl-opleidingscheques", "eligible")["status_code"] == 404
    assert _decide(api, offer["id"], "be-vl-evc", "eligible")["status_code"] == 404  # not requested


def test_four_eyes_scheme_needs_two_reviewers(api: Api, runtime: Services) -> None:
    _, token = api.register_provider()
    offer = api.submit(
        token,
        schemes_requested=["be-vl-kmo-portefeuille"],
        duration_hours=60,
        price={"amount": "495.00", "currency": "EUR"},
    )
    first, second = runtime.tokens.issue("reviewer").token, runtime.tokens.issue("reviewer").token
    proposal = _decide(api, offer["id"], "be-vl-kmo-portefeuille", "eligible", token=first)
    assert proposal["status"] == "awaiting-confirmation"
    assert _decide(api, offer["id"], "be-vl-kmo-portefeuille", "eligible", token=first)["status_code"] == 409
    queue = api.client.get("/api/v1/reviews", params={"mine_to_confirm": "true"}, headers=api.auth(first)).json()
    assert queue["items"] == []
    queue = api.client.get("/api/v1/reviews", params={"mine_to_confirm": "true"}, headers=api.auth(second)).json()
    assert [(i["scheme"], i["proposed_decision"]) for i in queue["items"]] == [("be-vl-kmo-portefeuille", "eligible")]
    confirmed = _decide(api, offer["id"], "be-vl-kmo-portefeuille", "eligible", token=second)
    assert confirmed["status"] == "eligible"


def test_eligibility_expires_after_the_review_period(api: Api, runtime: Services, clock: FakeClock) -> None:
    # A label valid beyond the review period, so that only the period ends.
    _, token = api.register_provider(quality_labels=[{"label": "iso-29993", "valid_until": "2031-12-31"}])
    offer = api.submit(token)
    decided = _decide(api, offer["id"], "be-vl-opleidingscheques", "eligible")
    assert decided["valid_until"] == "2028-11-22"  # 730 days
    runtime.sync.drain()
    assert runtime.index.search(SearchQuery(text="boekhouding")).total == 1
    clock.advance(days=729)
    assert runtime.eligibility.expire().expired == 0
    clock.advance(days=2)
    assert runtime.eligibility.expire().expired == 1
    assert _statuses(api, offer["id"], token)["be-vl-opleidingscheques"] == "expired"
    runtime.sync.drain()
    assert runtime.index.search(SearchQuery(text="boekhouding")).total == 0


def test_an_expired_quality_label_suspends_and_a_new_one_restores(
    api: Api, runtime: Services, clock: FakeClock
) -> None:
    provider_id, token = api.register_provider()  # its iso-29993 label is valid until 2028-06-30
    offer = api.submit(token)
    _decide(api, offer["id"], "be-vl-opleidingscheques", "eligible")
    clock.advance(days=600)  # 2028-07-16: the label has lapsed, the eligibility has not
    report = runtime.eligibility.expire()
    assert report.suspended_or_restored == 2  # both Flemish schemes need the label
    assert _statuses(api, offer["id"], token) == {
        "be-vl-opleidingscheques": "suspended",
        "be-vl-opleidingsverlof": "suspended",
    }
    read = api.client.get(f"/api/v1/providers/{provider_id}", headers=api.auth(token))
    renewed = example("provider.json") | {"quality_labels": [{"label": "iso-29993", "valid_until": "2031-06-30"}]}
    api.client.put(
        f"/api/v1/providers/{provider_id}", json=renewed, headers=api.auth(token, **{"If-Match": read.headers["etag"]})
    )
    # The provider's renewal is a claim: it counts once a reviewer confirms it (issue 13, item 3).
    assert set(_statuses(api, offer["id"], token).values()) == {"suspended"}
    confirmed = api.client.post(
        f"/api/v1/providers/{provider_id}/quality-labels/iso-29993/decision",
        json={"decision": "confirmed"},
        headers=api.admin,
    )
    assert confirmed.status_code == 200, confirmed.text
    assert set(_statuses(api, offer["id"], token).values()) == {"in-review"}


def test_suspending_a_provider_removes_its_offers_from_search(api: Api, runtime: Services) -> None:
    provider_id, token = api.register_provider()
    offer = api.submit(token)
    _decide(api, offer["id"], "be-vl-opleidingscheques", "eligible")
    runtime.sync.drain()
    assert runtime.index.search(SearchQuery(text="boekhouding")).total == 1
    answer = api.client.post(
        f"/api/v1/providers/{provider_id}/status",
        headers=api.admin,
        json={"status": "suspended", "reason": "Audit findings"},
    )
    assert answer.json()["status"] == "suspended"
    runtime.sync.drain()
    assert runtime.index.search(SearchQuery(text="boekhouding")).total == 0
    assert (
        api.client.post("/api/v1/offers", json=example("offer-guidance.json"), headers=api.auth(token)).status_code
        == 403
    )
    api.client.post(
        f"/api/v1/providers/{provider_id}/status",
        headers=api.admin,
        json={"status": "active", "reason": "Audit closed"},
    )
    assert set(_statuses(api, offer["id"], token).values()) == {"in-review"}
    assert (
        api.client.post(
            f"/api/v1/providers/{provider_id}/status",
            headers=api.auth(token),
            json={"status": "active", "reason": "I am fine"},
        ).status_code
        == 403
    )


def test_scheduled_jobs_run_once_per_period_across_instances(runtime: Services, clock: FakeClock) -> None:
    runs: list[str] = []
    first = Scheduler(runtime.db, clock, [Job("count", timedelta(hours=1), lambda: runs.append("a"))])
    second = Scheduler(runtime.db, clock, [Job("count", timedelta(hours=1), lambda: runs.append("b"))])
    assert first.run_due() == ["count"]
    assert second.run_due() == []
    clock.advance(minutes=61)
    assert second.run_due() == ["count"]
    assert first.run_due() == []
    assert runs == ["a", "b"]


def test_entitlements(api: Api) -> None:
    answer = api.client.get("/api/v1/entitlements", params={"status": "jobseeker", "region": "BE2"})
    schemes = {e["scheme"]: e["kinds"] for e in answer.json()}
    assert schemes == {"be-vl-evc": ["validation"], "be-vl-opleidingstegoed": ["training"]}
    both = api.client.get(
        "/api/v1/entitlements", params=[("status", "employee"), ("status", "employer"), ("region", "BE1")]
    ).json()
    assert {e["scheme"] for e in both} == {
        "be-fed-opleidingsrecht",
        "be-bru-cheques-formation",
        "be-bru-conge-education-paye",
        "be-wal-bru-validation-competences",
    }
    bad = api.client.get("/api/v1/entitlements", params={"status": "pensioner"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["parameter"] == "status"


def test_schemes_are_published_with_rules_and_history(api: Api) -> None:
    schemes = api.client.get("/api/v1/schemes").json()
    assert len(schemes) == 14
    cheques = api.client.get("/api/v1/schemes/be-vl-opleidingscheques").json()
    assert cheques["name"]["fr"] == "Chèques-formation pour travailleurs (Flandre)"
    hours = next(r for r in cheques["rules"] if r["type"] == "min-hours")
    assert hours["explanation"]["en"] == "The offer comprises at least 4 hours."
    assert hours["illustrative"] is True
    assert cheques["history"]
    assert api.client.get("/api/v1/schemes/nope").status_code == 404


def test_a_scheme_is_added_and_a_threshold_changed_by_data_only(
    database_url: str, tmp_path: Path, clock: FakeClock
) -> None:
    from conftest import make_settings

    vocab = tmp_path / "vocab"
    shutil.copytree(ROOT / "vocab", vocab)
    leave = vocab / "schemes" / "be-vl-opleidingsverlof.toml"
    leave.write_text(leave.read_text().replace("hours = 32", "hours = 80"))
    new_scheme = (vocab / "schemes" / "be-fed-opleidingsrecht.toml").read_text()
    new_scheme = new_scheme.replace('id = "be-fed-opleidingsrecht"', 'id = "be-fed-tijdskrediet-opleiding"')
    (vocab / "schemes" / "be-fed-tijdskrediet-opleiding.toml").write_text(
        new_scheme.replace('nl = "Federaal individueel opleidingsrecht"', 'nl = "Tijdskrediet voor opleiding"')
    )
    settings = msgspec.structs.replace(make_settings(database_url, tmp_path), vocab_dir=vocab)
    runtime = Services.build(settings, clock=clock, migrate=False)
    try:
        with TestClient(create_app(settings, services=runtime)) as client:
            api = Api(client)
            _, token = api.register_provider()
            offer = api.submit(token, schemes_requested=["be-fed-tijdskrediet-opleiding", "be-vl-opleidingsverlof"])
            statuses = {e["scheme"]: e["status"] for e in offer["eligibility"]}
            assert statuses == {"be-fed-tijdskrediet-opleiding": "in-review", "be-vl-opleidingsverlof": "rejected"}
            assert client.get("/api/v1/schemes/be-fed-tijdskrediet-opleiding").json()["name"]["nl"] == (
                "Tijdskrediet voor opleiding"
            )
    finally:
        from conftest import _empty_tables

        _empty_tables(runtime)
        runtime.close()


def test_review_queue_order_filters_and_paging(api: Api, clock: FakeClock) -> None:
    _, token = api.register_provider()
    for number in range(3):
        api.submit(token, reference=f"Q-{number}")
        clock.advance(hours=1)
    api.submit(token, "offer-guidance.json")
    first = api.client.get("/api/v1/reviews", params={"limit": 4}, headers=api.admin).json()
    assert [(i["reference"], i["scheme"]) for i in first["items"]][:2] == [
        ("Q-0", "be-vl-opleidingscheques"),
        ("Q-0", "be-vl-opleidingsverlof"),
    ]
    rest = api.client.get(
        "/api/v1/reviews", params={"limit": 4, "cursor": first["next_cursor"]}, headers=api.admin
    ).json()
    assert len(first["items"]) + len(rest["items"]) == 7
    assert rest.get("next_cursor") is None
    guidance = api.client.get("/api/v1/reviews", params={"kind": "guidance"}, headers=api.admin).json()["items"]
    assert [i["scheme"] for i in guidance] == ["be-vl-loopbaancheques"]
    assert guidance[0]["rules"] == {"passed": 5, "failed": 0, "needs-review": 1}
    assert api.client.get("/api/v1/reviews", headers=api.auth(token)).status_code == 403


def test_stats_on_the_demo_data(runtime: Services, settings: object) -> None:
    summary = seed_demo(runtime.settings, show_progress=False)
    assert summary.offers >= 200
    with TestClient(create_app(runtime.settings, services=runtime)) as client:
        api = Api(client)
        stats = client.get("/api/v1/stats", headers=api.admin).json()
        assert stats["totals"]["offers_active"] == summary.offers
        by_status: dict[str, int] = {}
        for row in stats["offers"]:
            by_status[row["status"]] = by_status.get(row["status"], 0) + row["offers"]
        assert {"eligible", "rejected", "in-review"} <= set(by_status)
        overall = stats["time_to_decision"][0]
        assert overall["scheme"] == "*"
        assert 2 <= overall["median_days"] <= overall["p90_days"] <= 29
        assert sum(b["decisions"] for b in stats["time_to_decision_distribution"]) == overall["decisions"]
        assert stats["rejection_reasons"][0]["count"] >= stats["rejection_reasons"][-1]["count"]
        assert sum(m["submissions"] for m in stats["activity"]) >= summary.offers
        table = client.get("/api/v1/stats", params={"format": "csv", "table": "offers"}, headers=api.admin)
        assert table.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(table.text)))
        assert sum(int(r["offers"]) for r in rows) == sum(r["offers"] for r in stats["offers"])
        assert client.get("/api/v1/stats").status_code == 401
