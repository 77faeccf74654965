"""Streaming RDF writers: each offer's triples are written as they come, in constant memory.

rdflib's serializers build the whole graph first (and its Turtle writer degrades badly on
large graphs), so the dataset is written per offer: N-Triples line by line, Turtle as one
block per subject with the prefixes of the mapping file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

from ila_register.elm.terms import IRI, RDF_TYPE, XSD_STRING, Term, Triple, escape_string, nt_iri, nt_line

_LOCAL_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


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
            if value.startswith(namespace) and _LOCAL_NAME.match(value[len(namespace) :]):
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
