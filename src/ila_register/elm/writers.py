"""Streaming RDF writers: each offer's triples are written as they come, in constant memory.

rdflib's serializers build the whole graph first (and its Turtle writer degrades badly on
large graphs), so the dataset is written per offer: N-Triples line by line, Turtle as one
block per subject with the prefixes of the mapping file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from xml.sax.saxutils import escape

from ila_register.elm.jsonld import JsonLdContexts
from ila_register.elm.namespaces import RDF
from ila_register.elm.terms import (
    IRI,
    LOCAL_NAME,
    RDF_TYPE,
    XSD_STRING,
    Term,
    Triple,
    escape_string,
    nt_iri,
    nt_line,
)


def ntriples(chunks: Iterable[Iterable[Triple]]) -> Iterator[str]:
    for chunk in chunks:
        yield "".join(nt_line(t) for t in chunk)


class TurtleWriter:
    """Writes Turtle with prefixed names where they are safe, full IRIs elsewhere."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        # Longest namespace first so that the most specific prefix wins.
        self.prefixes = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))

    def header(self) -> str:
        return "".join(f"@prefix {p}: {nt_iri(ns)} .\n" for p, ns in sorted(self.prefixes)) + "\n"

    def iri(self, value: str) -> str:
        for prefix, namespace in self.prefixes:
            if value.startswith(namespace) and LOCAL_NAME.match(value[len(namespace) :]):
                return f"{prefix}:{value[len(namespace) :]}"
        return nt_iri(value)

    def term(self, term: Term) -> str:
        if isinstance(term, IRI):
            return self.iri(term.value)
        quoted = f'"{escape_string(term.lexical)}"'
        if term.language:
            return f"{quoted}@{term.language}"
        if term.datatype and term.datatype != XSD_STRING:
            return f"{quoted}^^{self.iri(term.datatype)}"
        return quoted

    def block(self, triples: Iterable[Triple]) -> str:
        """The triples of one offer, grouped by subject and predicate."""
        subjects: dict[str, dict[str, list[Term]]] = {}
        for subject, predicate, obj in triples:
            objects = subjects.setdefault(subject, {}).setdefault(predicate, [])
            if obj not in objects:
                objects.append(obj)
        out = []
        for subject, predicates in subjects.items():
            lines = []
            for predicate, objects in predicates.items():
                verb = "a" if predicate == RDF_TYPE else self.iri(predicate)
                lines.append(f"{verb} {', '.join(self.term(o) for o in objects)}")
            out.append(f"{self.iri(subject)} " + " ;\n    ".join(lines) + " .\n")
        return "\n".join(out) + "\n"

    def document(self, chunks: Iterable[Iterable[Triple]]) -> Iterator[str]:
        yield self.header()
        for chunk in chunks:
            yield self.block(chunk)


def without_repeats(chunks: Iterable[Iterable[Triple]], own_prefix: str) -> Iterator[list[Triple]]:
    """Each offer's complete graph, minus the shared nodes (providers, grants, concepts) already written.

    Nodes whose IRI starts with ``own_prefix`` belong to one offer; every other subject is shared
    and written with the first offer that needs it. Memory grows with providers and codes, not offers.
    """
    written: set[str] = set()
    for chunk in chunks:
        fresh: list[Triple] = []
        new_shared: set[str] = set()
        for triple in chunk:
            subject = triple.subject
            if subject.startswith(own_prefix):
                fresh.append(triple)
            elif subject not in written:
                fresh.append(triple)
                new_shared.add(subject)
        written |= new_shared
        yield fresh


def _grouped(triples: Iterable[Triple]) -> dict[str, dict[str, list[Term]]]:
    subjects: dict[str, dict[str, list[Term]]] = {}
    for subject, predicate, obj in triples:
        objects = subjects.setdefault(subject, {}).setdefault(predicate, [])
        if obj not in objects:
            objects.append(obj)
    return subjects


class JsonLdWriter:
    """JSON-LD compacted against the official ELM context and the register's (elm/jsonld.py), one node per subject."""

    def __init__(self, contexts: JsonLdContexts) -> None:
        self.contexts = contexts
        self.context = json.dumps(contexts.urls)

    def nodes(self, triples: Iterable[Triple]) -> list[dict[str, object]]:
        return [self.contexts.node(subject, predicates) for subject, predicates in _grouped(triples).items()]

    def document(self, chunks: Iterable[Iterable[Triple]]) -> Iterator[str]:
        yield '{"@context": ' + self.context + ',\n"@graph": ['
        first = True
        for chunk in chunks:
            for node in self.nodes(chunk):
                yield ("\n" if first else ",\n") + json.dumps(node, ensure_ascii=False)
                first = False
        yield "\n]}\n"


class RdfXmlWriter:
    """RDF/XML with one rdf:Description per subject; every predicate uses a declared prefix."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        self.prefixes = dict(sorted({**prefixes, "rdf": str(RDF)}.items()))
        self._by_namespace = sorted(((ns, p) for p, ns in self.prefixes.items()), key=lambda kv: -len(kv[0]))

    def _qname(self, iri: str) -> str:
        for namespace, prefix in self._by_namespace:
            if iri.startswith(namespace) and LOCAL_NAME.match(iri[len(namespace) :]):
                return f"{prefix}:{iri[len(namespace) :]}"
        raise ValueError(f"no prefix for predicate {iri}")

    def description(self, subject: str, predicates: Mapping[str, list[Term]]) -> str:
        lines = [f'<rdf:Description rdf:about="{escape(subject, _ATTR)}">']
        for predicate, objects in predicates.items():
            name = self._qname(predicate)
            for obj in objects:
                if isinstance(obj, IRI):
                    lines.append(f'  <{name} rdf:resource="{escape(obj.value, _ATTR)}"/>')
                elif obj.language:
                    lines.append(f'  <{name} xml:lang="{obj.language}">{escape(obj.lexical)}</{name}>')
                elif obj.datatype and obj.datatype != XSD_STRING:
                    lines.append(
                        f'  <{name} rdf:datatype="{escape(obj.datatype, _ATTR)}">{escape(obj.lexical)}</{name}>'
                    )
                else:
                    lines.append(f"  <{name}>{escape(obj.lexical)}</{name}>")
        lines.append("</rdf:Description>\n")
        return "\n".join(lines)

    def document(self, chunks: Iterable[Iterable[Triple]]) -> Iterator[str]:
        namespaces = " ".join(f'xmlns:{p}="{escape(ns, _ATTR)}"' for p, ns in self.prefixes.items())
        yield f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF {namespaces}>\n'
        for chunk in chunks:
            yield "".join(self.description(s, p) for s, p in _grouped(chunk).items())
        yield "</rdf:RDF>\n"


_ATTR = {'"': "&quot;"}
