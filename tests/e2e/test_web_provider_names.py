"""A provider's name is shown in one language per page: the page's, else the offer's own, else nl, fr, de, en.

The same choice is made for a result on the search page, for the offer page and for the search
API's hits (providers register their name in several languages).
"""

from __future__ import annotations

import re

import pytest

from ila_register.wiring import Services
from support import Api, example

NAMES = example("provider.json")["name"]  # nl, fr and en; no German name
SHOWN = {"nl": NAMES["nl"], "fr": NAMES["fr"], "en": NAMES["en"], "de": NAMES["nl"]}  # de: the offer's own (nl)


@pytest.fixture
def offer(api: Api, runtime: Services) -> str:
    _, token = api.register_provider()
    offer_id = str(api.submit(token)["id"])  # offer-training.json: default language nl
    decided = api.client.post(
        f"/api/v1/offers/{offer_id}/decisions",
        headers=api.admin | api.if_match(offer_id),
        json={"scheme": "be-vl-opleidingscheques", "decision": "eligible"},
    )
    assert decided.status_code == 200, decided.text
    runtime.drain()
    return offer_id


def _visible(html: str) -> str:
    """The page without its embedded ELM (JSON-LD carries every language, as data should)."""
    return re.sub(r"<script[^>]*>.*?</script>", "", html, flags=re.DOTALL)


@pytest.mark.parametrize("language", list(SHOWN))
def test_results_and_the_offer_page_name_the_provider_in_the_page_language(api: Api, offer: str, language: str) -> None:
    expected = SHOWN[language]
    others = {name for name in NAMES.values() if name != expected}

    results = _visible(api.client.get("/", params={"lang": language, "q": "boekhouding"}).text)
    shown = re.findall(r'<p class="provider"(?: lang="(\w+)")?>([^<]*)</p>', results)
    assert [name for _, name in shown] == [expected]
    page = _visible(api.client.get(f"/offers/{offer}", params={"lang": language}).text)
    link = re.findall(r'<p class="provider">[^<]*<a [^>]*>([^<]*)</a></p>', page)
    assert link == [expected]
    for text in (results, page):
        assert not [name for name in others if name in text], f"another language's name on the {language} page"
    # A name in another language than the page's is marked with its language (for screen readers).
    marked = "" if language in NAMES else "nl"
    assert shown[0][0] == marked
    assert (f' lang="nl">{expected}</a>' in page) == bool(marked)


@pytest.mark.parametrize("language", list(SHOWN))
def test_search_hits_name_the_provider_in_the_requested_language(api: Api, offer: str, language: str) -> None:
    hits = api.client.get("/api/v1/search", params={"q": "boekhouding", "lang": language}).json()["hits"]
    assert [hit["provider"] for hit in hits if hit["id"] == offer] == [SHOWN[language]]
