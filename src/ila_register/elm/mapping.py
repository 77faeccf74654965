"""The generic mapping engine: reads elm_mappings/*.toml and turns a mapping context into triples.

A mapping declares *nodes* (an RDF resource: classes, an IRI template, optionally one per item
of a list) and their *properties* (a predicate and where its values come from). Values are
found by *paths* into the context prepared by ``elm.views`` (``content.title``,
``offer.sessions[].location``). The code knows no ELM property; the mapping file does.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

from ila_register.elm import concepts
from ila_register.elm.namespaces import ELM, SKOS, XSD
from ila_register.elm.terms import IRI, RDF_TYPE, Literal, Triple, is_vocabulary, unknown_term
from ila_register.vocab.registry import Vocabulary

# The terms the engine itself adds (concepts, their schemes, mailboxes), as strings once.
_SKOS_CONCEPT = str(SKOS.Concept)
_SKOS_PREF_LABEL = str(SKOS.prefLabel)
_ELM_MAILBOX = str(ELM.Mailbox)
VALUE_KINDS = ("text", "literal", "concept", "esco", "iri", "mailto", "node")
FORMATS = ("string", "decimal", "datetime", "duration-hours", "anyuri", "integer")
TEXT_LANGUAGES = ("nl", "fr", "de", "en")
_TEMPLATE_FIELD = re.compile(r"\{([^{}]+)\}")


class MappingError(Exception):
    """The mapping file is inconsistent; raised at start-up with the file and the problem."""


@dataclass(frozen=True, slots=True)
class PropertyRule:
    predicate: str
    kind: str
    source: str
    datatype: str | None = None
    format: str = "string"
    list_name: str | None = None


@dataclass(frozen=True, slots=True)
class NodeRule:
    name: str
    classes: tuple[str, ...]
    iri: str
    properties: tuple[PropertyRule, ...]
    for_each: str | None = None
    bind: str | None = None
    when: str | None = None
    shared: bool = False


@dataclass(frozen=True, slots=True)
class ElmMapping:
    prefixes: Mapping[str, str]
    nodes: Mapping[str, NodeRule]
    root: str
    # Sentences the context composes (e.g. what a grant says), per name and language: [texts.*].
    texts: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


def expand(curie: str, prefixes: Mapping[str, str]) -> str:
    if curie.startswith(("http://", "https://", "mailto:")):
        return curie
    prefix, sep, local = curie.partition(":")
    if not sep or prefix not in prefixes:
        raise MappingError(f"unknown prefix in {curie!r}")
    return prefixes[prefix] + local


def closed_term(curie: str, prefixes: Mapping[str, str]) -> str:
    """The full IRI of a class, predicate or datatype, which must be a term of its closed namespace."""
    iri = expand(curie, prefixes)
    problem = unknown_term(iri)
    if problem is not None:
        raise MappingError(f"{curie!r} {problem}")
    return iri


def check_prefixes(prefixes: Mapping[str, str]) -> None:
    """Every prefix must name one of our vocabularies exactly (a mistyped namespace is caught here)."""
    for prefix, namespace in prefixes.items():
        if not is_vocabulary(namespace):
            raise MappingError(f"prefix {prefix!r}: {namespace!r} is not a vocabulary the register knows")


def _property(where: str, prop: Mapping[str, Any], prefixes: Mapping[str, str], vocabulary: Vocabulary) -> PropertyRule:
    kinds = [k for k in VALUE_KINDS if k in prop]
    if len(kinds) != 1:
        raise MappingError(f"{where}: give exactly one of {', '.join(VALUE_KINDS)}")
    kind = kinds[0]
    fmt = prop.get("format", "string")
    if fmt not in FORMATS:
        raise MappingError(f"{where}: unknown format {fmt!r}")
    list_name = prop.get("list")
    if kind == "concept" and (list_name is None or list_name not in vocabulary.lists):
        raise MappingError(f"{where}: concept needs a known `list`")
    try:
        predicate = closed_term(prop["predicate"], prefixes)
        datatype = closed_term(prop["datatype"], prefixes) if "datatype" in prop else None
    except MappingError as error:
        raise MappingError(f"{where}: {error}") from None
    return PropertyRule(
        predicate=predicate,
        kind=kind,
        source=str(prop[kind]),
        datatype=datatype,
        format=fmt,
        list_name=list_name,
    )


def _node(name: str, spec: Mapping[str, Any], prefixes: Mapping[str, str], vocabulary: Vocabulary) -> NodeRule:
    try:
        classes = tuple(closed_term(c, prefixes) for c in spec["class"])
    except MappingError as error:
        raise MappingError(f"node {name!r} class: {error}") from None
    return NodeRule(
        name=name,
        classes=classes,
        iri=spec["iri"],
        properties=tuple(
            _property(f"node {name!r} property {index}", prop, prefixes, vocabulary)
            for index, prop in enumerate(spec.get("properties", []))
        ),
        for_each=spec.get("for_each"),
        bind=spec.get("as"),
        when=spec.get("when"),
        shared=bool(spec.get("shared", False)),
    )


def load_mapping(path: Path, vocabulary: Vocabulary) -> ElmMapping:
    """Read and check a mapping file against itself and the vocabularies."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise MappingError(f"{path}: {error}") from None
    try:
        prefixes = {str(k): str(v) for k, v in raw["prefixes"].items()}
        check_prefixes(prefixes)
        nodes = {name: _node(name, spec, prefixes, vocabulary) for name, spec in raw["nodes"].items()}
        root = raw["root"]
    except KeyError as error:
        raise MappingError(f"{path}: missing {error}") from None
    except MappingError as error:
        raise MappingError(f"{path}: {error}") from None
    for node in nodes.values():
        for prop in node.properties:
            if prop.kind == "node" and prop.source not in nodes:
                raise MappingError(f"{path}: node {node.name!r} links to unknown node {prop.source!r}")
        if node.for_each and not node.bind:
            raise MappingError(f"{path}: node {node.name!r} has for_each but no `as`")
    if root not in nodes:
        raise MappingError(f"{path}: root node {root!r} is not defined")
    texts = {
        str(name): {str(k): str(v) for k, v in by_language.items()}
        for name, by_language in raw.get("texts", {}).items()
    }
    for name, by_language in texts.items():
        if missing := [language for language in TEXT_LANGUAGES if not by_language.get(language)]:
            raise MappingError(f"{path}: text {name!r} has no {', '.join(missing)}")
    return ElmMapping(prefixes=prefixes, nodes=nodes, root=root, texts=texts)


def resolve(path: str, context: Mapping[str, Any]) -> list[Any]:
    """All values at ``path``; ``name[]`` steps into each item of a list. Missing values vanish.

    A path starting with ``=`` is a constant (``=non-formal``).
    """
    if path.startswith("="):
        return [path[1:]]
    values: list[Any] = [context]
    for step in path.split("."):
        flatten = step.endswith("[]")
        name = step[:-2] if flatten else step
        following: list[Any] = []
        for value in values:
            item = value.get(name) if isinstance(value, Mapping) else getattr(value, name, None)
            if item is None:
                continue
            if flatten:
                following.extend(v for v in item if v is not None)
            else:
                following.append(item)
        values = following
    return values


def render(template: str, context: Mapping[str, Any]) -> str:
    def field(match: re.Match[str]) -> str:
        found = resolve(match.group(1), context)
        if not found:
            raise MappingError(f"template {template!r}: {match.group(1)!r} has no value")
        return str(found[0])

    return _TEMPLATE_FIELD.sub(field, template)


def _lexical(value: Any, fmt: str) -> str:
    if fmt == "datetime":
        if isinstance(value, datetime):
            return value.isoformat().replace("+00:00", "Z")
        if isinstance(value, date):
            return f"{value.isoformat()}T00:00:00"
    if fmt == "duration-hours":
        minutes = round(float(value) * 60)
        hours, rest = divmod(minutes, 60)
        return f"PT{hours}H{rest}M" if rest else f"PT{hours}H"
    if fmt == "decimal":
        return str(Decimal(str(value)))
    return str(value)


_DEFAULT_DATATYPE = {
    "decimal": str(XSD.decimal),
    "datetime": str(XSD.dateTime),
    "duration-hours": str(XSD.duration),
    "anyuri": str(XSD.anyURI),
    "integer": str(XSD.integer),
}


class MappingEngine:
    """Emits the triples of one mapping context; ``seen`` keeps shared nodes to one emission."""

    def __init__(self, mapping: ElmMapping, vocabulary: Vocabulary) -> None:
        self.mapping = mapping
        self.vocabulary = vocabulary

    def triples(self, context: Mapping[str, Any], seen: set[str] | None = None) -> Iterator[Triple]:
        yield from self._node(self.mapping.nodes[self.mapping.root], context, set() if seen is None else seen, [])

    def node_triples(self, name: str, context: Mapping[str, Any]) -> Iterator[Triple]:
        """The triples of one node of the mapping (e.g. a provider's organisation on its own)."""
        yield from self._node(self.mapping.nodes[name], context, set(), [])

    def root_iri(self, context: Mapping[str, Any]) -> str:
        return render(self.mapping.nodes[self.mapping.root].iri, context)

    def _instances(self, node: NodeRule, context: Mapping[str, Any]) -> list[Mapping[str, Any]]:
        if node.when is not None and not any(resolve(node.when, context)):
            return []
        if node.for_each is None:
            return [context]
        items = resolve(node.for_each, context)
        return [{**context, node.bind or "item": item, "index": index} for index, item in enumerate(items)]

    def _node(self, node: NodeRule, context: Mapping[str, Any], seen: set[str], out: list[str]) -> Iterator[Triple]:
        for instance in self._instances(node, context):
            subject = render(node.iri, instance)
            out.append(subject)
            if node.shared:
                if subject in seen:
                    continue
                seen.add(subject)
            for cls in node.classes:
                yield Triple(subject, RDF_TYPE, IRI(cls))
            for prop in node.properties:
                yield from self._property(subject, prop, instance, seen)

    def _property(
        self, subject: str, prop: PropertyRule, context: Mapping[str, Any], seen: set[str]
    ) -> Iterator[Triple]:
        if prop.kind == "node":
            linked: list[str] = []
            children = list(self._node(self.mapping.nodes[prop.source], context, seen, linked))
            for iri in linked:
                yield Triple(subject, prop.predicate, IRI(iri))
            yield from children
            return
        if prop.kind == "iri" and "{" in prop.source:  # an IRI template, e.g. a link to a shared node
            yield Triple(subject, prop.predicate, IRI(render(prop.source, context)))
            return
        triples = self._VALUE_TRIPLES[prop.kind]
        for value in resolve(prop.source, context):
            yield from triples(self, subject, prop, value, seen, context)

    def _text(
        self, subject: str, prop: PropertyRule, value: Any, _seen: set[str], _context: Mapping[str, Any]
    ) -> Iterator[Triple]:
        for language, text in value.items():
            yield Triple(subject, prop.predicate, Literal(text, language=language))

    def _literal(
        self, subject: str, prop: PropertyRule, value: Any, _seen: set[str], _context: Mapping[str, Any]
    ) -> Iterator[Triple]:
        datatype = prop.datatype or _DEFAULT_DATATYPE.get(prop.format)
        yield Triple(subject, prop.predicate, Literal(_lexical(value, prop.format), datatype=datatype))

    def _iri(
        self, subject: str, prop: PropertyRule, value: Any, _seen: set[str], _context: Mapping[str, Any]
    ) -> Iterator[Triple]:
        yield Triple(subject, prop.predicate, IRI(str(value)))

    def _mailto(
        self, subject: str, prop: PropertyRule, value: Any, seen: set[str], _context: Mapping[str, Any]
    ) -> Iterator[Triple]:
        mailbox = f"mailto:{value}"
        yield Triple(subject, prop.predicate, IRI(mailbox))
        if mailbox not in seen:
            seen.add(mailbox)
            yield Triple(mailbox, RDF_TYPE, IRI(_ELM_MAILBOX))

    def _esco(
        self, subject: str, prop: PropertyRule, value: Any, seen: set[str], _context: Mapping[str, Any]
    ) -> Iterator[Triple]:
        # ESCO's own labels (vocab/esco.csv). No skos:inScheme: the official MDR shape wants the
        # scheme to match ^https://ec.europa.eu/esco/skill/, which ESCO's scheme IRI does not
        # (tests/unit/elm/test_shape_limits.py pins that, so we notice when the shape is fixed).
        yield Triple(subject, prop.predicate, IRI(str(value)))
        if value not in seen:
            seen.add(str(value))
            yield Triple(str(value), RDF_TYPE, IRI(_SKOS_CONCEPT))
            for language, label in self.vocabulary.esco_labels.get(str(value), {}).items():
                yield Triple(str(value), _SKOS_PREF_LABEL, Literal(label, language=language))

    def _code(
        self, subject: str, prop: PropertyRule, value: Any, seen: set[str], context: Mapping[str, Any]
    ) -> Iterator[Triple]:
        yield from self._concept(subject, prop, str(value), seen, context)

    # How each kind of value becomes triples ("node" and IRI templates are handled before).
    _VALUE_TRIPLES: ClassVar[
        Mapping[str, Callable[[MappingEngine, str, PropertyRule, Any, set[str], Mapping[str, Any]], Iterator[Triple]]]
    ] = {
        "text": _text,
        "literal": _literal,
        "iri": _iri,
        "mailto": _mailto,
        "esco": _esco,
        "concept": _code,
    }

    def _concept(
        self, subject: str, prop: PropertyRule, code: str, seen: set[str], context: Mapping[str, Any]
    ) -> Iterator[Triple]:
        # Official concepts with their official label only, the register's own notions in its own
        # schemes (elm.concepts); codes that are neither are not published.
        if prop.list_name is None:
            return
        base = str(context.get("base", ""))
        iri = concepts.published_iri(self.vocabulary, base, prop.list_name, code)
        if iri is None:
            return
        yield Triple(subject, prop.predicate, IRI(iri))
        if iri in seen:
            return
        described: set[str] = set()
        for triple in concepts.concept_triples(self.vocabulary, base, prop.list_name, code) or ():
            if triple.subject not in seen or triple.subject in described:  # a scheme once per graph
                described.add(triple.subject)
                yield triple
        seen.update(described)
