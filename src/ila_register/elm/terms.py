"""RDF terms as plain values, and their N-Triples form. Only elm/ builds RDF.

Vocabulary terms come from the closed namespaces of ``elm.namespaces`` and are turned into plain
strings once (here, at import or when a mapping loads): a ``URIRef`` never equals a ``str``, and
the writers compare and hash millions of predicates.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from inspect import get_annotations
from typing import NamedTuple

from rdflib.namespace import DefinedNamespace

from ila_register.elm.namespaces import RDF, VOCABULARIES, XSD

RDF_TYPE = str(RDF.type)
RDF_LANG_STRING = str(RDF.langString)
XSD_STRING = str(XSD.string)


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


# A local name every writer may put after a prefix (Turtle, RDF/XML, JSON-LD compact IRIs).
LOCAL_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")

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


def vocabulary_of(iri: str) -> type[DefinedNamespace] | None:
    """The closed namespace ``iri`` belongs to (the longest that it starts with), if it is one of ours."""
    candidates = [v for v in VOCABULARIES if iri.startswith(str(v))]
    return max(candidates, key=lambda v: len(str(v)), default=None)


def is_vocabulary(namespace: str) -> bool:
    """Whether ``namespace`` is exactly the IRI of one of our closed namespaces (a mapping's prefix must be)."""
    vocabulary = vocabulary_of(namespace)
    return vocabulary is not None and str(vocabulary) == namespace


def unknown_term(iri: str) -> str | None:
    """Why ``iri`` is not a term of a vocabulary the register writes, or ``None`` when it is one."""
    vocabulary = vocabulary_of(iri)
    if vocabulary is None:
        return "is in no vocabulary the register knows (elm/namespaces.py)"
    local = iri[len(str(vocabulary)) :]
    if local and local in vocabulary:
        return None
    names = [n for n in get_annotations(vocabulary) if not n.startswith("_")] + list(vocabulary._extras)
    guess = difflib.get_close_matches(local, names, n=1)
    hint = f"; did you mean {guess[0]!r}?" if guess else ""
    return f"is not a term of {vocabulary.__name__} ({vocabulary}){hint}"
