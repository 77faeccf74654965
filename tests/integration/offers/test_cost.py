"""GET /api/v1/offers/{id}/cost: what a citizen pays for a published offer, given their situation."""

from __future__ import annotations

import uuid

from ila_register.eligibility.cost import Pricing
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
    assert used["situation"]["used"] == {"be-vl-opleidingscheques": "100.00"}

    # A session: its first day is the day the figures hold for; a session the offer lacks is named.
    session = api.client.get(f"/api/v1/offers/{offer_id}/cost?status=employee&region=BE211&session=2027-02-01")
    assert (session.json()["session"], session.json()["situation"]["on"]) == ("2027-02-01", "2027-02-01")
    nothing = api.client.get(f"/api/v1/offers/{offer_id}/cost?status=employee&region=BE211&session=2027-03-01")
    assert nothing.status_code == 422
    assert "2027-03-01" in nothing.text

    # Someone the scheme does not serve pays the whole price.
    brussels = api.client.get(f"/api/v1/offers/{offer_id}/cost?status=employee&region=BE100").json()
    assert (brussels["you_pay"], brussels["steps"]) == ("495.00", [])


def _named(answer: object) -> set[str]:
    assert answer.status_code == 422, answer.text  # type: ignore[attr-defined]
    assert answer.headers["content-type"].startswith("application/problem+json")  # type: ignore[attr-defined]
    return {e["parameter"] for e in answer.json()["errors"]}  # type: ignore[attr-defined]


def test_every_problem_with_the_situation_is_named_at_once(api: Api, runtime: Services) -> None:
    _, token = api.register_provider()
    offer_id = publish(api, runtime, token)
    url = f"/api/v1/offers/{offer_id}/cost"
    everything = api.client.get(
        f"{url}?status=astronaut&residence=QQ1&used.nope=1&used.be-vl-opleidingscheques=-5"
        "&session=2027-02-30&work=BE21111111"
    )
    assert _named(everything) == {"status", "residence", "work", "session", "used.nope", "used.be-vl-opleidingscheques"}
    # Nothing, or a place without a status, names what is missing.
    assert _named(api.client.get(url)) == {"status"}
    assert _named(api.client.get(f"{url}?region=ZZ&used.nope=1")) == {"status", "region", "used.nope"}
    assert _named(api.client.get(f"{url}?status=employee")) == {"region"}
    # Twice the same thing is not silently one of them.
    assert _named(api.client.get(f"{url}?status=employee&region=BE211&region=BE310")) == {"region"}
    twice = f"{url}?status=employee&region=BE211&used.be-vl-opleidingscheques=1&used.be-vl-opleidingscheques=0"
    assert _named(api.client.get(twice)) == {"used.be-vl-opleidingscheques"}
    assert _named(api.client.get(f"{url}?status=employee&region=BE2&residence=BE211&work=BE211")) == {"region"}
    # Amounts as people type them in a form, and nothing else.
    for amount in (
        "1e2",
        "-0",
        "1_00",
        "5.",
        ".5",
        "+5",
        "125.001",
        "\u0661\u0662\u0665",
        "\uff11\uff10\uff10",
        "12\t5",
        " 5",
        "0x10",
        "NaN",
    ):
        answer = api.client.get(
            url, params={"status": "employee", "region": "BE211", "used.be-vl-opleidingscheques": amount}
        )
        assert _named(answer) == {"used.be-vl-opleidingscheques"}, amount
    fine = api.client.get(f"{url}?status=employee&region=BE211&used.be-vl-opleidingscheques=62.5").json()
    assert fine["situation"]["used"] == {"be-vl-opleidingscheques": "62.50"}
    # A hostile query gets a short answer: values are quoted cut short, and used.* is bounded.
    flood = "&".join(f"used.x{i}=1" for i in range(500))
    answer = api.client.get(f"{url}?status={'a' * 5000}&region=BE211&{flood}")
    assert _named(answer) == {"status", "used.*"}
    assert len(answer.content) < 5000


def test_places_people_give(api: Api, runtime: Services) -> None:
    _, token = api.register_provider()
    offer_id = publish(api, runtime, token)
    url = f"/api/v1/offers/{offer_id}/cost"
    # A province's name, as search takes it; statuses comma-separated, as search takes them.
    province = api.client.get(f"{url}?status=employee,jobseeker&region=antwerpen").json()
    assert province["situation"]["residence"] == "BE21"
    assert province["situation"]["statuses"] == ["employee", "jobseeker"]
    assert province["you_pay"] == "370.00"
    # Living abroad and working in Flanders: the training vouchers go by residence, so nothing.
    frontier = api.client.get(f"{url}?status=employee&residence=FR30&work=BE211").json()
    assert (frontier["situation"]["residence"], frontier["you_pay"]) == ("FR30", "495.00")


def test_only_published_offers_have_a_cost(api: Api, runtime: Services) -> None:
    _, token = api.register_provider()
    pending = api.submit(token)  # not decided: not public
    for offer_id in (pending["id"], str(uuid.uuid4())):
        answer = api.client.get(f"/api/v1/offers/{offer_id}/cost?status=employee&region=BE211")
        assert answer.status_code == 404, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")


def test_the_schemes_publish_what_they_pay(api: Api) -> None:
    scheme = api.client.get("/api/v1/schemes/be-vl-loopbaancheques").json()
    funding = scheme["funding"]
    assert funding["pays"] == [
        {"share": "1", "own_contribution": "40", "cap_per_period": {"amount": "1100", "years": 6}, "illustrative": True}
    ]
    assert (funding["order"], funding["combines"], funding["costs"]) == (10, True, ["tuition"])
    assert "1.100,00" in funding["summary"]["nl"]
    listed = {s["id"]: s["funding"] for s in api.client.get("/api/v1/schemes").json()}
    assert listed["be-vl-opleidingsverlof"]["leave"] == [{"hours_per_year": "125", "illustrative": False}]


def test_what_was_used_must_be_written_in_lower_case(pricing: Pricing) -> None:
    """``USED.<scheme>`` is not silently dropped (the figure would ignore what the citizen said)."""
    situation, problems = pricing.read_parameters(
        {"status": ["employee"], "region": ["BE211"], "USED.be-vl-opleidingscheques": ["50"]}
    )
    assert situation is None
    assert problems[0][0] == "USED.be-vl-opleidingscheques"


def test_two_sessions_of_one_day_at_different_prices_are_not_chosen_between(api: Api, runtime: Services) -> None:
    """``session`` names a day; when two sessions start then at different prices, the answer says so
    rather than pricing one of them (adversary, issue 17)."""
    from support import example

    first = example("offer-training.json")["sessions"][0]
    morning = first | {"start": "2027-02-01", "end": "2027-02-01", "price": {"amount": "300.00", "currency": "EUR"}}
    evening = first | {"start": "2027-02-01", "end": "2027-02-01", "price": {"amount": "350.00", "currency": "EUR"}}
    later = first | {"start": "2027-03-01", "end": "2027-03-01"}
    _, token = api.register_provider()
    offer_id = publish(api, runtime, token, sessions=[morning, evening, later])
    answer = api.client.get(f"/api/v1/offers/{offer_id}/cost?status=employee&region=BE211&session=2027-02-01")
    assert answer.status_code == 422, answer.text
    assert "300.00 EUR, 350.00 EUR" in answer.json()["errors"][0]["detail"]
    assert api.client.get(f"/api/v1/offers/{offer_id}/cost?status=employee&region=BE211&session=2027-03-01").json()[
        "price"
    ] == {"amount": "495.00", "currency": "EUR"}
