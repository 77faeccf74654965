"""Code lists (vocab/*.csv): our short codes beside the official ELM/EU URIs, with labels.

Loaded and checked once at start-up; a broken file stops start-up with a message naming the
file, the line and the problem.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

LABEL_LANGUAGES = ("en", "nl", "fr", "de")
REQUIRED_COLUMNS = ("code", "uri", "label_en", "label_nl", "label_fr", "label_de")
# How a code relates to the official concept at its `uri` (the optional `match` column, SKOS mapping
# relations): `exact` means the code *is* that concept (the default when a uri is given); any other
# relation means the register's code is a notion of its own, published as a register concept.
MATCHES = ("exact", "close", "broad", "narrow", "related")


class VocabError(Exception):
    """A vocabulary file is missing or inconsistent; the message says where and why."""


@dataclass(frozen=True, slots=True)
class Term:
    """One code of a list: its official URI (if ELM has one), labels and extra columns."""

    code: str
    uri: str | None
    labels: Mapping[str, str]
    extra: Mapping[str, str] = field(default_factory=dict)
    # "exact" (the code is the official concept at `uri`), another of MATCHES, or "" (no uri).
    match: str = ""

    @property
    def is_official(self) -> bool:
        """The code is exactly an official concept: publish that concept, with its official label."""
        return self.match == "exact"

    def label(self, language: str = "en") -> str:
        return self.labels.get(language) or self.labels["en"]


@dataclass(frozen=True, slots=True)
class CodeList:
    """A named list of codes, e.g. ``modes`` or ``isced-f``."""

    name: str
    description: str
    terms: Mapping[str, Term]
    # Where the official URIs come from (an ELM code list), for documentation and checks.
    source: str = ""

    def __contains__(self, code: object) -> bool:
        return code in self.terms

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms.values())

    def __len__(self) -> int:
        return len(self.terms)

    def get(self, code: str) -> Term | None:
        return self.terms.get(code)

    def __getitem__(self, code: str) -> Term:
        return self.terms[code]


def load_code_list(path: Path, *, description: str = "", source: str = "") -> CodeList:
    """Read one CSV code list, refusing duplicates, blank codes and missing English labels."""
    name = path.stem
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise VocabError(f"{path}: missing column(s) {', '.join(missing)}")
            terms: dict[str, Term] = {}
            for line, row in enumerate(reader, start=2):
                code = (row.get("code") or "").strip()
                if not code:
                    raise VocabError(f"{path}:{line}: empty code")
                if code in terms:
                    raise VocabError(f"{path}:{line}: duplicate code {code!r}")
                if not (row.get("label_en") or "").strip():
                    raise VocabError(f"{path}:{line}: code {code!r} has no English label")
                uri = (row.get("uri") or "").strip() or None
                if uri is not None and not uri.startswith(("http://", "https://")):
                    raise VocabError(f"{path}:{line}: uri of {code!r} is not an http(s) URI")
                match = (row.get("match") or "").strip() or ("exact" if uri else "")
                if match and match not in MATCHES:
                    raise VocabError(f"{path}:{line}: match of {code!r} must be one of {', '.join(MATCHES)}")
                if match and uri is None:
                    raise VocabError(f"{path}:{line}: {code!r} has a match but no uri to match")
                labels = {lang: v.strip() for lang in LABEL_LANGUAGES if (v := row.get(f"label_{lang}") or "")}
                extra = {k: (v or "").strip() for k, v in row.items() if k not in (*REQUIRED_COLUMNS, "match") and k}
                terms[code] = Term(code=code, uri=uri, labels=labels, extra=extra, match=match)
    except FileNotFoundError:
        raise VocabError(f"{path}: vocabulary file is missing") from None
    except (UnicodeDecodeError, csv.Error) as error:
        raise VocabError(f"{path}: unreadable CSV ({error})") from None
    if not terms:
        raise VocabError(f"{path}: the list is empty")
    return CodeList(name=name, description=description, terms=terms, source=source)


_ESCO_URI = re.compile(r"^http://data\.europa\.eu/esco/(skill|occupation)/[0-9a-f-]{36}$")
ESCO_LANGUAGES = ("nl", "fr", "de", "en")


def load_esco_labels(path: Path) -> dict[str, dict[str, str]]:
    """esco.csv: ``uri,nl,fr,de,en``, one ESCO concept a row (empty cell: no label in that language).

    ESCO's own labels (from its published exports, vocab/esco-sources.md): search reads them as an
    offer's words, the ELM export labels the ESCO concepts an offer declares with them."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    if rows and set(rows[0]) != {"uri", *ESCO_LANGUAGES}:
        raise VocabError(f"{path.name}: the columns are uri,{','.join(ESCO_LANGUAGES)}; found {','.join(rows[0])}")
    found: dict[str, dict[str, str]] = {}
    for number, row in enumerate(rows, start=2):
        uri = row["uri"].strip()
        if not _ESCO_URI.match(uri):
            raise VocabError(f"{path.name} line {number}: {uri!r} is not an ESCO skill or occupation URI")
        if uri in found:
            raise VocabError(f"{path.name} line {number}: {uri} is listed twice")
        labels = {lang: label for lang in ESCO_LANGUAGES if (label := " ".join(row[lang].split()))}
        if not labels:
            raise VocabError(f"{path.name} line {number}: {uri} has no label")
        found[uri] = labels
    return found
