"""Failed authentication is rate-limited per client, so tokens cannot be guessed at speed.

A client (its address, see ``lib.clients``) may fail ``limit`` times within ``window`` seconds;
further failures are answered 429 with ``Retry-After`` until its oldest failure leaves the
window. Only failures are limited: a valid credential is always accepted, so that a guesser
behind the same address (a shared NAT, an office proxy) cannot lock out the people who hold real
tokens. The count lives in this instance's memory: a second instance gives a guesser a second
budget, nothing more, and no instance needs another's count. Guessing a 256-bit token is
hopeless anyway; the limit keeps logs readable and the database unbothered.
"""

from __future__ import annotations

import math
import threading
from collections import deque

from ila_register.kernel.clock import Clock
from ila_register.kernel.exceptions import RegisterError


class TooManyFailures(RegisterError):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Too many failed authentications from your address; retry in {retry_after} s.")
        self.retry_after = retry_after


class FailedAuthLimiter:
    MAX_CLIENTS = 100_000  # the oldest clients are forgotten beyond this (bounded memory)

    def __init__(self, clock: Clock, limit: int = 20, window: float = 60.0) -> None:
        self.clock = clock
        self.limit = limit
        self.window = window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def failed(self, client: str) -> None:
        """Count a failure of ``client``; ``TooManyFailures`` once it used up its budget.

        Refused failures are not counted: a guesser gets ``limit`` tries per window, no more."""
        now = self.clock().timestamp()
        with self._lock:
            failures = self._recent(client, now)
            if failures is not None and len(failures) >= self.limit:
                raise TooManyFailures(max(1, math.ceil(failures[0] + self.window - now)))
            if failures is None:
                if len(self._failures) >= self.MAX_CLIENTS:
                    del self._failures[next(iter(self._failures))]
                failures = self._failures[client] = deque(maxlen=self.limit)
            failures.append(now)

    def _recent(self, client: str, now: float) -> deque[float] | None:
        failures = self._failures.get(client)
        if failures is None:
            return None
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        if not failures:
            del self._failures[client]
            return None
        return failures
