"""What funding schemes pay, as data (the ``[funding]`` table of vocab/schemes/*.toml), and a
citizen's remaining cost (pure).

A scheme pays money towards the price (a share of it, an amount per hour or per offer, less an
own contribution the citizen keeps paying, within caps per offer, per year and per period), or
grants paid leave hours (shown as hours, never euros), or both. Which entry applies may depend
on the citizen's status and region. Schemes are applied in their ``order``, each on what is
still left to pay; a scheme that does not combine is weighed alone against the combination of
the others, and the citizen gets the cheaper. Money is ``Decimal`` throughout, rounded down as
each scheme says (a scheme never pays more than its rule), and the remaining cost is never
negative nor above the price.

The sentences of the explanations are data too (vocab/funding-texts.toml), in nl/fr/de/en.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol, TypeVar

from babel.numbers import format_currency, format_decimal, format_percent

from ila_register.kernel.text import LANGUAGES, LOCALES

# The costs an offer's price may stand for. The register records one price per offer (and per
# session): the tuition. A scheme that does not count tuition pays nothing towards that price.
COST_TYPES = ("tuition", "exam", "material")
PRICE_COUNTS_AS = "tuition"
# How a scheme rounds what it pays: to the cent or to the euro, down (never more than the rule) or half up.
ROUNDINGS: Mapping[str, tuple[Decimal, str]] = {
    "cent-down": (Decimal("0.01"), ROUND_DOWN),
    "cent-half-up": (Decimal("0.01"), ROUND_HALF_UP),
    "euro-down": (Decimal("1"), ROUND_DOWN),
}
ZERO = Decimal("0")
CENT = Decimal("0.01")
TEXTS_FILE = "funding-texts.toml"


class FundingError(ValueError):
    """A ``[funding]`` table is wrong; the message names the key."""


@dataclass(frozen=True, slots=True)
class Period:
    """A cap over several years (e.g. at most two career vouchers every six years)."""

    amount: Decimal
    years: int


@dataclass(frozen=True, slots=True)
class Audience:
    """Whom and when an entry is for: statuses, regions (empty: everyone the scheme serves) and the
    days it holds (``start``/``end``, the file's ``from``/``until``; none: always)."""

    statuses: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None

    def holds(self, on: date | None) -> bool:
        """The entry holds on that day (``None``: any day)."""
        return on is None or not ((self.start and on < self.start) or (self.end and on > self.end))

    def includes(self, statuses: Iterable[str], places: Iterable[str | None], on: date | None = None) -> bool:
        if self.statuses and not set(self.statuses) & set(statuses):
            return False
        if not self.holds(on):
            return False
        return not self.regions or any(within(self.regions, place) for place in places)


@dataclass(frozen=True, slots=True)
class Payment:
    """One way a scheme pays money: exactly one of ``share``, ``per_hour``, ``per_offer``."""

    audience: Audience
    share: Decimal | None = None
    per_hour: Decimal | None = None
    per_offer: Decimal | None = None
    own_contribution: Decimal = ZERO
    cap_per_offer: Decimal | None = None
    cap_per_year: Decimal | None = None
    cap_per_period: Period | None = None
    illustrative: bool = False


@dataclass(frozen=True, slots=True)
class Leave:
    """Paid leave: hours of the offer the citizen may follow in working time, keeping their wage."""

    audience: Audience
    hours_per_year: Decimal | None = None
    hours_per_period: Period | None = None
    illustrative: bool = False


@dataclass(frozen=True, slots=True)
class Funding:
    """What one scheme pays (``vocab/schemes/README.md``, "Funding")."""

    order: int
    combines: bool
    costs: tuple[str, ...]
    rounding: str
    currency: str
    payments: tuple[Payment, ...]
    leave: tuple[Leave, ...]
    illustrative: bool = False
    source: str | None = None

    def payments_for(
        self, statuses: Iterable[str], places: Iterable[str | None], on: date | None = None
    ) -> tuple[Payment, ...]:
        """The money entries that may pay for the citizen (on that day, when given): for each of
        their statuses, the first entry that includes them. Someone with several statuses (an
        employer who is also self-employed) may so have several; the calculation takes the one
        that pays most for the offer."""
        return _applicable(self.payments, tuple(statuses), tuple(places), on)

    def leaves_for(
        self, statuses: Iterable[str], places: Iterable[str | None], on: date | None = None
    ) -> tuple[Leave, ...]:
        return _applicable(self.leave, tuple(statuses), tuple(places), on)


Entry = TypeVar("Entry", "Payment", "Leave")


def _applicable(
    entries: tuple[Entry, ...], statuses: tuple[str, ...], places: tuple[str | None, ...], on: date | None
) -> tuple[Entry, ...]:
    chosen = {
        found
        for status in statuses
        if (found := next((e for e in entries if e.audience.includes((status,), places, on)), None)) is not None
    }
    return tuple(e for e in entries if e in chosen)


def within(regions: Iterable[str], place: str | None) -> bool:
    """``place`` (a NUTS code) lies in one of ``regions`` (``BE255`` lies in ``BE2`` and in ``BE``)."""
    return place is not None and any(place.startswith(region) for region in regions)


# --- reading the [funding] table -------------------------------------------------------------

FUNDING_KEYS = frozenset(
    {"order", "combines", "costs", "rounding", "currency", "pays", "leave", "illustrative", "source"}
)
PAYMENT_KEYS = frozenset(
    {
        "share",
        "per_hour",
        "per_offer",
        "own_contribution",
        "cap_per_offer",
        "cap_per_year",
        "cap_per_period",
        "statuses",
        "regions",
        "from",
        "until",
        "illustrative",
    }
)
LEAVE_KEYS = frozenset({"hours_per_year", "hours_per_period", "statuses", "regions", "from", "until", "illustrative"})


def parse_funding(
    raw: Any, statuses: Sequence[str], regions: Sequence[str], currencies: Iterable[str], region_codes: Iterable[str]
) -> Funding:
    """Check and read a scheme's ``[funding]`` table; ``FundingError`` names what is wrong.

    ``statuses`` and ``regions`` are the scheme's: an entry may narrow them, never widen them.
    """
    if not isinstance(raw, dict):
        raise FundingError("a scheme needs a [funding] table saying what it pays (vocab/schemes/README.md)")
    _unknown(raw, FUNDING_KEYS, "[funding]")
    costs = tuple(raw.get("costs", ["tuition"]))
    if not costs or any(c not in COST_TYPES for c in costs):
        raise FundingError(f"[funding] costs must be some of {', '.join(COST_TYPES)}")
    rounding = raw.get("rounding", "cent-down")
    if rounding not in ROUNDINGS:
        raise FundingError(f"[funding] rounding must be one of {', '.join(ROUNDINGS)}")
    currency = raw.get("currency", "EUR")
    if currency not in set(currencies):
        raise FundingError(f"[funding] unknown currency {currency!r}")
    order = raw.get("order")
    if not isinstance(order, int) or isinstance(order, bool):
        raise FundingError("[funding] order must be a whole number (who pays first when schemes combine)")
    combines = raw.get("combines", True)
    if not isinstance(combines, bool):
        raise FundingError("[funding] combines must be true or false")
    known_regions = set(region_codes)
    payments = tuple(
        _payment(entry, n, statuses, regions, known_regions) for n, entry in enumerate(_entries(raw, "pays"), 1)
    )
    leave = tuple(
        _leave(entry, n, statuses, regions, known_regions) for n, entry in enumerate(_entries(raw, "leave"), 1)
    )
    if not payments and not leave:
        raise FundingError("[funding] needs at least one [[funding.pays]] or [[funding.leave]] entry")
    source = raw.get("source")
    illustrative = raw.get("illustrative", False)
    if not isinstance(illustrative, bool):
        raise FundingError("[funding] illustrative must be true or false")
    if not source and not illustrative:
        raise FundingError("[funding] needs a source (a legal reference or the official page), or illustrative = true")
    return Funding(
        order=order,
        combines=combines,
        costs=costs,
        rounding=rounding,
        currency=currency,
        payments=payments,
        leave=leave,
        illustrative=illustrative,
        source=source,
    )


def _entries(raw: dict[str, Any], key: str) -> list[dict[str, Any]]:
    entries = raw.get(key, [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise FundingError(f"[[funding.{key}]] must be a list of tables")
    return entries


def _unknown(raw: Mapping[str, Any], allowed: frozenset[str], where: str) -> None:
    if unknown := sorted(set(raw) - allowed):
        raise FundingError(
            f"{where}: unknown key {', '.join(map(repr, unknown))} (allowed: {', '.join(sorted(allowed))})"
        )


def _amount(raw: Mapping[str, Any], key: str, where: str, *, share: bool = False) -> Decimal | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise FundingError(f"{where} {key} must be a number")
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        raise FundingError(f"{where} {key} must be a number") from None
    if not amount.is_finite() or amount < 0 or (share and amount > 1):
        raise FundingError(f"{where} {key} must be {'between 0 and 1' if share else 'zero or more'}")
    return amount


def _period(raw: Mapping[str, Any], key: str, what: str, where: str) -> Period | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) != {what, "years"}:
        raise FundingError(f"{where} {key} must be {{ {what} = …, years = … }}")
    years = value["years"]
    if not isinstance(years, int) or isinstance(years, bool) or years < 1:
        raise FundingError(f"{where} {key} years must be a whole number of at least 1")
    amount = _amount(value, what, f"{where} {key}")
    assert amount is not None  # noqa: S101 - checked by the key set above
    return Period(amount, years)


def _audience(
    raw: Mapping[str, Any], where: str, statuses: Sequence[str], regions: Sequence[str], known: set[str]
) -> Audience:
    own_statuses = tuple(raw.get("statuses", ()))
    if extra := [s for s in own_statuses if s not in statuses]:
        raise FundingError(f"{where} statuses {', '.join(extra)} are not among the scheme's statuses")
    own_regions = tuple(raw.get("regions", ()))
    for region in own_regions:
        if region not in known:
            raise FundingError(f"{where} unknown region {region!r} (use a NUTS code from nuts-be.csv)")
        if not within(regions, region):
            raise FundingError(f"{where} region {region!r} lies outside the scheme's regions")
    start, end = raw.get("from"), raw.get("until")
    for key, day in (("from", start), ("until", end)):
        if day is not None and (not isinstance(day, date) or isinstance(day, datetime)):
            raise FundingError(f"{where} {key} must be a date (from = 2027-01-01)")
    if start and end and end < start:
        raise FundingError(f"{where} until lies before from")
    return Audience(own_statuses, own_regions, start, end)


def _payment(raw: Any, n: int, statuses: Sequence[str], regions: Sequence[str], known: set[str]) -> Payment:
    where = f"[[funding.pays]] entry {n}:"
    _unknown(raw, PAYMENT_KEYS, where)
    share = _amount(raw, "share", where, share=True)
    per_hour = _amount(raw, "per_hour", where)
    per_offer = _amount(raw, "per_offer", where)
    if sum(v is not None for v in (share, per_hour, per_offer)) != 1:
        raise FundingError(f"{where} give exactly one of share, per_hour, per_offer")
    if "cap_per_year" in raw and "cap_per_period" in raw:
        raise FundingError(f"{where} give cap_per_year or cap_per_period, not both (what was used counts against one)")
    return Payment(
        audience=_audience(raw, where, statuses, regions, known),
        share=share,
        per_hour=per_hour,
        per_offer=per_offer,
        own_contribution=_amount(raw, "own_contribution", where) or ZERO,
        cap_per_offer=_amount(raw, "cap_per_offer", where),
        cap_per_year=_amount(raw, "cap_per_year", where),
        cap_per_period=_period(raw, "cap_per_period", "amount", where),
        illustrative=bool(raw.get("illustrative", False)),
    )


def _leave(raw: Any, n: int, statuses: Sequence[str], regions: Sequence[str], known: set[str]) -> Leave:
    where = f"[[funding.leave]] entry {n}:"
    _unknown(raw, LEAVE_KEYS, where)
    per_year = _amount(raw, "hours_per_year", where)
    per_period = _period(raw, "hours_per_period", "hours", where)
    if (per_year is None) == (per_period is None):
        raise FundingError(f"{where} give hours_per_year or hours_per_period (one of them)")
    return Leave(
        audience=_audience(raw, where, statuses, regions, known),
        hours_per_year=per_year,
        hours_per_period=per_period,
        illustrative=bool(raw.get("illustrative", False)),
    )


# --- the sentences -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FundingTexts:
    """The sentences of explanations and summaries, per language (vocab/funding-texts.toml)."""

    texts: Mapping[str, Mapping[str, str]]
    shares: Mapping[str, Mapping[str, str]]

    def say(self, key: str, language: str, **values: Any) -> str:
        return self.texts[key][language].format(**values)

    def share(self, share: Decimal, language: str) -> str:
        """A share in words where the file names it ("half"), else as a percentage."""
        named = self.shares.get(str(share.normalize()))
        return named[language] if named else format_percent(share, locale=LOCALES[language])


TEXT_KEYS = frozenset(
    {
        "share",
        "per-hour",
        "per-offer",
        "per-hour-rate",
        "own-contribution",
        "cap-per-offer",
        "cap-per-year",
        "cap-per-period",
        "used",
        "left-to-pay",
        "step",
        "leave",
        "leave-cap-year",
        "leave-cap-period",
        "not-counted",
        "other-currency",
        "alone",
        "not-chosen-alone",
        "not-chosen-other",
        "used-period",
        "used-hours",
        "leave-covered",
        "summary-pays",
        "summary-leave",
        "summary-for",
        "summary-otherwise",
        "indicative",
    }
)


# No sentences: the calculation gives the figures only (search's precomputation).
SILENT = FundingTexts(texts={}, shares={})


def load_funding_texts(path: Path) -> FundingTexts:
    """Read and check the sentences; a missing sentence or language stops start-up."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    texts = raw.get("texts", {})
    if missing := sorted(TEXT_KEYS - set(texts)):
        raise FundingError(f"{path}: [texts] lacks {', '.join(missing)}")
    for key, value in {**texts, **raw.get("shares", {})}.items():
        if not isinstance(value, dict) or set(value) != set(LANGUAGES) or not all(value.values()):
            raise FundingError(f"{path}: {key!r} needs a text in each of {', '.join(LANGUAGES)}")
    return FundingTexts(texts=texts, shares=raw.get("shares", {}))


# Formatting a number for a locale is most of what an explanation costs, and the same amounts
# (prices, caps, hours) come back on every search page: each is formatted once.
@lru_cache(maxsize=65_536)
def money(amount: Decimal, currency: str, language: str) -> str:
    return format_currency(amount, currency, locale=LOCALES[language])


@lru_cache(maxsize=65_536)
def hours_text(hours: Decimal, language: str) -> str:
    return format_decimal(hours, locale=LOCALES[language])


# --- the calculation ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Situation:
    """A citizen's situation: statuses, where they live and work (NUTS codes), and what they
    already used this year of each scheme (euros; hours for a leave scheme)."""

    statuses: tuple[str, ...]
    residence: str | None = None
    work: str | None = None
    used: Mapping[str, Decimal] = field(default_factory=dict)
    on: date | None = None  # the day it is asked for (entries with from/until hold on some days only)

    def places(self, basis: str) -> tuple[str | None, ...]:
        """The citizen's places a scheme looks at (``region_basis``)."""
        return {"residence": (self.residence,), "work": (self.work,)}.get(basis, (self.residence, self.work))

    def statuses_for(self, scheme: FundedScheme) -> tuple[str, ...]:
        """The citizen's statuses the scheme serves: only these choose its entries (an entry for
        "everyone" is for everyone the scheme serves, not for a status it does not)."""
        return tuple(s for s in self.statuses if s in scheme.statuses)


class FundedScheme(Protocol):
    """A scheme as the calculation reads it (``eligibility.schemes.Scheme``)."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> Mapping[str, str]: ...
    @property
    def funding(self) -> Funding: ...
    @property
    def statuses(self) -> tuple[str, ...]: ...
    @property
    def regions(self) -> tuple[str, ...]: ...
    @property
    def region_basis(self) -> str: ...
    @property
    def illustrative(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class Step:
    """What one scheme pays towards one offer (money) or grants (leave hours)."""

    scheme: str
    pays: Decimal  # money; zero for a leave right
    leave_hours: Decimal | None
    explanation: Mapping[str, str]
    illustrative: bool


@dataclass(frozen=True, slots=True)
class Cost:
    price: Decimal
    currency: str
    steps: tuple[Step, ...]  # money steps in the order they pay, then leave rights
    remaining: Decimal
    illustrative: bool  # ``remaining`` rests on an amount the register could not source (each step says its own)

    @property
    def paid(self) -> Decimal:
        return self.price - self.remaining


@dataclass(frozen=True, slots=True)
class _Share:
    """One money scheme's part before what is left to pay limits it."""

    scheme: FundedScheme
    payment: Payment
    amount: Decimal  # after its own caps and what was used
    parts: dict[str, list[str]]  # language -> the phrases that led to ``amount`` (none without texts)


def serves(scheme: FundedScheme, situation: Situation) -> bool:
    """The citizen may use the scheme: one of its statuses, and a place on its region basis in its regions."""
    if not set(scheme.statuses) & set(situation.statuses):
        return False
    return any(within(scheme.regions, place) for place in situation.places(scheme.region_basis))


def calculate(
    price: Decimal,
    currency: str,
    hours: Decimal,
    schemes: Sequence[FundedScheme],
    situation: Situation,
    texts: FundingTexts | None = None,
) -> Cost:
    """What each of ``schemes`` (those the offer is eligible for) pays for this citizen, in which
    order, what is left to pay, and why in four languages (``texts``; without them only the figures,
    as search precomputes them)."""
    usable = [s for s in schemes if serves(s, situation)]
    usable.sort(key=lambda s: (s.funding.order, s.id))
    shares: list[_Share] = []
    notes: list[Step] = []
    for scheme in usable:
        payments = scheme.funding.payments_for(
            situation.statuses_for(scheme), situation.places(scheme.region_basis), situation.on
        )
        if not payments:
            continue
        if PRICE_COUNTS_AS not in scheme.funding.costs:
            notes.append(_note(scheme, texts, "not-counted", payments[0].illustrative))
        elif currency != scheme.funding.currency:
            notes.append(_note(scheme, texts, "other-currency", payments[0].illustrative, currency=currency))
        else:
            options = [_share(scheme, p, price, currency, hours, situation, texts) for p in payments]
            shares.append(max(options, key=lambda share: share.amount))  # the first on a tie
    chosen = _cheapest(shares, price)
    steps: list[Step] = []
    remaining = price
    for share in chosen:
        pays = min(share.amount, remaining)
        extra = [("left-to-pay", {"amount": remaining})] if pays < share.amount else []
        extra += [("alone", {})] if not share.scheme.funding.combines else []
        steps.append(_money_step(share, pays, extra, currency, texts))
        remaining -= pays
    for share in shares:
        if share not in chosen:  # nothing left of it, or another choice leaves less to pay
            steps.append(_money_step(share, ZERO, _why_not(share, chosen), currency, texts))
    steps += notes
    uncovered = hours  # leave rights cover the offer's hours once, in the schemes' order
    for scheme in usable:
        places = situation.places(scheme.region_basis)
        leaves = scheme.funding.leaves_for(situation.statuses_for(scheme), places, situation.on)
        if leaves:
            granted = [_leave_step(scheme, leave, hours, uncovered, situation, texts) for leave in leaves]
            best = max(granted, key=lambda step: step.leave_hours or ZERO)
            uncovered -= best.leave_hours or ZERO
            steps.append(best)
    return Cost(
        price=price,
        currency=currency,
        steps=tuple(steps),
        remaining=remaining.quantize(CENT),
        # what is left to pay is indicative where a money step is; a leave right marks its own step
        illustrative=any(s.illustrative for s in steps if s.leave_hours is None),
    )


def _money_step(
    share: _Share,
    pays: Decimal,
    extra: Sequence[tuple[str, Mapping[str, Any]]],
    currency: str,
    texts: FundingTexts | None,
) -> Step:
    """A money step and its explanation: the scheme's own reasoning, then what the others changed
    (values: amounts, or another scheme, named in the language)."""
    languages, texts = _speaking(texts)
    explanation = {}
    for language in languages:
        parts = list(share.parts[language])
        for key, values in extra:
            shown = {
                k: money(v, currency, language) if isinstance(v, Decimal) else v.name[language]
                for k, v in values.items()
            }
            parts.append(texts.say(key, language, **shown))
        explanation[language] = texts.say(
            "step",
            language,
            scheme=share.scheme.name[language],
            parts=", ".join(parts),
            amount=money(pays, currency, language),
        )
    return Step(share.scheme.id, pays.quantize(CENT), None, explanation, _indicative(share.scheme, share.payment))


def _why_not(share: _Share, chosen: Sequence[_Share]) -> list[tuple[str, Mapping[str, Any]]]:
    """Why a scheme that would pay something is not used (nothing to say when it pays nothing)."""
    if share.amount <= 0 or not chosen:
        return []
    if not share.scheme.funding.combines:
        return [("not-chosen-alone", {})]
    return [("not-chosen-other", {"other": chosen[0].scheme})]


def _speaking(texts: FundingTexts | None) -> tuple[tuple[str, ...], FundingTexts]:
    """The languages to explain in and their sentences: none when only the figures are wanted."""
    return (LANGUAGES, texts) if texts is not None and texts is not SILENT else ((), SILENT)


def _indicative(scheme: FundedScheme, entry: Payment | Leave) -> bool:
    return _indicative_scheme(scheme) or entry.illustrative


def _indicative_scheme(scheme: FundedScheme) -> bool:
    return scheme.illustrative or scheme.funding.illustrative


def _round(amount: Decimal, funding: Funding) -> Decimal:
    quantum, mode = ROUNDINGS[funding.rounding]
    return max(ZERO, amount).quantize(quantum, rounding=mode)


def _share(
    scheme: FundedScheme,
    payment: Payment,
    price: Decimal,
    currency: str,
    hours: Decimal,
    situation: Situation,
    texts: FundingTexts | None,
) -> _Share:
    languages, texts = _speaking(texts)
    funding = scheme.funding
    used = situation.used.get(scheme.id, ZERO)
    parts: dict[str, list[str]] = {language: [] for language in LANGUAGES}

    def say(key: str, **values: Decimal | int) -> None:
        for language in languages:
            shown = {
                k: (money(v, currency, language) if isinstance(v, Decimal) else v)
                for k, v in values.items()
                if k not in {"hours", "share"}
            }
            if "hours" in values:
                shown["hours"] = hours_text(Decimal(values["hours"]), language)
            if "share" in values:
                shown["share"] = texts.share(Decimal(values["share"]), language)
            parts[language].append(texts.say(key, language, **shown))

    if payment.share is not None:
        amount = price * payment.share
        say("share", share=payment.share, base=price)
    elif payment.per_hour is not None:
        amount = payment.per_hour * hours
        say("per-hour", rate=payment.per_hour, hours=hours, total=_round(amount, funding))
    else:
        assert payment.per_offer is not None  # noqa: S101 - the loader checks one of the three
        amount = payment.per_offer
        say("per-offer", amount=payment.per_offer)
    amount = _capped(amount, payment, used, say)
    return _Share(scheme, payment, _round(min(amount, price), funding), parts)


def _capped(amount: Decimal, payment: Payment, used: Decimal, say: Callable[..., None]) -> Decimal:
    """What is left of ``amount`` after the own contribution and the caps (less what was used)."""
    if payment.own_contribution:
        amount -= payment.own_contribution
        say("own-contribution", amount=payment.own_contribution)
    if payment.cap_per_offer is not None:
        amount = min(amount, payment.cap_per_offer)
        say("cap-per-offer", cap=payment.cap_per_offer)
    if payment.cap_per_year is not None:
        amount = min(amount, payment.cap_per_year - used)
        say("cap-per-year", cap=payment.cap_per_year)
    if payment.cap_per_period is not None:
        amount = min(amount, payment.cap_per_period.amount - used)
        say("cap-per-period", cap=payment.cap_per_period.amount, years=payment.cap_per_period.years)
    if used and payment.cap_per_period is not None:
        say("used-period", amount=used, years=payment.cap_per_period.years)
    elif used:
        say("used", amount=used)
    return amount


def _cheapest(shares: Sequence[_Share], price: Decimal) -> list[_Share]:
    """The schemes that pay: every combinable one in order, or one that pays alone when it leaves less."""

    def left(option: Sequence[_Share]) -> Decimal:
        remaining = price
        for share in option:
            remaining -= min(share.amount, remaining)
        return remaining

    combined = [s for s in shares if s.scheme.funding.combines and s.amount > 0]
    options = [combined] + [[s] for s in shares if not s.scheme.funding.combines and s.amount > 0]
    # The cheapest for the citizen; on a tie, the fewest schemes, then the combination.
    return min(enumerate(options), key=lambda o: (left(o[1]), len(o[1]) if o[1] else 0, o[0]))[1]


def _leave_step(
    scheme: FundedScheme,
    leave: Leave,
    hours: Decimal,
    uncovered: Decimal,
    situation: Situation,
    texts: FundingTexts | None,
) -> Step:
    """The paid leave one scheme grants: within its caps (less what was used) and the hours no
    other leave covers already."""
    languages, texts = _speaking(texts)
    used = situation.used.get(scheme.id, ZERO)
    granted = hours
    if leave.hours_per_year is not None:
        granted = min(granted, leave.hours_per_year - used)
    if leave.hours_per_period is not None:
        granted = min(granted, leave.hours_per_period.amount - used)
    granted = _whole(max(ZERO, min(granted, uncovered)))
    explanation = {}
    for language in languages:
        caps = _leave_caps(leave, texts, language)
        if used:
            caps.append(texts.say("used-hours", language, used=hours_text(used, language)))
        if uncovered < hours:
            caps.append(texts.say("leave-covered", language, covered=hours_text(_whole(hours - uncovered), language)))
        explanation[language] = texts.say(
            "leave",
            language,
            scheme=scheme.name[language],
            granted=hours_text(granted, language),
            hours=hours_text(_whole(hours), language),
            caps=", ".join(caps),
        )
    return Step(scheme.id, ZERO.quantize(CENT), granted, explanation, _indicative(scheme, leave))


def _whole(hours: Decimal) -> Decimal:
    """Hours as people write them: 60, not 60.0; 12.5 stays."""
    return hours.quantize(Decimal(1)) if hours == hours.to_integral_value() else hours.normalize()


def _note(scheme: FundedScheme, texts: FundingTexts | None, key: str, illustrative: bool, **values: str) -> Step:
    languages, texts = _speaking(texts)
    explanation = {
        language: texts.say(
            key, language, scheme=scheme.name[language], costs=", ".join(scheme.funding.costs), **values
        )
        for language in languages
    }
    return Step(scheme.id, ZERO.quantize(CENT), None, explanation, illustrative)


def summary(
    funding: Funding,
    texts: FundingTexts,
    statuses: Iterable[str] | None = None,
    status_names: Mapping[str, Mapping[str, str]] | None = None,
    on: date | None = None,
) -> dict[str, str]:
    """What a scheme pays, in a sentence per language ("covers half, at most €125.00 a year"), for
    the Grant of an offer and the scheme's page; ``statuses``: only the entries for these statuses
    (``on``: that hold on that day);
    an entry for some statuses only is introduced by their names (``status_names``: code -> language -> name)."""
    payments, leaves = summarised(funding, statuses, on)
    sentences: dict[str, list[str]] = {language: [] for language in LANGUAGES}
    for language in LANGUAGES:
        narrowed = False  # an earlier entry was for some citizens only: an open one is for the others

        for payment in payments:
            sentence = _pays_sentence(payment, funding.currency, texts, language)
            sentences[language].append(_for_whom(payment.audience, sentence, texts, language, status_names, narrowed))
            narrowed = narrowed or bool(payment.audience.statuses or payment.audience.regions)
        narrowed = False
        for leave in leaves:
            sentence = texts.say("summary-leave", language, caps=", ".join(_leave_caps(leave, texts, language)))
            sentences[language].append(_for_whom(leave.audience, sentence, texts, language, status_names, narrowed))
            narrowed = narrowed or bool(leave.audience.statuses or leave.audience.regions)
    return {language: "; ".join(s) for language, s in sentences.items()}


def summarised(
    funding: Funding, statuses: Iterable[str] | None = None, on: date | None = None
) -> tuple[tuple[Payment, ...], tuple[Leave, ...]]:
    """The entries a summary for ``statuses`` (on that day) speaks of: theirs and those for everyone."""
    wanted = set(statuses) if statuses is not None else None

    def for_them(audience: Audience) -> bool:
        if not audience.holds(on):
            return False
        return wanted is None or not audience.statuses or bool(wanted & set(audience.statuses))

    return (
        tuple(p for p in funding.payments if for_them(p.audience)),
        tuple(leave for leave in funding.leave if for_them(leave.audience)),
    )


def summary_indicative(scheme: FundedScheme, statuses: Iterable[str] | None = None, on: date | None = None) -> bool:
    """Whether the summary for ``statuses`` rests on an illustration: the scheme, its funding or an entry it names."""
    payments, leaves = summarised(scheme.funding, statuses, on)
    entries: tuple[Payment | Leave, ...] = (*payments, *leaves)
    return _indicative_scheme(scheme) or any(entry.illustrative for entry in entries)


def _pays_sentence(payment: Payment, currency: str, texts: FundingTexts, language: str) -> str:
    """ "covers half, at most €125.00 a year"."""

    def cash(amount: Decimal) -> str:
        return money(amount, currency, language)

    if payment.share is not None:
        pays = texts.share(payment.share, language)
    elif payment.per_hour is not None:
        pays = texts.say("per-hour-rate", language, rate=cash(payment.per_hour))
    else:
        assert payment.per_offer is not None  # noqa: S101 - the loader checks one of the three
        pays = cash(payment.per_offer)
    caps = []
    if payment.own_contribution:
        caps.append(texts.say("own-contribution", language, amount=cash(payment.own_contribution)))
    if payment.cap_per_offer is not None:
        caps.append(texts.say("cap-per-offer", language, cap=cash(payment.cap_per_offer)))
    if payment.cap_per_year is not None:
        caps.append(texts.say("cap-per-year", language, cap=cash(payment.cap_per_year)))
    if payment.cap_per_period is not None:
        period = payment.cap_per_period
        caps.append(texts.say("cap-per-period", language, cap=cash(period.amount), years=period.years))
    return ", ".join([texts.say("summary-pays", language, pays=pays), *caps])


def _for_whom(
    audience: Audience,
    sentence: str,
    texts: FundingTexts,
    language: str,
    names: Mapping[str, Mapping[str, str]] | None,
    narrowed: bool,
) -> str:
    if not audience.statuses and not audience.regions:
        return texts.say("summary-otherwise", language, what=sentence) if narrowed else sentence
    who = [names[s][language] if names and s in names else s for s in audience.statuses] + list(audience.regions)
    return texts.say("summary-for", language, who=", ".join(who), what=sentence)


def _leave_caps(leave: Leave, texts: FundingTexts, language: str) -> list[str]:
    caps = []
    if leave.hours_per_year is not None:
        caps.append(texts.say("leave-cap-year", language, hours=hours_text(leave.hours_per_year, language)))
    if leave.hours_per_period is not None:
        period = leave.hours_per_period
        caps.append(
            texts.say("leave-cap-period", language, hours=hours_text(period.amount, language), years=period.years)
        )
    return caps
