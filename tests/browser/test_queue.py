"""The reviewers' queue in a real browser, on the demo register: sign in, open it from the dashboard,
filter it with the keyboard (no script needed); zero axe-core violations on a desktop and a 360 px phone."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from support import ADMIN_TOKEN

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def _sign_in(page: Any, site: str) -> None:
    page.goto(site + "/dashboard?lang=en")
    page.wait_for_url(re.compile(r"/dashboard/sign-in"))
    page.locator("#token").fill(ADMIN_TOKEN)
    page.locator("form.sign-in button").click()
    page.wait_for_url(re.compile(r"/dashboard\?lang=en"))


def _waited_hours(text: str) -> int:
    days, hours = (int(n) for n in re.findall(r"\d+", text)[:2])
    return days * 24 + hours


def test_a_reviewer_opens_the_queue_from_the_dashboard_and_filters_it(visit: Any, artifacts: Path) -> None:
    page = visit.page
    _sign_in(page, visit.site)
    link = page.get_by_role("link", name=re.compile(r"^Queue: [\d,]+ awaiting a decision$"))
    total = int(re.sub(r"\D", "", link.inner_text()))
    assert total > 0
    link.click()
    page.wait_for_url(re.compile(r"/dashboard/queue\?lang=en"))
    rows = page.locator("table.queue tbody tr")
    assert 0 < rows.count() <= 50  # one bounded page
    waited = [_waited_hours(rows.nth(i).locator(".waited").inner_text()) for i in range(rows.count())]
    assert waited == sorted(waited, reverse=True)  # the longest waiting first
    counts = page.locator(".queue-counts li strong").all_inner_texts()
    assert sum(int(re.sub(r"\D", "", n)) for n in counts) == total
    # Filter by keyboard only: choose a kind, submit the form; the filter is in the URL.
    page.locator("#kind").focus()
    page.keyboard.press("Home")  # "any"
    page.keyboard.press("ArrowDown")  # the first kind: training
    page.locator("#min_days").focus()
    page.keyboard.type("1")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"min_days=1"))
    query = parse_qs(urlsplit(page.url).query)
    assert query["kind"] == ["training"]
    kinds = page.locator("table.queue tbody tr td:nth-child(3)").all_inner_texts()
    assert kinds
    assert set(kinds) == {"Training"}
    assert all(_waited_hours(w) >= 24 for w in page.locator("table.queue .waited").all_inner_texts())
    if page.viewport_size["width"] > 400:
        page.screenshot(path=str(artifacts / "desktop-queue.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]
    assert visit.console_errors == []


@pytest.mark.parametrize("path", ["/dashboard/queue?lang=nl", "/dashboard/queue?lang=fr&kind=course&min_days=x"])
def test_axe_finds_no_accessibility_violations_on_the_queue(
    browser: Any, site: str, axe_source: str, path: str
) -> None:
    for viewport in (DESKTOP, PHONE):
        # axe is injected as a script, which the register's own CSP forbids: this context bypasses it.
        context = browser.new_context(viewport=viewport, locale="nl-BE", bypass_csp=True)
        page = context.new_page()
        try:
            _sign_in(page, site)
            page.goto(site + path)
            assert page.locator("h1").inner_text()
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
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        finally:
            context.close()
