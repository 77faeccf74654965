"""Bearer-token authentication and role checks.

Tokens are 256 random bits, shown once, stored only as SHA-256 hashes, compared in constant
time, revocable and optionally expiring. A provider token is bound to one provider.

Each token has a fingerprint, the first 8 hex digits of its stored hash: not a secret, shown
when the token is created and by ``ila-register tokens list``, so an administrator can tell which
token is which. When a token was last used is kept to the minute (one write per token and minute
at most, never one per request).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import CursorResult, or_, select, update
from sqlalchemy.orm import Session

from ila_register.db.engine import Database
from ila_register.db.models import ApiToken, ProviderRecord
from ila_register.kernel.clock import Clock, to_utc
from ila_register.kernel.exceptions import (
    FieldProblem,
    InvalidDocument,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    RegisterError,
)
from ila_register.kernel.persons import person_key, person_name

Role = Literal["admin", "reviewer", "provider"]
ROLES: tuple[Role, ...] = ("admin", "reviewer", "provider")
TOKEN_PREFIX = "ila_"  # noqa: S105 - a public prefix that makes leaked tokens easy to spot
# One answer for unknown, revoked and expired tokens: the client learns nothing about which
# tokens exist or existed; the reason goes to the log, by token id.
INVALID_TOKEN = "Invalid token."  # noqa: S105 - a message, not a secret
FINGERPRINT_LENGTH = 8
LAST_USED_EVERY = timedelta(minutes=1)  # how often a token's "last used" is written at most

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: a role, and for providers the one provider they act for."""

    role: Role
    token_id: str
    provider_id: uuid.UUID | None = None
    # The person behind the token; several tokens (desk, laptop) may belong to one person.
    subject: str | None = None

    @property
    def person(self) -> str:
        """Who the caller is as a person (four eyes compare persons): the token's person, else the token.

        In the one form persons are compared in (``lib.persons.person_key``): "Alice" is "alice".
        """
        return person_key(self.subject) if self.subject else self.token_id

    @property
    def actor(self) -> str:
        """How this caller is named in history and audit trails."""
        if self.provider_id is not None:
            return f"provider:{self.provider_id}"
        return f"{self.role}:{self.token_id}"

    def require(self, *roles: Role) -> Principal:
        if self.role not in roles:
            raise PermissionDenied(f"This operation needs the role {' or '.join(roles)}.")
        return self

    def sees(self, provider_id: uuid.UUID | None) -> bool:
        """Whether this caller may see and act on the data of ``provider_id`` (the owner check).

        A provider sees its own data only; the other roles see every provider's, as far as their
        role allows the operation at all (``require``)."""
        return self.role != "provider" or self.provider_id == provider_id

    def acting_for(self, provider_id: uuid.UUID | None) -> uuid.UUID | None:
        """The provider this call acts for, given the one it names (``None``: none named).

        A provider acts for its own: another provider's id is answered as one that does not exist
        (404), as everywhere. The other roles act for the provider they name, if any."""
        if self.role != "provider":
            return provider_id
        if self.provider_id is None:
            raise PermissionDenied("This provider token is not bound to a provider.")
        if provider_id is not None and not self.sees(provider_id):
            raise NotFound(f"No provider {provider_id}.")
        return self.provider_id


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def fingerprint(token_hash: str) -> str:
    """A short, non-secret name of a token: the start of its stored hash."""
    return token_hash[:FINGERPRINT_LENGTH]


@dataclass(frozen=True, slots=True)
class IssuedToken:
    id: uuid.UUID
    token: str
    role: Role
    provider_id: uuid.UUID | None
    expires_at: datetime | None

    @property
    def fingerprint(self) -> str:
        return fingerprint(hash_token(self.token))


class TokenService:
    """Issues, verifies and revokes API tokens."""

    def __init__(self, db: Database, clock: Clock, bootstrap_admin_token: str | None = None) -> None:
        self.db = db
        self.clock = clock
        self._bootstrap_hash = hash_token(bootstrap_admin_token) if bootstrap_admin_token else None
        # When this instance last wrote "last used" per token id: at most one write a minute each.
        self._last_used: dict[uuid.UUID, datetime] = {}

    def authenticate(self, authorization: str | None) -> Principal:
        """The principal behind an ``Authorization: Bearer …`` header, or ``NotAuthenticated``."""
        scheme, _, token = (authorization or "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token or len(token) > 200:
            raise NotAuthenticated("Send an API token as `Authorization: Bearer <token>`.")
        return self.authenticate_digest(hash_token(token))

    def authenticate_digest(self, digest: str) -> Principal:
        """The principal behind a token known by its hash (a dashboard session keeps only that)."""
        if self._bootstrap_hash is not None and hmac.compare_digest(digest, self._bootstrap_hash):
            return Principal(role="admin", token_id="bootstrap")  # noqa: S106 - a label, not a secret
        with self.db.read() as session:
            record = session.scalars(select(ApiToken).where(ApiToken.token_hash == digest)).one_or_none()
        if record is None or not hmac.compare_digest(record.token_hash, digest):
            logger.info("authentication failed: unknown token")
            raise NotAuthenticated(INVALID_TOKEN)
        now = self.clock()
        if record.revoked_at is not None:
            logger.info("authentication failed: token %s was revoked at %s", record.id, record.revoked_at)
            raise NotAuthenticated(INVALID_TOKEN)
        if record.expires_at is not None and record.expires_at <= now:
            logger.info("authentication failed: token %s expired at %s", record.id, record.expires_at)
            raise NotAuthenticated(INVALID_TOKEN)
        self._used(record, now)
        return Principal(
            role=record.role,  # type: ignore[arg-type]
            token_id=str(record.id),
            provider_id=record.provider_id,
            subject=record.person,
        )

    def _used(self, record: ApiToken, now: datetime) -> None:
        """Note that ``record`` authenticated now, unless that was noted less than a minute ago.

        The write is conditional (another instance may have noted it meanwhile) and best effort: a
        database that refuses writes (read-only, full) never turns a valid token away."""
        stale = now - LAST_USED_EVERY
        if record.last_used_at is not None and record.last_used_at > stale:
            return
        if (noted := self._last_used.get(record.id)) is not None and noted > stale:
            return
        self._last_used[record.id] = now
        try:
            with self.db.write() as session:
                session.execute(
                    update(ApiToken)
                    .where(
                        ApiToken.id == record.id,
                        or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= stale),
                    )
                    .values(last_used_at=now)
                )
        except RegisterError as error:
            logger.warning("the last use of token %s was not recorded: %s", record.id, error.detail)

    def issue(
        self,
        role: Role,
        *,
        provider_id: uuid.UUID | None = None,
        label: str = "",
        expires_at: datetime | None = None,
        person: str | None = None,
    ) -> IssuedToken:
        """Create a token; the clear text is returned once and never stored.

        ``person`` names who holds it (e.g. a reviewer's staff id): two tokens of one person
        count as one reviewer for four-eyes schemes, whatever the case or spacing of the name.
        Without it the token is its own person; a blank one is refused (``ValueError``).
        """
        with self.db.write() as session:
            return self.issue_in(
                session, role, provider_id=provider_id, label=label, expires_at=expires_at, person=person
            )

    def issue_in(
        self,
        session: Session,
        role: Role,
        *,
        provider_id: uuid.UUID | None = None,
        label: str = "",
        expires_at: datetime | None = None,
        person: str | None = None,
    ) -> IssuedToken:
        """Create a token inside the caller's transaction (e.g. together with its provider)."""
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        if (role == "provider") != (provider_id is not None):
            raise ValueError("a provider token needs a provider id, and only a provider token has one")
        expires_at = self._expiry(expires_at)
        token = new_token()
        record = ApiToken(
            id=uuid.uuid4(),
            token_hash=hash_token(token),
            role=role,
            provider_id=provider_id,
            label=label,
            created_at=self.clock(),
            expires_at=expires_at,
            person=None if person is None else person_name(person),
        )
        session.add(record)
        return IssuedToken(id=record.id, token=token, role=role, provider_id=provider_id, expires_at=expires_at)

    def rotate(
        self, principal: Principal, provider_id: uuid.UUID, *, label: str = "", expires_at: datetime | None = None
    ) -> IssuedToken:
        """A new token for ``provider_id``, with the old one revoked in the same transaction.

        A provider replaces the token it calls with (its other tokens keep working); an
        administrator replaces every active token of the provider (a leak nobody can place). The
        old token is revoked with a compare-and-set, so two rotations with one token cannot both
        succeed: the second finds it revoked and is answered 401."""
        principal.require("provider", "admin")
        if not principal.sees(provider_id):
            raise NotFound(f"No provider {provider_id}.")
        expires_at = self._expiry(expires_at)  # refused before anything is revoked
        now = self.clock()
        with self.db.write() as session:
            if session.get(ProviderRecord, provider_id) is None:
                raise NotFound(f"No provider {provider_id}.")
            active = (ApiToken.revoked_at.is_(None),)
            if principal.role == "provider":
                revoked: CursorResult[tuple[()]] = session.execute(  # type: ignore[assignment]
                    update(ApiToken).where(ApiToken.id == uuid.UUID(principal.token_id), *active).values(revoked_at=now)
                )
                if revoked.rowcount != 1:
                    raise NotAuthenticated(INVALID_TOKEN)
                label = label or f"rotated from {principal.token_id}"
            else:
                session.execute(
                    update(ApiToken).where(ApiToken.provider_id == provider_id, *active).values(revoked_at=now)
                )
                label = label or f"rotated by {principal.actor}"
            return self.issue_in(session, "provider", provider_id=provider_id, label=label, expires_at=expires_at)

    def _expiry(self, expires_at: datetime | None) -> datetime | None:
        """The one rule for a new token's expiry, whoever issues it (API or command line): an
        instant that exists in UTC, and in the future (a token born expired is a mistake)."""
        if expires_at is None:
            return None
        try:
            moment = to_utc(expires_at)
        except ValueError as error:
            raise InvalidDocument(
                [FieldProblem("/expires_at", str(error))], f"A token's expiry {error}: {expires_at.isoformat()}."
            ) from None
        if moment <= self.clock():
            raise InvalidDocument(
                [FieldProblem("/expires_at", "must be in the future")],
                f"A token's expiry must be in the future; {expires_at.isoformat()} has passed.",
            )
        return moment

    def revoke(self, token: uuid.UUID | str) -> ApiToken:
        """Revoke a token given by its id or by the secret itself (a leaked token is all one may have).

        A secret is only hashed and looked up, never repeated in a message."""
        with self.db.write() as session:
            record = self._find(session, token)
            if record.revoked_at is None:
                record.revoked_at = self.clock()
            return record

    @staticmethod
    def _find(session: Session, token: uuid.UUID | str) -> ApiToken:
        token_id = token if isinstance(token, uuid.UUID) else None
        if isinstance(token, str):
            try:
                token_id = uuid.UUID(token.strip())
            except ValueError:
                digest = hash_token(token.strip())
                record = session.scalars(select(ApiToken).where(ApiToken.token_hash == digest)).one_or_none()
                if record is None:
                    raise NotFound("No token matches the secret given; give a token id or a whole token.") from None
                return record
        found = session.get(ApiToken, token_id)
        if found is None:
            raise NotFound(f"No token {token_id}.")
        return found

    def list_tokens(self) -> list[ApiToken]:
        with self.db.read() as session:
            return list(session.scalars(select(ApiToken).order_by(ApiToken.created_at)))
