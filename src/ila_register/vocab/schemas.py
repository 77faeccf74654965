"""Vocabulary documents at the HTTP edge: the lists and their codes."""

from __future__ import annotations

import msgspec


class VocabularySummary(msgspec.Struct, kw_only=True):
    name: str
    description: str
    terms: int
    href: str
    source: str | None = None
    concept_scheme: str | None = None


class VocabularyTerm(msgspec.Struct, kw_only=True, omit_defaults=True):
    code: str
    labels: dict[str, str]
    uri: str | None = None
    extra: dict[str, str] = {}


class VocabularyList(msgspec.Struct, kw_only=True):
    name: str
    description: str
    source: str | None
    concept_scheme: str | None
    terms: list[VocabularyTerm]
