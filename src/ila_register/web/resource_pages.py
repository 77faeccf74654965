"""The page for people of a persistent URI: a resource's properties, named and valued in the reader's language.

Pure: built from the resource's description (``elm.resources.Description``). Properties and
classes are named from ``rdf-labels.toml`` (by CURIE), or by their own name where it has none;
a text given in several languages is shown in the reader's (else English, else all of them);
a linked resource is named by its label in the same graph and linked (the register's own IRIs
locally, so they lead to their pages too).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from ila_register.elm.resources import Description
from ila_register.elm.terms import IRI, RDF_TYPE, Literal, Triple
from ila_register.web.i18n import Messages, Translator

# Where a resource's name is, in order of preference.
_NAMES = (
    "http://purl.org/dc/terms/title",
    "http://www.w3.org/ns/regorg#legalName",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2004/02/skos/core#notation",
)
_DATE_TIME = "http://www.w3.org/2001/XMLSchema#dateTime"
_DURATION = "http://www.w3.org/2001/XMLSchema#duration"
_ANY_URI = "http://www.w3.org/2001/XMLSchema#anyURI"
_HOURS = re.compile(r"PT(\d+)H(?:(\d+)M)?")
_WORDS = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


@dataclass(frozen=True, slots=True)
class ValueView:
    text: str
    href: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class PropertyView:
    label: str
    curie: str
    values: Sequence[ValueView]


@dataclass(frozen=True, slots=True)
class NodeView:
    iri: str
    href: str
    anchor: str
    title: ValueView
    kinds: Sequence[str]
    properties: Sequence[PropertyView]


@dataclass(frozen=True, slots=True)
class ResourcePage:
    iri: str
    path: str
    main: NodeView
    parts: Sequence[NodeView]


def curie(iri: str, prefixes: Mapping[str, str]) -> str:
    """``dc:title`` for ``http://purl.org/dc/terms/title`` (the longest namespace that fits), else the IRI."""
    best = max(((p, ns) for p, ns in prefixes.items() if iri.startswith(ns)), key=lambda x: len(x[1]), default=None)
    return f"{best[0]}:{iri[len(best[1]) :]}" if best else iri


def _term_name(iri: str, prefixes: Mapping[str, str], labels: Messages, t: Translator) -> str:
    key = curie(iri, prefixes)
    if key in labels.texts:
        return labels.texts[key][t.language]
    local = re.split(r"[/#:]", iri)[-1]
    words = [w if w.isupper() else w.lower() for w in _WORDS.split(local)]
    return " ".join(words).capitalize() if words else iri


def _in_language(literals: Sequence[Literal], language: str) -> list[Literal]:
    """Untagged values, and the tagged ones in ``language`` (else English, else all)."""
    plain = [v for v in literals if v.language is None]
    tagged = [v for v in literals if v.language is not None]
    for wanted in (language, "en"):
        chosen = [v for v in tagged if v.language == wanted]
        if chosen:
            return plain + chosen
    return plain + tagged


def _literal_text(value: Literal, t: Translator) -> str:
    if value.datatype == _DATE_TIME:
        try:
            return t.long_date(date.fromisoformat(value.lexical[:10]))
        except ValueError:
            return value.lexical
    if value.datatype == _DURATION and (hours := _HOURS.fullmatch(value.lexical)):
        return t("hours", hours=t.number(int(hours.group(1)) + int(hours.group(2) or 0) / 60))
    return value.lexical


def _name_of(iri: str, graph: Mapping[str, Mapping[str, list[Literal]]], t: Translator) -> ValueView | None:
    properties = graph.get(iri, {})
    for predicate in _NAMES:
        if names := _in_language(properties.get(predicate, []), t.language):
            return ValueView(names[0].lexical, language=names[0].language)
    return None


def _web_address(value: Literal) -> str | None:
    """A web address given as a value (``xsd:anyURI``) is a link too."""
    is_web = value.datatype == _ANY_URI and value.lexical.startswith(("https://", "http://"))
    return value.lexical if is_web else None


def _href(iri: str, base: str) -> str:
    return iri.removeprefix(base) if iri.startswith(f"{base}/") else iri


def resource_page(
    description: Description, prefixes: Mapping[str, str], labels: Messages, t: Translator, base: str
) -> ResourcePage:
    """The page of ``description.iri``: its own properties, then those of each part it owns."""
    page = _Page(description, prefixes, labels, t, base)
    by_subject: dict[str, list[Triple]] = {}
    for triple in description.triples:
        by_subject.setdefault(triple.subject, []).append(triple)
    main = page.node(description.iri, by_subject.pop(description.iri, []))
    parts = [page.node(iri, triples) for iri, triples in by_subject.items()]
    return ResourcePage(description.iri, _href(description.iri, base), main, parts)


class _Page:
    """Names and values of one page, from the graph the description comes from."""

    def __init__(
        self, description: Description, prefixes: Mapping[str, str], labels: Messages, t: Translator, base: str
    ) -> None:
        self.description = description
        self.prefixes = prefixes
        self.labels = labels
        self.t = t
        self.base = base
        self.literals: dict[str, dict[str, list[Literal]]] = {}
        self.kind_of: dict[str, str] = {}
        for triple in description.graph:
            if isinstance(triple.object, Literal):
                self.literals.setdefault(triple.subject, {}).setdefault(triple.predicate, []).append(triple.object)
            elif triple.predicate == RDF_TYPE:
                self.kind_of.setdefault(triple.subject, self.term(triple.object.value))

    def term(self, iri: str) -> str:
        return _term_name(iri, self.prefixes, self.labels, self.t)

    def unnamed(self, iri: str) -> str:
        """A part without a name of its own: its kind, numbered when the mapping numbers it."""
        last = iri.rsplit("/", 1)[-1]
        kind = self.kind_of.get(iri)
        if kind is None:
            return iri
        return f"{kind} {int(last) + 1}" if last.isdigit() else kind

    def link(self, target: str) -> ValueView:
        name = _name_of(target, self.literals, self.t)
        if name is None:
            return ValueView(self.unnamed(target), href=_href(target, self.base))
        return ValueView(name.text, href=_href(target, self.base), language=name.language)

    def values(self, triples: Sequence[Triple]) -> list[ValueView]:
        texts = [v.object for v in triples if isinstance(v.object, Literal)]
        shown = [
            ValueView(_literal_text(literal, self.t), href=_web_address(literal), language=literal.language)
            for literal in _in_language(texts, self.t.language)
        ]
        return shown + [self.link(v.object.value) for v in triples if isinstance(v.object, IRI)]

    def node(self, iri: str, triples: list[Triple]) -> NodeView:
        kinds = [self.term(t.object.value) for t in triples if t.predicate == RDF_TYPE and isinstance(t.object, IRI)]
        grouped: dict[str, list[Triple]] = {}
        for triple in triples:
            if triple.predicate != RDF_TYPE:
                grouped.setdefault(triple.predicate, []).append(triple)
        properties = [
            PropertyView(self.term(predicate), curie(predicate, self.prefixes), self.values(values))
            for predicate, values in grouped.items()
        ]
        title = _name_of(iri, self.literals, self.t) or ValueView(self.unnamed(iri))
        anchor = "part-" + re.sub(r"[^A-Za-z0-9]+", "-", iri.removeprefix(self.description.iri)).strip("-")
        return NodeView(iri, _href(iri, self.base), anchor, title, kinds, properties)
