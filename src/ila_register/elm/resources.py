"""The register's persistent URIs under ``{base}/id/``: which graph owns an IRI, and what answers for it.

Pure: no I/O. The *owners* are read from the mapping, not listed here: an IRI template
``{base}/id/<segment>/{<field>}…`` (the offer, the provider, a funding scheme, a label issuer)
makes ``<segment>`` an owner of every IRI that starts with it, whatever parts the mapping gives
it (``/specification``, ``/outcome/{index}``, ``/session/{index}`` …). A requested IRI is
answered from its owner's graph: the owner itself with all of that graph, any other IRI with its
*description* — its own triples and those of the resources it owns (IRIs below it, ``/…`` or
``#…``, and blank nodes it links).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from ila_register.elm.mapping import ElmMapping
from ila_register.elm.terms import IRI, Triple

_OWNER_TEMPLATE = re.compile(r"^\{base\}/id/([^/{}]+)/\{([^{}]+)\}(/.*)?$")


@dataclass(frozen=True, slots=True)
class Owner:
    """A node of the mapping that owns the IRIs below its own: ``segment`` in the IRI, ``field`` its key."""

    segment: str
    node: str
    field: str


@dataclass(frozen=True, slots=True)
class Located:
    """A requested IRI, with the owner whose graph holds it and the owner's key (an id or a code)."""

    owner: Owner
    key: str
    iri: str
    owner_iri: str

    @property
    def is_owner(self) -> bool:
        return self.iri == self.owner_iri


@dataclass(frozen=True, slots=True)
class Description:
    """What a persistent URI answers: its triples, the graph they come from (for labels), and when it changed."""

    iri: str
    triples: list[Triple]
    graph: list[Triple]
    modified: datetime
    offer_id: str | None = None  # the offer the IRI belongs to, when an offer owns it
    is_offer: bool = False  # the IRI is the offer itself (its whole graph)


def owners(mapping: ElmMapping) -> dict[str, Owner]:
    """The owners of the mapping by the first segment of their IRIs after ``/id/``.

    An owner is named by the node whose IRI is exactly ``{base}/id/<segment>/{<field>}`` where
    there is one; an owner the mapping mints only parts of (``/id/scheme/{id}/rules``) by the
    first of them.
    """
    found: dict[str, Owner] = {}
    for name, node in sorted(mapping.nodes.items(), key=lambda item: item[1].iri.count("/")):
        match = _OWNER_TEMPLATE.match(node.iri)
        if match is not None:
            found.setdefault(match.group(1), Owner(segment=match.group(1), node=name, field=match.group(2)))
    return found


def locate(known: Mapping[str, Owner], base: str, path: str) -> Located | None:
    """The owner of ``{base}/id/{path}``, or ``None`` when no owner mints such IRIs."""
    segments = path.strip("/").split("/")
    if len(segments) < 2 or segments[0] not in known or not segments[1] or "" in segments:
        return None
    owner = known[segments[0]]
    owner_iri = f"{base}/id/{segments[0]}/{segments[1]}"
    return Located(owner=owner, key=segments[1], iri=f"{base}/id/{'/'.join(segments)}", owner_iri=owner_iri)


def owns(parent: str, iri: str) -> bool:
    """Whether ``iri`` is ``parent`` or one of its parts (below it by ``/`` or ``#``)."""
    return iri == parent or iri.startswith((f"{parent}/", f"{parent}#"))


def describe(graph: Iterable[Triple], subject: str) -> list[Triple]:
    """``subject``'s triples and those of every resource it owns, each once, in the graph's order."""
    triples = list(dict.fromkeys(graph))
    owned = {t.subject for t in triples if owns(subject, t.subject)}
    # blank nodes linked from an owned resource belong to it too (transitively)
    growing = True
    while growing:
        linked = {
            t.object.value
            for t in triples
            if t.subject in owned and isinstance(t.object, IRI) and t.object.value.startswith("_:")
        }
        growing = not linked <= owned
        owned |= linked
    return [t for t in triples if t.subject in owned]
