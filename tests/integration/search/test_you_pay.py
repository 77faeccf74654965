"""What a citizen pays, in search, on every backend: the figures each document stores per situation
class filter and sort exactly as the calculation for that very citizen says (issue 17)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from ila_register.eligibility.cost import Pricing
from ila_register.eligibility.funding import Situation
from ila_register.eligibility.schemes import Scheme
from ila_register.kernel.exceptions import InvalidParameters
from ila_register.offers.validation import OfferValidator
from ila_register.search.documents import SearchDocument
from ila_register.search.interface import SearchIndex
from ila_register.search.services import SearchFilters, SearchService
from ila_register.vocab.registry import Vocabulary
from support import example, searchable

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # the meilisearch client's pydantic use

DAY = datetime(2026, 11, 23, tzinfo=UTC)  # the day ``searchable`` computes the stored figures for
# (price, schemes it is eligible for): cheques with and without leave, federal right, Walloon and
# Brussels cheques, a credit, a free offer
OFFERS = {
    "cheques-leave": ("495.00", ["be-vl-opleidingscheques", "be-vl-opleidingsverlof"]),
    "cheap-cheques": ("120.00", ["be-vl-opleidingscheques"]),
    "credit": ("1000.00", ["be-vl-opleidingskrediet", "be-vl-opleidingscheques"]),
    "federal": ("800.00", ["be-fed-opleidingsrecht"]),
    "wallonia": ("300.00", ["be-wal-cheques-formation"]),
    "brussels": ("650.00", ["be-bru-cheques-formation"]),
    "free": ("0.00", ["be-vl-opleidingscheques"]),
}
SITUATIONS = {
    "employee in Antwerp": Situation(("employee",), "BE211", "BE211", on=DAY.date()),
    "jobseeker in Limburg": Situation(("jobseeker",), "BE221", "BE221", on=DAY.date()),
    "self-employed in Liège": Situation(("self-employed",), "BE332", "BE332", on=DAY.date()),
    "employee living in Liège, working in Brussels": Situation(("employee",), "BE332", "BE100", on=DAY.date()),
    "self-employed in Brussels": Situation(("self-employed",), "BE100", "BE100", on=DAY.date()),
    "employee and self-employed in Ghent": Situation(("employee", "self-employed"), "BE234", "BE234", on=DAY.date()),
    "not working, abroad": Situation(("not-working",), "FR10", "FR10", on=DAY.date()),
}


@pytest.fixture
def priced(
    search_index: SearchIndex, validator: OfferValidator, schemes: dict[str, Scheme], pricing: Pricing
) -> dict[str, SearchDocument]:
    documents = {}
    for name, (amount, funded) in OFFERS.items():
        data = example("offer-training.json") | {
            "reference": name,
            "title": {"nl": f"Opleiding {name}"},
            "price": {"amount": amount, "currency": "EUR"},
            "schemes_requested": funded,
        }
        documents[name] = searchable(validator, schemes, data, pricing=pricing)
    search_index.upsert(list(documents.values()))
    return documents


@pytest.fixture
def service(
    search_index: SearchIndex, schemes: dict[str, Scheme], vocabulary: Vocabulary, pricing: Pricing
) -> SearchService:
    return SearchService(search_index, schemes, vocabulary, pricing, clock=lambda: DAY)


def _exact(pricing: Pricing, document: SearchDocument, who: Situation) -> Decimal:
    return pricing.cost(Decimal(str(document.price)), "EUR", document.hours, document.schemes, who).remaining


@pytest.mark.parametrize("who", SITUATIONS.values(), ids=SITUATIONS.keys())
def test_each_hit_says_what_this_citizen_pays(
    service: SearchService, pricing: Pricing, priced: dict[str, SearchDocument], who: Situation
) -> None:
    timed = service.search("", "nl", SearchFilters(), situation=who, per_page=50)
    assert timed.result.total == len(OFFERS)
    for hit in timed.result.hits:
        cost = timed.costs[hit.document.id]
        assert cost.remaining == _exact(pricing, hit.document, who)
        assert cost.remaining == cost.price - sum(step.pays for step in cost.steps)
        assert all(step.explanation["nl"] and step.explanation["fr"] for step in cost.steps)


@pytest.mark.parametrize("who", SITUATIONS.values(), ids=SITUATIONS.keys())
def test_the_cheapest_for_this_citizen_come_first(
    service: SearchService, pricing: Pricing, priced: dict[str, SearchDocument], who: Situation
) -> None:
    timed = service.search("", "nl", SearchFilters(), sort="you_pay", situation=who, per_page=50)
    paid = [_exact(pricing, hit.document, who) for hit in timed.result.hits]
    assert len(paid) == len(OFFERS)
    assert paid == sorted(paid)
    # one page at a time gives the same order
    first = service.search("", "nl", SearchFilters(), sort="you_pay", situation=who, per_page=3)
    second = service.search("", "nl", SearchFilters(), sort="you_pay", situation=who, per_page=3, page=2)
    paged = [_exact(pricing, h.document, who) for h in (*first.result.hits, *second.result.hits)]
    assert paged == paid[:6]


@pytest.mark.parametrize("who", SITUATIONS.values(), ids=SITUATIONS.keys())
def test_at_most_so_much_to_pay_keeps_exactly_the_offers_that_leave_no_more(
    service: SearchService, pricing: Pricing, priced: dict[str, SearchDocument], who: Situation
) -> None:
    left = {d.id: _exact(pricing, d, who) for d in priced.values()}
    # every figure itself (the bound is inclusive), a cent below each, and a few round amounts
    bounds = {*left.values(), *(v - Decimal("0.01") for v in left.values() if v > 0), Decimal(0), Decimal(250)}
    for most in sorted(bounds):
        timed = service.search("", "nl", SearchFilters(you_pay_max=float(most)), situation=who, per_page=50)
        found = {hit.document.id for hit in timed.result.hits}
        assert found == {i for i, v in left.items() if v <= most}, (most, left)
        assert timed.result.total == len(found)


def test_with_a_place_the_order_and_the_bound_hold_too(
    service: SearchService, pricing: Pricing, priced: dict[str, SearchDocument]
) -> None:
    """The circle's path (candidates, then the exact distance) sorts and filters by it as well."""
    from ila_register.search.interface import Near

    who = SITUATIONS["employee in Antwerp"]
    oostende = Near(lat=51.2154, lon=2.9275, radius_km=50)  # the example's session is in Oostende
    timed = service.search("", "nl", SearchFilters(near=oostende, you_pay_max=400), sort="you_pay", situation=who)
    paid = [_exact(pricing, hit.document, who) for hit in timed.result.hits]
    assert paid == sorted(paid)
    assert all(v <= 400 for v in paid)
    assert len(paid) == sum(1 for d in priced.values() if _exact(pricing, d, who) <= 400)


def test_without_a_situation_there_is_nothing_to_filter_or_sort_by(
    service: SearchService, priced: dict[str, SearchDocument]
) -> None:
    with pytest.raises(InvalidParameters):
        service.search("", "nl", SearchFilters(you_pay_max=100))
    with pytest.raises(InvalidParameters):
        service.search("", "nl", SearchFilters(), sort="you_pay")
    plain = service.search("", "nl", SearchFilters())
    assert plain.costs == {}


def test_an_index_of_other_funding_is_filled_again_at_start_up(
    tmp_path: Path, validator: OfferValidator, schemes: dict[str, Scheme], pricing: Pricing
) -> None:
    """Edit a scheme's [funding] and the stored figures are stale: the index says so by its fields."""
    from ila_register.search.embedded import EmbeddedSearch

    index = EmbeddedSearch(tmp_path / "index", cost_classes=tuple(pricing.classes))
    assert index.prepare() is False
    index.upsert([searchable(validator, schemes, example("offer-training.json"), pricing=pricing)])
    index.close()
    assert EmbeddedSearch(tmp_path / "index", cost_classes=tuple(pricing.classes)).prepare() is False
    cheques = schemes["be-vl-opleidingscheques"]
    payment = replace(cheques.funding.payments[0], cap_per_year=Decimal(250))  # a cap doubled: figures change
    richer = replace(cheques, funding=replace(cheques.funding, payments=(payment, *cheques.funding.payments[1:])))
    edited = Pricing({**schemes, cheques.id: richer}, pricing.texts, pricing.region_codes, pricing.status_codes)
    assert set(edited.classes) != set(pricing.classes)
    again = EmbeddedSearch(tmp_path / "index", cost_classes=tuple(edited.classes))
    assert again.prepare() is True  # the caller fills it from the database (Services.prepare_search)
    assert again.count() == 0
    again.close()
