"""Keys the register signs with: generated once, by the register itself, kept in the database.

No setting to configure and nothing to distribute: the first instance that needs a key creates
it (256 random bits), every other instance of the same database reads the same one, and a
restart keeps it. Values signed with a key (``sign``) carry their purpose and an expiry, so a
value signed for one purpose is worth nothing for another, nor after its time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from datetime import datetime

from sqlalchemy import select

from ila_register.db.engine import Database
from ila_register.db.models import ServerKey
from ila_register.kernel.clock import Clock
from ila_register.kernel.exceptions import DuplicateKey

MAX_SIGNED_LENGTH = 200  # a longer value is not one of ours: refused before any work


class ServerKeys:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self._known: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def key(self, name: str) -> bytes:
        """The key ``name``, created on first use; the same in every instance."""
        with self._lock:
            if (known := self._known.get(name)) is not None:
                return known
            secret = self._stored(name)
            if secret is None:
                try:
                    with self.db.write() as session:
                        session.add(ServerKey(name=name, secret=secrets.token_hex(32), created_at=self.clock()))
                except DuplicateKey:
                    pass  # another instance created it a moment ago: use theirs
                secret = self._stored(name)
            if secret is None:  # pragma: no cover - written just above
                raise RuntimeError(f"the server key {name!r} could not be stored")
            self._known[name] = key = bytes.fromhex(secret)
            return key

    def _stored(self, name: str) -> str | None:
        with self.db.read() as session:
            return session.scalar(select(ServerKey.secret).where(ServerKey.name == name))

    def sign(self, purpose: str, expires_at: datetime) -> str:
        """A fresh value, signed for ``purpose`` until ``expires_at``: ``<expiry>.<nonce>.<signature>``."""
        payload = f"{int(expires_at.timestamp())}.{secrets.token_urlsafe(16)}"
        return f"{payload}.{self._signature(purpose, payload)}"

    def verify(self, purpose: str, value: str | None) -> bool:
        """Whether ``value`` was signed by this register for ``purpose`` and has not expired."""
        if not value or len(value) > MAX_SIGNED_LENGTH or not value.isascii() or value.count(".") != 2:
            return False
        payload, _, signature = value.rpartition(".")
        expiry = payload.split(".", 1)[0]
        if not expiry.isascii() or not expiry.isdigit():
            return False
        if not hmac.compare_digest(signature, self._signature(purpose, payload)):
            return False
        return int(expiry) > self.clock().timestamp()

    def _signature(self, purpose: str, payload: str) -> str:
        message = f"{purpose}\n{payload}".encode()
        return hmac.new(self.key("signing"), message, hashlib.sha256).hexdigest()
