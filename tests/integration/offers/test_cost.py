"""GET /api/v1/offers/{id}/cost: what a citizen pays for a published offer, given their situation."""

from __future__ import annotations

import uuid

from ila_register.wiring import Services
from support import Api, publish


def test_a_citizen_sees_what_each_scheme_pays_and_what_is_left(api: Api, runtime: Services) -> None:
    _, token = api.register_provider()
    offer_id = publish(api, runtime, token)  # €495, 60 hours, eligible for training vouchers
    answer = api.client.get(f"/api/v1/offers/{offer_id}/cost?status=employee&region=BE211")
    assert answer.status_code == 200, answer.text
    cost = answer.json()
    assert cost["price"] == {"amount": "495.00", "currency": "EUR"}
    assert [(s["scheme"], s["pays"]) for s in cost["steps"]] == [("be-vl-opleidingscheques", "125.00")]
    assert cost["you_pay"] == "370.00"
    assert cost["paid_by_schemes"] == "125.00"
    assert cost["situation"] == {
        "statuses": ["employee"],
        "residence": "BE211",
        "work": "BE211",
        "used": {},
        "on": runtime.clock().date().isoformat(),
    }
    step = cost["steps"][0]
    assert set(step["explanation"]) == {"nl", "fr", "de", "en"}
    assert "125" in step["explanation"]["fr"]
    assert step["name"]["nl"].startswith("Opleidingscheques")

    # What the citizen already used this year of the scheme counts against its cap.
    used = api.client.get(
        f"/api/v1/offers/{offer_id}/cost?status=employee&region=BE211&used.be-vl-opleidingscheques=100"
    ).json()
    assert (used["you_pay"], used["steps"][0]["pays"]) == ("470.00", "25.00")
    assert used["situation"]["used"] == {"be-vl-opleidingscheques": "100"}

    # A session: its first day is the day the figures hold for; a session the offer lacks is named.
    session = api.client.get(f"/api/v1/offers/{offer_id}/cost?status=employee&region=BE211&session=2027-02-01")
    assert (session.json()["session"], session.json()["situation"]["on"]) == ("2027-02-01", "2027-02-01")
    nothing = api.client.get(f"/api/v1/offers/{offer_id}/cost?status=employee&region=BE211&session=2027-03-01")
    assert nothing.status_code == 422
    assert "2027-03-01" in nothing.text

    # Someone the scheme does not serve pays the whole price.
    brussels = api.client.get(f"/api/v1/offers/{offer_id}/cost?status=employee&region=BE100").json()
    assert (brussels["you_pay"], brussels["steps"]) == ("495.00", [])


def test_every_problem_with_the_situation_is_named_at_once(api: Api, runtime: Services) -> None:
    _, token = api.register_provider()
    offer_id = publish(api, runtime, token)
    answer = api.client.get(
        f"/api/v1/offers/{offer_id}/cost?status=astronaut&residence=XX1&used.nope=1&used.be-vl-opleidingscheques=-5"
    )
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    named = {e["parameter"] for e in answer.json()["errors"]} if "errors" in answer.json() else answer.text
    assert {"status", "residence", "used.nope", "used.be-vl-opleidingscheques"} <= set(named), answer.json()
    missing = api.client.get(f"/api/v1/offers/{offer_id}/cost")
    assert missing.status_code in (400, 422)
    assert "status" in missing.text


def test_only_published_offers_have_a_cost(api: Api, runtime: Services) -> None:
    _, token = api.register_provider()
    pending = api.submit(token)  # not decided: not public
    for offer_id in (pending["id"], str(uuid.uuid4())):
        answer = api.client.get(f"/api/v1/offers/{offer_id}/cost?status=employee&region=BE211")
        assert answer.status_code == 404, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
