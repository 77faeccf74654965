"""The provider's "My offers" page in words (pure): its query from the URL, its rows and page links."""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from ila_register.eligibility.domain import SchemeStatus
from ila_register.eligibility.schemes import Scheme
from ila_register.eligibility.services import RULES_ENGINE
from ila_register.kernel.text import in_language
from ila_register.offers.services import OfferFilters, OfferView
from ila_register.web.i18n import Translator
from ila_register.web.views import numbered_links

PER_PAGE = 25
MAX_TEXT = 100
# The statuses a provider filters on: where an offer stands for a scheme (eligibility/workflow.py).
STATUSES = ("in-review", "awaiting-confirmation", "eligible", "rejected", "expired", "suspended", "withdrawn")
# A person's decision that sends the offer back: their reason is what they ask the provider to change.
_ASKS_FOR_CHANGE = frozenset({"rejected", "in-review", "suspended"})


@dataclass(frozen=True, slots=True)
class OffersQuery:
    """What the provider asked for in the URL: status, scheme, words, page (unknown values are dropped)."""

    status: str = ""
    scheme: str = ""
    q: str = ""
    page: int = 1

    def filters(self) -> OfferFilters:
        return OfferFilters(eligibility=self.status or None, scheme=self.scheme or None, text=self.q or None)

    def url(self, language: str, **changes: object) -> str:
        values = {"status": self.status, "scheme": self.scheme, "q": self.q, "page": self.page, **changes}
        pairs = [("lang", language)] + [(k, str(v)) for k, v in values.items() if v and not (k == "page" and v == 1)]
        return f"/provider/offers?{urlencode(pairs)}"


def parse_query(params: Mapping[str, str], schemes: Mapping[str, Scheme]) -> OffersQuery:
    status = params.get("status", "")
    scheme = params.get("scheme", "")
    try:
        page = max(int(params.get("page", "1")), 1)
    except ValueError:
        page = 1
    return OffersQuery(
        status=status if status in STATUSES else "",
        scheme=scheme if scheme in schemes else "",
        q=" ".join(params.get("q", "").split())[:MAX_TEXT],
        page=min(page, 10_000),
    )


@dataclass(frozen=True, slots=True)
class SchemeCell:
    """Where the offer stands for one scheme, and why, in the reader's language."""

    name: str
    status: str
    status_code: str
    reason: str | None
    rules: list[tuple[str, str]]  # (outcome label, explanation) of the rules that did not pass
    asked: str | None  # what a reviewer asked to change


@dataclass(frozen=True, slots=True)
class OfferRow:
    id: uuid.UUID
    title: str
    reference: str
    withdrawn: bool
    schemes: list[SchemeCell]
    public_url: str | None  # the citizens' page once published
    api_resource: str  # the API's resource otherwise


def _cell(status: SchemeStatus, schemes: Mapping[str, Scheme], t: Translator) -> SchemeCell:
    scheme = schemes.get(status.scheme_id)
    name = scheme.name.get(t.language, status.scheme_id) if scheme else status.scheme_id
    rules = [
        (t(f"rule_{r.outcome}"), r.explanation.get(t.language) or r.explanation.get("en", r.rule))
        for r in status.results
        if r.outcome != "passed"
    ]
    by_person = status.decided_by is not None and status.decided_by != RULES_ENGINE
    asked = status.reason if by_person and status.status in _ASKS_FOR_CHANGE and status.reason else None
    return SchemeCell(
        name=name,
        status=t(f"status_{status.status}"),
        status_code=status.status,
        reason=None if asked else status.reason,
        rules=rules,
        asked=asked,
    )


def rows(views: list[OfferView], schemes: Mapping[str, Scheme], t: Translator) -> list[OfferRow]:
    found = []
    for view in views:
        offer = view.offer
        published = any(s.published_version is not None for s in view.eligibility) and not offer.is_withdrawn
        found.append(
            OfferRow(
                id=offer.id,
                title=in_language(offer.content.title, t.language, offer.content.default_language)[0],
                reference=offer.content.reference,
                withdrawn=offer.is_withdrawn,
                schemes=[_cell(s, schemes, t) for s in view.eligibility],
                public_url=f"/offers/{offer.id}?lang={t.language}" if published else None,
                api_resource=f"/api/v1/offers/{offer.id}",
            )
        )
    return found


def page_links(query: OffersQuery, total: int, language: str) -> list[tuple[int, str | None]]:
    """Page numbers around the current one, as the catalogue shows them."""
    last = max(math.ceil(total / PER_PAGE), 1)
    return numbered_links(query.page, last, lambda number: query.url(language, page=number))
