"""The provider's "My offers" page and its sign-in, over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import httpx
import pytest

from ila_register.wiring import Services
from support import ADMIN_TOKEN, Api

OTHER_KBO = "0202.239.951"
ASKED = "Add the number of your quality label to the offer."


class _Form(HTMLParser):
    """The hidden fields of a page's forms and its links."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.hidden: dict[str, str] = {}
        self.links: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "input" and a.get("type") == "hidden" and a.get("name"):
            self.hidden[str(a["name"])] = str(a.get("value") or "")
        if tag == "a" and a.get("href"):
            self.links.append(str(a["href"]))


@pytest.fixture
def mine(api: Api, runtime: Services) -> dict[str, str]:
    """A provider with an eligible offer, one a reviewer rejected with a request, one in review; another
    provider with one offer of its own."""
    provider_id, token = api.register_provider()
    ids = {"provider": provider_id, "token": token}
    ids["eligible"] = api.submit(token)["id"]
    ids["rejected"] = api.submit(token, reference="REJ-1", title={"nl": "Excel voor gevorderden"})["id"]
    ids["pending"] = api.submit(token, reference="PEND-7", title={"nl": "Boekhouding gevorderd"})["id"]
    for key, decision, reason in (("eligible", "eligible", None), ("rejected", "rejected", ASKED)):
        body = {"scheme": "be-vl-opleidingscheques", "decision": decision} | ({"reason": reason} if reason else {})
        answer = api.client.post(
            f"/api/v1/offers/{ids[key]}/decisions", headers=api.admin | api.if_match(ids[key]), json=body
        )
        assert answer.status_code == 200, answer.text
    _, other = api.register_provider(kbo_number=OTHER_KBO)
    ids["other_token"] = other
    ids["other"] = api.submit(other, reference="THEIRS", title={"nl": "Geheim van een ander"})["id"]
    runtime.drain()
    return ids


def _sign_in(api: Api, token: str) -> httpx.Response:
    form = api.client.get("/provider/sign-in", params={"lang": "en"})
    return api.client.post(
        "/provider/sign-in",
        data=_Form(form.text).hidden | {"token": token},
        params={"lang": "en"},
        follow_redirects=False,
    )


def _text(answer: httpx.Response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", answer.text))


def _table(answer: httpx.Response) -> str:
    """The text of the offers' table only (not the filters' options)."""
    start = answer.text.find("<tbody>")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", answer.text[start : answer.text.find("</tbody>")]))


@pytest.fixture
def https(api: Api) -> Api:
    api.client.base_url = "https://testserver.local"  # the cookies are Secure
    return api


def test_anonymous_visitors_are_sent_to_the_sign_in_page(https: Api, mine: dict[str, str]) -> None:
    answer = https.client.get("/provider/offers", params={"lang": "fr"}, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/provider/sign-in?lang=fr"
    page = https.client.get("/provider/sign-in", params={"lang": "fr"})
    assert page.status_code == 200
    assert "Mes offres \u2013 connexion des prestataires" in page.text
    assert 'action="/provider/sign-in?lang=fr"' in page.text
    assert _Form(page.text).hidden["csrf"]


def test_a_provider_sees_its_own_offers_with_status_and_reason_per_scheme(https: Api, mine: dict[str, str]) -> None:
    signed_in = _sign_in(https, mine["token"])
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/provider/offers?lang=en"
    page = https.client.get("/provider/offers", params={"lang": "en"})
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    table = _table(page)
    assert "3 offer(s) found" in _text(page)
    assert "Bookkeeping for SMEs" in table
    assert "Excel voor gevorderden" in table  # shown in the offer's own language when English is missing
    rows = {re.findall(r"Reference: ([^<\s]+)", row)[0]: row for row in page.text.split("<tr>")[2:]}
    assert set(rows) == {"KA-BOEK-2027-01", "REJ-1", "PEND-7"}
    assert 'data-scheme-status="eligible"' in rows["KA-BOEK-2027-01"]
    assert f'href="/offers/{mine["eligible"]}?lang=en"' in rows["KA-BOEK-2027-01"]  # published: its public page
    assert 'data-scheme-status="rejected"' in rows["REJ-1"]
    assert "Asked by the reviewer:" in rows["REJ-1"]
    assert ASKED in rows["REJ-1"]
    assert f"/api/v1/offers/{mine['rejected']}" in rows["REJ-1"]  # not published: the API's resource
    assert f'href="/offers/{mine["rejected"]}' not in page.text
    assert 'data-scheme-status="in-review"' in rows["PEND-7"]
    # The statuses are the API's, scheme by scheme.
    api_view = https.client.get(f"/api/v1/offers/{mine['pending']}", headers=https.auth(mine["token"])).json()
    for scheme in api_view["eligibility"]:
        assert f'data-scheme-status="{scheme["status"]}"' in rows["PEND-7"]


def test_another_providers_offers_never_appear(https: Api, mine: dict[str, str]) -> None:
    _sign_in(https, mine["token"])
    for params in ({}, {"q": "THEIRS"}, {"q": "Geheim"}, {"scheme": "be-vl-opleidingscheques"}):
        page = https.client.get("/provider/offers", params={"lang": "en", **params})
        assert "Geheim van een ander" not in page.text, params
        assert mine["other"] not in page.text, params
    https.client.cookies.clear()
    _sign_in(https, mine["other_token"])
    theirs = https.client.get("/provider/offers", params={"lang": "en"})
    assert "Geheim van een ander" in _table(theirs)
    assert "Bookkeeping for SMEs" not in _table(theirs)
    assert "1 offer(s) found" in _text(theirs)


def test_filters_and_search_are_in_the_url(https: Api, mine: dict[str, str]) -> None:
    _sign_in(https, mine["token"])

    def found(**params: str) -> set[str]:
        page = https.client.get("/provider/offers", params={"lang": "en", **params})
        assert page.status_code == 200
        return set(re.findall(r"Reference: (\S+)", _text(page)))

    assert found(status="rejected") == {"REJ-1"}
    assert found(status="eligible", scheme="be-vl-opleidingscheques") == {"KA-BOEK-2027-01"}
    assert found(status="rejected", scheme="be-vl-opleidingscheques") == {"REJ-1"}
    assert found(scheme="be-fed-opleidingsrecht") == set()  # a scheme none of them requests
    assert found(q="excel") == {"REJ-1"}  # title, any case
    assert found(q="pend-7") == {"PEND-7"}  # reference
    assert found(q="100%_") == set()  # wildcards are text
    assert found(q="Excel", status="eligible") == set()  # the words and the status together
    page = https.client.get("/provider/offers", params={"lang": "en", "status": "rejected", "q": "ex"})
    assert '<option value="rejected" selected>' in page.text
    assert 'value="ex"' in page.text


def test_the_table_is_paginated(https: Api, mine: dict[str, str]) -> None:
    for n in range(26):
        https.submit(mine["token"], reference=f"MANY-{n:02}", title={"nl": f"Cursus {n}"})
    _sign_in(https, mine["token"])
    first = https.client.get("/provider/offers", params={"lang": "en"})
    assert "29 offer(s) found" in _text(first)
    assert first.text.count("Reference:") == 25
    assert "/provider/offers?lang=en&page=2" in _Form(first.text).links
    second = https.client.get("/provider/offers", params={"lang": "en", "page": "2"})
    assert second.text.count("Reference:") == 4
    assert not set(re.findall(r"Reference: (\S+)", _text(first))) & set(re.findall(r"Reference: (\S+)", _text(second)))


def test_the_session_cookie_holds_no_token_and_is_locked_down(https: Api, mine: dict[str, str]) -> None:
    signed_in = _sign_in(https, mine["token"])
    cookie = next(c for c in signed_in.headers.get_list("set-cookie") if c.startswith("ila_provider="))
    value = cookie.split(";", 1)[0].split("=", 1)[1]
    assert mine["token"] not in " ".join(signed_in.headers.get_list("set-cookie"))
    assert len(value) >= 43
    assert "HttpOnly" in cookie
    assert "Secure" in cookie
    assert "samesite=strict" in cookie.lower()
    assert "Path=/provider" in cookie
    assert re.search(r"Max-Age=\d+", cookie)  # it expires with the session


def test_only_providers_sign_in_here(https: Api, mine: dict[str, str]) -> None:
    assert _sign_in(https, "ila_guess").status_code == 401
    refused = _sign_in(https, ADMIN_TOKEN)
    assert refused.status_code == 403
    assert "ila_provider=" not in " ".join(refused.headers.get_list("set-cookie"))


def test_sign_out_revokes_the_session(https: Api, mine: dict[str, str]) -> None:
    client = https.client
    signed_in = _sign_in(https, mine["token"])
    value = next(c for c in signed_in.headers.get_list("set-cookie") if c.startswith("ila_provider="))
    session = value.split(";", 1)[0].split("=", 1)[1]
    page = client.get("/provider/offers")
    out = client.post("/provider/sign-out", data=_Form(page.text).hidden, follow_redirects=False)
    assert out.status_code == 303
    client.cookies.set("ila_provider", session, domain="testserver.local", path="/provider")  # a kept copy
    again = client.get("/provider/offers", params={"lang": "en"}, follow_redirects=False)
    assert again.status_code == 303
    assert again.headers["location"] == "/provider/sign-in?lang=en"


def test_forms_without_their_csrf_value_are_refused(https: Api, mine: dict[str, str]) -> None:
    client = https.client
    form = _Form(client.get("/provider/sign-in").text).hidden
    for data in ({"token": mine["token"]}, {"token": mine["token"], "csrf": "x" * 43}):
        refused = client.post("/provider/sign-in", data=data, follow_redirects=False)
        assert refused.status_code == 403, data
        assert "ila_provider=" not in " ".join(refused.headers.get_list("set-cookie"))
    forged = client.post(
        "/provider/sign-in", data=form | {"token": mine["token"]}, headers={"Origin": "https://evil.example"}
    )
    assert forged.status_code == 403
    _sign_in(https, mine["token"])
    csrf = _Form(client.get("/provider/offers").text).hidden["csrf"]
    for data in ({}, {"csrf": form["csrf"]}, {"csrf": csrf + "x"}):
        assert client.post("/provider/sign-out", data=data, follow_redirects=False).status_code == 403, data
        assert client.get("/provider/offers", follow_redirects=False).status_code == 200  # still signed in
    assert client.post("/provider/sign-out", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    assert client.get("/provider/offers", follow_redirects=False).status_code == 303
