"""A citizen's remaining cost for an offer, as the API, the catalogue, search and Europass show it (pure).

``Pricing`` holds the schemes and the sentences once. Search cannot run the calculation for every
hit, so it stores per offer what the citizen pays in each *situation class*: citizens whose
statuses and places make the same money entries of the same schemes pay for them pay the same
for every offer (what they already used aside). The classes are enumerated from the scheme files
at start-up; a situation names its class by ``situation_key``.
"""

from __future__ import annotations

import hashlib
import itertools
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from ila_register.eligibility.funding import (
    CENT,
    LANGUAGES,
    TEXTS_FILE,
    Cost,
    FundingError,
    FundingTexts,
    Situation,
    calculate,
    load_funding_texts,
    serves,
    summary,
    summary_indicative,
    within,
)
from ila_register.eligibility.schemes import Scheme
from ila_register.vocab.lists import VocabError
from ila_register.vocab.registry import Vocabulary

# The most a citizen may say they already used of one scheme (euros, or hours of leave).
MAX_USED = Decimal("100000")
# Summaries kept (scheme, statuses, day); a few hundred are asked for on any one day.
MAX_SUMMARIES = 4096
# An entry of a class: a scheme and the number of its [[funding.pays]] entry that applies.
Entry = tuple[str, int]


@dataclass(frozen=True, slots=True)
class SituationClass:
    key: str
    entries: tuple[Entry, ...]
    example: Situation  # a situation of this class (its figures are those of every one)


def cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


class Pricing:
    """The schemes' funding, the sentences, and the situation classes search stores costs for."""

    def __init__(
        self,
        schemes: Mapping[str, Scheme],
        texts: FundingTexts,
        region_codes: Iterable[str],
        status_codes: Iterable[str],
        status_names: Mapping[str, Mapping[str, str]] | None = None,
    ) -> None:
        self.schemes = schemes
        self.texts = texts
        self.region_codes = frozenset(region_codes)
        self.status_codes = frozenset(status_codes)
        self.status_names = status_names or {}
        self._entries = _Entries(schemes)
        self.classes = _classes(
            self._entries, schemes, tuple(sorted(self.region_codes)), tuple(sorted(self.status_codes))
        )
        self._by_entries = {c.entries: c for c in self.classes.values()}
        # Summaries by scheme, statuses and day: every published offer's grants ask for them again,
        # and there are only so many (schemes by sets of the statuses they serve, for today).
        self._summaries: dict[tuple[str, frozenset[str] | None, date | None], dict[str, str]] = {}

    @classmethod
    def load(cls, vocab_dir: Path, schemes: Mapping[str, Scheme], vocabulary: Vocabulary) -> Pricing:
        """The pricing of the schemes, with the sentences of vocab/funding-texts.toml (checked)."""
        try:
            texts = load_funding_texts(vocab_dir / TEXTS_FILE)
        except (OSError, tomllib.TOMLDecodeError, FundingError) as error:
            raise VocabError(str(error)) from None
        statuses = [t for t in vocabulary["target-groups"] if t.extra.get("status") == "yes"]
        return cls(
            schemes,
            texts,
            [t.code for t in vocabulary["nuts-be"]],
            [t.code for t in statuses],
            {t.code: {language: t.label(language) for language in LANGUAGES} for t in statuses},
        )

    def read_situation(
        self,
        statuses: Sequence[str],
        residence: str | None = None,
        work: str | None = None,
        used: Mapping[str, str] | None = None,
        region: str | None = None,
        on: date | None = None,
    ) -> tuple[Situation | None, list[tuple[str, str]]]:
        """A citizen's situation from request parameters, or every problem with them (parameter, detail).

        ``region`` stands for both places when ``residence`` or ``work`` is not given. ``None`` and
        no problems: no situation was given (no status)."""
        problems: list[tuple[str, str]] = []
        for status in statuses:
            if status not in self.status_codes:
                problems.append(
                    ("status", f"unknown citizen status {status!r}; one of {', '.join(sorted(self.status_codes))}")
                )
        residence = residence or region
        work = work or region
        for name, value in (("residence", residence), ("work", work)):
            if value is not None and value not in self.region_codes:
                problems.append((name, f"unknown NUTS code {value!r}; see /api/v1/vocab/nuts-be"))
        amounts: dict[str, Decimal] = {}
        for scheme, text in (used or {}).items():
            parameter = f"used.{scheme}"
            if scheme not in self.schemes:
                problems.append((parameter, f"unknown funding scheme {scheme!r}; see /api/v1/schemes"))
                continue
            try:
                amount = Decimal(text)
            except ArithmeticError:
                amount = Decimal("NaN")
            if not amount.is_finite() or amount < 0 or amount > MAX_USED or amount != amount.quantize(CENT):
                problems.append(
                    (
                        parameter,
                        f"must be an amount of at least 0 and at most {MAX_USED} with at most two decimals,"
                        f" not {text[:40]!r}",
                    )
                )
            else:
                amounts[scheme] = amount
        if (residence or work or amounts) and not statuses:
            problems.append(("status", "say your status (e.g. status=employee) to see what you pay"))
        if problems:
            return None, problems
        if not statuses:
            return None, []
        return Situation(tuple(dict.fromkeys(statuses)), residence, work, amounts, on), []

    def entries(self, situation: Situation) -> tuple[Entry, ...]:
        """The money entries that pay for someone in ``situation`` (by scheme, the entry that applies)."""
        return self._entries(situation)

    def situation_key(self, situation: Situation) -> str | None:
        """The class whose stored figures hold for ``situation`` (``None``: no scheme pays money for it)."""
        found = self._by_entries.get(self.entries(situation))
        return found.key if found else None

    def cost(
        self,
        price: Decimal,
        currency: str,
        hours: float | Decimal,
        eligible: Iterable[str],
        situation: Situation,
        *,
        explain: bool = True,
    ) -> Cost:
        """What each scheme the offer is eligible for pays for this citizen, and what is left."""
        schemes = [self.schemes[s] for s in sorted(set(eligible)) if s in self.schemes]
        return calculate(price, currency, Decimal(str(hours)), schemes, situation, self.texts if explain else None)

    def you_pay_by_class(
        self, price: Decimal, currency: str, hours: float | Decimal, eligible: Iterable[str]
    ) -> dict[str, int]:
        """What the citizen pays (in cents) in every situation class, nothing used yet: search stores this."""
        eligible = set(eligible)
        known: dict[tuple[Entry, ...], int] = {}
        answer = {}
        for situation_class in self.classes.values():
            relevant = tuple(e for e in situation_class.entries if e[0] in eligible)
            if relevant not in known:
                figures = self.cost(price, currency, hours, eligible, situation_class.example, explain=False)
                known[relevant] = cents(figures.remaining)
            answer[situation_class.key] = known[relevant]
        return answer

    def summary(self, scheme_id: str, statuses: Iterable[str] | None = None, on: date | None = None) -> dict[str, str]:
        """What the scheme pays, one sentence per language (the Grant's description, the scheme's page)."""
        key = (scheme_id, frozenset(statuses) if statuses is not None else None, on)
        if key not in self._summaries:
            if len(self._summaries) > MAX_SUMMARIES:  # days go by: start again rather than grow
                self._summaries.clear()
            self._summaries[key] = summary(self.schemes[scheme_id].funding, self.texts, key[1], self.status_names, on)
        return dict(self._summaries[key])

    def indicative(self, scheme_id: str, statuses: Iterable[str] | None = None, on: date | None = None) -> bool:
        """Whether ``summary`` for these statuses (on that day) rests on amounts the register could not source."""
        return summary_indicative(self.schemes[scheme_id], statuses, on)

    def indicative_word(self, language: str) -> str:
        """How the register marks an indicative figure ("indicative"), in ``language``."""
        return self.texts.say("indicative", language)


def _classes(
    pricing_entries: _Entries, schemes: Mapping[str, Scheme], region_codes: Sequence[str], status_codes: Sequence[str]
) -> dict[str, SituationClass]:
    """Every distinct set of paying entries a citizen can be in, by status and places.

    Places only matter through the regions the scheme files name, so one NUTS code stands for
    every code that lies in the same of them (and ``None``: no place given)."""
    named = sorted(
        {r for s in schemes.values() for r in s.regions}
        | {r for s in schemes.values() for p in s.funding.payments for r in p.audience.regions}
        | {r for s in schemes.values() for leave in s.funding.leave for r in leave.audience.regions}
    )
    places: dict[tuple[bool, ...], str | None] = {tuple(False for _ in named): None}
    for code in region_codes:
        places.setdefault(tuple(within([r], code) for r in named), code)
    statuses = sorted({s for scheme in schemes.values() for s in scheme.statuses} & set(status_codes))
    found: dict[tuple[Entry, ...], Situation] = {}
    for size in range(1, len(statuses) + 1):
        for chosen in itertools.combinations(statuses, size):
            for residence, work in itertools.product(places.values(), repeat=2):
                situation = Situation(statuses=chosen, residence=residence, work=work)
                entries = pricing_entries(situation)
                if entries:
                    found.setdefault(entries, situation)
    return {
        key: SituationClass(key, entries, example)
        for entries, example in sorted(found.items())
        for key in [_key(entries)]
    }


class _Entries:
    """Which money entry of each scheme pays for a situation."""

    def __init__(self, schemes: Mapping[str, Scheme]) -> None:
        self.schemes = sorted(schemes.values(), key=lambda s: s.id)

    def __call__(self, situation: Situation) -> tuple[Entry, ...]:
        found = []
        for scheme in self.schemes:
            if serves(scheme, situation):
                payment = scheme.funding.payment_for(
                    situation.statuses, situation.places(scheme.region_basis), situation.on
                )
                if payment is not None:
                    found.append((scheme.id, scheme.funding.payments.index(payment)))
        return tuple(found)


def _key(entries: tuple[Entry, ...]) -> str:
    """A short stable name for a class (a search field name: letters and digits only)."""
    text = "|".join(f"{scheme}#{n}" for scheme, n in entries)
    return "k" + hashlib.sha256(text.encode()).hexdigest()[:12]
