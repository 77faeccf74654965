"""Every free-text field of every request body is normalised the one way (NFC, trimmed): decisions,
suspension and label reasons, token labels, not only offers and providers."""

from __future__ import annotations

from ila_register.wiring import Services
from support import Api, example

CHEQUES = "be-vl-opleidingscheques"
PADDED = "\r\t\u00a0=1+3 cr \u00a0"  # leading CR, tab and NBSP, trailing NBSP: as the tester sent it


def test_decision_reasons_are_trimmed_as_every_text_is(api: Api, runtime: Services) -> None:
    _, token = api.register_provider()
    offer = api.submit(token)
    answer = api.client.post(
        f"/api/v1/offers/{offer['id']}/decisions",
        headers=api.admin | api.if_match(offer["id"]),
        json={"scheme": CHEQUES, "decision": "rejected", "reason": PADDED},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["reason"] == "=1+3 cr"
    csv = api.client.get("/api/v1/stats", params={"format": "csv", "table": "rejection-reasons"}, headers=api.admin)
    assert csv.status_code == 200, csv.text
    assert "'=1+3 cr" in csv.text  # a formula neutralised, nothing in front of it
    assert "\r=" not in csv.text
    assert "\u00a0" not in csv.text
    history = api.client.get(f"/api/v1/offers/{offer['id']}/history", headers=api.admin).json()
    assert "=1+3 cr" in [d.get("reason") for d in history["decisions"]]
    # A reason of white space only is no reason: refused, as an empty one is.
    blank = api.client.post(
        f"/api/v1/offers/{offer['id']}/decisions",
        headers=api.admin | api.if_match(offer["id"]),
        json={"scheme": CHEQUES, "decision": "in-review", "reason": " \u00a0\t"},
    )
    assert blank.status_code == 422, blank.text
    assert blank.json()["errors"][0]["pointer"] == "/reason"


def test_suspension_and_label_reasons_and_token_labels_are_trimmed(api: Api, runtime: Services) -> None:
    provider_id, token = api.register_provider(quality_labels=[])
    etag = api.client.get(f"/api/v1/providers/{provider_id}", headers=api.auth(token)).headers["etag"]
    proposed = api.client.put(
        f"/api/v1/providers/{provider_id}",
        json=example("provider.json") | {"quality_labels": [{"label": "iso-29993", "valid_until": "2099-12-31"}]},
        headers=api.auth(token, **{"If-Match": etag}),
    )
    assert proposed.status_code == 200, proposed.text
    decided = api.client.post(
        f"/api/v1/providers/{provider_id}/quality-labels/iso-29993/decision",
        json={"decision": "rejected", "reason": "\t Not issued by a known body\u00a0"},
        headers=api.admin,
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["quality_labels"][0]["reason"] == "Not issued by a known body"

    rotated = api.client.post(
        f"/api/v1/providers/{provider_id}/token", json={"label": " \u00a0laptop\r"}, headers=api.auth(token)
    )
    assert rotated.status_code in (200, 201), rotated.text
    labels = {str(t.id): t.label for t in runtime.tokens.list_tokens()}
    assert labels[rotated.json()["token_id"]] == "laptop"


def test_suspension_reasons_are_trimmed(api: Api, runtime: Services) -> None:
    provider_id, token = api.register_provider()
    offer = api.submit(token)
    decided = api.client.post(
        f"/api/v1/offers/{offer['id']}/decisions",
        headers=api.admin | api.if_match(offer["id"]),
        json={"scheme": CHEQUES, "decision": "eligible"},
    )
    assert decided.status_code == 200, decided.text
    suspended = api.client.post(
        f"/api/v1/providers/{provider_id}/status",
        json={"status": "suspended", "reason": "\u00a0\tAudit findings \r"},
        headers=api.admin,
    )
    assert suspended.status_code == 200, suspended.text
    history = api.client.get(f"/api/v1/offers/{offer['id']}/history", headers=api.admin).json()
    by = [d["actor"] for d in history["decisions"] if d["to_status"] == "suspended"]
    assert by
    assert all(who.endswith("(Audit findings)") for who in by), by
