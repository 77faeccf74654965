"""What funding schemes pay and what a citizen has left to pay: worked examples written from each
scheme's published description (its ``source``, or ``illustrative`` where the figures are ours),
properties that hold for every price and situation, and the loader's refusals."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ila_register.eligibility.cost import Pricing
from ila_register.eligibility.funding import Cost, FundingError, Situation, parse_funding, serves, summary_indicative
from ila_register.eligibility.schemes import Scheme, load_schemes
from ila_register.vocab.lists import VocabError
from ila_register.vocab.registry import Vocabulary

ROOT = Path(__file__).resolve().parents[3]
ANTWERP = "BE211"  # Flanders
BRUSSELS = "BE100"
LIEGE = "BE332"  # Wallonia
EUPEN = "BE336"  # the German-speaking Community lies in this arrondissement


@pytest.fixture(scope="module")
def pricing(schemes: dict[str, Scheme], vocabulary: Vocabulary) -> Pricing:
    return Pricing.load(ROOT / "vocab", schemes, vocabulary)


def employee(home: str = ANTWERP, work: str | None = None, **used: str) -> Situation:
    return situation("employee", home, work, **used)


def situation(status: str, home: str, work: str | None = None, **used: str) -> Situation:
    return Situation((status,), home, work or home, {k.replace("_", "-"): Decimal(v) for k, v in used.items()})


# (scheme, price, hours, situation, what the scheme pays in euros, or leave hours "Nh"); the
# scheme file's source (or illustrative = true) says where the figures come from.
WORKED = [
    # "The Flemish government pays half of the training, at most €125 a year."
    ("be-vl-opleidingscheques", "495", 40, employee(), "125.00"),
    ("be-vl-opleidingscheques", "180", 40, employee(), "90.00"),
    ("be-vl-opleidingscheques", "495", 40, employee(be_vl_opleidingscheques="100"), "25.00"),
    ("be-vl-opleidingscheques", "495", 40, employee(be_vl_opleidingscheques="125"), "0.00"),
    ("be-vl-opleidingscheques", "99.99", 4, employee(), "49.99"),  # rounded down: never more than half
    # Career guidance: the voucher pays the guidance, the citizen pays €40 (illustrative cap over six years).
    ("be-vl-loopbaancheques", "1200", 8, employee(), "1100.00"),
    ("be-vl-loopbaancheques", "550", 4, employee(), "510.00"),
    # SME wallet: 30 % of the training for an SME (illustrative ceiling).
    ("be-vl-kmo-portefeuille", "1000", 16, situation("self-employed", ANTWERP), "300.00"),
    # Training credit: jobseekers get a larger budget (illustrative amounts).
    ("be-vl-opleidingstegoed", "800", 40, situation("jobseeker", ANTWERP), "500.00"),
    ("be-vl-opleidingstegoed", "800", 40, employee(), "250.00"),
    ("be-vl-opleidingstegoed", "120", 40, employee(), "120.00"),
    # Experience certificates and Walloon-Brussels skills validation are free at an approved centre.
    ("be-vl-evc", "300", 6, situation("jobseeker", ANTWERP), "300.00"),
    ("be-wal-bru-validation-competences", "240", 4, situation("jobseeker", LIEGE), "240.00"),
    # Walloon training vouchers: Wallonia pays €15 of each €30 voucher, one voucher an hour.
    ("be-wal-cheques-formation", "1600", 40, situation("self-employed", LIEGE), "600.00"),
    ("be-wal-cheques-formation", "12000", 300, situation("self-employed", LIEGE), "1500.00"),
    ("be-wal-cheques-formation", "12000", 300, situation("employer", LIEGE), "4500.00"),
    # Brussels training vouchers (illustrative).
    ("be-bru-cheques-formation", "2000", 40, situation("employer", BRUSSELS), "1000.00"),
    # Paid leave is hours, never euros: Flemish training leave at most 125 hours a school year.
    ("be-vl-opleidingsverlof", "495", 40, employee(), "40h"),
    ("be-vl-opleidingsverlof", "2500", 200, employee(), "125h"),
    ("be-vl-opleidingsverlof", "2500", 200, employee(be_vl_opleidingsverlof="100"), "25h"),
    # The federal training right: five days a year (read as 40 hours, illustrative).
    ("be-fed-opleidingsrecht", "495", 60, employee(), "40h"),
    ("be-bru-conge-education-paye", "900", 200, employee(BRUSSELS), "180h"),
    ("be-wal-conge-education-paye", "900", 200, employee(LIEGE), "180h"),
    ("be-dg-bildungsurlaub", "900", 200, employee(EUPEN), "180h"),
    ("be-vl-opleidingskrediet", "900", 3000, situation("civil-servant", ANTWERP), "1976h"),
]


def test_every_scheme_has_a_worked_example() -> None:
    assert {w[0] for w in WORKED} == {p.stem for p in (ROOT / "vocab" / "schemes").glob("*.toml")}


@pytest.mark.parametrize(("scheme", "price", "hours", "who", "pays"), WORKED)
def test_worked_examples(pricing: Pricing, scheme: str, price: str, hours: int, who: Situation, pays: str) -> None:
    cost = pricing.cost(Decimal(price), "EUR", hours, [scheme], who)
    (step,) = cost.steps
    assert step.scheme == scheme
    if pays.endswith("h"):
        assert (step.pays, step.leave_hours) == (0, Decimal(pays[:-1]))
        assert cost.remaining == Decimal(price)  # leave keeps the wage; it pays nothing towards the price
    else:
        assert (step.pays, step.leave_hours) == (Decimal(pays), None)
        assert cost.remaining == Decimal(price) - Decimal(pays)
    assert step.illustrative == (pricing.schemes[scheme].illustrative or _illustrative_entry(pricing, scheme, who))
    assert set(step.explanation) == {"nl", "fr", "de", "en"}


def _illustrative_entry(pricing: Pricing, scheme_id: str, who: Situation) -> bool:
    scheme = pricing.schemes[scheme_id]
    places = who.places(scheme.region_basis)
    entries = (*scheme.funding.payments_for(who.statuses, places), *scheme.funding.leaves_for(who.statuses, places))
    return scheme.funding.illustrative or any(entry.illustrative for entry in entries)


def test_the_explanation_says_each_step_in_four_languages(pricing: Pricing) -> None:
    cost = pricing.cost(Decimal("495"), "EUR", 40, ["be-vl-opleidingscheques"], employee())
    assert cost.steps[0].explanation == {
        "nl": "Opleidingscheques voor werknemers: de helft van €\xa0495,00, hoogstens €\xa0125,00 per jaar"
        " → €\xa0125,00",
        "fr": cost.steps[0].explanation["fr"],
        "de": cost.steps[0].explanation["de"],
        "en": "Training vouchers for employees (Flanders): half of 495,00\xa0€, at most 125,00\xa0€ a year"
        " → 125,00\xa0€",
    }
    assert "moitié" in cost.steps[0].explanation["fr"]
    assert "Hälfte" in cost.steps[0].explanation["de"]


def test_schemes_pay_in_their_order_each_on_what_is_left(pricing: Pricing) -> None:
    eligible = ["be-vl-opleidingstegoed", "be-vl-opleidingscheques", "be-fed-opleidingsrecht"]
    cost = pricing.cost(Decimal("495"), "EUR", 40, eligible, employee())
    assert [(s.scheme, s.pays, s.leave_hours) for s in cost.steps] == [
        ("be-vl-opleidingscheques", Decimal("125.00"), None),  # order 10
        ("be-vl-opleidingstegoed", Decimal("250.00"), None),  # order 30
        ("be-fed-opleidingsrecht", 0, Decimal("40")),  # leave: hours, listed after the money
    ]
    assert cost.remaining == Decimal("120.00")
    assert cost.illustrative  # the training credit's amounts are ours
    # When less is left than a scheme would pay, it pays what is left and says so.
    cheap = pricing.cost(Decimal("300"), "EUR", 40, eligible, employee())
    assert [s.pays for s in cheap.steps[:2]] == [Decimal("125.00"), Decimal("175.00")]
    assert cheap.remaining == 0
    assert "left to pay" in cheap.steps[1].explanation["en"]


def test_a_scheme_that_does_not_combine_pays_alone_when_that_leaves_less(pricing: Pricing) -> None:
    eligible = ["be-vl-kmo-portefeuille", "be-vl-opleidingstegoed"]
    self_employed = situation("self-employed", ANTWERP)
    big = pricing.cost(Decimal("2000"), "EUR", 40, eligible, self_employed)
    assert [(s.scheme, s.pays) for s in big.steps] == [
        ("be-vl-kmo-portefeuille", Decimal("600.00")),
        ("be-vl-opleidingstegoed", 0),  # said, with why it is not used
    ]
    assert "not combined" in big.steps[0].explanation["en"]
    assert "not used" in big.steps[1].explanation["en"]
    small = pricing.cost(Decimal("500"), "EUR", 40, eligible, self_employed)
    assert [(s.scheme, s.pays) for s in small.steps] == [
        ("be-vl-opleidingstegoed", Decimal("250.00")),
        ("be-vl-kmo-portefeuille", 0),
    ]


def test_nobody_outside_the_schemes_audience_gets_anything(pricing: Pricing) -> None:
    # A Brussels resident working in Brussels gets no Flemish training vouchers (residence basis).
    assert pricing.cost(Decimal("495"), "EUR", 40, ["be-vl-opleidingscheques"], employee(BRUSSELS)).steps == ()
    # A jobseeker is not an employee.
    jobseeker = situation("jobseeker", ANTWERP)
    assert pricing.cost(Decimal("495"), "EUR", 40, ["be-vl-opleidingscheques"], jobseeker).remaining == 495
    # Leave follows the place of work: a Fleming working in Brussels gets Brussels leave, not Flemish.
    commuter = employee(ANTWERP, BRUSSELS)
    both = ["be-vl-opleidingsverlof", "be-bru-conge-education-paye"]
    assert [s.scheme for s in pricing.cost(Decimal("495"), "EUR", 40, both, commuter).steps] == [
        "be-bru-conge-education-paye"
    ]


def test_a_price_in_another_currency_gets_a_note_and_no_euros(pricing: Pricing) -> None:
    cost = pricing.cost(Decimal("495"), "USD", 40, ["be-vl-opleidingscheques"], employee())
    assert cost.remaining == Decimal("495")
    assert cost.steps[0].pays == 0
    assert "USD" in cost.steps[0].explanation["en"]


def test_the_summary_is_what_the_grant_says(pricing: Pricing) -> None:
    assert pricing.summary("be-vl-opleidingscheques")["en"] == "covers half, at most 125,00\xa0€ a year"
    tegoed = pricing.summary("be-vl-opleidingstegoed")["en"]
    assert tegoed.startswith("for Jobseekers: covers all, at most 500,00\xa0€ a year; otherwise: covers all")
    assert pricing.summary("be-vl-opleidingstegoed", ["employee"])["en"] == "covers all, at most 250,00\xa0€ a year"
    assert "125" in pricing.summary("be-vl-opleidingsverlof")["nl"]


def test_a_summary_is_indicative_where_what_it_names_is_illustrative(
    pricing: Pricing, schemes: dict[str, Scheme]
) -> None:
    assert not pricing.indicative("be-vl-opleidingscheques")  # sourced
    assert pricing.indicative("be-vl-opleidingstegoed", ["employee"])  # the scheme as a whole is an illustration
    assert pricing.indicative("be-wal-cheques-formation")  # sourced funding, illustrative entries
    assert pricing.indicative_word("de") == "unverbindlich"
    # Only the entries the summary names count: the self-employed one is illustrative, the open one not.
    wallonia = schemes["be-wal-cheques-formation"]
    own, other = wallonia.funding.payments
    sourced = replace(wallonia, funding=replace(wallonia.funding, payments=(own, replace(other, illustrative=False))))
    assert summary_indicative(sourced, ["self-employed"])
    assert not summary_indicative(sourced, ["employer"])


# --- properties -------------------------------------------------------------------------------

PRICES = st.decimals(min_value=0, max_value=20000, places=2, allow_nan=False, allow_infinity=False)
HOURS = st.integers(min_value=0, max_value=2500)
STATUSES = st.sampled_from(["employee", "jobseeker", "self-employed", "employer", "civil-servant", "not-working"])
PLACES = st.sampled_from([ANTWERP, BRUSSELS, LIEGE, EUPEN, "BE251", None])
USED = st.decimals(min_value=0, max_value=10000, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def cases(draw: st.DrawFn) -> tuple[Decimal, int, list[str], Situation]:
    scheme_ids = sorted(p.stem for p in (ROOT / "vocab" / "schemes").glob("*.toml"))
    eligible = draw(st.lists(st.sampled_from(scheme_ids), unique=True))
    statuses = tuple(draw(st.lists(STATUSES, min_size=1, max_size=2, unique=True)))
    used = draw(st.dictionaries(st.sampled_from(scheme_ids), USED, max_size=3))
    return draw(PRICES), draw(HOURS), eligible, Situation(statuses, draw(PLACES), draw(PLACES), used)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=cases())
def test_the_remaining_cost_is_never_negative_nor_above_the_price(
    pricing: Pricing, case: tuple[Decimal, int, list[str], Situation]
) -> None:
    price, hours, eligible, who = case
    cost = pricing.cost(price, "EUR", hours, eligible, who)
    assert 0 <= cost.remaining <= price
    assert cost.remaining == price - sum(s.pays for s in cost.steps)
    assert all(s.pays >= 0 and (s.leave_hours is None or 0 <= s.leave_hours <= hours) for s in cost.steps)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=cases(), more=USED, scheme=st.sampled_from(sorted(p.stem for p in (ROOT / "vocab/schemes").glob("*.toml"))))
def test_having_used_more_of_a_scheme_never_lowers_the_remaining_cost(
    pricing: Pricing, case: tuple[Decimal, int, list[str], Situation], more: Decimal, scheme: str
) -> None:
    price, hours, eligible, who = case
    before = pricing.cost(price, "EUR", hours, eligible, who)
    used = dict(who.used) | {scheme: who.used.get(scheme, Decimal(0)) + more}
    after = pricing.cost(price, "EUR", hours, eligible, Situation(who.statuses, who.residence, who.work, used))
    assert after.remaining >= before.remaining
    # Leave rights cover the hours once: less of one may leave hours to another, never more in all.
    assert _leave(after) <= _leave(before) <= hours


def _leave(cost: Cost) -> Decimal:
    return sum((s.leave_hours for s in cost.steps if s.leave_hours is not None), Decimal(0))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=cases())
def test_what_search_stores_per_class_is_what_the_calculation_gives(
    pricing: Pricing, case: tuple[Decimal, int, list[str], Situation]
) -> None:
    price, hours, eligible, who = case
    who = Situation(who.statuses, who.residence, who.work)  # search stores figures for nothing used yet
    stored = pricing.you_pay_by_class(price, "EUR", hours, eligible)
    key = pricing.situation_key(who)
    expected = pricing.cost(price, "EUR", hours, eligible, who).remaining
    if key is None:
        assert expected == price or not any(pricing.schemes[s].funding.payments for s in eligible)
    else:
        assert stored[key] == int(expected * 100)


# --- the files --------------------------------------------------------------------------------


def _funding(**entry: object) -> dict[str, object]:
    return {"order": 10, "source": "a law", "pays": [entry]}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (None, r"needs a \[funding\] table"),
        ({"order": 10, "source": "a law"}, "at least one"),
        (_funding(share=0.5) | {"order": "first"}, "order must be a whole number"),
        (_funding(share=1.5), "share must be between 0 and 1"),
        (_funding(share=0.5, per_hour=10), "exactly one of share, per_hour, per_offer"),
        (_funding(per_hour=-1), "per_hour must be zero or more"),
        (_funding(share="half"), "share must be a number"),
        (_funding(share=0.5, cap_per_period={"amount": 100}), r"cap_per_period must be \{ amount = …, years = … \}"),
        (_funding(share=0.5, cap_per_period={"amount": 100, "years": 0}), "years must be a whole number of at least 1"),
        (_funding(share=0.5, statuses=["pensioner"]), "pensioner are not among the scheme's statuses"),
        (_funding(share=0.5, regions=["BE3"]), "'BE3' lies outside the scheme's regions"),
        (_funding(share=0.5, regions=["XX9"]), "unknown region 'XX9'"),
        (_funding(share=0.5, ceiling=100), "unknown key 'ceiling'"),
        (_funding(share=0.5) | {"costs": ["travel"]}, "costs must be some of tuition, exam, material"),
        (_funding(share=0.5) | {"rounding": "up"}, "rounding must be one of"),
        (_funding(share=0.5) | {"currency": "XXX"}, "unknown currency"),
        ({"order": 10, "pays": [{"share": 0.5}]}, "needs a source"),
        ({"order": 10, "source": "a law", "leave": [{"hours": 10}]}, "unknown key 'hours'"),
        (_funding(share=0.5) | {"pays": [{"share": 0.5, "from": "2027"}]}, "from must be a date"),
        (
            _funding(share=0.5) | {"pays": [{"share": 0.5, "from": date(2027, 1, 1), "until": date(2026, 1, 1)}]},
            "until lies before from",
        ),
    ],
)
def test_the_loader_refuses_a_rule_it_cannot_apply(raw: object, message: str, vocabulary: Vocabulary) -> None:
    with pytest.raises(FundingError, match=message):
        parse_funding(
            raw,
            ["employee", "jobseeker"],
            ["BE2"],
            [t.code for t in vocabulary["currencies"]],
            [t.code for t in vocabulary["nuts-be"]],
        )


def test_a_broken_funding_table_stops_start_up_naming_the_file(tmp_path: Path, vocabulary: Vocabulary) -> None:
    schemes = tmp_path / "schemes"
    shutil.copytree(ROOT / "vocab" / "schemes", schemes)
    path = schemes / "be-vl-opleidingscheques.toml"
    path.write_text(path.read_text().replace("cap_per_year = 125", "cap_per_year = -125"))
    with pytest.raises(VocabError, match=r"opleidingscheques\.toml: \[\[funding\.pays\]\] entry 1: cap_per_year"):
        load_schemes(schemes, vocabulary)
    texts = tmp_path / "vocab"
    texts.mkdir()
    (texts / "funding-texts.toml").write_text('[texts.share]\nnl = "x"\n')
    with pytest.raises(VocabError, match=r"funding-texts\.toml: \[texts\] lacks"):
        Pricing.load(texts, load_schemes(ROOT / "vocab" / "schemes", vocabulary), vocabulary)


def test_a_new_scheme_with_a_new_funding_rule_needs_data_only(tmp_path: Path, vocabulary: Vocabulary) -> None:
    """A per-offer amount less an own contribution, capped per offer, only for jobseekers in Limburg."""
    schemes = tmp_path / "schemes"
    shutil.copytree(ROOT / "vocab" / "schemes", schemes)
    text = (schemes / "be-vl-opleidingstegoed.toml").read_text()
    text = text.replace('id = "be-vl-opleidingstegoed"', 'id = "be-vl-limburg-bonus"')
    text = text[: text.index("[funding]")] + (
        "[funding]\norder = 5\ncombines = true\nillustrative = true\n\n"
        '[[funding.pays]]\nstatuses = ["jobseeker"]\nregions = ["BE22"]\n'
        "per_offer = 200\nown_contribution = 20\ncap_per_offer = 150\n"
    )
    (schemes / "be-vl-limburg-bonus.toml").write_text(text)
    loaded = load_schemes(schemes, vocabulary)
    pricing = Pricing.load(ROOT / "vocab", loaded, vocabulary)
    hasselt = situation("jobseeker", "BE221")
    cost = pricing.cost(Decimal("400"), "EUR", 20, ["be-vl-limburg-bonus", "be-vl-opleidingstegoed"], hasselt)
    assert [(s.scheme, s.pays) for s in cost.steps] == [
        ("be-vl-limburg-bonus", Decimal("150.00")),
        ("be-vl-opleidingstegoed", Decimal("250.00")),
    ]
    assert cost.remaining == 0
    assert cost.illustrative
    assert "limburg" not in str(pricing.cost(Decimal("400"), "EUR", 20, ["be-vl-limburg-bonus"], employee()).steps)
    assert pricing.situation_key(hasselt) in pricing.you_pay_by_class(
        Decimal("400"), "EUR", 20, ["be-vl-limburg-bonus"]
    )


def test_an_entry_may_hold_from_a_day_and_the_day_asked_picks_it(tmp_path: Path, vocabulary: Vocabulary) -> None:
    """A cap that rises on 1 January 2027: the day of the question (a session's start) decides."""
    schemes = tmp_path / "schemes"
    shutil.copytree(ROOT / "vocab" / "schemes", schemes)
    path = schemes / "be-vl-opleidingscheques.toml"
    path.write_text(
        path.read_text().replace(
            "[[funding.pays]]\nshare = 0.5\ncap_per_year = 125",
            "[[funding.pays]]\nshare = 0.5\ncap_per_year = 150\nfrom = 2027-01-01\n\n"
            "[[funding.pays]]\nshare = 0.5\ncap_per_year = 125\nuntil = 2026-12-31",
        )
    )
    pricing = Pricing.load(ROOT / "vocab", load_schemes(schemes, vocabulary), vocabulary)

    def pays(on: date) -> Decimal:
        who = Situation(("employee",), ANTWERP, ANTWERP, {}, on)
        return pricing.cost(Decimal("495"), "EUR", 40, ["be-vl-opleidingscheques"], who).steps[0].pays

    assert (pays(date(2026, 12, 31)), pays(date(2027, 1, 1))) == (Decimal("125.00"), Decimal("150.00"))
    assert "150" in pricing.summary("be-vl-opleidingscheques", on=date(2027, 3, 1))["en"]
    assert "150" not in pricing.summary("be-vl-opleidingscheques", on=date(2026, 3, 1))["en"]


# --- found by a tester who never saw the code -----------------------------------------------------


def test_someone_with_several_statuses_gets_the_entry_that_pays_most(pricing: Pricing) -> None:
    """The lower Walloon ceiling is for the self-employed; an employer who is also self-employed
    is an employer as well, and gets the employers' ceiling."""
    namur = "BE352"
    both = Situation(("employer", "self-employed"), namur, namur)
    alone = situation("self-employed", namur)
    price, hours = Decimal("1680"), 240
    assert pricing.cost(price, "EUR", hours, ["be-wal-cheques-formation"], both).steps[0].pays == Decimal("1680.00")
    assert pricing.cost(price, "EUR", hours, ["be-wal-cheques-formation"], alone).steps[0].pays == Decimal("1500.00")


def test_leave_rights_cover_the_offers_hours_once(pricing: Pricing) -> None:
    commuter = employee(BRUSSELS)
    cost = pricing.cost(Decimal("480"), "EUR", 60, ["be-bru-conge-education-paye", "be-fed-opleidingsrecht"], commuter)
    assert [(s.scheme, s.leave_hours) for s in cost.steps] == [
        ("be-bru-conge-education-paye", Decimal("60")),  # order 90, then by id
        ("be-fed-opleidingsrecht", Decimal("0")),
    ]
    assert "already covered by other leave" in cost.steps[1].explanation["en"]
    used = pricing.cost(Decimal("480"), "EUR", 60, ["be-vl-opleidingsverlof"], employee(be_vl_opleidingsverlof="100"))
    assert used.steps[0].leave_hours == 25
    assert "already used 100 hours" in used.steps[0].explanation["en"]


def test_figures_read_the_same_everywhere(pricing: Pricing) -> None:
    """Money always with cents, hours as people write them, and the steps in the order they pay."""
    eligible = ["be-vl-opleidingscheques", "be-vl-opleidingsverlof"]
    cost = pricing.cost(Decimal("480"), "EUR", 60.0, eligible, employee(be_vl_opleidingscheques="125"))
    assert [(s.scheme, str(s.pays), s.leave_hours and str(s.leave_hours)) for s in cost.steps] == [
        ("be-vl-opleidingscheques", "0.00", None),  # a money scheme with nothing left: before the leave
        ("be-vl-opleidingsverlof", "0.00", "60"),
    ]
    assert str(cost.remaining) == "480.00"
    assert "already used 125,00\xa0€ this year" in cost.steps[0].explanation["en"]


def test_a_cap_over_years_counts_what_was_used_over_those_years(pricing: Pricing) -> None:
    cost = pricing.cost(Decimal("1200"), "EUR", 8, ["be-vl-loopbaancheques"], employee(be_vl_loopbaancheques="1090"))
    assert cost.steps[0].pays == Decimal("10.00")
    assert "in the last 6 years" in cost.steps[0].explanation["en"]
    assert "this year" not in cost.steps[0].explanation["en"]


def test_a_scheme_not_used_says_which_pays_more(pricing: Pricing) -> None:
    both = Situation(("employee", "self-employed"), ANTWERP, ANTWERP)
    cost = pricing.cost(Decimal("900"), "EUR", 20, ["be-vl-kmo-portefeuille", "be-vl-opleidingscheques"], both)
    assert [(s.scheme, s.pays) for s in cost.steps] == [
        ("be-vl-kmo-portefeuille", Decimal("270.00")),
        ("be-vl-opleidingscheques", Decimal("0.00")),
    ]
    assert "SME wallet pays more on its own" in cost.steps[1].explanation["en"]


def test_the_monitorings_representative_citizens_live_and_work_in_the_schemes_region(pricing: Pricing) -> None:
    """One per status of the scheme, in the first region its file names (Brussels for a national
    scheme), nothing used yet, on the day asked; every one of them is served by the scheme."""
    day = date(2026, 11, 23)
    flemish = pricing.representatives("be-vl-opleidingstegoed", day)
    assert [s.statuses for s in flemish] == [("employee",), ("jobseeker",), ("self-employed",), ("not-working",)]
    assert {(s.residence, s.work, s.on) for s in flemish} == {("BE2", "BE2", day)}
    assert all(not s.used for s in flemish)
    assert pricing.representative_place("be-wal-bru-validation-competences") == "BE1"  # its file: BE1, BE3
    assert pricing.representative_place("be-fed-opleidingsrecht") == "BE1"  # the whole country: its first region
    assert pricing.representative_place("be-dg-bildungsurlaub") == "BE336"
    for scheme in pricing.schemes.values():
        for citizen in pricing.representatives(scheme.id, day):
            assert serves(scheme, citizen), (scheme.id, citizen)
    # Their remaining cost differs where the scheme's entries differ by status.
    jobseeker, employed = flemish[1], flemish[0]
    assert pricing.cost(Decimal("700"), "EUR", 20, ["be-vl-opleidingstegoed"], jobseeker).remaining == Decimal("200.00")
    assert pricing.cost(Decimal("700"), "EUR", 20, ["be-vl-opleidingstegoed"], employed).remaining == Decimal("450.00")


@pytest.mark.parametrize("other", ["civil-servant", "jobseeker", "employee", "not-working"])
def test_a_status_the_scheme_does_not_serve_never_chooses_its_entry(pricing: Pricing, other: str) -> None:
    """Walloon training vouchers: the self-employed have a €1,500 yearly cap; the entry for everyone
    else (€6,000) is for the scheme's other status, employers, not for a status it does not serve
    (adversary, issue 17: a self-employed civil servant was shown €0 to pay)."""
    liege = "BE332"
    alone = pricing.cost(
        Decimal("1680"), "EUR", 120, ["be-wal-cheques-formation"], Situation(("self-employed",), liege, liege)
    )
    both = pricing.cost(
        Decimal("1680"), "EUR", 120, ["be-wal-cheques-formation"], Situation(("self-employed", other), liege, liege)
    )
    assert alone.remaining == Decimal("180.00")
    assert both.remaining == alone.remaining
    employer = pricing.cost(
        Decimal("1680"), "EUR", 120, ["be-wal-cheques-formation"], Situation(("employer", other), liege, liege)
    )
    assert employer.remaining == Decimal("0.00")  # 120 hours at €15 fit under the employers' €6,000
