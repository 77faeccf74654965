"""A reviewer's decision concerns the version the reviewer read: If-Match with the offer's ETag is required."""

from __future__ import annotations

from typing import Any

import pytest

from ila_register.search.interface import SearchQuery
from ila_register.wiring import Services
from support import Api, example

CHEQUES, KMO = "be-vl-opleidingscheques", "be-vl-kmo-portefeuille"


def _etag(api: Api, offer_id: str) -> str:
    answer = api.client.get(f"/api/v1/offers/{offer_id}", headers=api.admin)
    assert answer.status_code == 200, answer.text
    return str(answer.headers["etag"])


def _decide(api: Api, offer_id: str, scheme: str, headers: dict[str, str], **extra: str) -> Any:
    return api.client.post(
        f"/api/v1/offers/{offer_id}/decisions",
        json={"scheme": scheme, "decision": "eligible"},
        headers=headers | extra,
    )


def _rewrite(api: Api, token: str, offer_id: str, **changes: Any) -> None:
    document = example("offer-training.json") | changes
    answer = api.client.put(
        f"/api/v1/offers/{offer_id}", json=document, headers=api.auth(token, **{"If-Match": _etag(api, offer_id)})
    )
    assert answer.status_code == 200, answer.text


def test_a_decision_on_a_version_the_reviewer_did_not_read_is_refused(api: Api, runtime: Services) -> None:
    _, token = api.register_provider()
    offer = api.submit(token, schemes_requested=[CHEQUES])
    read = _etag(api, offer["id"])
    _rewrite(
        api,
        token,
        offer["id"],
        schemes_requested=[CHEQUES],
        title={"nl": "Snel rijk worden"},
        price={"amount": "4950.00", "currency": "EUR"},
    )

    answer = _decide(api, offer["id"], CHEQUES, api.admin, **{"If-Match": read})

    assert answer.status_code == 412, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    now = api.client.get(f"/api/v1/offers/{offer['id']}", headers=api.admin).json()
    cheques = next(e for e in now["eligibility"] if e["scheme"] == CHEQUES)
    assert (cheques["status"], cheques["approved_version"]) == ("in-review", None)
    runtime.drain()
    assert runtime.index.search(SearchQuery(text="rijk")).total == 0


@pytest.mark.parametrize(
    ("if_match", "status"),
    [(None, 428), ('"garbage"', 412), ("garbage", 412), ("W/{etag}", 412), ("{etag}", 200), ("*", 200)],
    ids=["missing", "unknown-tag", "not-a-tag", "weak", "current", "any"],
)
def test_decisions_compare_if_match_strongly_as_put_does(api: Api, if_match: str | None, status: int) -> None:
    _, token = api.register_provider()
    offer = api.submit(token, schemes_requested=[CHEQUES])
    etag = _etag(api, offer["id"])
    headers = {} if if_match is None else {"If-Match": if_match.format(etag=etag)}

    answer = _decide(api, offer["id"], CHEQUES, api.admin, **headers)

    assert answer.status_code == status, answer.text
    if status == 200:
        assert answer.headers["etag"] == etag  # a decision leaves the offer's version as it was
    else:
        assert answer.headers["content-type"] == "application/problem+json"
        assert "If-Match" in answer.json()["detail"] or "ETag" in answer.json()["detail"]


def test_a_four_eyes_confirmation_of_a_version_the_second_reviewer_did_not_read_is_refused(
    api: Api, runtime: Services
) -> None:
    _, token = api.register_provider()
    offer = api.submit(token, schemes_requested=[KMO], duration_hours=60)
    first, second = (api.auth(runtime.tokens.issue("reviewer").token) for _ in range(2))
    proposed = _decide(api, offer["id"], KMO, first, **{"If-Match": _etag(api, offer["id"])})
    assert proposed.json()["status"] == "awaiting-confirmation", proposed.text
    read = _etag(api, offer["id"])
    document = example("offer-training.json") | {"schemes_requested": [KMO], "duration_hours": 60}
    document["sessions"][0] |= {"start": "2027-03-01", "end": "2027-06-30", "enrolment_deadline": "2027-02-20"}
    answer = api.client.put(
        f"/api/v1/offers/{offer['id']}", json=document, headers=api.auth(token, **{"If-Match": read})
    )
    assert answer.status_code == 200, answer.text

    stale = _decide(api, offer["id"], KMO, second, **{"If-Match": read})
    fresh = _decide(api, offer["id"], KMO, second, **{"If-Match": answer.headers["etag"]})

    assert stale.status_code == 412, stale.text
    assert fresh.status_code == 200, fresh.text
