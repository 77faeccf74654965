"""RDF terms as plain values, and their N-Triples form. Only elm/ builds RDF."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = RDF + "type"
RDF_LANG_STRING = RDF + "langString"
XSD_STRING = XSD + "string"


@dataclass(frozen=True, slots=True)
class IRI:
    value: str


@dataclass(frozen=True, slots=True)
class Literal:
    lexical: str
    datatype: str | None = None
    language: str | None = None


Term = IRI | Literal


class Triple(NamedTuple):
    subject: str
    predicate: str
    object: Term


_IRI_ESCAPE = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def nt_iri(value: str) -> str:
    # Characters N-Triples forbids inside <…> are percent- or \u-escaped; valid IRIs never have them.
    return "<" + _IRI_ESCAPE.sub(lambda m: f"\\u{ord(m.group(0)):04X}", value) + ">"


_STRING_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_STRING_ESCAPE = re.compile(r'["\\\n\r\t\b\f\x00-\x1f\x7f]')


def escape_string(value: str) -> str:
    return _STRING_ESCAPE.sub(lambda m: _STRING_ESCAPES.get(m.group(0), f"\\u{ord(m.group(0)):04X}"), value)


def nt_term(term: Term) -> str:
    if isinstance(term, IRI):
        return nt_iri(term.value)
    quoted = f'"{escape_string(term.lexical)}"'
    if term.language:
        return f"{quoted}@{term.language}"
    if term.datatype and term.datatype != XSD_STRING:
        return f"{quoted}^^{nt_iri(term.datatype)}"
    return quoted


def nt_line(triple: Triple) -> str:
    return f"{nt_iri(triple.subject)} {nt_iri(triple.predicate)} {nt_term(triple.object)} .\n"
