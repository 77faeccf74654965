"""Which changes to an approved offer are material for a scheme, and which version to publish (pure).

Each scheme file lists, under ``[material_changes]``, the offer fields whose change sends an
approved offer back to review, each with how much change it tolerates:

- ``"any"``: every change is material;
- ``"domain"`` (``homepage``): a new host name is material, a new path on the same host is not;
- ``{ edits = N }`` (multilingual texts): up to N characters changed per language publish at once
  (a typo); more is a rewrite, and so is a language added or removed, whatever its length;
- ``{ tolerance = 0.10 }`` (price, hours, credits): a relative change up to 10 % publishes at
  once; for the price, a change of currency is always material.

Changes are measured against the version the reviewer approved, never step by step, so small
edits cannot add up to a rewrite that nobody reviewed. Fields not listed publish at once.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal
from urllib.parse import urlsplit

from ila_register.offers.domain import Money, OfferContent

Measure = Literal["any", "domain", "edits", "tolerance"]

# Which measures make sense for which fields (any field takes "any").
TEXT_FIELDS = frozenset({"title", "description", "entry_requirements"})
NUMBER_FIELDS = frozenset({"price", "duration_hours", "credits_ects"})
URL_FIELDS = frozenset({"homepage"})


@dataclass(frozen=True, slots=True)
class FieldTest:
    """How one field's change is judged."""

    field: str
    measure: Measure
    limit: float = 0  # characters for "edits", a share for "tolerance"

    def describe(self) -> str:
        if self.measure == "edits":
            return f"{self.field} (more than {int(self.limit)} characters changed)"
        if self.measure == "tolerance":
            return f"{self.field} (by more than {self.limit:.0%})"
        if self.measure == "domain":
            return f"{self.field} (another domain)"
        return self.field


@dataclass(frozen=True, slots=True)
class MaterialChanges:
    """A scheme's definition of a material change: one test per listed field."""

    tests: tuple[FieldTest, ...]

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(t.field for t in self.tests)

    def changed(self, approved: OfferContent, current: OfferContent) -> list[str]:
        """The listed fields that changed materially from ``approved`` to ``current`` (empty: immaterial)."""
        return [t.field for t in self.tests if _changed(t, approved, current)]


def parse_material_changes(raw: Any, known_fields: frozenset[str]) -> MaterialChanges:
    """Read a scheme's ``[material_changes]`` table; raise ``ValueError`` naming the entry at fault."""
    if not isinstance(raw, dict) or not raw:
        raise ValueError("a scheme needs a [material_changes] table naming the offer fields whose change is material")
    tests = []
    for name, spec in raw.items():
        if name not in known_fields:
            raise ValueError(f"material_changes.{name}: unknown offer field {name!r}")
        tests.append(_field_test(name, spec))
    return MaterialChanges(tuple(tests))


def _field_test(name: str, spec: Any) -> FieldTest:
    """One entry of ``[material_changes]``: ``"any"``, ``"domain"``, ``{ edits = N }`` or ``{ tolerance = S }``."""
    where = f"material_changes.{name}"
    if spec == "any":
        return FieldTest(name, "any")
    if spec == "domain":
        if name not in URL_FIELDS:
            raise ValueError(f'{where}: "domain" applies to {", ".join(sorted(URL_FIELDS))} only')
        return FieldTest(name, "domain")
    if isinstance(spec, dict) and set(spec) == {"edits"}:
        return _edits_test(where, name, spec["edits"])
    if isinstance(spec, dict) and set(spec) == {"tolerance"}:
        return _tolerance_test(where, name, spec["tolerance"])
    raise ValueError(f'{where}: use "any", "domain", {{ edits = N }} or {{ tolerance = 0.10 }}')


def _edits_test(where: str, name: str, edits: Any) -> FieldTest:
    if name not in TEXT_FIELDS:
        raise ValueError(f"{where}: edits apply to the texts {', '.join(sorted(TEXT_FIELDS))} only")
    if not isinstance(edits, int) or isinstance(edits, bool) or not 0 <= edits <= 100:
        raise ValueError(f"{where}: edits must be a whole number of characters from 0 to 100")
    return FieldTest(name, "edits", edits)


def _tolerance_test(where: str, name: str, share: Any) -> FieldTest:
    if name not in NUMBER_FIELDS:
        raise ValueError(f"{where}: a tolerance applies to {', '.join(sorted(NUMBER_FIELDS))} only")
    if not isinstance(share, int | float) or isinstance(share, bool) or not 0 <= share <= 1:
        raise ValueError(f"{where}: tolerance must be a share from 0 to 1 (0.10 is 10 %)")
    return FieldTest(name, "tolerance", float(share))


def _changed(test: FieldTest, approved: OfferContent, current: OfferContent) -> bool:
    if test.field == "price":  # the offer's price and the highest price of each currency (sessions too)
        pairs = [(approved.price, current.price)]
        before, after = _highest_prices(approved), _highest_prices(current)
        if before.keys() != after.keys():
            return True
        pairs += [(before[c], after[c]) for c in before]
        return any(_material(test, a, b) for a, b in pairs)
    return _material(test, getattr(approved, test.field), getattr(current, test.field))


def _highest_prices(content: OfferContent) -> dict[str, Money]:
    highest: dict[str, Money] = {}
    for price in [content.price, *(s.price for s in content.sessions if s.price is not None)]:
        if price.currency not in highest or price.amount > highest[price.currency].amount:
            highest[price.currency] = price
    return highest


def _material(test: FieldTest, before: Any, after: Any) -> bool:
    if before == after:
        return False
    if test.measure == "any":
        return True
    if test.measure == "domain":
        return _host(before) != _host(after)
    if test.measure == "edits":
        return _text_edits(before or {}, after or {}, int(test.limit))
    return _beyond_tolerance(before, after, Decimal(str(test.limit)))


def _host(url: Any) -> str:
    host = (urlsplit(str(url or "")).hostname or "").lower().rstrip(".")
    return host.removeprefix("www.")


def _text_edits(before: Mapping[str, str], after: Mapping[str, str], limit: int) -> bool:
    """True when a language is added or removed, or some language has more than ``limit`` characters changed.

    A language added is new text nobody reviewed, however short ("Ab"), and one removed takes
    reviewed text away: neither is a typo, so neither is measured in characters.
    """
    if _languages(before) != _languages(after):
        return True
    for language in before.keys() | after.keys():
        old, new = before.get(language, ""), after.get(language, "")
        if old == new:
            continue
        if abs(len(old) - len(new)) > limit:
            return True  # cheap: the lengths alone prove it
        matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
        changed = sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")
        if changed > limit:
            return True
    return False


def _languages(text: Mapping[str, str]) -> frozenset[str]:
    return frozenset(language for language, value in text.items() if value and value.strip())


def _beyond_tolerance(before: Any, after: Any, share: Decimal) -> bool:
    if before is None or after is None:
        return True
    if hasattr(before, "currency"):  # a price: its currency and amount
        if before.currency != after.currency:
            return True
        before, after = before.amount, after.amount
    old, new = Decimal(str(before)), Decimal(str(after))
    if old == 0:
        return new != 0
    return abs(new - old) / abs(old) > share


@dataclass(frozen=True, slots=True)
class Approval:
    """A scheme's standing approval of an offer: the version a reviewer approved, and how it judges changes."""

    scheme_id: str
    approved_version: int
    material: MaterialChanges


@dataclass(frozen=True, slots=True)
class Publication:
    """Which version of an offer the register publishes, and the schemes that fund that version."""

    version: int | None
    schemes: frozenset[str]


def choose_publication(
    current_version: int,
    contents: Mapping[int, OfferContent],
    approvals: list[Approval],
    published_version: int | None = None,
) -> Publication:
    """The version to publish: the one that the most standing approvals cover, the newest on a tie.

    An approval covers a version that differs from the approved one only immaterially for its
    scheme. The candidates are the current version, the approved ones and the one published so
    far. With one definition shared by all schemes this is simply: the current version when no
    scheme holds it for review, else the last version the approvals covered (which stays
    published until a reviewer decides).
    """
    if not approvals:
        return Publication(None, frozenset())
    candidates = {current_version, *(a.approved_version for a in approvals)}
    if published_version is not None and published_version in contents:
        candidates.add(published_version)
    best: Publication | None = None
    for version in sorted(candidates, reverse=True):
        content = contents[version]
        covered = frozenset(
            a.scheme_id for a in approvals if not a.material.changed(contents[a.approved_version], content)
        )
        if best is None or len(covered) > len(best.schemes):
            best = Publication(version, covered)
    assert best is not None  # noqa: S101 - candidates is never empty
    return best
