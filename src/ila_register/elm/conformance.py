"""The conformance gate: every offer's ELM is checked against the official LOQ shapes before it is published.

A compiled subset of SHACL Core (exactly the constraint components the two LOQ shape files use:
class, datatype, nodeKind, min/maxCount, pattern, in, hasValue, uniqueLang, disjoint, node, or,
and, closed, deactivated) that checks one offer's graph in well under a millisecond, so that
an offer that would make the dataset invalid is left out with its reasons instead of being
published. The tests hold its verdicts against pyshacl's on random offers.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import regex
from rdflib import RDF, BNode, Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

from ila_register.elm.namespaces import XSD
from ila_register.elm.terms import IRI, RDF_LANG_STRING, RDF_TYPE, XSD_STRING, Literal, Term, Triple

SHAPES_DIR = Path(__file__).parent / "shapes"
SHAPE_FILES = ("LOQ-constraints.ttl", "LOQ-constraints-mdr.ttl")

# Lexical forms the shapes' datatypes demand (what pyshacl rejects as ill-typed).
_LEXICAL: dict[str, re.Pattern[str]] = {
    str(XSD.dateTime): re.compile(r"^-?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?$"),
    str(XSD.duration): re.compile(r"^-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$"),
    str(XSD.integer): re.compile(r"^[+-]?\d+$"),
}

# Terms compared per checked value, as strings once (a closed-namespace lookup per value would cost).
_XSD_DECIMAL = str(XSD.decimal)
_SH_IRI, _SH_LITERAL, _SH_BLANK_NODE = str(SH.IRI), str(SH.Literal), str(SH.BlankNode)
_SH_LOOSE_KINDS = {str(SH.BlankNodeOrIRI), str(SH.IRIOrLiteral)}


@dataclass(frozen=True, slots=True)
class Violation:
    focus: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.focus} {self.path}: {self.message}"


@dataclass(slots=True)
class PropertyShape:
    path: str
    min_count: int = 0
    max_count: int | None = None
    datatype: str | None = None
    classes: list[str] = field(default_factory=list)
    node_kind: str | None = None
    patterns: list[tuple[Any, str]] = field(default_factory=list)  # (compiled, source)
    in_values: list[Term] | None = None
    has_value: Term | None = None
    unique_lang: bool = False
    disjoint: list[str] = field(default_factory=list)
    nodes: list[str] = field(default_factory=list)  # shape ids
    or_shapes: list[list[str]] = field(default_factory=list)  # each: alternatives (shape ids)
    and_shapes: list[list[str]] = field(default_factory=list)


@dataclass(slots=True)
class NodeShape:
    id: str
    targets: list[str] = field(default_factory=list)
    properties: list[PropertyShape] = field(default_factory=list)
    closed: bool = False
    ignored: set[str] = field(default_factory=set)
    # Constraints that apply to the focus node itself (used by the shapes inside sh:or / sh:node).
    classes: list[str] = field(default_factory=list)
    datatype: str | None = None
    node_kind: str | None = None
    patterns: list[tuple[Any, str]] = field(default_factory=list)
    or_shapes: list[list[str]] = field(default_factory=list)
    and_shapes: list[list[str]] = field(default_factory=list)
    nodes: list[str] = field(default_factory=list)


def _term(node: Node) -> Term:
    if isinstance(node, RdfLiteral):
        datatype = str(node.datatype) if node.datatype else (RDF_LANG_STRING if node.language else XSD_STRING)
        return Literal(str(node), datatype=datatype, language=node.language)
    return IRI(str(node))


class ShapeLibrary:
    """The official shapes, compiled once."""

    def __init__(self, graphs: Sequence[Graph]) -> None:
        self.shapes: dict[str, NodeShape] = {}
        self._ids: dict[Node, str] = {}
        self.graph = Graph()
        for graph in graphs:
            self.graph += graph
        for shape in set(self.graph.subjects(RDF.type, SH.NodeShape)):
            if (shape, SH.deactivated, RdfLiteral(True)) in self.graph:
                continue
            self._node_shape(shape)
        self.by_target: dict[str, list[NodeShape]] = defaultdict(list)
        for node_shape in self.shapes.values():
            for target in node_shape.targets:
                self.by_target[target].append(node_shape)

    @classmethod
    def official(cls, directory: Path = SHAPES_DIR) -> ShapeLibrary:
        return cls([Graph().parse(directory / name, format="turtle") for name in SHAPE_FILES])

    def _id(self, node: Node) -> str:
        if node not in self._ids:
            self._ids[node] = f"shape{len(self._ids)}" if isinstance(node, BNode) else str(node)
        return self._ids[node]

    def _list(self, head: Node) -> list[Node]:
        return list(Collection(self.graph, head))

    def _shape_refs(self, heads: Iterable[Node]) -> list[list[str]]:
        return [[self._node_shape(member) for member in self._list(head)] for head in heads]

    def _patterns(self, node: Node) -> list[tuple[Any, str]]:
        found = []
        for pattern in self.graph.objects(node, SH.pattern):
            flags = str(self.graph.value(node, SH.flags) or "")
            found.append((regex.compile(str(pattern), regex.IGNORECASE if "i" in flags else 0), str(pattern)))
        return found

    def _node_shape(self, node: Node) -> str:
        shape_id = self._id(node)
        if shape_id in self.shapes:
            return shape_id
        g = self.graph
        shape = NodeShape(id=shape_id)
        self.shapes[shape_id] = shape  # registered before recursion (shapes may refer to each other)
        shape.targets = [str(t) for t in g.objects(node, SH.targetClass)]
        shape.closed = (node, SH.closed, RdfLiteral(True)) in g
        for head in g.objects(node, SH.ignoredProperties):
            shape.ignored |= {str(p) for p in self._list(head)}
        shape.classes = [str(c) for c in g.objects(node, SH["class"])]
        datatype = g.value(node, SH.datatype)
        shape.datatype = str(datatype) if datatype else None
        node_kind = g.value(node, SH.nodeKind)
        shape.node_kind = str(node_kind) if node_kind else None
        shape.patterns = self._patterns(node)
        shape.or_shapes = self._shape_refs(g.objects(node, SH["or"]))
        shape.and_shapes = self._shape_refs(g.objects(node, SH["and"]))
        shape.nodes = [self._node_shape(n) for n in g.objects(node, SH.node)]
        for prop in g.objects(node, SH.property):
            if (prop, SH.deactivated, RdfLiteral(True)) in g:
                continue
            path = g.value(prop, SH.path)
            if not isinstance(path, URIRef):
                continue  # complex paths do not occur in the LOQ shapes
            shape.properties.append(self._property(prop, str(path)))
        return shape_id

    def _property(self, prop: Node, path: str) -> PropertyShape:
        g = self.graph
        min_count = g.value(prop, SH.minCount)
        max_count = g.value(prop, SH.maxCount)
        datatype = g.value(prop, SH.datatype)
        node_kind = g.value(prop, SH.nodeKind)
        in_head = g.value(prop, SH["in"])
        has_value = g.value(prop, SH.hasValue)
        return PropertyShape(
            path=path,
            min_count=int(str(min_count)) if min_count is not None else 0,
            max_count=int(str(max_count)) if max_count is not None else None,
            datatype=str(datatype) if datatype else None,
            classes=[str(c) for c in g.objects(prop, SH["class"])],
            node_kind=str(node_kind) if node_kind else None,
            patterns=self._patterns(prop),
            in_values=[_term(v) for v in self._list(in_head)] if in_head is not None else None,
            has_value=_term(has_value) if has_value is not None else None,
            unique_lang=(prop, SH.uniqueLang, RdfLiteral(True)) in g,
            disjoint=[str(d) for d in g.objects(prop, SH.disjoint)],
            nodes=[self._node_shape(n) for n in g.objects(prop, SH.node)],
            or_shapes=self._shape_refs(g.objects(prop, SH["or"])),
            and_shapes=self._shape_refs(g.objects(prop, SH["and"])),
        )


class _Graph:
    """One offer's triples, indexed for checking."""

    def __init__(self, triples: Iterable[Triple]) -> None:
        self.out: dict[str, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        self.types: dict[str, set[str]] = defaultdict(set)
        for subject, predicate, obj in triples:
            values = self.out[subject][predicate]
            if obj not in values:
                values.append(obj)
            if predicate == RDF_TYPE and isinstance(obj, IRI):
                self.types[subject].add(obj.value)


class Conformance:
    """Checks graphs against the shape library; returns the violations (empty: conforms)."""

    def __init__(self, library: ShapeLibrary) -> None:
        self.library = library

    def check(self, triples: Iterable[Triple]) -> list[Violation]:
        graph = _Graph(triples)
        violations: list[Violation] = []
        for subject, types in graph.types.items():
            for type_ in types:
                for shape in self.library.by_target.get(type_, ()):
                    violations += self._focus(graph, IRI(subject), shape)
        return violations

    # -- evaluation ------------------------------------------------------------------------

    def _conforms(self, graph: _Graph, value: Term, shape_id: str) -> bool:
        return not self._focus(graph, value, self.library.shapes[shape_id])

    def _focus(self, graph: _Graph, focus: Term, shape: NodeShape) -> list[Violation]:
        name = focus.value if isinstance(focus, IRI) else focus.lexical
        violations = [Violation(name, "", m) for m in self._value_checks(graph, focus, shape)]
        if isinstance(focus, Literal):
            return violations
        properties = graph.out.get(focus.value, {})
        for prop in shape.properties:
            values = properties.get(prop.path, [])
            violations += [
                Violation(name, prop.path, m) for m in self._property_checks(graph, values, prop, properties)
            ]
        if shape.closed:
            allowed = {p.path for p in shape.properties} | shape.ignored
            for predicate in properties:
                if predicate not in allowed:
                    violations.append(Violation(name, predicate, "property not allowed here (closed shape)"))
        return violations

    def _value_checks(self, graph: _Graph, value: Term, shape: NodeShape | PropertyShape) -> list[str]:
        problems: list[str] = []
        if shape.classes and not (isinstance(value, IRI) and set(shape.classes) <= graph.types.get(value.value, set())):
            problems.append(f"{_show(value)} is not a {', '.join(shape.classes)}")
        if shape.datatype is not None and not _has_datatype(value, shape.datatype):
            problems.append(f"{_show(value)} is not a valid {shape.datatype}")
        if shape.node_kind is not None and not _has_node_kind(value, shape.node_kind):
            problems.append(f"{_show(value)} is not of kind {shape.node_kind}")
        for compiled, source in shape.patterns:
            text = value.value if isinstance(value, IRI) else value.lexical
            if not compiled.search(text):
                problems.append(f"{_show(value)} does not match {source}")
        for alternatives in shape.or_shapes:
            if not any(self._conforms(graph, value, a) for a in alternatives):
                problems.append(f"{_show(value)} matches none of the allowed forms")
        for parts in shape.and_shapes:
            if not all(self._conforms(graph, value, p) for p in parts):
                problems.append(f"{_show(value)} fails a required form")
        for node in shape.nodes:
            if not self._conforms(graph, value, node):
                problems.append(f"{_show(value)} does not conform to {node}")
        return problems

    def _property_checks(
        self, graph: _Graph, values: list[Term], prop: PropertyShape, properties: Mapping[str, list[Term]]
    ) -> list[str]:
        problems: list[str] = []
        if len(values) < prop.min_count:
            problems.append(f"needs at least {prop.min_count} value(s), has {len(values)}")
        if prop.max_count is not None and len(values) > prop.max_count:
            problems.append(f"allows at most {prop.max_count} value(s), has {len(values)}")
        if prop.has_value is not None and prop.has_value not in values:
            problems.append(f"must include {_show(prop.has_value)}")
        if prop.unique_lang:
            languages = [v.language for v in values if isinstance(v, Literal) and v.language]
            if len(languages) != len(set(languages)):
                problems.append("has two values in the same language")
        for other in prop.disjoint:
            if set(values) & set(properties.get(other, [])):
                problems.append(f"shares values with {other}")
        for value in values:
            if prop.in_values is not None and value not in prop.in_values:
                problems.append(f"{_show(value)} is not one of the allowed values")
            problems += self._value_checks(graph, value, prop)
        return problems


def _show(term: Term) -> str:
    return f"<{term.value}>" if isinstance(term, IRI) else repr(term.lexical)


def _has_datatype(value: Term, datatype: str) -> bool:
    if not isinstance(value, Literal):
        return False
    actual = value.datatype or (RDF_LANG_STRING if value.language else XSD_STRING)
    if actual != datatype:
        return False
    if datatype == _XSD_DECIMAL:
        try:
            Decimal(value.lexical)
        except InvalidOperation:
            return False
        return "e" not in value.lexical.lower()
    pattern = _LEXICAL.get(datatype)
    return pattern is None or bool(pattern.match(value.lexical))


def _has_node_kind(value: Term, kind: str) -> bool:
    if kind == _SH_IRI:
        return isinstance(value, IRI)
    if kind == _SH_LITERAL:
        return isinstance(value, Literal)
    if kind in _SH_LOOSE_KINDS:
        return True
    return kind != _SH_BLANK_NODE  # we never write blank nodes
