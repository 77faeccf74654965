"""Dashboard sessions: what the sign-in cookie stands for.

Signing in with an API token opens a session: a random 256-bit id goes into the cookie, the
table keeps only its SHA-256 (a copy of the table signs nobody in), the hash of the token it was
opened with, a CSRF token for the session's forms and an expiry. Every request re-checks the
token behind the session, so a revoked or expired token ends its sessions at once; signing out
deletes the session, so a copied cookie is worthless afterwards. Nothing lives in one
instance's memory: any instance answers any session.

The sign-in form, which comes before any session, carries a value the register signed
(``lib.keys``: with a key kept in the database, valid for ``SIGN_IN_FORM_LIFETIME``), in its
field and in a cookie: a value a client made up, or one that has expired, signs nobody in.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete

from ila_register.db.engine import Database
from ila_register.db.models import DashboardSession
from ila_register.kernel.clock import Clock
from ila_register.kernel.exceptions import NotAuthenticated
from ila_register.platform.auth import Principal, TokenService, hash_token
from ila_register.platform.keys import ServerKeys

MAX_ID_LENGTH = 100  # a longer cookie is not one of ours: refused before any hashing or lookup
SIGN_IN_FORM_LIFETIME = timedelta(hours=1)  # a sign-in form left open longer is sent again
_SIGN_IN_FORM = "dashboard sign-in form"


@dataclass(frozen=True, slots=True)
class OpenSession:
    """A session just opened: its id (for the cookie, never stored) and its CSRF token."""

    id: str
    csrf_token: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class ActiveSession:
    principal: Principal
    csrf_token: str

    def csrf_matches(self, sent: str | None) -> bool:
        return bool(sent) and hmac.compare_digest(sent or "", self.csrf_token)


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class SessionService:
    def __init__(self, db: Database, clock: Clock, tokens: TokenService, lifetime: timedelta, keys: ServerKeys) -> None:
        self.db = db
        self.clock = clock
        self.tokens = tokens
        self.lifetime = lifetime
        self.keys = keys

    def sign_in_form_token(self) -> str:
        """A CSRF value for a sign-in form: issued (signed) by the register, expiring."""
        return self.keys.sign(_SIGN_IN_FORM, self.clock() + SIGN_IN_FORM_LIFETIME)

    def sign_in_form_holds(self, sent: str | None, cookie: str | None) -> bool:
        """The form sent back the value its cookie holds, and the register issued it, not long ago."""
        if not sent or not cookie or not sent.isascii() or not cookie.isascii():
            return False
        return hmac.compare_digest(sent, cookie) and self.keys.verify(_SIGN_IN_FORM, sent)

    def open(self, token: str) -> OpenSession:
        """A session for a token the caller has just authenticated."""
        session_id, csrf = new_secret(), new_secret()
        now = self.clock()
        with self.db.write() as session:
            session.execute(delete(DashboardSession).where(DashboardSession.expires_at <= now))
            session.add(
                DashboardSession(
                    id_hash=hash_token(session_id),
                    token_hash=hash_token(token),
                    csrf_token=csrf,
                    created_at=now,
                    expires_at=now + self.lifetime,
                )
            )
        return OpenSession(session_id, csrf, now + self.lifetime)

    def resolve(self, session_id: str) -> ActiveSession:
        """The session behind a cookie (``NotAuthenticated`` if unknown, ended or expired)."""
        if not session_id or len(session_id) > MAX_ID_LENGTH:
            raise NotAuthenticated("Sign in at /dashboard/sign-in.")
        with self.db.read() as session:
            record = session.get(DashboardSession, hash_token(session_id))
        if record is None or record.expires_at <= self.clock():
            raise NotAuthenticated("Your session ended; sign in at /dashboard/sign-in.")
        return ActiveSession(self.tokens.authenticate_digest(record.token_hash), record.csrf_token)

    def close(self, session_id: str) -> None:
        """Sign out: the session is gone, whoever holds a copy of the cookie."""
        with self.db.write() as session:
            session.execute(delete(DashboardSession).where(DashboardSession.id_hash == hash_token(session_id)))
