"""The mapping context of an offer: domain data plus the few values ELM needs derived.

Derivations live here (in code, tested) and the mapping file only says where values go:
one period from all sessions, the ISCED-F field and learning outcomes that ELM requires even
where a guidance offer has none, ESCO skills attached to the learning outcomes that name them,
each session a learning opportunity of its own, what a grant says.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from ila_register.eligibility.cost import Pricing
from ila_register.eligibility.domain import SchemeStatus
from ila_register.eligibility.schemes import Scheme
from ila_register.eligibility.workflow import SEARCHABLE
from ila_register.offers.domain import Offer, Session, ValidationContent
from ila_register.providers.domain import Provider
from ila_register.providers.identifiers import format_kbo
from ila_register.vocab.registry import Vocabulary

# ELM requires a field of education on every specification: where the provider gives none, the
# register says so with ISCED-F 9999 "Field unknown" (never a field it guessed).
FIELD_UNKNOWN = "9999"


@dataclass(frozen=True, slots=True)
class OutcomeView:
    title: Mapping[str, str]
    skills: Sequence[str]


@dataclass(frozen=True, slots=True)
class SessionPart:
    """A session as a learning opportunity of its own, part of the offer (elm:hasPart)."""

    session: Session
    # Its place in the session's persistent URI: the first day (a second session starting that day
    # gets "-2"), so removing or reordering other sessions never gives its URI to another one.
    key: str
    title: Mapping[str, str]
    start: datetime
    end: datetime
    deadline: datetime | None
    mode: str
    # Where it takes place (None: online only, or no place given).
    located: bool
    full_address: Mapping[str, str]
    geographic_name: Mapping[str, str]
    latitude: str | None
    longitude: str | None
    price: PriceView | None
    # What ELM has no property for, as a note in every language (the capacity).
    note: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class PriceView:
    amount: Decimal
    currency: str
    label: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class GrantView:
    """A funding scheme paying for this offer, as a citizen reads it (texts.grant of the mapping)."""

    id: str
    name: Mapping[str, str]
    description: Mapping[str, str]
    homepage: str | None
    rules_url: str
    rules_title: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class OfferFacts:
    id: str
    updated_at: datetime
    # The last change to anything published about the offer: its text, a decision, its provider.
    modified: datetime
    # The kind of offer in the four languages (offer-kinds.csv).
    kind_label: Mapping[str, str]
    # "Micro-credential" in the four languages where the credential is one (else None).
    micro_credential: Mapping[str, str] | None
    period_start: datetime | None
    period_end: datetime | None
    parts: Sequence[SessionPart]
    # The places of all sessions (the parts' locations), for the offer as a whole.
    location_iris: Sequence[str]
    prices: Sequence[PriceView]
    outcomes: Sequence[OutcomeView]
    isced: str
    las_title: Mapping[str, str]
    grants: Sequence[GrantView]
    credits: str | None
    # Validation offers: the assessment through which prior learning is recognised.
    is_validation: bool


@dataclass(frozen=True, slots=True)
class LabelView:
    """A quality label as an ELM accreditation, with the body that grants it."""

    code: str
    title: Mapping[str, str]
    type: str
    issuer_id: str
    issuer_name: Mapping[str, str]
    issuer_country: str
    issuer_homepage: str | None
    # The label's days as moments in the register's time zone (from the start of the first day
    # to the end of the last).
    valid_until: datetime
    valid_from: datetime | None
    certificate: str | None
    # "Indicative" where the register marks the label as an illustration (else empty).
    note: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class ProviderFacts:
    id: str
    legal_name: Mapping[str, str]
    kbo: str | None
    vat: str | None
    euid: str | None
    country: str
    homepage: str
    email: str
    phone: str | None
    full_address: Mapping[str, str]
    updated_at: datetime
    labels: Sequence[LabelView]
    description: Mapping[str, str]


_FREE = {"nl": "Gratis", "fr": "Gratuit", "de": "Kostenlos", "en": "Free"}


def _address_note(parts: Sequence[str | None], language: str) -> dict[str, str]:
    return {language: ", ".join(p for p in parts if p)}


def provider_facts(
    provider: Provider, vocabulary: Vocabulary, today: date, texts: Mapping[str, Mapping[str, str]]
) -> ProviderFacts:
    content = provider.content
    labels = []
    for label in content.quality_labels:
        term = vocabulary["quality-labels"].get(label.label)
        if term is None or not label.valid_on(today):
            continue
        issuer = vocabulary["label-issuers"][term.extra["issuer"]]
        own = [lang for lang in issuer.extra.get("own_languages", "").split("|") if lang in issuer.labels]
        labels.append(
            LabelView(
                code=term.code,
                title=dict(term.labels),
                type=term.extra.get("accreditation_type", ""),
                issuer_id=issuer.code,
                issuer_name={lang: issuer.labels[lang] for lang in own} or {"en": issuer.labels["en"]},
                issuer_country=issuer.extra.get("country") or "BE",
                issuer_homepage=issuer.extra.get("homepage") or None,
                valid_until=_local(label.valid_until, time(23, 59, 59)),
                valid_from=_local(label.valid_from, time(0, 0)) if label.valid_from else None,
                certificate=label.certificate,
                note={lang: text.strip() for lang, text in texts["illustrative"].items()}
                if term.extra.get("illustrative") == "yes"
                else {},
            )
        )
    language = next(iter(content.name))
    address = content.address
    return ProviderFacts(
        id=str(provider.id),
        legal_name=content.name,
        kbo=format_kbo(content.kbo_number) if content.kbo_number else None,
        vat=content.vat_number,
        euid=content.euid,
        country=content.country,
        homepage=content.homepage,
        email=content.email,
        phone=content.phone,
        full_address=_address_note(
            [address.street, f"{address.postcode} {address.municipality}", address.country], language
        ),
        updated_at=provider.updated_at,
        labels=labels,
        description=content.description or {},
    )


# The sentences of the mapping's [texts.*] that the context composes (checked at start-up).
REQUIRED_TEXTS = (
    "grant",
    "grant-until",
    "grant-until-review",
    "grant-pays",
    "grant-pays-indicative",
    "basis-residence",
    "basis-work",
    "basis-work-or-residence",
    "scheme-rules",
    "session-title",
    "session-capacity",
    "illustrative",
    "no-outcome",
    "micro-credential",
)
# The register's calendar: a session's days are Belgian days (dates are published with this zone).
TIME_ZONE = ZoneInfo("Europe/Brussels")


def missing_texts(texts: Mapping[str, Mapping[str, str]]) -> list[str]:
    return [name for name in REQUIRED_TEXTS if name not in texts]


def _labels(vocabulary: Vocabulary, list_name: str, codes: Sequence[str], language: str) -> str:
    terms = [vocabulary.term(list_name, code) for code in codes]
    return ", ".join(term.label(language) if term else code for term, code in zip(terms, codes, strict=True))


def grant_statuses(
    scheme: Scheme, target_groups: Iterable[str], pricing: Pricing, on: date | None = None
) -> list[str] | None:
    """Whose figures a grant states: the citizen statuses the offer is meant for that the scheme
    serves, or (``None``) everyone it serves when the offer names none of them, or when the scheme
    pays none of them money or leave (then its entries say whom they are for)."""
    chosen = [s for s in scheme.statuses if s in set(target_groups)]
    return chosen if chosen and all(pricing.summary(scheme.id, chosen, on).values()) else None


def grant_pays(
    scheme: Scheme,
    target_groups: Iterable[str],
    pricing: Pricing,
    texts: Mapping[str, Mapping[str, str]],
    on: date | None = None,
) -> dict[str, str]:
    """What the scheme pays for this offer, a sentence per language ("… covers half, at most €125
    a year"), marked indicative where the scheme, its funding or an entry named is an illustration.

    ``on``: the entries that hold that day (the day the graph is made, as the cost API's default)."""
    statuses = grant_statuses(scheme, target_groups, pricing, on)
    pays = pricing.summary(scheme.id, statuses, on)
    indicative = pricing.indicative(scheme.id, statuses, on)
    key = "grant-pays-indicative" if indicative else "grant-pays"
    return {
        language: template.format(pays=pays[language], indicative=pricing.indicative_word(language))
        for language, template in texts[key].items()
    }


def grant_view(
    scheme: Scheme,
    status: SchemeStatus,
    base_uri: str,
    vocabulary: Vocabulary,
    texts: Mapping[str, Mapping[str, str]],
    pays: Mapping[str, str] | None = None,
) -> GrantView:
    """What a grant says in each language: who pays, for whom, where, until when, its rules, and
    (``pays``, appended) what it pays for this offer."""
    rules_url = f"{base_uri}/api/v1/schemes/{scheme.id}"
    description = {}
    for language, template in texts["grant"].items():
        until = (
            texts["grant-until"][language].format(date=status.valid_until.isoformat())
            if status.valid_until is not None
            else texts["grant-until-review"][language]
        )
        said = " ".join(
            template.format(
                description=scheme.description.get(language, ""),
                scheme=scheme.name.get(language) or scheme.name["en"],
                payer=_labels(vocabulary, "governments", [scheme.owner], language),
                illustrative=texts["illustrative"][language] if scheme.illustrative else "",
                statuses=_labels(vocabulary, "target-groups", scheme.statuses, language),
                basis=texts[f"basis-{scheme.region_basis}"][language],
                regions=_labels(vocabulary, "nuts-be", scheme.regions, language),
                until=until,
                rules=rules_url,
            ).split()
        )
        # Appended as written: amounts keep their no-break spaces ("125,00\xa0€").
        description[language] = f"{said} {pays[language]}" if pays else said
    return GrantView(
        id=scheme.id,
        name=scheme.name,
        description=description,
        homepage=scheme.homepage,
        rules_url=rules_url,
        rules_title={
            language: template.format(scheme=scheme.name.get(language) or scheme.name["en"])
            for language, template in texts["scheme-rules"].items()
        },
    )


def offer_context(
    offer: Offer,
    statuses: Sequence[SchemeStatus],
    provider: Provider,
    schemes: Mapping[str, Scheme],
    pricing: Pricing,
    base_uri: str,
    vocabulary: Vocabulary,
    today: date,
    texts: Mapping[str, Mapping[str, str]],
    last_decision: datetime | None = None,
) -> dict[str, Any]:
    """Everything the mapping may refer to for one offer (``last_decision``: the latest decision
    about it for any scheme, a rejection included, which changes what is published too)."""
    content = offer.content
    parts = [
        _part(session, key, content.title, content.mode, content.default_language, texts)
        for session, key in zip(content.sessions, _session_keys(content.sessions), strict=True)
    ]
    iri = f"{base_uri}/id/learning-opportunity/{offer.id}"
    outcomes = outcome_views(content.learning_outcomes, content.esco_skills, texts["no-outcome"], vocabulary)
    prices = [PriceView(content.price.amount, content.price.currency, _FREE if content.price.is_free else {})]
    eligible = sorted((s for s in statuses if s.status in SEARCHABLE and s.scheme_id in schemes), key=_scheme_id)
    decided = [s.decided_at for s in statuses if s.decided_at is not None]
    if last_decision is not None:
        decided.append(last_decision)
    facts = OfferFacts(
        id=str(offer.id),
        updated_at=offer.updated_at,
        modified=max([offer.updated_at, provider.updated_at, *decided]),
        kind_label=dict(vocabulary["offer-kinds"][content.kind].labels),
        micro_credential=texts["micro-credential"]
        if content.credential and content.credential.micro_credential
        else None,
        period_start=min((p.start for p in parts), default=None),
        period_end=max((p.end for p in parts), default=None),
        parts=parts,
        location_iris=[f"{iri}/session/{p.key}/location" for p in parts if p.located],
        prices=prices,
        outcomes=outcomes,
        isced=content.isced_f or FIELD_UNKNOWN,
        las_title=content.credential.name if content.credential else content.title,
        grants=[
            grant_view(
                schemes[s.scheme_id],
                s,
                base_uri,
                vocabulary,
                texts,
                grant_pays(schemes[s.scheme_id], content.target_groups, pricing, texts, today),
            )
            for s in eligible
        ],
        credits=_credits(content.credits_ects),
        is_validation=isinstance(content, ValidationContent),
    )
    return {
        "base": base_uri,
        "offer": facts,
        "content": content,
        "provider": provider_facts(provider, vocabulary, today, texts),
    }


_WORD = re.compile(r"\w{4,}")


def _words(texts: Iterable[str]) -> set[str]:
    folded = unicodedata.normalize("NFKD", " ".join(texts).casefold())
    return set(_WORD.findall("".join(c for c in folded if not unicodedata.combining(c))))


def outcome_views(
    outcomes: Sequence[Mapping[str, str]],
    skills: Sequence[str],
    none_stated: Mapping[str, str],
    vocabulary: Vocabulary,
) -> list[OutcomeView]:
    """The learning outcomes, each with the ESCO skills it names (by ESCO's labels, any language).

    A skill no outcome names is an outcome of its own, titled with ESCO's labels: the provider
    declared it as something the learner will be able to do. An offer without outcomes gets one
    that says so (``none_stated``: ELM wants at least one)."""
    attached: list[list[str]] = [[] for _ in outcomes]
    own: list[OutcomeView] = []
    words = [_words(o.values()) for o in outcomes]
    for skill in skills:
        labels = vocabulary.esco_labels.get(skill, {})
        wanted = _words(labels.values())
        overlap = [len(wanted & w) for w in words]
        if overlap and max(overlap) > 0:
            attached[overlap.index(max(overlap))].append(skill)
        elif labels:
            own.append(OutcomeView(title=dict(labels), skills=[skill]))
        elif outcomes:
            attached[0].append(skill)  # a skill ESCO's labels we do not hold: the first outcome
        else:
            own.append(OutcomeView(title=none_stated, skills=[skill]))
    views = [OutcomeView(title=o, skills=s) for o, s in zip(outcomes, attached, strict=True)] + own
    return views or [OutcomeView(title=none_stated, skills=[])]


def _local(day: date, at: time) -> datetime:
    """A day of the register's calendar as a moment with its time zone (Belgian time)."""
    return datetime.combine(day, at, tzinfo=TIME_ZONE)


def _session_keys(sessions: Sequence[Session]) -> list[str]:
    keys: list[str] = []
    seen: dict[str, int] = {}
    for session in sessions:
        day = session.start.isoformat()
        seen[day] = seen.get(day, 0) + 1
        keys.append(day if seen[day] == 1 else f"{day}-{seen[day]}")
    return keys


def _part(
    session: Session,
    key: str,
    title: Mapping[str, str],
    mode: str,
    language: str,
    texts: Mapping[str, Mapping[str, str]],
) -> SessionPart:
    start, end = session.start.isoformat(), session.end.isoformat()
    location = session.location
    price = None
    if session.price is not None:
        price = PriceView(session.price.amount, session.price.currency, {})
    note = {}
    if session.capacity is not None:
        note = {
            lang: template.format(capacity=session.capacity) for lang, template in texts["session-capacity"].items()
        }
    return SessionPart(
        session=session,
        key=key,
        title={
            lang: texts["session-title"].get(lang, "{title}").format(title=t, start=start, end=end)
            for lang, t in title.items()
        },
        start=_local(session.start, time(0, 0)),
        end=_local(session.end, time(23, 59, 59)),
        deadline=_local(session.enrolment_deadline, time(23, 59, 59)) if session.enrolment_deadline else None,
        mode="online" if session.online else mode,
        located=location is not None,
        full_address=_address_note(
            [location.street, f"{location.postcode} {location.municipality}", location.country], language
        )
        if location
        else {},
        geographic_name={language: location.municipality} if location else {},
        latitude=str(location.lat) if location and location.lat is not None and location.lon is not None else None,
        longitude=str(location.lon) if location and location.lat is not None and location.lon is not None else None,
        price=price,
        note=note,
    )


def _scheme_id(status: SchemeStatus) -> str:
    return status.scheme_id


def _credits(value: float | None) -> str | None:
    if value is None:
        return None
    return str(int(value)) if float(value).is_integer() else str(value)
