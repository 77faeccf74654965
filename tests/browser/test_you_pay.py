"""What will this cost me? A citizen gives "My situation" and sees what they pay, in a real browser:
at 360 px, without JavaScript for what matters, with zero axe-core violations."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

PHONE = {"width": 360, "height": 740}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]  # as test_catalogue.py

# An employee living and working in the province of Antwerp (the training vouchers serve them).
SITUATION = "status=employee&residence=BE21&work=BE21"


def _phone(browser: Any, *, javascript: bool = True, bypass_csp: bool = False) -> Any:
    return browser.new_context(
        viewport=PHONE,
        locale="nl-BE",
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
        java_script_enabled=javascript,
        bypass_csp=bypass_csp,
    )


def _axe(page: Any, axe_source: str) -> list[str]:
    page.add_script_tag(content=axe_source)
    report = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    assert len(report["passes"]) > 20  # axe really ran
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in report["violations"]
    ]


def _not_wider_than_the_phone(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_citizen_gives_their_situation_on_a_phone_without_javascript(browser: Any, site: str) -> None:
    context = _phone(browser, javascript=False)
    page = context.new_page()
    try:
        page.goto(site + "/?lang=nl&q=boekhouding")
        form = page.locator("#situation")
        assert form.locator("legend").inner_text() == "Mijn situatie"
        page.get_by_label("Uw statuut").select_option("employee")
        page.get_by_label("Waar u woont").select_option("BE21")
        page.get_by_label("Waar u werkt").select_option("BE21")
        page.get_by_role("button", name="Toon wat ik betaal").click()
        page.wait_for_url(re.compile(r"residence=BE21"))
        query = parse_qs(urlsplit(page.url).query)
        assert (query["status"], query["residence"], query["work"], query["q"]) == (
            ["employee"],
            ["BE21"],
            ["BE21"],
            ["boekhouding"],
        )
        assert context.cookies() == []  # remembered in the URL only
        _not_wider_than_the_phone(page)
        # The first result leads to its offer page, which says what this citizen pays.
        page.locator(".hit h3 a").first.click()
        page.wait_for_url(re.compile(r"/offers/.*residence=BE21"))
        amount = page.locator(".cost .you-pay .amount")
        assert amount.inner_text().startswith("U betaalt ")
        details = page.locator("#cost-explained")
        assert details.get_attribute("open") is None
        page.locator("#cost-explained summary").click()  # one click, no script
        assert details.get_attribute("open") is not None
        assert page.locator("#cost-explained .steps li").first.is_visible()
        _not_wider_than_the_phone(page)
        assert context.cookies() == []
    finally:
        context.close()


def test_the_situation_form_and_the_offer_page_have_no_axe_violations(browser: Any, site: str, axe_source: str) -> None:
    context = _phone(browser, bypass_csp=True)  # axe is injected as a script, which the register's CSP forbids
    page = context.new_page()
    try:
        page.goto(site + f"/?lang=nl&{SITUATION}")
        page.locator("#situation").scroll_into_view_if_needed()
        assert _axe(page, axe_source) == [], "the search page with My situation"
        # An error next to its field is accessible too.
        page.goto(site + "/?lang=nl&status=astronaut&residence=BE21")
        assert page.locator("#status-error").is_visible()
        assert _axe(page, axe_source) == [], "a wrong status"
        page.goto(site + f"/?lang=nl&{SITUATION}")
        page.locator(".hit h3 a").first.click()
        page.wait_for_url(re.compile(r"/offers/"))
        page.locator("#cost-explained summary").click()
        assert _axe(page, axe_source) == [], "the offer page with its explanation open"
        # Without a situation, the invitation.
        page.goto(page.url.split("?")[0] + "?lang=nl")
        assert page.locator(".invite").is_visible()
        assert _axe(page, axe_source) == [], "the offer page without a situation"
    finally:
        context.close()


def test_the_explanation_opens_with_the_keyboard_and_shows_focus(browser: Any, site: str, artifacts: Path) -> None:
    context = _phone(browser)
    page = context.new_page()
    try:
        page.goto(site + f"/?lang=nl&{SITUATION}")
        page.locator(".hit h3 a").first.click()
        page.wait_for_url(re.compile(r"/offers/"))
        summary = page.locator("#cost-explained summary")
        summary.focus()
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
        page.keyboard.press("Enter")
        assert page.locator("#cost-explained").get_attribute("open") is not None
        page.locator(".cost").screenshot(path=str(artifacts / "phone-offer-you-pay.png"))
    finally:
        context.close()


def test_a_result_says_what_one_pays_and_explains_it_on_a_phone(
    browser: Any, site: str, axe_source: str, artifacts: Path
) -> None:
    context = _phone(browser, bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(site + f"/?lang=nl&q=boekhouding&{SITUATION}")
        first = page.locator(".hit").first
        assert first.locator(".you-pay .amount").inner_text().startswith("U betaalt ")
        explanation = first.locator("details")
        assert not explanation.locator(".steps").is_visible()
        explanation.locator("summary").click()  # one click, no script
        assert explanation.locator(".steps li").first.is_visible()
        _not_wider_than_the_phone(page)
        assert _axe(page, axe_source) == [], "a result with its explanation open"
        # Cheapest for me is offered with a situation, and keeps it.
        page.locator("#sort").select_option("you_pay")
        page.locator(".sort button").click()
        page.wait_for_url(re.compile(r"sort=you_pay"))
        assert parse_qs(urlsplit(page.url).query)["residence"] == ["BE21"]
    finally:
        context.close()


def test_the_screenshot_of_what_one_pays(browser: Any, site: str, artifacts: Path) -> None:
    """docs/screenshots/you-pay.png is this screenshot (copied from test-artifacts/browser/)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-BE")
    page = context.new_page()
    try:
        page.goto(site + f"/?lang=nl&q=boekhouding&{SITUATION}")
        page.locator(".hit details summary").first.click()
        assert page.locator(".hit details .steps").first.is_visible()
        page.screenshot(path=str(artifacts / "you-pay.png"), full_page=False)
    finally:
        context.close()


def test_no_page_with_a_situation_is_wider_than_a_phone_in_any_language(browser: Any, site: str) -> None:
    context = _phone(browser)
    page = context.new_page()
    try:
        page.goto(site + f"/?lang=nl&{SITUATION}")
        offer = page.locator(".hit h3 a").first.get_attribute("href").split("?")[0]
        for language in ("nl", "fr", "de", "en"):
            for path in (f"/?lang={language}&q=boekhouding&{SITUATION}", f"{offer}?lang={language}&{SITUATION}"):
                page.goto(site + path)
                for details in page.locator("details").all()[:3]:
                    details.locator("summary").click()
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= PHONE["width"], f"{path}: {width} px wide"
    finally:
        context.close()
