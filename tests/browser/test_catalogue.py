"""What citizens and policy officers do in a real browser: search, filter, paginate, switch
language, open an offer, read the dashboard; on a desktop and a 360 px phone, keyboard only too,
with zero axe-core violations and no request leaving the register."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from support import ADMIN_TOKEN

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def _query(page: Any) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def _result_count(page: Any) -> int:
    heading = page.locator("#results-heading").inner_text()
    return int(re.sub(r"\D", "", heading.split(" ")[0]) or 0)


def test_search_filter_paginate_switch_language_and_open_an_offer(visit: Any, artifacts: Path) -> None:
    page = visit.page
    name = "phone" if page.viewport_size["width"] < 400 else "desktop"
    visit.go("/")
    assert page.locator("html").get_attribute("lang") == "nl"  # from Accept-Language (nl-BE)
    everything = _result_count(page)
    assert everything > 100

    # Search.
    page.get_by_label("Wat wilt u leren?").fill("boekhouding")
    page.get_by_label("Wat wilt u leren?").press("Enter")
    page.wait_for_url(re.compile(r"q=boekhouding"))
    found = _result_count(page)
    assert 0 < found < everything
    assert page.locator(".hit mark").count() > 0  # the words found are marked

    # Filter: only training, then clear the query to have several pages.
    visit.go("/?lang=nl")
    page.locator("#kind-training").check()
    page.get_by_role("button", name="Filters toepassen").click()
    page.wait_for_url(re.compile(r"kind=training"))
    trainings = _result_count(page)
    assert 20 < trainings < everything
    label = page.locator("label[for=kind-training]").inner_text()
    assert f"({trainings})" in label  # the count shown next to the filter is what it gives
    guidance = int(re.sub(r"\D", "", page.locator("label[for=kind-guidance]").inner_text()))
    assert 0 < guidance < everything  # and the other kinds still say what choosing them would add
    if name == "desktop":
        page.screenshot(path=str(artifacts / "desktop-search.png"), full_page=False)

    # Paginate.
    page.get_by_role("link", name="Volgende").click()
    page.wait_for_url(re.compile(r"page=2"))
    assert page.locator(".pagination [aria-current=page]").inner_text() == "2"
    assert page.locator(".hits").get_attribute("start") == "21"

    # Switch language: the search is kept, the language is in the URL.
    page.get_by_role("link", name="Français").click()
    page.wait_for_url(re.compile(r"lang=fr"))
    assert page.locator("html").get_attribute("lang") == "fr"
    assert _query(page)["kind"] == ["training"]
    assert _query(page)["page"] == ["2"]
    assert page.get_by_role("button", name="Appliquer les filtres").is_visible() or name == "phone"

    # Open an offer.
    first = page.locator(".hit h3 a").first
    title = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/offers/"))
    assert page.locator("h1").inner_text() == title
    assert page.locator("html").get_attribute("lang") == "fr"
    enrol = page.get_by_role("link", name="S'inscrire auprès du prestataire")
    assert enrol.get_attribute("href").startswith("https://")
    json_ld = json.loads(page.locator("script[type='application/ld+json']").text_content())
    assert "@context" in json_ld
    assert page.locator("link[rel=alternate][type='text/turtle']").count() == 1
    page.screenshot(path=str(artifacts / f"{name}-offer.png"), full_page=False)
    page.get_by_role("link", name="Retour à la recherche").click()
    assert _query(page)["kind"] == ["training"]  # back to the same results
    assert visit.console_errors == []


def test_the_first_screen_of_a_phone_shows_the_search_box_and_results(browser: Any, site: str) -> None:
    context = browser.new_context(viewport=PHONE, locale="nl-BE", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(site + "/")
    height = PHONE["height"]
    search_box = page.locator("#q").bounding_box()
    first_result = page.locator(".hit h3 a").first.bounding_box()
    assert search_box["y"] + search_box["height"] <= height
    assert first_result["y"] + first_result["height"] <= height
    # Nothing wider than the phone: no sideways scrolling, on the offer page either.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.locator(".hit h3 a").first.click()
    page.wait_for_url(re.compile(r"/offers/"))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()


# Below the search box come only the "Filters" link (phones) and the result count: no blank band.
MAX_GAP_PX = 60


@pytest.mark.parametrize(
    ("kind", "path"),
    [("many", "/"), ("few", "/?q=boekhouding"), ("none", "/?q=zzyzxwvq"), ("last-page", "/?page=12")],
)
def test_the_result_count_follows_the_search_box_without_a_blank_band(
    visit: Any, artifacts: Path, kind: str, path: str
) -> None:
    page = visit.page
    name = "phone" if page.viewport_size["width"] < 400 else "desktop"
    visit.go(path)
    search_box = page.locator(".searchbox").bounding_box()
    count = page.locator("#results-heading").bounding_box()
    page.screenshot(path=str(artifacts / f"{name}-results-{kind}.png"), full_page=False)
    gap = count["y"] - (search_box["y"] + search_box["height"])
    assert 0 <= gap <= MAX_GAP_PX, f"{gap:.0f} px between the search box and the result count ({name}, {path})"


def test_everything_works_with_the_keyboard_and_focus_is_visible(visit: Any) -> None:
    page = visit.page
    visit.go("/")
    page.keyboard.press("Tab")
    skip = page.evaluate("document.activeElement.textContent")
    assert skip == "Naar de inhoud"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # Tab to the search box, type, submit with Enter.
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "q":
            break
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("boekhouding")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=boekhouding"))
    # Tab to the first result and open it with Enter; every stop on the way shows where focus is.
    for _ in range(30):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "[document.activeElement.closest('.hit') !== null, getComputedStyle(document.activeElement).outlineStyle]"
        )
        assert focused[1] != "none"
        if focused[0]:
            break
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/offers/"))
    # Filters are reachable and operable: a checkbox toggles with the space bar.
    visit.go("/")
    page.locator("#kind-guidance").focus()
    page.keyboard.press("Space")
    assert page.locator("#kind-guidance").is_checked()


def _sign_in(visit: Any) -> None:
    page = visit.page
    visit.go("/dashboard?lang=en")
    page.wait_for_url(re.compile(r"/dashboard/sign-in"))
    page.get_by_label("API token").fill(ADMIN_TOKEN)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/dashboard\?lang=en"))


def test_the_dashboard_shows_charts_tables_and_csv(visit: Any, artifacts: Path) -> None:
    page = visit.page
    _sign_in(visit)
    charts = page.locator("svg[role=img]")
    assert charts.count() == 5
    assert all(charts.nth(i).is_visible() for i in range(5))
    names = [page.locator(f"#{charts.nth(i).get_attribute('aria-labelledby')}").text_content() for i in range(5)]
    assert names[0] == "Offers per scheme and decision"
    table = page.locator("#schemes-heading ~ details table")
    assert not table.is_visible()
    page.locator("#schemes-heading ~ details summary").click()
    assert table.is_visible()
    assert table.locator("tbody tr").count() >= 10
    link = page.get_by_role("link", name="Download as CSV: Offers per scheme and decision")
    assert link.get_attribute("download") is not None
    csv = page.request.get(visit.site + link.get_attribute("href"))  # with the tab's session cookie
    assert csv.ok
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text().splitlines()[0] == "scheme,status,offers"
    if page.viewport_size["width"] > 400:
        page.screenshot(path=str(artifacts / "desktop-dashboard.png"), full_page=True)
    page.get_by_role("button", name="Sign out").click()
    visit.go("/dashboard")
    assert "/dashboard/sign-in" in page.url


def test_a_sentence_finds_offers_and_the_page_says_which_words_it_ignored(visit: Any) -> None:
    page = visit.page
    visit.go("/?lang=nl")
    box = page.get_by_label("Wat wilt u leren?")
    box.fill("ik wil een cursus boekhouding xyzzyq volgen")
    box.press("Enter")
    page.wait_for_url(re.compile(r"q=ik"))
    assert _result_count(page) > 0
    ignored = page.locator("#ignored-words")
    assert ignored.is_visible()
    assert "xyzzyq" in ignored.inner_text()
    assert "boekhouding" not in ignored.inner_text()
    assert page.locator("#online-everywhere").inner_text().startswith("Online aanbod blijft zichtbaar")
    # German words on a French page: the words are marked as German, the titles carry their own language.
    visit.go("/?lang=fr&q=Gabelstapler+xyzzyq")
    assert page.locator("#ignored-words s").first.get_attribute("lang") == "de"
    for title in page.locator(".hit h3 a").all()[:5]:
        assert title.get_attribute("lang") in {None, "nl", "de", "en"}
    # An offer with no Dutch text, found by German words on a Dutch page: shown in German, and said so.
    visit.go("/?lang=nl&q=Gabelstapler")
    first = page.locator(".hit").first
    assert first.locator("h3 a").get_attribute("lang") == "de"
    assert first.locator(".snippet").get_attribute("lang") == "de"
    assert first.locator(".snippet mark").first.inner_text() == "Gabelstapler"
    assert visit.console_errors == []


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?q=boekhouding&kind=training&free=true",
        "/?q=cursus+boekhouding+xyzzyq",
        "offer",
        "dashboard",
        "/provider/sign-in",
        "provider-offers",
        "part:/specification",  # the pages for people of an offer's parts (where its persistent URIs send a browser)
        "part:/session/*/location",  # the first session's place (a session's URI is keyed by its first day)
    ],
)
def test_axe_finds_no_accessibility_violations(browser: Any, site: str, axe_source: str, path: str) -> None:
    for viewport in (DESKTOP, PHONE):
        # axe is injected as a script, which the register's own CSP forbids: this context bypasses it.
        context = browser.new_context(viewport=viewport, locale="nl-BE", bypass_csp=True)
        page = context.new_page()
        try:
            if path == "offer" or path.startswith("part:"):
                page.goto(site + "/")
                page.locator(".hit h3 a").first.click()
                page.wait_for_url(re.compile(r"/offers/"))
                if path.startswith("part:"):
                    offer_id = page.url.split("/offers/", 1)[1].split("?")[0]
                    part = f"{site}/id/learning-opportunity/{offer_id}{path.removeprefix('part:')}"
                    deadline = time.monotonic() + 60  # the publisher of the just started site may still be at work
                    while "*" in part or page.request.get(part).status != 200:
                        if "*" in part:  # the first such IRI of the offer's graph
                            graph = page.request.get(f"{site}/id/learning-opportunity/{offer_id}?format=nt").text()
                            pattern = re.escape(part.removeprefix(site)).replace(r"\*", "[^/>]+")
                            found = re.search(pattern, graph)
                            part = site + found.group(0) if found else part
                        if time.monotonic() > deadline:
                            break
                        time.sleep(0.5)
                    page.goto(part)
                    assert "/page/id/" in page.url  # the browser was sent on (303) to the page for people
            elif path == "dashboard":
                page.goto(site + "/dashboard")
                page.locator("#token").fill(ADMIN_TOKEN)
                page.locator("form.sign-in button").click()
                page.wait_for_url(re.compile(r"/dashboard\?"))
                page.locator("details summary").first.click()  # check an open table too
            elif path == "provider-offers":
                page.goto(site + "/provider/sign-in")
                page.locator("#token").fill(_provider_token(page, site))
                page.locator("form.sign-in button").click()
                page.wait_for_url(re.compile(r"/provider/offers\?"))
                assert page.locator("table.my-offers tbody tr").count() > 0
            else:
                page.goto(site + path)
            page.add_script_tag(content=axe_source)
            report = page.evaluate(
                "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
            )
            problems = [
                f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
                for v in report["violations"]
            ]
            assert problems == [], f"{path} at {viewport['width']} px"
            assert len(report["passes"]) > 20  # axe really ran
        finally:
            context.close()


def _provider_token(page: Any, site: str) -> str:
    """A demo provider's API token, newly issued by the administrator (the demo shows none)."""
    admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    providers = page.request.get(f"{site}/api/v1/providers", headers=admin).json()
    first = (providers["items"] if isinstance(providers, dict) else providers)[0]["id"]
    issued = page.request.post(f"{site}/api/v1/providers/{first}/token", headers=admin, data={"label": "browser"})
    assert issued.status == 201, issued.text()
    return str(issued.json()["token"])


def test_no_request_leaves_the_register_and_the_csp_holds(visit: Any) -> None:
    page = visit.page
    visit.go("/?q=boekhouding")
    page.locator(".hit h3 a").first.click()
    page.wait_for_url(re.compile(r"/offers/"))
    _sign_in(visit)
    assert visit.requests
    outside = [url for url in visit.requests if not url.startswith(visit.site)]
    assert outside == []
    assert [e for e in visit.console_errors if "Content Security Policy" in e] == []
    answer = page.request.get(visit.site + "/")
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    assert "'unsafe-inline'" not in answer.headers["content-security-policy"]


@pytest.mark.parametrize("language", ["nl", "fr", "de", "en"])
def test_no_page_is_wider_than_a_360_px_phone_in_any_language(browser: Any, site: str, language: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 800}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        for path in (f"/?lang={language}", f"/?q=boekhouding&lang={language}", f"/provider/sign-in?lang={language}"):
            page.goto(site + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            wide = page.evaluate(
                """() => [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
                    .slice(0, 5)
                    .map(e => e.tagName + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : ''))"""
            )
            assert width <= 360, f"{path}: {width} px wide; too wide: {wide}"
    finally:
        context.close()
