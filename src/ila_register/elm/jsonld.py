"""JSON-LD that reads like the Commission's: node objects compacted against the official ELM context.

The register's JSON-LD names two contexts, both served by the register (GET /elm/context/…):
the Commission's ELM 3.2 context, an unmodified copy, and a small one of the register's own
(``contexts/``). Each triple's predicate is written as the term the official context defines for
that IRI *and that kind of value* (a language map for ``"@container": "@language"``, an IRI
string for ``"@type": "@id"``, a plain string for a matching datatype), else as a term of the
register's context, else as a compact IRI through a prefix of either, else as the full IRI. So a
predicate neither context knows (one a mapping file adds tomorrow) is still written, and read,
correctly.

The choice is made once per (predicate, kind of value) and kept in a table: writing stays a
dictionary look-up per triple, no JSON-LD processor runs per request.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ila_register.elm.terms import IRI, LOCAL_NAME, RDF_TYPE, XSD_STRING, Term

CONTEXTS_DIR = Path(__file__).parent / "contexts"
OFFICIAL_CONTEXT_FILE = CONTEXTS_DIR / "edc-ap-context.jsonld"
REGISTER_CONTEXT_FILE = CONTEXTS_DIR / "register-context.jsonld"
# Where the Commission publishes the context the copy is of (named by the served copy's Link header).
OFFICIAL_CONTEXT_IRI = "http://data.europa.eu/snb/model/context/edc-ap"
# The served contexts by their path under {base}/elm/context/, and how long a client may keep each:
# the official copy is pinned to ELM 3.2 and never changes; the register's grows with the mappings
# (a day, then revalidated with its ETag).
CONTEXT_CACHING = {"edc-ap": "public, max-age=31536000, immutable", "register": "public, max-age=86400"}

_GEN_DELIMS = ("/", "#", ":", "?", "[", "]", "@")
_LANGUAGE = "@language"  # the kind of a language-tagged literal
_ID = "@id"  # the kind of an IRI

# How a value is written under the key chosen for it.
_IRI_STRING, _IRI_OBJECT, _LANGUAGE_MAP, _LANGUAGE_OBJECT, _STRING, _VALUE_OBJECT = range(6)


class ContextError(ValueError):
    """A context uses a JSON-LD feature the compaction table does not implement."""


@dataclass(frozen=True, slots=True)
class ContextDocument:
    """A context as the register serves it."""

    name: str
    url: str
    body: bytes
    etag: str
    cache_control: str


@dataclass(frozen=True, slots=True)
class _Definition:
    name: str
    iri: str
    coercion: str | None  # "@id", a datatype IRI, or None
    language_map: bool
    simple: bool = False  # a plain string: JSON-LD 1.1 uses it as a prefix when it ends with a gen-delim


def _expand(value: str, terms: Mapping[str, str]) -> str:
    """A term's IRI mapping as JSON-LD 1.0 expands it: a compact IRI through an earlier term, else as is."""
    prefix, colon, suffix = value.partition(":")
    if colon and not suffix.startswith("//") and prefix in terms:
        return terms[prefix] + suffix
    return terms.get(value, value)


def _definitions(context: Mapping[str, Any], terms: dict[str, str]) -> list[_Definition]:
    """The term definitions of one context, expanded against ``terms`` (updated with this context's)."""
    for name, value in context.items():
        if name.startswith("@"):
            raise ContextError(f"context keyword {name} is not supported")
        if isinstance(value, str):  # simple terms first: the others' compact IRIs use them
            terms[name] = value
    for name, value in context.items():
        if isinstance(value, str):
            terms[name] = _expand(value, terms)
    definitions = []
    for name, value in context.items():
        if isinstance(value, str):
            definitions.append(_Definition(name, terms[name], None, False, simple=True))
            continue
        if not isinstance(value, dict) or set(value) - {"@id", "@type", "@container"}:
            raise ContextError(f"term {name}: only @id, @type and @container are supported")
        container = value.get("@container")
        if container not in (None, "@language"):
            raise ContextError(f"term {name}: container {container} is not supported")
        coercion = value.get("@type")
        if coercion == "@vocab" or (coercion is not None and container is not None):
            raise ContextError(f"term {name}: type {coercion} is not supported here")
        iri = _expand(value.get("@id", name), terms)
        terms[name] = iri
        coerced = coercion if coercion in (None, "@id") else _expand(str(coercion), terms)
        definitions.append(_Definition(name, iri, coerced, container == "@language"))
    return definitions


def _is_prefix(definition: _Definition) -> bool:
    return definition.simple and definition.iri.endswith(_GEN_DELIMS)


def _document(name: str, url: str, body: bytes) -> ContextDocument:
    etag = f'"ctx-{hashlib.sha256(body).hexdigest()[:16]}"'
    return ContextDocument(name=name, url=url, body=body, etag=etag, cache_control=CONTEXT_CACHING[name])


class JsonLdContexts:
    """The official and the register's contexts, and the table that compacts triples against them."""

    def __init__(self, base: str, official: bytes, register: Mapping[str, Any]) -> None:
        terms: dict[str, str] = {}
        official_definitions = _definitions(json.loads(official)["@context"], terms)
        taken = {d.name for d in official_definitions}
        if clash := sorted(taken & set(register)):
            raise ContextError(f"the register's context must not redefine official terms: {', '.join(clash)}")
        register_definitions = _definitions(register, terms)
        self.official = _document("edc-ap", f"{base}/elm/context/edc-ap", official)
        self.register = _document(
            "register",
            f"{base}/elm/context/register",
            json.dumps({"@context": register}, indent=4, ensure_ascii=False).encode("utf-8") + b"\n",
        )
        self.urls = [self.official.url, self.register.url]
        self.documents = {d.name: d for d in (self.official, self.register)}
        self._official_terms = official_definitions
        self._register_terms = register_definitions
        # Longest namespace first, the official prefix before the register's for the same one.
        prefixes = [d for d in (*official_definitions, *register_definitions) if _is_prefix(d)]
        self._prefixes = sorted(prefixes, key=lambda d: -len(d.iri))
        self._names = taken | {d.name for d in register_definitions}
        self._keys: dict[tuple[str, str], tuple[str, int]] = {}
        self._types: dict[str, str] = {}
        self._compact: dict[str, str] = {}

    @classmethod
    def load(cls, base: str, prefixes: Mapping[str, str]) -> JsonLdContexts:
        """The contexts from ``contexts/``; every namespace of ``prefixes`` neither declares is added to the register's.

        ``prefixes`` are the mapping's: a namespace a mapping file starts using is written
        with its prefix at once (under the mapping's name, unless the official context gives
        that name another meaning: then it is written in full).
        """
        official = OFFICIAL_CONTEXT_FILE.read_bytes()
        register: dict[str, Any] = json.loads(REGISTER_CONTEXT_FILE.read_bytes())["@context"]
        probe = cls(base, official, register)
        declared = {d.iri for d in probe._prefixes}
        added = {
            name: namespace
            for name, namespace in sorted(prefixes.items())
            if namespace not in declared and name not in probe._names and namespace.endswith(_GEN_DELIMS)
        }
        return cls(base, official, {**added, **register}) if added else probe

    # -- compaction ------------------------------------------------------------------------------

    def compact_iri(self, iri: str) -> str:
        """``iri`` as a compact IRI through a prefix of either context, else in full."""
        if (found := self._compact.get(iri)) is None:
            found = iri
            for prefix in self._prefixes:
                local = iri[len(prefix.iri) :]
                compact = f"{prefix.name}:{local}"
                if iri.startswith(prefix.iri) and LOCAL_NAME.match(local) and compact not in self._names:
                    found = compact
                    break
            self._compact[iri] = found
        return found

    def type_name(self, iri: str) -> str:
        """A class IRI as a term (``LearningOpportunity``) or a compact IRI."""
        if (found := self._types.get(iri)) is None:
            terms = (d for d in (*self._official_terms, *self._register_terms) if d.iri == iri and d.coercion is None)
            found = next((d.name for d in terms if not d.language_map), None) or self.compact_iri(iri)
            self._types[iri] = found
        return found

    def _choose(self, predicate: str, kind: str) -> tuple[str, int]:
        """The key and value form for values of ``kind`` of ``predicate`` (as JSON-LD's term selection would)."""
        exact: int | None = None
        for terms in (self._official_terms, self._register_terms):
            for term in terms:
                if term.iri != predicate:
                    continue
                if kind == _ID and term.coercion == _ID:
                    exact = _IRI_STRING
                elif kind == _LANGUAGE and term.language_map:
                    exact = _LANGUAGE_MAP
                elif kind not in (_ID, _LANGUAGE) and term.coercion == kind:
                    exact = _STRING
                if exact is not None:
                    return term.name, exact
        untyped = (d for d in (*self._official_terms, *self._register_terms) if d.iri == predicate)
        untyped_name = next((d.name for d in untyped if d.coercion is None and not d.language_map), None)
        key = untyped_name or self.compact_iri(predicate)
        if kind == _ID:
            return key, _IRI_OBJECT
        if kind == _LANGUAGE:
            return key, _LANGUAGE_OBJECT
        return key, _STRING if kind == XSD_STRING else _VALUE_OBJECT

    def _lookup(self, predicate: str, kind: str) -> tuple[str, int]:
        if (choice := self._keys.get((predicate, kind))) is None:
            choice = self._keys[(predicate, kind)] = self._choose(predicate, kind)
        return choice

    def node(self, subject: str, predicates: Mapping[str, Iterable[Term]]) -> dict[str, Any]:
        """One subject's triples as a compacted node object."""
        node: dict[str, Any] = {"@id": subject}
        for predicate, objects in predicates.items():
            if predicate == RDF_TYPE:
                types = [self.type_name(o.value) for o in objects if isinstance(o, IRI)]
                node["@type"] = types[0] if len(types) == 1 else types
                continue
            for obj in objects:
                if isinstance(obj, IRI):
                    key, form = self._lookup(predicate, _ID)
                    _add(node, key, obj.value if form == _IRI_STRING else {"@id": obj.value})
                elif obj.language:
                    key, form = self._lookup(predicate, _LANGUAGE)
                    if form == _LANGUAGE_MAP:
                        _add(node.setdefault(key, {}), obj.language, obj.lexical)
                    else:
                        _add(node, key, {"@value": obj.lexical, "@language": obj.language})
                else:
                    datatype = obj.datatype or XSD_STRING
                    key, form = self._lookup(predicate, datatype)
                    if form == _STRING:
                        _add(node, key, obj.lexical)
                    else:
                        _add(node, key, {"@value": obj.lexical, "@type": self.compact_iri(datatype)})
        return node


def _add(target: dict[str, Any], key: str, value: Any) -> None:
    """A value under ``key``: alone while it is the only one, else in a list (compacted arrays)."""
    if key not in target:
        target[key] = value
    elif isinstance(existing := target[key], list):
        existing.append(value)
    else:
        target[key] = [existing, value]
