"""Idempotent POSTs (IETF draft-ietf-httpapi-idempotency-key-header).

Keys belong to the caller (``Principal.actor``: a provider, or one staff token), so callers never
meet each other's keys. The same key with the same request (method, path, query and body)
returns the first response; with a different request it is refused (422); while the first
request is still running, 409. The response is recorded in the
same transaction as the change it describes, so a crash can never leave a change without its
recorded answer (a retry then sees the claim expire and runs again, finding nothing done).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from sqlalchemy import delete
from sqlalchemy.orm import Session

from ila_register.db.engine import Database
from ila_register.db.models import IdempotencyRecord
from ila_register.kernel.clock import Clock
from ila_register.kernel.exceptions import Conflict, DuplicateKey, FieldProblem, InvalidDocument

KEY_LIFETIME = timedelta(hours=24)
CLAIM_LEASE = timedelta(seconds=60)
MAX_KEY_LENGTH = 255


@dataclass(frozen=True, slots=True)
class StoredResponse:
    status_code: int
    body: bytes
    headers: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Claim:
    """The right to run the request once; finish it inside the change's own transaction."""

    owner: str
    key: str


Finish = Callable[[Session, StoredResponse], None]


def fingerprint(method: str, path: str, body: bytes, query: Iterable[tuple[str, str]] = ()) -> str:
    """What makes two requests the same one: method, path, query parameters and body.

    The query is taken as decoded name/value pairs in a stable order (``?a=1&b=2`` is ``?b=2&a=1``);
    without one the fingerprint is that of method, path and body alone."""
    target = path
    pairs = sorted(query)
    if pairs:
        target += "?" + urlencode(pairs)
    return hashlib.sha256(method.encode() + b" " + target.encode() + b"\n" + body).hexdigest()


class IdempotencyService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def claim(self, owner: str, key: str, request_fingerprint: str) -> Claim | StoredResponse:
        """Claim ``key`` for a new request, or return the answer recorded for it."""
        if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
            raise InvalidDocument(
                [FieldProblem("", "Idempotency-Key must be 1-255 printable characters")],
                "The Idempotency-Key header is not valid.",
            )
        now = self.clock()
        try:
            with self.db.write() as session:
                session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.expires_at < now))
                existing = session.get(IdempotencyRecord, (owner, key))
                if existing is None:
                    session.add(
                        IdempotencyRecord(
                            owner=owner,
                            key=key,
                            fingerprint=request_fingerprint,
                            state="in-progress",
                            created_at=now,
                            lease_until=now + CLAIM_LEASE,
                            expires_at=now + KEY_LIFETIME,
                        )
                    )
                    return Claim(owner, key)
                if existing.fingerprint != request_fingerprint:
                    raise InvalidDocument(
                        [FieldProblem("", "this Idempotency-Key was already used with a different request")],
                        "The Idempotency-Key was reused for another request.",
                    )
                if existing.state == "done" and existing.status_code is not None:
                    return StoredResponse(existing.status_code, existing.body or b"", dict(existing.headers or {}))
                if existing.lease_until > now:
                    raise Conflict("A request with this Idempotency-Key is still being processed; retry later.")
                existing.lease_until = now + CLAIM_LEASE  # the first attempt died: take it over
                return Claim(owner, key)
        except DuplicateKey:
            raise Conflict("A request with this Idempotency-Key is still being processed; retry later.") from None

    def finish_in(self, session: Session, claim: Claim, response: StoredResponse) -> None:
        """Record the answer in the caller's transaction."""
        record = session.get(IdempotencyRecord, (claim.owner, claim.key))
        if record is not None:
            record.state = "done"
            record.status_code = response.status_code
            record.body = response.body
            record.headers = dict(response.headers)

    def finish(self, claim: Claim, response: StoredResponse) -> None:
        """Record an answer that changed nothing (e.g. a 422), so a retry gets the same."""
        with self.db.write() as session:
            self.finish_in(session, claim, response)

    def release(self, claim: Claim) -> None:
        """The request failed unexpectedly: forget the claim so that a retry can run."""
        with self.db.write() as session:
            session.execute(
                delete(IdempotencyRecord).where(
                    IdempotencyRecord.owner == claim.owner,
                    IdempotencyRecord.key == claim.key,
                    IdempotencyRecord.state == "in-progress",  # a recorded answer is never forgotten
                )
            )
