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
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from ila_register.eligibility.funding import (
    CENT,
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
from ila_register.kernel.text import LANGUAGES
from ila_register.vocab.lists import VocabError
from ila_register.vocab.registry import Vocabulary

# The most a citizen may say they already used of one scheme (euros, or hours of leave).
MAX_USED = Decimal("100000")
USED_PREFIX = "used."
# What a citizen may type as an amount: digits (ASCII only), at most two decimals.
AMOUNT = re.compile(r"[0-9]{1,6}(?:\.[0-9]{1,2})?", re.ASCII)
# A NUTS code (country and up to three more characters), for a place outside Belgium.
FOREIGN_NUTS = re.compile(r"[A-Z]{2}[0-9A-Z]{0,3}", re.ASCII)
# The name of a situation class (``Pricing.classes``): search uses it as (part of) a field name.
CLASS_KEY = re.compile(r"k[0-9a-f]{12}", re.ASCII)
QUOTED = 40  # characters of a refused value a problem quotes
# An entry of a class: a scheme and the numbers of its [[funding.pays]] entries that apply.
Entry = tuple[str, tuple[int, ...]]
# Summaries kept (scheme, statuses, day); a few hundred are asked for on any one day.
MAX_SUMMARIES = 4096


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
        province_codes: Mapping[str, str] | None = None,
        country_codes: Iterable[str] = (),
    ) -> None:
        self.schemes = schemes
        self.texts = texts
        self.region_codes = frozenset(region_codes)
        self.status_codes = frozenset(status_codes)
        self.status_names = status_names or {}
        self.province_codes = dict(province_codes or {})  # a province's name -> its NUTS code
        # the countries a NUTS code abroad may start with (NUTS writes Greece EL, the United Kingdom UK)
        self.country_codes = frozenset(country_codes or ()) | {"EL", "UK"}
        self._entries = _Entries(schemes)
        # Which funding the stored figures were computed with: every class key carries it, so an
        # index written under other funding has other keys (and is filled again, see search).
        self.fingerprint = _fingerprint(schemes)
        self.classes = _classes(
            self._entries,
            schemes,
            tuple(sorted(self.region_codes)),
            tuple(sorted(self.status_codes)),
            self.fingerprint,
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
            vocabulary.province_codes(),
            [t.code for t in vocabulary["countries"]],
        )

    def read_parameters(
        self, query: Mapping[str, Sequence[str]], on: date | None = None
    ) -> tuple[Situation | None, list[tuple[str, str]]]:
        """A situation from a request's query (every value of every parameter), or every problem.

        Reads ``status`` (repeated or comma-separated), ``region``, ``residence``, ``work`` and
        ``used.<scheme>``; a place or an amount given twice is a problem, not a silent choice."""
        problems: list[tuple[str, str]] = []
        single: dict[str, str | None] = {}
        for name in ("region", "residence", "work"):
            values = list(query.get(name, ()))
            if len(values) > 1:
                problems.append((name, "give it once"))
            single[name] = values[0] if values else None
        used_names = [name for name in query if name.startswith(USED_PREFIX)]
        for name in query:
            if name.lower().startswith(USED_PREFIX) and not name.startswith(USED_PREFIX):
                problems.append((_quoted_name(name), f"write it {USED_PREFIX}<scheme>, in lower case"))
        if len(used_names) > len(self.schemes):
            problems.append((USED_PREFIX + "*", f"at most one used.<scheme> per scheme ({len(self.schemes)})"))
            used_names = []
        used: dict[str, str] = {}
        for name in used_names:
            values = list(query[name])
            if len(values) > 1:
                problems.append((_quoted_name(name), "give it once"))
            used[name.removeprefix(USED_PREFIX)] = values[0]
        situation, found = self.read_situation(
            list(query.get("status", ())), single["residence"], single["work"], used, single["region"], on
        )
        return (situation if not problems else None), problems + found

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

        ``statuses`` may be comma-separated. ``region`` stands for both places (it may not be given
        with both ``residence`` and ``work``); a place is a NUTS code, a province's name, or a NUTS
        code outside Belgium (where no Belgian scheme's region lies). ``None`` and no problems: no
        situation was given at all."""
        problems: list[tuple[str, str]] = []
        codes = [c.strip() for status in statuses for c in status.split(",")]
        for status in codes:
            if status not in self.status_codes:
                problems.append(
                    (
                        "status",
                        f"unknown citizen status {_quote(status)}; one of {', '.join(sorted(self.status_codes))}",
                    )
                )
        places: dict[str, str | None] = {}
        for name, value in (("region", region), ("residence", residence), ("work", work)):
            places[name] = self._place(name, value, problems)
        if region is not None and residence is not None and work is not None:
            problems.append(("region", "give region, or residence and work, not all three"))
        amounts = self._amounts(used or {}, problems)
        given = bool(codes or region is not None or residence is not None or work is not None or used)
        if given and not codes:
            problems.append(("status", "say your status (e.g. status=employee) to see what you pay"))
        if given and region is None and residence is None and work is None:
            problems.append(("region", "say where you live or work (e.g. region=BE211): the schemes depend on it"))
        if problems or not given:
            return None, problems
        home = places["residence"] or places["region"]
        workplace = places["work"] or places["region"]
        return Situation(tuple(dict.fromkeys(codes)), home, workplace, amounts, on), []

    def _place(self, name: str, value: str | None, problems: list[tuple[str, str]]) -> str | None:
        if value is None:
            return None
        code = value.strip()
        if code in self.region_codes:
            return code
        if code in self.province_codes:
            return self.province_codes[code]
        if FOREIGN_NUTS.fullmatch(code) and code[:2] in self.country_codes and not code.startswith("BE"):
            return code  # abroad: no Belgian scheme's region lies there
        problems.append(
            (
                name,
                f"unknown place {_quote(value)}: a NUTS code (BE2, BE25, BE255; abroad e.g. FR10) "
                "or a province (see /api/v1/vocab/nuts-be)",
            )
        )
        return None

    def _amounts(self, used: Mapping[str, str], problems: list[tuple[str, str]]) -> dict[str, Decimal]:
        amounts: dict[str, Decimal] = {}
        for scheme, text in used.items():
            parameter = _quoted_name(USED_PREFIX + scheme)
            if scheme not in self.schemes:
                problems.append((parameter, f"unknown funding scheme {_quote(scheme)}; see /api/v1/schemes"))
            elif not AMOUNT.fullmatch(text) or Decimal(text) > MAX_USED:
                problems.append(
                    (
                        parameter,
                        f"must be an amount from 0 to {MAX_USED} with at most two decimals (e.g. 125 or 62.50),"
                        f" not {_quote(text)}",
                    )
                )
            else:
                amounts[scheme] = Decimal(text).quantize(CENT)
        return amounts

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
        self,
        price: Decimal,
        currency: str,
        hours: float | Decimal,
        eligible: Iterable[str],
        on: date | None = None,
    ) -> dict[str, int]:
        """What the citizen pays (in cents) in every situation class on ``on``, nothing used yet.

        Search stores this per offer, to filter and sort by it; classes that the offer's schemes
        treat alike are calculated once."""
        eligible = set(eligible)
        known: dict[tuple[Entry, ...], int] = {}
        answer = {}
        for situation_class in self.classes.values():
            relevant = tuple(e for e in situation_class.entries if e[0] in eligible)
            if relevant not in known:
                example = replace(situation_class.example, on=on)
                figures = self.cost(price, currency, hours, eligible, example, explain=False)
                known[relevant] = cents(figures.remaining)
            answer[situation_class.key] = known[relevant]
        return answer

    def representative_place(self, scheme_id: str) -> str:
        """Where the monitoring's representative citizen of a scheme lives and works: the first
        region the scheme's file names; for a scheme of the whole country, its first region (BE1)."""
        region = self.schemes[scheme_id].regions[0]
        if len(region) > 2:  # NUTS-1 and below: a region of Belgium
            return region
        return min(c for c in self.region_codes if len(c) == 3 and c.startswith(region))

    def representatives(self, scheme_id: str, on: date | None = None) -> tuple[Situation, ...]:
        """The monitoring's representative citizens of a scheme: one per status it serves (in its
        file's order), living and working in ``representative_place``, nothing used yet, on ``on``."""
        place = self.representative_place(scheme_id)
        return tuple(Situation((status,), place, place, {}, on) for status in self.schemes[scheme_id].statuses)

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
    pricing_entries: _Entries,
    schemes: Mapping[str, Scheme],
    region_codes: Sequence[str],
    status_codes: Sequence[str],
    fingerprint: str = "",
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
        for key in [_key(entries, fingerprint)]
    }


class _Entries:
    """Which money entry of each scheme pays for a situation."""

    def __init__(self, schemes: Mapping[str, Scheme]) -> None:
        self.schemes = sorted(schemes.values(), key=lambda s: s.id)

    def __call__(self, situation: Situation) -> tuple[Entry, ...]:
        found = []
        for scheme in self.schemes:
            if serves(scheme, situation):
                places = situation.places(scheme.region_basis)
                payments = scheme.funding.payments_for(situation.statuses_for(scheme), places, situation.on)
                if payments:
                    found.append((scheme.id, tuple(scheme.funding.payments.index(p) for p in payments)))
        return tuple(found)


def _quote(text: str) -> str:
    return repr(text[:QUOTED] + ("…" if len(text) > QUOTED else ""))


def _quoted_name(name: str) -> str:
    return name[: QUOTED + len(USED_PREFIX)]


def _key(entries: tuple[Entry, ...], fingerprint: str = "") -> str:
    """A short stable name for a class under the funding of ``fingerprint`` (a search field name:
    letters and digits only, ``CLASS_KEY``)."""
    text = fingerprint + "|" + "|".join(f"{scheme}#{','.join(map(str, numbers))}" for scheme, numbers in entries)
    return "k" + hashlib.sha256(text.encode()).hexdigest()[:12]


def _fingerprint(schemes: Mapping[str, Scheme]) -> str:
    """What the figures depend on, of every scheme: whom it serves, where, and its funding."""
    parts = [
        repr((s.id, s.statuses, s.regions, s.region_basis, s.funding))
        for s in sorted(schemes.values(), key=lambda s: s.id)
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]
