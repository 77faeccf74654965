"""Reconciliation: the search index compared with the database, and repaired where they differ.

The outbox makes every accepted change reach the index, but an index can still drift (a disk
that filled, a restored backup, a bug): so, periodically and on demand, both sides are reduced
to one digest per shard (ids by their first hex digit: how many documents, and a checksum of
their ids and content fingerprints). Only shards whose digests differ are compared id by id;
each difference is then checked again under the consumer lock (so that no change applied in
between is mistaken for one) and repaired by writing the database's current state. Offers with
changes still pending in the outbox are left to the consumer; they are the backlog, not drift.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

import msgspec

from ila_register.search.documents import SearchDocument

SHARDS = "0123456789abcdef"  # the first hex digit of an offer id
_encoder = msgspec.json.Encoder(order="deterministic")


def fingerprint(document: SearchDocument) -> str:
    """What a document says, in 16 hex digits: equal documents, equal fingerprints, in every backend."""
    return hashlib.sha256(_encoder.encode(document)).hexdigest()[:16]


def shard_of(document_id: str) -> str:
    return document_id[:1].lower()


@dataclass(frozen=True, slots=True)
class ShardDigest:
    count: int
    checksum: str


def digests(fingerprints: Mapping[str, str]) -> dict[str, ShardDigest]:
    """Per shard: the number of documents and a checksum of their sorted ids and fingerprints."""
    lines: dict[str, list[str]] = {}
    for document_id, print_ in fingerprints.items():
        lines.setdefault(shard_of(document_id), []).append(f"{document_id}:{print_}\n")
    result = {}
    for shard in sorted(set(SHARDS) | set(lines)):
        entries = sorted(lines.get(shard, []))
        result[shard] = ShardDigest(len(entries), hashlib.sha256("".join(entries).encode()).hexdigest()[:16])
    return result


def fingerprints_of(documents: Iterable[SearchDocument]) -> dict[str, str]:
    return {d.id: fingerprint(d) for d in documents}


@dataclass(frozen=True, slots=True)
class Differences:
    missing: list[str] = field(default_factory=list)  # searchable in the database, absent from the index
    stale: list[str] = field(default_factory=list)  # in both, with other content
    extra: list[str] = field(default_factory=list)  # in the index, not searchable in the database

    @property
    def ids(self) -> list[str]:
        return [*self.missing, *self.stale, *self.extra]


def compare(expected: Mapping[str, str], actual: Mapping[str, str], shards: Iterable[str]) -> Differences:
    """Id by id, within ``shards`` only."""
    wanted = set(shards)
    missing, stale, extra = [], [], []
    for document_id, print_ in expected.items():
        if shard_of(document_id) not in wanted:
            continue
        found = actual.get(document_id)
        if found is None:
            missing.append(document_id)
        elif found != print_:
            stale.append(document_id)
    extra = [i for i in actual if shard_of(i) in wanted and i not in expected]
    return Differences(sorted(missing), sorted(stale), sorted(extra))


class Reconciliation(msgspec.Struct, kw_only=True):
    """The outcome of one reconciliation (kept for /health and the admin API)."""

    at: datetime
    backend: str
    database_documents: int  # offers the database says citizens may find
    index_documents: int  # documents the index held before the repair
    shards: int
    mismatched_shards: list[str]
    missing: int
    stale: int
    extra: int
    repaired: int
    pending: int  # differences explained by changes still in the outbox (left to the consumer)
    seconds: float
    error: str | None = None

    @property
    def differences(self) -> int:
        return self.missing + self.stale + self.extra
