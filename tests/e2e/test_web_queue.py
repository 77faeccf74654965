"""The reviewers' queue page (/dashboard/queue) over HTTP, on SQLite and PostgreSQL (browser test: tests/browser)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import httpx
import pytest

from ila_register.wiring import Services
from support import ADMIN_TOKEN, Api, FakeClock

OTHER_KBO = "0202.239.951"
LIEGE_SESSION = {
    "start": "2027-03-01",
    "end": "2027-04-30",
    "location": {"postcode": "4000", "municipality": "Liège", "country": "BE"},
}


@pytest.fixture
def waiting(api: Api, runtime: Services, clock: FakeClock) -> dict[str, str]:
    """Offers entering review at different times, for two providers, two regions and two kinds."""
    coast, coast_token = api.register_provider()
    liege, liege_token = api.register_provider(
        kbo_number=OTHER_KBO, name={"fr": "Formations Liège", "nl": "Opleidingen Luik"}
    )
    ids = {"coast": coast, "liege_provider": liege, "coast_token": coast_token}
    ids["old"] = api.submit(coast_token, reference="OLD", title={"nl": "Oude boekhouding", "en": "Old bookkeeping"})[
        "id"
    ]
    clock.advance(days=3)
    ids["new"] = api.submit(coast_token, reference="NEW", title={"nl": "Nieuwe boekhouding"})["id"]
    clock.advance(hours=1)
    ids["liege"] = api.submit(
        liege_token,
        reference="LG",
        title={"fr": "Comptabilité à Liège"},
        description={"fr": "Formation pratique en comptabilité."},
        default_language="fr",
        languages=["fr"],
        sessions=[LIEGE_SESSION],
        schemes_requested=["be-fed-opleidingsrecht"],
    )["id"]
    clock.advance(days=1)
    ids["guidance"] = api.submit(coast_token, "offer-guidance.json")["id"]
    decided = api.client.post(  # decided: no longer waiting for that scheme
        f"/api/v1/offers/{ids['new']}/decisions",
        headers=api.admin | api.if_match(ids["new"]),
        json={"scheme": "be-vl-opleidingsverlof", "decision": "eligible"},
    )
    assert decided.status_code == 200, decided.text
    clock.advance(days=2, hours=5)
    return ids


class _Rows(HTMLParser):
    """The queue table's rows as the reader sees them: the cells' text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._in_body = False
        self._cell: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tbody":
            self._in_body = True
        elif self._in_body and tag == "tr":
            self.rows.append([])
        elif self._in_body and tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_body = False
        elif self._cell is not None and tag in ("th", "td"):
            self.rows[-1].append(re.sub(r"\s+", " ", "".join(self._cell)).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _sign_in(api: Api, token: str = ADMIN_TOKEN) -> httpx.Response:
    """Sign in as a person does: load the form, send it back with its hidden field (cookies are Secure)."""
    api.client.base_url = "https://testserver.local"
    form = api.client.get("/dashboard/sign-in", params={"lang": "en"})
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.text))
    return api.client.post(
        "/dashboard/sign-in", data=hidden | {"token": token}, params={"lang": "en"}, follow_redirects=False
    )


def _queue(api: Api, **params: str) -> list[list[str]]:
    answer = api.client.get("/dashboard/queue", params={"lang": "en", **params})
    assert answer.status_code == 200, answer.text
    return _Rows(answer.text).rows


def test_the_queue_lists_offers_per_scheme_oldest_first_with_their_waiting_time(
    api: Api, waiting: dict[str, str]
) -> None:
    assert _sign_in(api).status_code == 303
    answer = api.client.get("/dashboard/queue", params={"lang": "en"})
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"
    rows = _Rows(answer.text).rows
    assert [(r[0], r[3], r[4].split("since")[0].strip()) for r in rows] == [
        ("Old bookkeeping", "Training vouchers for employees (Flanders) (in review)", "6 d 6 h"),
        ("Old bookkeeping", "Flemish paid training leave (in review)", "6 d 6 h"),
        ("Nieuwe boekhouding", "Training vouchers for employees (Flanders) (in review)", "3 d 6 h"),
        ("Comptabilité à Liège", "Federal individual training right (in review)", "3 d 5 h"),
        ("Career guidance: reorientation after 45", "Career guidance vouchers (Flanders) (in review)", "2 d 5 h"),
    ]
    assert rows[0][4].endswith("since 23 Nov 2026")  # the day it entered review
    assert rows[0][1] == "Coast Academy Ostend"
    assert rows[3][1] == "Formations Liège"  # no English name: the provider's own
    assert 'lang="fr">Comptabilité à Liège' in answer.text  # marked as French for screen readers
    assert f"POST /api/v1/offers/{waiting['old']}/decisions" in answer.text
    assert f'href="/api/v1/offers/{waiting["old"]}"' in answer.text  # not published: the API resource
    assert f'href="/offers/{waiting["new"]}?lang=en"' in answer.text  # published for one scheme: its page
    assert "There is no decision page yet: decide via the API" in answer.text
    counts = dict(re.findall(r"<li>([^<:]+): <strong>(\d+)</strong></li>", answer.text))
    assert counts == {
        "Training vouchers for employees (Flanders)": "2",
        "Flemish paid training leave": "1",
        "Federal individual training right": "1",
        "Career guidance vouchers (Flanders)": "1",
    }
    dashboard = api.client.get("/dashboard", params={"lang": "en"})
    assert '<a href="/dashboard/queue?lang=en">Queue: 5 awaiting a decision</a>' in dashboard.text


def test_each_filter_narrows_the_queue_and_stays_in_the_form(api: Api, waiting: dict[str, str]) -> None:
    assert _sign_in(api).status_code == 303

    def titles(**params: str) -> list[str]:
        return [r[0] for r in _queue(api, **params)]

    assert titles(scheme="be-vl-opleidingscheques") == ["Old bookkeeping", "Nieuwe boekhouding"]
    assert titles(provider=waiting["liege_provider"]) == ["Comptabilité à Liège"]
    assert titles(region="BE3") == ["Comptabilité à Liège"]
    assert len(titles(region="BE2")) == 4
    assert titles(region="online") == []
    assert titles(kind="guidance") == ["Career guidance: reorientation after 45"]
    assert titles(min_days="5") == ["Old bookkeeping", "Old bookkeeping"]
    assert titles(min_days="3", kind="training", region="BE2") == [
        "Old bookkeeping",
        "Old bookkeeping",
        "Nieuwe boekhouding",
    ]
    page = api.client.get("/dashboard/queue", params={"lang": "en", "kind": "guidance", "min_days": "1"}).text
    assert '<option value="guidance" selected>' in page
    assert 'name="min_days" type="number" min="0" step="1" inputmode="numeric" value="1"' in page
    counts = dict(re.findall(r"<li>([^<:]+): <strong>(\d+)</strong></li>", page))
    assert counts == {"Career guidance vouchers (Flanders)": "1"}
    wrong = api.client.get("/dashboard/queue", params={"lang": "en", "kind": "course", "min_days": "many"})
    assert wrong.status_code == 400
    assert 'aria-describedby="kind-error"' in wrong.text
    assert "Give a whole number of days from 0 to 3650." in wrong.text
    assert len(_Rows(wrong.text).rows) == 5  # the filters it could not read filter nothing


def test_the_queue_reads_in_pages(api: Api, waiting: dict[str, str], runtime: Services) -> None:
    from ila_register.eligibility.services import EligibilityService, WaitingFilters
    from ila_register.platform.auth import Principal

    assert _sign_in(api).status_code == 303
    service: EligibilityService = runtime.eligibility
    admin = Principal(token_id="admin", role="admin")
    first = service.waiting(admin, WaitingFilters(), limit=2)
    assert len(first.items) == 2
    assert first.next_after is not None
    rest = service.waiting(admin, WaitingFilters(after=first.next_after), limit=10)
    assert [i.scheme_id for i in first.items + rest.items] == [
        "be-vl-opleidingscheques",
        "be-vl-opleidingsverlof",
        "be-vl-opleidingscheques",
        "be-fed-opleidingsrecht",
        "be-vl-loopbaancheques",
    ]
    assert rest.next_after is None


def test_only_reviewers_and_administrators_see_the_queue(api: Api, waiting: dict[str, str]) -> None:
    anonymous = api.client.get("/dashboard/queue", params={"lang": "en"}, follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == "/dashboard/sign-in?lang=en"
    assert "bookkeeping" not in anonymous.text.lower()
    assert _sign_in(api, waiting["coast_token"]).status_code == 403  # a provider cannot open a session
    provider = api.client.get(
        "/dashboard/queue", params={"lang": "en"}, headers={"Authorization": f"Bearer {waiting['coast_token']}"}
    )
    assert provider.status_code == 403
    assert "This page is for reviewers and administrators." in provider.text
    assert "bookkeeping" not in provider.text.lower()
    api.client.cookies.set("ila_dashboard", "not-a-session")
    forged = api.client.get("/dashboard/queue", follow_redirects=False)
    assert forged.status_code == 303


def test_an_offer_waits_since_it_last_entered_review_for_that_scheme(api: Api, clock: FakeClock) -> None:
    _, token = api.register_provider()
    offer = api.submit(token, reference="BACK", title={"nl": "Terug in beoordeling", "en": "Back in review"})["id"]
    clock.advance(days=1)
    for decision in ("rejected", "in-review"):  # rejected, then reopened (say, after an appeal) two days later
        answer = api.client.post(
            f"/api/v1/offers/{offer}/decisions",
            headers=api.admin | api.if_match(offer),
            json={"scheme": "be-vl-opleidingscheques", "decision": decision, "reason": "Checked with the provider."},
        )
        assert answer.status_code == 200, answer.text
        clock.advance(days=2)
    clock.advance(hours=1)
    assert _sign_in(api).status_code == 303
    rows = _queue(api)
    assert [(r[3], r[4].split("since")[0].strip()) for r in rows] == [
        ("Flemish paid training leave (in review)", "5 d 1 h"),  # since its submission
        ("Training vouchers for employees (Flanders) (in review)", "2 d 1 h"),  # since it was reopened
    ]
    provider_choices = api.client.get("/dashboard/queue", params={"lang": "en", "kind": "guidance"}).text
    assert "Coast Academy Ostend</option>" in provider_choices  # every provider waiting stays a choice
