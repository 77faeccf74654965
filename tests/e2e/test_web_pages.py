"""The catalogue and dashboard pages over HTTP, on SQLite and PostgreSQL (browser tests: tests/browser)."""

from __future__ import annotations

import html
import json
import re
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import httpx
import msgspec
import pytest

from ila_register.demo.seed import seed_demo
from ila_register.offers import scheme_costs
from ila_register.platform.security import STRICT_HTML_POLICY
from ila_register.settings import Settings
from ila_register.wiring import Services
from support import ADMIN_TOKEN, Api, FakeClock


@pytest.fixture
def offers(api: Api, runtime: Services) -> dict[str, str]:
    """Two eligible offers (Oostende and Liège), one waiting for review, one withdrawn."""
    provider_id, token = api.register_provider()
    ids = {"provider": provider_id, "provider_token": token}
    ids["oostende"] = api.submit(token)["id"]
    ids["liege"] = api.submit(
        token,
        reference="LG-1",
        title={"fr": "Comptabilité à Liège & Verviers"},
        description={"fr": "Formation pratique en comptabilité."},
        default_language="fr",
        languages=["fr"],
        sessions=[
            {
                "start": "2027-03-01",
                "end": "2027-04-30",
                "location": {"postcode": "4000", "municipality": "Liège", "country": "BE"},
            }
        ],
        schemes_requested=["be-fed-opleidingsrecht"],
    )["id"]
    ids["pending"] = api.submit(token, reference="PEND", title={"nl": "Boekhouding gevorderd"})["id"]
    ids["withdrawn"] = api.submit(token, reference="GONE")["id"]
    for key, scheme in (
        ("oostende", "be-vl-opleidingscheques"),
        ("liege", "be-fed-opleidingsrecht"),
        ("withdrawn", "be-vl-opleidingscheques"),
    ):
        answer = api.client.post(
            f"/api/v1/offers/{ids[key]}/decisions",
            headers=api.admin | api.if_match(ids[key]),
            json={"scheme": scheme, "decision": "eligible"},
        )
        assert answer.status_code == 200, answer.text
    runtime.drain()  # published, then withdrawn: gone (an offer never published is unknown)
    assert api.client.delete(f"/api/v1/offers/{ids['withdrawn']}", headers=api.auth(token)).status_code == 200
    runtime.drain()
    return ids


class _Page(HTMLParser):
    """Just enough HTML parsing to check what a reader gets: links, headings, labels, scripts."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.labels_for: set[str] = set()
        self.controls: list[tuple[str, str | None]] = []
        self.scripts: list[dict[str, str | None]] = []
        self.external: list[str] = []
        self.urls: list[str] = []  # every absolute URL in an attribute, fetched or not
        self.hidden: dict[str, str] = {}
        self.html_lang: str | None = None
        self._in_json_ld = False
        self.json_ld: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if tag == "html":
            self.html_lang = a.get("lang")
        if tag == "a" and a.get("href"):
            self.links.append(str(a["href"]))
        if tag == "label" and a.get("for"):
            self.labels_for.add(str(a["for"]))
        if tag in ("input", "select", "textarea") and a.get("type") != "hidden":
            self.controls.append((tag, a.get("id")))
        if tag == "input" and a.get("type") == "hidden" and a.get("name"):
            self.hidden[str(a["name"])] = str(a.get("value") or "")
        for name in ("src", "href", "action", "srcset", "data"):
            if (a.get(name) or "").startswith(("http://", "https://", "//")):
                self.urls.append(str(a[name]))
        if tag == "script":
            self.scripts.append(a)
            self._in_json_ld = a.get("type") == "application/ld+json"
        # What a browser fetches by itself (alternate and canonical links are not fetched).
        fetched = a.get("src") if tag in ("script", "img") else None
        if tag == "link" and a.get("rel") in ("stylesheet", "icon", "preload", "modulepreload", "manifest"):
            fetched = a.get("href")
        if fetched and fetched.startswith(("http://", "https://", "//")):
            self.external.append(fetched)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data: str) -> None:
        if self._in_json_ld:
            self.json_ld.append(data)


def test_the_search_page_lists_eligible_offers_with_filters_and_counts(api: Api, offers: dict[str, str]) -> None:
    answer = api.client.get("/", headers={"Accept-Language": "fr-BE,fr;q=0.9"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    assert answer.headers["content-security-policy"] == STRICT_HTML_POLICY
    assert answer.headers["content-language"] == "fr"
    page = _Page(answer.text)
    assert page.html_lang == "fr"
    assert "2 résultats" in answer.text
    offer_links = {link.split("?")[0] for link in page.links if link.startswith("/offers/")}
    assert offer_links == {f"/offers/{offers['oostende']}", f"/offers/{offers['liege']}"}
    # Every form control has a label; no script and no third-party asset at all.
    assert {control_id for _, control_id in page.controls} <= page.labels_for | {None} - {None}
    assert all(control_id for _, control_id in page.controls)
    assert page.scripts == []
    assert page.external == []
    # The filters show how many results each choice leads to.
    assert re.search(r'id="kind-training"[^>]*><label for="kind-training">[^<]+<span class="count">\(2\)', answer.text)


def test_filters_narrow_the_results_and_keep_the_query(api: Api, offers: dict[str, str]) -> None:
    answer = api.client.get("/", params={"q": "comptabilité", "region": "BE3", "lang": "nl"})
    assert answer.status_code == 200
    page = _Page(answer.text)
    assert {link.split("?")[0] for link in page.links if link.startswith("/offers/")} == {f"/offers/{offers['liege']}"}
    assert "1 resultaat" in answer.text
    # Highlights are marked; the provider's text is escaped.
    assert "<mark>Comptabilité</mark> à Liège &amp; Verviers" in answer.text
    # Switching language keeps the search.
    german = re.search(r'hreflang="de" href="([^"]+)"', answer.text) or re.search(
        r'href="([^"]+)" hreflang="de"', answer.text
    )
    assert german is not None
    assert parse_qs(urlsplit(german.group(1).replace("&amp;", "&")).query) == {
        "lang": ["de"],
        "q": ["comptabilité"],
        "region": ["BE3"],
    }


def test_typing_mistakes_are_shown_next_to_the_field(api: Api, offers: dict[str, str]) -> None:
    answer = api.client.get("/", params={"near_postcode": "0000", "price_max": "cheap", "lang": "en"})
    assert answer.status_code == 422
    assert "0000 is not a Belgian postcode" in answer.text
    assert (
        'name="price_max" type="number" min="0" step="1" inputmode="numeric" value="cheap" aria-invalid="true"'
        in answer.text
    )
    unknown = api.client.get("/", params={"near_postcode": "9999", "lang": "en"})
    assert unknown.status_code == 422
    assert "9999 is not a Belgian postcode" in unknown.text


def test_hostile_query_strings_are_text(api: Api, offers: dict[str, str]) -> None:
    for q in ('"><script>alert(1)</script>', "' OR 1=1 --", "\u202eevil", "x" * 600):
        answer = api.client.get("/", params={"q": q, "status": q, "region": q, "page": q, "sort": q})
        # An unknown status or region is a field error (as in the API), shown as text, never searched.
        assert answer.status_code == 422, q
        assert "<script>alert(1)</script>" not in answer.text
        assert 'href="#status"' in answer.text
        assert 'href="#region"' in answer.text


def test_the_offer_page_has_what_a_citizen_needs_and_its_elm(api: Api, offers: dict[str, str]) -> None:
    answer = api.client.get(f"/offers/{offers['oostende']}", params={"lang": "en"})
    assert answer.status_code == 200
    text = answer.text
    assert "Bookkeeping for SMEs" in text
    assert 'href="https://kustacademie.example.be/boekhouding"' in text  # enrol with the provider
    assert "Vindictivelaan 1, 8400 Oostende" in text
    assert "495,00\xa0€" in text  # Belgian format, also in English
    assert "1 February 2027" in text
    # The description exists only in nl and fr: shown in Dutch and marked as Dutch for screen readers.
    assert '<p lang="nl">Praktische opleiding dubbel boekhouden' in text
    page = _Page(text)
    document = json.loads("".join(page.json_ld))
    assert "@context" in document
    uri = f"https://register.example.be/id/learning-opportunity/{offers['oostende']}"
    assert uri in json.dumps(document)
    assert f'<link rel="alternate" type="text/turtle" href="{uri}?format=ttl"' in text
    assert page.external == []


def test_offers_not_published_are_404_and_withdrawn_410(api: Api, offers: dict[str, str]) -> None:
    pending = api.client.get(f"/offers/{offers['pending']}", params={"lang": "de"})
    assert pending.status_code == 404
    assert "Nicht gefunden" in pending.text
    gone = api.client.get(f"/offers/{offers['withdrawn']}", params={"lang": "fr"})
    assert gone.status_code == 410
    assert "Cette offre a été retirée du registre." in gone.text
    assert api.client.get("/offers/not-a-uuid").status_code in (400, 404)


def test_the_dashboard_needs_a_reviewer_or_admin(api: Api, offers: dict[str, str]) -> None:
    client = api.client
    client.base_url = "https://testserver.local"  # the base URI is https: the session cookie is Secure
    first = client.get("/dashboard", params={"lang": "en"}, follow_redirects=False)
    assert first.status_code == 303
    assert first.headers["location"] == "/dashboard/sign-in?lang=en"
    wrong = _sign_in(api, "ila_guess")
    assert wrong.status_code == 401
    assert "This token is not valid" in wrong.text
    provider = _sign_in(api, offers["provider_token"])
    assert provider.status_code == 403
    assert client.get("/dashboard/csv/schemes").status_code == 401
    form = _Page(client.get("/dashboard/sign-in").text).hidden
    forged = client.post(
        "/dashboard/sign-in", data=form | {"token": ADMIN_TOKEN}, headers={"Origin": "https://evil.example"}
    )
    assert forged.status_code == 403
    signed_in = _sign_in(api)
    assert signed_in.status_code == 303
    cookie = signed_in.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "samesite=strict" in cookie.lower()
    assert "Path=/dashboard" in cookie
    assert "Secure" in cookie
    dashboard = client.get("/dashboard", params={"lang": "en"})
    assert dashboard.status_code == 200
    assert dashboard.headers["cache-control"] == "no-store"
    print(dashboard.text[dashboard.text.find("<main") :][:1500])
    assert dashboard.text.count('role="img"') == 5
    assert dashboard.text.count("<table") == 6  # every chart's, and the prices and remaining costs
    assert "Province of West Flanders" in dashboard.text
    csv = client.get("/dashboard/csv/schemes")
    assert csv.status_code == 200
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0] == "scheme,status,offers"
    assert "be-vl-opleidingscheques,eligible,1" in csv.text.splitlines()
    out = client.post("/dashboard/sign-out", data=_Page(dashboard.text).hidden, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/dashboard", follow_redirects=False).status_code == 303


def test_the_stats_api_counts_each_offer_once_per_scheme_and_province(api: Api, offers: dict[str, str]) -> None:
    stats = api.client.get("/api/v1/stats", headers=api.admin).json()
    assert {"scheme": "be-vl-opleidingscheques", "status": "eligible", "offers": 1} in stats["schemes"]
    provinces = {row["province"]: row for row in stats["provinces"]}
    assert provinces["BE25"] == {"province": "BE25", "offers": 2, "eligible_offers": 1}  # Oostende + pending
    assert provinces["BE33"] == {"province": "BE33", "offers": 1, "eligible_offers": 1}


def test_near_a_postcode_finds_the_offers_around_it(api: Api, offers: dict[str, str]) -> None:
    answer = api.client.get("/", params={"near_postcode": "4020", "radius_km": "10", "sort": "distance", "lang": "fr"})
    assert answer.status_code == 200
    found = {link.split("?")[0] for link in _Page(answer.text).links if link.startswith("/offers/")}
    assert found == {f"/offers/{offers['liege']}"}
    assert re.search(r"<dd>Liège \(\d+(,\d)? km\)</dd>", answer.text)  # how far it is


def _sign_in(api: Api, token: str = ADMIN_TOKEN) -> httpx.Response:
    """Sign in to the dashboard as a person does: load the form, send it back with its hidden fields."""
    form = api.client.get("/dashboard/sign-in", params={"lang": "en"})
    return api.client.post(
        "/dashboard/sign-in",
        data=_Page(form.text).hidden | {"token": token},
        params={"lang": "en"},
        follow_redirects=False,
    )


def test_the_api_documentation_is_a_page_of_the_register_itself(api: Api) -> None:
    answer = api.client.get("/schema")

    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    page = _Page(answer.text)
    assert page.scripts == []
    assert page.urls == []  # no CDN, no font service, nothing from elsewhere
    assert "/schema/openapi.json" in page.links
    assert "POST /api/v1/offers" in re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", answer.text))
    assert "Submit a new offer" in answer.text
    assert answer.headers["content-security-policy"] == STRICT_HTML_POLICY


def test_no_page_loads_anything_from_elsewhere_or_allows_inline_code(api: Api, offers: dict[str, str]) -> None:
    client = api.client
    client.base_url = "https://testserver.local"
    pages = {
        "search": client.get("/", params={"q": "boekhouding"}),
        "offer": client.get(f"/offers/{offers['oostende']}"),
        "offer gone": client.get(f"/offers/{offers['withdrawn']}"),
        "not found": client.get("/offers/00000000-0000-0000-0000-000000000000"),
        "sign-in": client.get("/dashboard/sign-in"),
        "api docs": client.get("/schema"),
        "api docs (slash)": client.get("/schema/"),
        "api docs (unknown page)": client.get("/schema/swagger"),
    }
    _sign_in(api)
    pages["dashboard"] = client.get("/dashboard")
    assert pages["dashboard"].status_code == 200
    for name, answer in pages.items():
        assert answer.headers["content-type"].startswith("text/html"), name
        policy = answer.headers["content-security-policy"]
        assert "'unsafe-inline'" not in policy, name
        assert "'unsafe-eval'" not in policy, name
        assert "https:" not in policy, name
        page = _Page(answer.text)
        assert page.external == [], name
        assert all(s.get("src") is None or s["src"].startswith("/") for s in page.scripts), name


# -- dashboard sessions --------------------------------------------------------------------------


def _session_cookie(answer: httpx.Response) -> str:
    cookie = next(c for c in answer.headers.get_list("set-cookie") if c.startswith("ila_dashboard="))
    return cookie.split(";", 1)[0].split("=", 1)[1]


def test_the_dashboard_cookie_is_a_session_id_not_the_token(api: Api, offers: dict[str, str]) -> None:
    api.client.base_url = "https://testserver.local"
    signed_in = _sign_in(api)
    assert signed_in.status_code == 303
    session = _session_cookie(signed_in)
    assert ADMIN_TOKEN not in session
    assert len(session) >= 43  # 256 random bits
    assert ADMIN_TOKEN not in " ".join(signed_in.headers.get_list("set-cookie"))
    assert api.client.get("/dashboard").status_code == 200


def test_after_sign_out_the_old_cookie_signs_nobody_in(api: Api, offers: dict[str, str]) -> None:
    client = api.client
    client.base_url = "https://testserver.local"
    session = _session_cookie(_sign_in(api))
    dashboard = client.get("/dashboard")
    assert client.post("/dashboard/sign-out", data=_Page(dashboard.text).hidden, follow_redirects=False).is_redirect

    client.cookies.set("ila_dashboard", session, domain="testserver.local", path="/dashboard")  # a stolen copy
    again = client.get("/dashboard", params={"lang": "en"}, follow_redirects=False)

    assert again.status_code == 303
    assert again.headers["location"] == "/dashboard/sign-in?lang=en"
    assert client.get("/dashboard/csv/schemes").status_code == 401


def test_a_session_ends_when_it_expires_or_its_token_is_revoked(
    api: Api, runtime: Services, clock: FakeClock, offers: dict[str, str]
) -> None:
    api.client.base_url = "https://testserver.local"
    reviewer = runtime.tokens.issue("reviewer")
    _sign_in(api, reviewer.token)
    assert api.client.get("/dashboard", follow_redirects=False).status_code == 200
    runtime.tokens.revoke(reviewer.id)
    assert api.client.get("/dashboard", follow_redirects=False).status_code == 303

    _sign_in(api)
    assert api.client.get("/dashboard", follow_redirects=False).status_code == 200
    clock.advance(seconds=runtime.settings.auth.session_lifetime_seconds + 1)
    assert api.client.get("/dashboard", follow_redirects=False).status_code == 303


def test_a_form_without_its_csrf_token_is_refused(api: Api, offers: dict[str, str]) -> None:
    client = api.client
    client.base_url = "https://testserver.local"
    form = _Page(client.get("/dashboard/sign-in").text).hidden
    assert form.get("csrf")
    no_token = client.post("/dashboard/sign-in", data={"token": ADMIN_TOKEN}, follow_redirects=False)
    wrong = client.post("/dashboard/sign-in", data={"token": ADMIN_TOKEN, "csrf": "x" * 43}, follow_redirects=False)
    assert (no_token.status_code, wrong.status_code) == (403, 403)
    assert "ila_dashboard=" not in " ".join(
        no_token.headers.get_list("set-cookie") + wrong.headers.get_list("set-cookie")
    )

    _sign_in(api)
    dashboard = client.get("/dashboard")
    csrf = _Page(dashboard.text).hidden["csrf"]
    assert csrf != form["csrf"]  # a token per session
    for data in ({}, {"csrf": form["csrf"]}, {"csrf": csrf + "x"}):
        refused = client.post("/dashboard/sign-out", data=data, follow_redirects=False)
        assert refused.status_code == 403, data
        assert client.get("/dashboard", follow_redirects=False).status_code == 200  # still signed in
    assert client.post("/dashboard/sign-out", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    assert client.get("/dashboard", follow_redirects=False).status_code == 303


def test_the_sign_in_form_takes_only_a_value_the_register_issued(
    api: Api, runtime: Services, clock: FakeClock, offers: dict[str, str]
) -> None:
    """A value the client picks (cookie and field alike), one from another register, or an expired one: 403."""
    client = api.client
    client.base_url = "https://testserver.local"
    for chosen in ("attacker", "x" * 43, "4102444800.nonce.0000"):
        client.cookies.set("ila_sign_in", chosen, path="/dashboard/sign-in")
        forged = client.post("/dashboard/sign-in", data={"token": ADMIN_TOKEN, "csrf": chosen}, follow_redirects=False)
        assert forged.status_code == 403, chosen
        assert "ila_dashboard=" not in " ".join(forged.headers.get_list("set-cookie"))
    client.cookies.clear()
    form = _Page(client.get("/dashboard/sign-in").text).hidden
    clock.advance(hours=2)  # the form was left open too long
    stale = client.post("/dashboard/sign-in", data=form | {"token": ADMIN_TOKEN}, follow_redirects=False)
    assert stale.status_code == 403
    assert _sign_in(api).status_code == 303  # a fresh form goes through


def test_the_session_cookie_is_secure_even_on_an_http_base_uri(api: Api, runtime: Services) -> None:
    assert runtime.settings.http.cookie_secure  # the default
    http_only = _settings_with(runtime.settings, base_uri="http://127.0.0.1:8000")
    runtime.settings = http_only
    api.client.base_url = "https://testserver.local"
    cookie = next(c for c in _sign_in(api).headers.get_list("set-cookie") if c.startswith("ila_dashboard="))
    assert "Secure" in cookie
    assert "HttpOnly" in cookie


def test_plain_http_development_can_turn_secure_off() -> None:
    assert Settings.from_env({}).http.cookie_secure
    assert not Settings.from_env({"ILA_COOKIE_SECURE": "0"}).http.cookie_secure


def _settings_with(settings: Settings, **http: object) -> Settings:
    return msgspec.structs.replace(settings, http=msgspec.structs.replace(settings.http, **http))


def _offer_links(html: str) -> set[str]:
    return {link.split("?")[0] for link in _Page(html).links if link.startswith("/offers/")}


@pytest.mark.parametrize("region", ["west-vlaanderen", "BE25", "BE255"])
def test_the_page_reads_a_region_as_the_api_does(api: Api, offers: dict[str, str], region: str) -> None:
    api_answer = api.client.get("/api/v1/search", params={"region": region, "lang": "en"})
    assert api_answer.status_code == 200, api_answer.text
    found = {f"/offers/{hit['id']}" for hit in api_answer.json()["hits"]}
    assert found == {f"/offers/{offers['oostende']}"}  # Oostende lies in West-Vlaanderen (BE255)
    page = api.client.get("/", params={"region": region, "lang": "en"})
    assert page.status_code == 200, page.text
    assert _offer_links(page.text) == found
    code = "BE255" if region == "BE255" else "BE25"
    assert re.search(rf'<option value="{code}" selected>', page.text), "the select shows the region searched"


@pytest.mark.parametrize(
    ("parameter", "value"),
    [("region", "atlantis"), ("status", "astronaut"), ("kind", "magic"), ("mode", "telepathy"), ("language", "xx")],
)
def test_an_unknown_code_is_a_field_error_not_ignored(
    api: Api, offers: dict[str, str], parameter: str, value: str
) -> None:
    api_answer = api.client.get("/api/v1/search", params={parameter: value})
    assert api_answer.status_code == 422
    assert [e["parameter"] for e in api_answer.json()["errors"]] == [parameter]
    page = api.client.get("/", params={parameter: value, "lang": "en"})
    assert page.status_code == 422, page.text
    summary = re.search(r'<div class="error-summary".*?</div>', page.text, re.S)
    assert summary is not None, "an error summary"
    assert f'href="#{parameter}"' in summary.group(0)
    assert value in summary.group(0)
    assert f'id="{parameter}"' in page.text  # the summary's link leads to the field


# -- "What will this cost me?" -------------------------------------------------------------------

SITUATION = {"status": "employee", "residence": "BE21", "work": "BE21"}


def _you_pay(html: str) -> str:
    """The amount of the first "you pay" on a page (as the citizen reads it)."""
    found = re.search(r'<p class="amount"><strong>You pay ([^<]+)</strong>', html)
    assert found is not None, "a 'you pay' amount"
    return found.group(1)


def _as_api_amount(shown: str) -> str:
    """ "370,00 €" as the API writes it: "370.00"."""
    return shown.replace("\xa0", "").replace("€", "").replace(".", "").replace(",", ".").strip()


def test_the_offer_page_says_what_the_citizen_pays_and_why(api: Api, offers: dict[str, str]) -> None:
    answer = api.client.get(f"/offers/{offers['oostende']}", params={"lang": "en", **SITUATION})
    assert answer.status_code == 200, answer.text
    assert _you_pay(answer.text) == "370,00\xa0€"  # €495 less the training vouchers' €125 a year
    assert "Training vouchers for employees (Flanders) pays 125,00\xa0€" in answer.text
    # The explanation opens with one click, without JavaScript: each step's sentence in English.
    details = re.search(r'<details id="cost-explained">.*?</details>', answer.text, re.S)
    assert details is not None
    assert "<summary>How is this calculated?</summary>" in details.group(0)
    assert "half of 495,00\xa0€, at most 125,00\xa0€ a year → 125,00\xa0€" in details.group(0)
    assert "indicative" not in answer.text.lower()  # this scheme's amounts are sourced
    # What the figures assume, and the form shows it chosen.
    assert "Amounts for: Employees, lives in Province of Antwerp, works in Province of Antwerp" in answer.text
    assert re.search(r'<select id="residence" name="residence">.*?<option value="BE21" selected>', answer.text, re.S)
    # In French, the same figures in French.
    french = api.client.get(f"/offers/{offers['oostende']}", params={"lang": "fr", **SITUATION})
    assert "Vous payez 370,00\xa0€" in french.text
    assert "moitié" in french.text


def test_paid_leave_is_shown_in_hours_and_indicative_figures_say_so(api: Api, offers: dict[str, str]) -> None:
    answer = api.client.get(f"/offers/{offers['liege']}", params={"lang": "en", "status": "employee", "work": "BE33"})
    assert answer.status_code == 200, answer.text
    cost = re.search(r'<div class="you-pay">.*?</details>', answer.text, re.S)
    assert cost is not None
    assert "hours of paid leave" in cost.group(0)
    assert "€" not in re.search(r'<p class="paying">([^<]*)</p>', cost.group(0)).group(1)  # type: ignore[union-attr]
    assert '<span class="badge">indicative</span>' in cost.group(0)
    assert "Indicative: some amounts do not come from the legal texts" in cost.group(0)


def test_without_a_situation_the_offer_page_invites_to_give_it(api: Api, offers: dict[str, str]) -> None:
    answer = api.client.get(f"/offers/{offers['oostende']}", params={"lang": "en"})
    assert answer.status_code == 200
    assert "Fill in “My situation”" in answer.text
    assert 'class="amount"' not in answer.text
    page = _Page(answer.text)
    assert {"status", "residence", "work"} <= page.labels_for  # every field of the form has its label
    assert "<legend>My situation</legend>" in answer.text
    # A status alone filters the results; it asks for no place and prices nothing.
    status_only = api.client.get("/", params={"lang": "en", "status": "employee"})
    assert status_only.status_code == 200
    assert 'class="amount"' not in status_only.text


@pytest.mark.parametrize("path", ["/", "offer"])
def test_a_bad_situation_is_a_field_error_next_to_the_field(api: Api, offers: dict[str, str], path: str) -> None:
    url = f"/offers/{offers['oostende']}" if path == "offer" else "/"
    answer = api.client.get(url, params={"lang": "en", "status": "astronaut", "residence": "atlantis"})
    assert answer.status_code == 422, answer.text
    summary = re.search(r'<div class="error-summary".*?</div>', answer.text, re.S)
    assert summary is not None
    assert 'href="#status"' in summary.group(0)
    assert 'href="#residence"' in summary.group(0)
    assert '<p class="field-error" id="status-error">' in answer.text
    assert "“atlantis” is not a place the register knows" in answer.text
    assert 'id="residence" name="residence" aria-invalid="true" aria-describedby="residence-error"' in answer.text
    # A place without a status asks for the status.
    no_status = api.client.get(url, params={"lang": "en", "work": "BE211"})
    assert no_status.status_code == 422
    assert "Choose your status to see what you pay." in no_status.text


def test_every_link_keeps_the_situation_and_nothing_is_stored(api: Api, offers: dict[str, str]) -> None:
    answer = api.client.get("/", params={"lang": "en", "q": "bookkeeping", **SITUATION})
    assert answer.status_code == 200, answer.text
    assert "set-cookie" not in answer.headers
    page = _Page(answer.text)
    kept = {"status": ["employee"], "residence": ["BE21"], "work": ["BE21"]}
    offer_links = [link for link in page.links if link.startswith("/offers/")]
    assert offer_links
    for link in offer_links + [link for link in page.links if link.startswith("/?")]:
        query = parse_qs(urlsplit(link.replace("&amp;", "&")).query)
        assert {k: v for k, v in query.items() if k in kept} == kept, link
    for language in ("nl", "fr", "de"):  # the language switch
        switch = re.search(rf'href="([^"]+)" hreflang="{language}"', answer.text)
        assert switch is not None
        assert parse_qs(urlsplit(switch.group(1).replace("&amp;", "&")).query)["residence"] == ["BE21"]
    # The offer page and its way back keep it too, and store nothing either.
    offer = api.client.get(offer_links[0].replace("&amp;", "&"))
    assert offer.status_code == 200
    assert "set-cookie" not in offer.headers
    back = re.search(r'<p class="back"><a href="([^"]+)"', offer.text)
    assert back is not None
    assert {k: v for k, v in parse_qs(urlsplit(back.group(1).replace("&amp;", "&")).query).items() if k in kept} == kept
    form = re.search(r'<form method="get" action="([^"]+)" class="situation-form"', offer.text)
    assert form is not None
    assert form.group(1) == f"/offers/{offers['oostende']}"
    # A province's name is read as the API reads it, and carried on as its code.
    named = api.client.get("/", params={"lang": "en", **SITUATION, "work": "antwerpen"})
    assert named.status_code == 200
    assert all("work=BE21" in link for link in _Page(named.text).links if link.startswith("/offers/"))


@pytest.mark.parametrize(
    "situation",
    [
        {"status": "employee", "residence": "BE211", "work": "BE211"},
        {"status": "employee", "residence": "BE100", "work": "BE211"},
        {"status": "jobseeker", "residence": "BE211"},
        {"status": "employee", "work": "BE310"},
        {"status": "self-employed", "residence": "BE251", "work": "BE100"},
    ],
)
def test_the_offer_page_and_the_api_show_the_same_figures(
    api: Api, offers: dict[str, str], situation: dict[str, str]
) -> None:
    for offer in ("oostende", "liege"):
        cost = api.client.get(f"/api/v1/offers/{offers[offer]}/cost", params=situation)
        assert cost.status_code == 200, cost.text
        page = api.client.get(f"/offers/{offers[offer]}", params={"lang": "en", **situation})
        assert page.status_code == 200, page.text
        assert _as_api_amount(_you_pay(page.text)) == cost.json()["you_pay"], (offer, situation)


# Situations a citizen may give the page, covering each region, several statuses and commuters.
DEMO_SITUATIONS = [
    {"status": "employee", "residence": "BE21", "work": "BE21"},
    {"status": "jobseeker", "residence": "BE23"},
    {"status": "employee", "residence": "BE1", "work": "BE1"},
    {"status": "employee", "residence": "BE33", "work": "BE1"},
    {"status": "self-employed", "work": "BE25"},
    {"status": "not-working", "residence": "BE35"},
    {"status": "employee", "residence": "BE3", "work": "BE2"},
]


def test_the_page_and_the_api_show_the_same_figures_for_every_demo_offer(api: Api, runtime: Services) -> None:
    seed_demo(runtime.settings, show_progress=False)
    runtime.drain()
    ids: list[str] = []
    for number in range(1, 5):
        hits = api.client.get("/api/v1/search", params={"per_page": 100, "page": number}).json()["hits"]
        ids += [hit["id"] for hit in hits]
    assert len(ids) > 200
    for n, offer_id in enumerate(ids):
        situation = DEMO_SITUATIONS[n % len(DEMO_SITUATIONS)]
        cost = api.client.get(f"/api/v1/offers/{offer_id}/cost", params=situation)
        assert cost.status_code == 200, cost.text
        page = api.client.get(f"/offers/{offer_id}", params={"lang": "en", **situation})
        assert page.status_code == 200, page.text
        figures = cost.json()
        assert _as_api_amount(_you_pay(page.text)) == figures["you_pay"], (offer_id, situation)
        sentences = re.findall(r"<li>([^<]+)(?: <span class=\"badge\">indicative</span>)?</li>", _explained(page.text))
        assert [html.unescape(s) for s in sentences] == [s["explanation"]["en"] for s in figures["steps"]], offer_id


def _explained(text: str) -> str:
    found = re.search(r'<ol class="steps">.*?</ol>', text, re.S)
    return found.group(0) if found else ""


def test_each_result_says_what_the_citizen_pays(api: Api, offers: dict[str, str]) -> None:
    answer = api.client.get("/", params={"lang": "en", **SITUATION})
    assert answer.status_code == 200, answer.text
    hits = _hits(answer.text)
    assert hits[f"/offers/{offers['oostende']}"] == "370,00\xa0€"
    block = re.search(rf'<a href="/offers/{offers["oostende"]}.*?</details>', answer.text, re.S)
    assert block is not None
    assert "Training vouchers for employees (Flanders) pays 125,00\xa0€" in block.group(0)
    assert "<summary>How is this calculated?</summary>" in block.group(0)
    # With a situation the page offers to sort by it and to filter on it; without, it does not.
    assert '<option value="you_pay">Cheapest for me</option>' in answer.text
    assert 'id="you_pay_max"' in answer.text
    plain = api.client.get("/", params={"lang": "en"})
    assert "you_pay" not in plain.text
    assert "How is this calculated?" not in plain.text


def _hits(text: str) -> dict[str, str]:
    """Each result's offer link (without its query) and the amount it says the citizen pays."""
    found = {}
    hits = text.split('<ol class="hits"', 1)[-1].split("</section>", 1)[0]
    for block in hits.split('<li class="hit">')[1:]:
        link = re.search(r'<h3><a href="(/offers/[^"?]+)', block)
        amount = re.search(r'<p class="amount"><strong>You pay ([^<]+)</strong>', block)
        assert link is not None, block
        assert amount is not None, block
        found[link.group(1)] = amount.group(1)
    return found


def test_the_results_and_the_offer_pages_show_the_same_figures_for_the_demo(api: Api, runtime: Services) -> None:
    seed_demo(runtime.settings, show_progress=False)
    runtime.drain()
    for situation in DEMO_SITUATIONS:
        shown: dict[str, str] = {}
        for number in (1, 2):
            page = api.client.get("/", params={"lang": "en", **situation, "page": number})
            assert page.status_code == 200, page.text
            found = _hits(page.text)
            # the offers a scheme serving this citizen funds, over one or two pages
            assert found or number == 2, (number, situation)
            assert not set(found) & set(shown), "page 2 repeats page 1"
            shown |= found
            if len(found) < 20:
                break
        for link, amount in shown.items():
            offer = api.client.get(link, params={"lang": "en", **situation})
            assert _you_pay(offer.text) == amount, (link, situation)
        # Cheapest for me: what the citizen pays, from the least; at most: never more.
        cheapest = api.client.get("/", params={"lang": "en", **situation, "sort": "you_pay"})
        amounts = [Decimal(_as_api_amount(a)) for a in _hits(cheapest.text).values()]
        assert amounts == sorted(amounts), situation
        capped = api.client.get("/", params={"lang": "en", **situation, "you_pay_max": "100"})
        assert all(Decimal(_as_api_amount(a)) <= 100 for a in _hits(capped.text).values()), situation


# -- what published offers cost, per scheme ------------------------------------------------------

CREDIT = "be-vl-opleidingstegoed"  # jobseekers: all of the price up to €500 a year; others up to €250


def _priced_offers(api: Api, runtime: Services) -> dict[str, str]:
    """Four published offers of the training credit (€100, €300, €700, €900), one of the training
    vouchers (€495), one still waiting for review and one withdrawn (neither counts)."""
    _provider, token = api.register_provider()
    ids: dict[str, str] = {}
    for reference, amount, scheme in (
        ("P100", "100.00", CREDIT),
        ("P300", "300.00", CREDIT),
        ("P700", "700.00", CREDIT),
        ("P900", "900.00", CREDIT),
        ("P495", "495.00", "be-vl-opleidingscheques"),
        ("PEND", "5.00", CREDIT),
        ("GONE", "1400.00", CREDIT),
    ):
        ids[reference] = api.submit(
            token, reference=reference, price={"amount": amount, "currency": "EUR"}, schemes_requested=[scheme]
        )["id"]
        if reference != "PEND":
            answer = api.client.post(
                f"/api/v1/offers/{ids[reference]}/decisions",
                headers=api.admin | api.if_match(ids[reference]),
                json={"scheme": scheme, "decision": "eligible"},
            )
            assert answer.status_code == 200, answer.text
    assert api.client.delete(f"/api/v1/offers/{ids['GONE']}", headers=api.auth(token)).status_code == 200
    runtime.drain()
    return ids


def _row(html: str, heading: str) -> list[str]:
    """The cells of the row the prices and remaining costs table heads with ``heading``, as text."""
    html = html[html.index('id="costs-heading"') :]
    html = html[: html.index("</section>")]
    found = re.search(r'<tr><th scope="row">' + re.escape(heading) + r"</th>(.*?)</tr>", html)
    assert found, heading
    return re.findall(r"<td>(.*?)</td>", found.group(1))


def test_the_dashboard_shows_each_schemes_median_price_and_remaining_cost(
    api: Api, runtime: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _priced_offers(api, runtime)
    monkeypatch.setattr(scheme_costs, "PAGE", 2)  # the offers are read over several pages
    client = api.client
    client.base_url = "https://testserver.local"
    assert _sign_in(api).status_code == 303

    page = client.get("/dashboard", params={"lang": "en"})
    assert page.status_code == 200
    html = page.text.replace("\xa0", " ")
    assert "Price and remaining cost per scheme" in html
    # Four offers: the median price is the mean of €300 and €700; what is left after the credit
    # alone differs by status (jobseekers €0, €0, €200, €400; the others €0, €50, €450, €650).
    assert _row(html, "Individual training credit (Flanders)") == [
        "Flemish Region",
        "4",
        "500,00 €",
        "Employees, Self-employed persons, Persons not in employment: 250,00 € (indicative); "
        "Jobseekers: 100,00 € (indicative)",
    ]
    # One offer: half of €495, at most €125 a year, sourced (not indicative).
    assert _row(html, "Training vouchers for employees (Flanders)") == ["Flemish Region", "1", "495,00 €", "370,00 €"]
    # A national scheme's citizen lives in Brussels; with no offers there is no median.
    assert _row(html, "Federal individual training right") == ["Brussels-Capital Region", "0", "–", "–"]  # noqa: RUF001
    assert "the Brussels-Capital Region for a scheme of the whole country" in html  # the footnote says how
    dutch = client.get("/dashboard", params={"lang": "nl"}).text
    assert "Resterende kost: wat van de prijs overblijft nadat alleen deze regeling betaald heeft" in dutch

    csv = client.get("/dashboard/csv/scheme-costs")
    assert csv.status_code == 200
    assert csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.splitlines()
    assert lines[0] == (
        "scheme,citizen_status,citizen_region,currency,offers,median_price,median_remaining_cost,indicative"
    )
    assert [line for line in lines if line.startswith(CREDIT + ",")] == [
        f"{CREDIT},employee,BE2,EUR,4,500.00,250.00,true",
        f"{CREDIT},jobseeker,BE2,EUR,4,500.00,100.00,true",
        f"{CREDIT},self-employed,BE2,EUR,4,500.00,250.00,true",
        f"{CREDIT},not-working,BE2,EUR,4,500.00,250.00,true",
    ]
    assert "be-vl-opleidingscheques,employee,BE2,EUR,1,495.00,370.00,false" in lines
    assert "be-fed-opleidingsrecht,employee,BE1,EUR,0,,,true" in lines  # its leave hours are illustrative

    # The figures are kept between views, and follow the next change of what is published.
    refused = api.client.post(
        f"/api/v1/offers/{ids['P495']}/decisions",
        headers=api.admin | api.if_match(ids["P495"]),
        json={"scheme": "be-vl-opleidingscheques", "decision": "rejected", "reason": "no longer recognised"},
    )
    assert refused.status_code == 200, refused.text
    runtime.drain()
    after = client.get("/dashboard", params={"lang": "en"}).text.replace("\xa0", " ")
    assert _row(after, "Training vouchers for employees (Flanders)") == ["Flemish Region", "0", "–", "–"]  # noqa: RUF001
