"""What a grant says the scheme pays: for whom the figures are (pure, no database)."""

from __future__ import annotations

from dataclasses import replace

from ila_register.eligibility.cost import Pricing
from ila_register.eligibility.funding import Audience
from ila_register.eligibility.schemes import Scheme
from ila_register.elm.mapping import load_mapping
from ila_register.elm.views import grant_pays, grant_statuses
from ila_register.vocab.registry import Vocabulary
from support import ROOT


def test_the_figures_are_for_the_statuses_the_offer_is_meant_for(
    pricing: Pricing, schemes: dict[str, Scheme], vocabulary: Vocabulary
) -> None:
    tegoed = schemes["be-vl-opleidingstegoed"]
    # Statuses the offer names that the scheme serves; other target groups do not count.
    assert grant_statuses(tegoed, ["migrants", "self-employed", "employee"], pricing) == ["employee", "self-employed"]
    # None of the scheme's statuses named: everyone it serves (the entries say whom they are for).
    assert grant_statuses(tegoed, ["migrants"], pricing) is None
    assert grant_statuses(tegoed, [], pricing) is None
    texts = load_mapping(ROOT / "elm_mappings" / "learning-opportunity.toml", vocabulary).texts
    assert grant_pays(tegoed, ["employee"], pricing, texts)["en"] == (
        "What the scheme pays for this offer: covers all, at most 250,00\xa0€ a year (indicative)."
    )
    assert "500,00" in grant_pays(tegoed, [], pricing, texts)["en"]  # the jobseekers' budget too


def test_a_scheme_paying_none_of_the_offers_statuses_says_whom_it_pays(
    schemes: dict[str, Scheme], vocabulary: Vocabulary
) -> None:
    tegoed = schemes["be-vl-opleidingstegoed"]
    jobseekers_only = tuple(p for p in tegoed.funding.payments if p.audience != Audience())
    narrowed = replace(tegoed, funding=replace(tegoed.funding, payments=jobseekers_only))
    pricing = Pricing.load(ROOT / "vocab", {**schemes, narrowed.id: narrowed}, vocabulary)
    assert grant_statuses(narrowed, ["employee"], pricing) is None
    texts = load_mapping(ROOT / "elm_mappings" / "learning-opportunity.toml", vocabulary).texts
    assert grant_pays(narrowed, ["employee"], pricing, texts)["en"].startswith(
        "What the scheme pays for this offer: for Jobseekers: covers all, at most 500,00\xa0€ a year"
    )
