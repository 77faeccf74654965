"""The reviewers' queue page: its filters read from the URL and its rows in the reader's words (pure)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from ila_register.eligibility.schemes import Scheme
from ila_register.eligibility.services import QUEUE_REGIONS, WaitingFilters, WaitingItem, WaitingList
from ila_register.kernel.cursors import Position, decode_cursor, encode_cursor
from ila_register.kernel.exceptions import InvalidParameters
from ila_register.kernel.text import in_language
from ila_register.vocab.registry import Vocabulary
from ila_register.web.i18n import Translator

KINDS = ("training", "guidance", "validation")
FIELDS = ("scheme", "provider", "region", "kind", "min_days")
MAX_DAYS = 3650


@dataclass(frozen=True, slots=True)
class QueueQuery:
    """The filters as the reader typed them (kept in the form), and what the service is asked."""

    values: dict[str, str]
    filters: WaitingFilters

    def url(self, language: str, after: str | None = None) -> str:
        params = [("lang", language), *((k, v) for k, v in self.values.items() if v)]
        return "/dashboard/queue?" + urlencode([*params, *([("after", after)] if after else [])])


@dataclass(frozen=True, slots=True)
class QueueRow:
    title: str
    title_language: str
    provider: str
    provider_language: str
    kind: str
    scheme: str
    status: str
    waited: str
    since: datetime
    url: str
    url_label: str
    decisions_path: str


def parse_query(
    params: Mapping[str, str], schemes: Mapping[str, Scheme], t: Translator
) -> tuple[QueueQuery, dict[str, str]]:
    """The filters in the URL; a value no option has is a field error and filters nothing."""
    values = {name: (params.get(name) or "").strip()[:100] for name in FIELDS}
    errors: dict[str, str] = {}
    provider_id: uuid.UUID | None = None
    if values["provider"]:
        try:
            provider_id = uuid.UUID(values["provider"])
        except ValueError:
            errors["provider"] = t("queue_error_choice")
    min_days: int | None = None
    if values["min_days"]:
        if values["min_days"].isdigit() and int(values["min_days"]) <= MAX_DAYS:
            min_days = int(values["min_days"])
        else:
            errors["min_days"] = t("queue_error_days", max=MAX_DAYS)
    for name, allowed in (("scheme", schemes), ("region", QUEUE_REGIONS), ("kind", KINDS)):
        if values[name] and values[name] not in allowed:
            errors[name] = t("queue_error_choice")
    after: tuple[datetime, uuid.UUID, str] | None = None
    if params.get("after"):
        try:
            position = decode_cursor(params["after"])
            after = (position.at, position.id, position.tie)
        except InvalidParameters:
            after = None  # a damaged link starts again at the oldest
    filters = WaitingFilters(
        scheme=values["scheme"] if values["scheme"] and "scheme" not in errors else None,
        provider_id=provider_id,
        region=values["region"] if values["region"] and "region" not in errors else None,
        kind=values["kind"] if values["kind"] and "kind" not in errors else None,
        min_days=min_days,
        after=after,
    )
    return QueueQuery(values=values, filters=filters), errors


def next_page(waiting: WaitingList) -> str | None:
    if waiting.next_after is None:
        return None
    at, offer_id, scheme_id = waiting.next_after
    return encode_cursor(Position(at, offer_id, scheme_id))


def waited(since: datetime, now: datetime, t: Translator) -> str:
    """How long an offer has waited, in whole days and hours."""
    hours = max(0, int((now - since).total_seconds() // 3600))
    return t("queue_waited", days=hours // 24, hours=hours % 24)


def rows(waiting: WaitingList, schemes: Mapping[str, Scheme], vocabulary: Vocabulary, t: Translator) -> list[QueueRow]:
    lang = t.language
    return [_row(item, waiting.now, schemes, vocabulary, t, lang) for item in waiting.items]


def _row(
    item: WaitingItem, now: datetime, schemes: Mapping[str, Scheme], vocabulary: Vocabulary, t: Translator, lang: str
) -> QueueRow:
    title, title_language = in_language(item.title, lang, item.default_language)
    provider, provider_language = in_language(item.provider_name, lang, item.default_language)
    kind = vocabulary.term("offer-kinds", item.kind)
    api = f"/api/v1/offers/{item.offer_id}"
    return QueueRow(
        title=title,
        title_language=title_language,
        provider=provider,
        provider_language=provider_language,
        kind=kind.label(lang) if kind else item.kind,
        scheme=scheme_name(item.scheme_id, schemes, lang),
        status=t(f"status_{item.status}"),
        waited=waited(item.waiting_since, now, t),
        since=item.waiting_since,
        url=f"/offers/{item.offer_id}?lang={lang}" if item.published else api,
        url_label=t("queue_public_page") if item.published else t("queue_api_resource"),
        decisions_path=f"POST {api}/decisions",
    )


def scheme_name(scheme_id: str, schemes: Mapping[str, Scheme], lang: str) -> str:
    scheme = schemes.get(scheme_id)
    return scheme.name.get(lang, scheme_id) if scheme else scheme_id


def options(
    waiting: WaitingList, schemes: Mapping[str, Scheme], vocabulary: Vocabulary, t: Translator
) -> dict[str, Sequence[tuple[str, str]]]:
    """The choices of each filter's list, in the reader's language (providers: those with offers waiting)."""
    lang = t.language

    def label(list_name: str, code: str) -> str:
        term = vocabulary.term(list_name, code)
        return term.label(lang) if term else code

    providers = sorted(
        ((str(pid), in_language(name, lang)[0]) for pid, name in waiting.providers.items()),
        key=lambda p: p[1].casefold(),
    )
    return {
        "scheme": sorted(((sid, scheme_name(sid, schemes, lang)) for sid in schemes), key=lambda s: s[1].casefold()),
        "provider": providers,
        "region": [
            (code, t("region_online") if code == "online" else label("nuts-be", code)) for code in QUEUE_REGIONS
        ],
        "kind": [(code, label("offer-kinds", code)) for code in KINDS],
    }


def counts(waiting: WaitingList, schemes: Mapping[str, Scheme], t: Translator) -> list[tuple[str, str, int]]:
    """Per scheme with offers waiting: its id, its name and how many (under the other filters), most first."""
    found = [(sid, scheme_name(sid, schemes, t.language), n) for sid, n in waiting.counts.items()]
    return sorted(found, key=lambda c: (-c[2], c[1].casefold()))
