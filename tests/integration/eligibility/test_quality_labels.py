"""Quality labels: a provider proposes, a reviewer or administrator confirms; rules see only confirmed ones."""

from __future__ import annotations

from typing import Any

from ila_register.wiring import Services
from support import ADMIN_TOKEN, Api, example

CHEQUES, LEAVE = "be-vl-opleidingscheques", "be-vl-opleidingsverlof"
SELF_DECLARED = {"label": "iso-29993", "valid_until": "2099-12-31"}


def _put_provider(api: Api, token: str, provider_id: str, document: dict[str, Any]) -> Any:
    etag = api.client.get(f"/api/v1/providers/{provider_id}", headers=api.auth(token)).headers["etag"]
    return api.client.put(
        f"/api/v1/providers/{provider_id}", json=document, headers=api.auth(token, **{"If-Match": etag})
    )


def _decide_label(api: Api, provider_id: str, token: str, decision: str, reason: str | None = None) -> Any:
    body = {"decision": decision} | ({"reason": reason} if reason else {})
    return api.client.post(
        f"/api/v1/providers/{provider_id}/quality-labels/iso-29993/decision", json=body, headers=api.auth(token)
    )


def _statuses(api: Api, offer_id: str, token: str) -> dict[str, str]:
    offer = api.client.get(f"/api/v1/offers/{offer_id}", headers=api.auth(token)).json()
    return {e["scheme"]: e["status"] for e in offer["eligibility"]}


def test_a_label_a_provider_declares_counts_for_nothing_until_a_reviewer_confirms_it(
    api: Api, runtime: Services
) -> None:
    provider_id, token = api.register_provider(quality_labels=[])
    answer = _put_provider(api, token, provider_id, example("provider.json") | {"quality_labels": [SELF_DECLARED]})
    assert answer.status_code == 200, answer.text
    assert [(q["label"], q["status"]) for q in answer.json()["quality_labels"]] == [("iso-29993", "proposed")]

    offer = api.submit(token)
    assert _statuses(api, offer["id"], token) == {CHEQUES: "rejected", LEAVE: "rejected"}
    cheques = next(e for e in offer["eligibility"] if e["scheme"] == CHEQUES)
    assert next(r for r in cheques["rules"] if r["rule"] == "quality-label")["outcome"] == "failed"

    assert _decide_label(api, provider_id, token, "confirmed").status_code == 403  # not by the provider itself
    reviewer = runtime.tokens.issue("reviewer").token
    confirmed = _decide_label(api, provider_id, reviewer, "confirmed")
    assert confirmed.status_code == 200, confirmed.text
    label = confirmed.json()["quality_labels"][0]
    assert (label["status"], label["decided_by"].startswith("reviewer:")) == ("confirmed", True)
    # The offers that waited on the label go through the normal path again: checked, then reviewed.
    assert _statuses(api, offer["id"], token) == {CHEQUES: "in-review", LEAVE: "in-review"}
    history = api.client.get(f"/api/v1/offers/{offer['id']}/history", headers=api.auth(token)).json()
    assert [d["to_status"] for d in history["decisions"] if d["scheme"] == CHEQUES][-3:] == [
        "submitted",
        "auto-checked",
        "in-review",
    ]
    shown = api.client.get(f"/api/v1/providers/{provider_id}", headers=api.auth(token)).json()
    assert shown["quality_labels"][0]["status"] == "confirmed"
    assert _decide_label(api, provider_id, reviewer, "rejected", "late").status_code == 409  # already decided


def test_the_contract_example_from_a_provider_is_a_proposal_and_a_rejected_one_counts_for_nothing(
    api: Api, runtime: Services
) -> None:
    provider_id, token = api.register_provider(quality_labels=[])
    answer = _put_provider(api, token, provider_id, example("provider.json"))
    assert answer.status_code == 200, answer.text
    assert answer.json()["quality_labels"][0]["status"] == "proposed"
    assert _decide_label(api, provider_id, ADMIN_TOKEN, "rejected").status_code == 422  # reason
    rejected = _decide_label(api, provider_id, ADMIN_TOKEN, "rejected", "No such certificate")
    assert rejected.status_code == 200, rejected.text
    assert (rejected.json()["quality_labels"][0]["status"], rejected.json()["quality_labels"][0]["reason"]) == (
        "rejected",
        "No such certificate",
    )
    offer = api.submit(token)
    assert _statuses(api, offer["id"], token)[CHEQUES] == "rejected"
    # Sending the same label again does not turn a rejection into a new proposal.
    again = _put_provider(api, token, provider_id, example("provider.json"))
    assert again.json()["quality_labels"][0]["status"] == "rejected"


def test_labels_an_administrator_registers_or_a_reviewer_sets_count_and_a_providers_edit_keeps_them(
    api: Api, runtime: Services
) -> None:
    provider_id, token = api.register_provider()  # the administrator registers it with iso-29993
    shown = api.client.get(f"/api/v1/providers/{provider_id}", headers=api.auth(token)).json()
    assert shown["quality_labels"][0]["status"] == "confirmed"
    # The provider edits its e-mail and sends its labels back unchanged: they stay confirmed.
    edited = _put_provider(
        api, token, provider_id, example("provider.json") | {"email": "info@kustacademie.example.be"}
    )
    assert edited.json()["quality_labels"][0]["status"] == "confirmed"
    # Changing the validity is a new claim: proposed again, and no longer counted.
    longer = example("provider.json") | {"quality_labels": [SELF_DECLARED]}
    assert _put_provider(api, token, provider_id, longer).json()["quality_labels"][0]["status"] == "proposed"
    offer = api.submit(token)
    assert _statuses(api, offer["id"], token)[CHEQUES] == "rejected"

    reviewer = runtime.tokens.issue("reviewer").token
    etag = api.client.get(f"/api/v1/providers/{provider_id}", headers=api.auth(reviewer)).headers["etag"]
    labels = {"quality_labels": [{"label": "qfor", "valid_until": "2030-01-31"}]}
    assert (
        api.client.put(
            f"/api/v1/providers/{provider_id}/quality-labels",
            json=labels,
            headers=api.auth(token, **{"If-Match": etag}),
        ).status_code
        == 403
    )
    answer = api.client.put(
        f"/api/v1/providers/{provider_id}/quality-labels", json=labels, headers=api.auth(reviewer, **{"If-Match": etag})
    )
    assert answer.status_code == 200, answer.text
    assert [(q["label"], q["status"]) for q in answer.json()["quality_labels"]] == [("qfor", "confirmed")]
    assert _statuses(api, offer["id"], token)[CHEQUES] == "in-review"


def test_a_provider_cannot_move_itself_to_another_country(api: Api) -> None:
    # The provider-country rule trusts the country: only an administrator changes it.
    foreign = example("provider-foreign.json")
    registered = api.client.post(
        "/api/v1/providers", json=foreign | {"vat_number": None, "euid": "FR7501.552100554"}, headers=api.admin
    )
    assert registered.status_code == 201, registered.text
    provider_id, token = registered.json()["id"], registered.json()["token"]
    address = foreign["address"] | {"country": "LU", "postcode": "1111", "municipality": "Luxembourg"}
    moved = foreign | {"vat_number": None, "euid": "FR7501.552100554", "country": "LU", "address": address}
    answer = _put_provider(api, token, provider_id, moved)
    assert answer.status_code == 409, answer.text
    assert "country" in answer.json()["detail"]
    etag = api.client.get(f"/api/v1/providers/{provider_id}", headers=api.admin).headers["etag"]
    by_admin = api.client.put(
        f"/api/v1/providers/{provider_id}", json=moved, headers=api.auth(ADMIN_TOKEN, **{"If-Match": etag})
    )
    assert (by_admin.status_code, by_admin.json()["country"]) == (200, "LU")
