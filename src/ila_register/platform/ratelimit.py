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

from ila_register.kernel.clock import Clock
from ila_register.platform.limits import RateLimit, TooManyRequests


class TooManyFailures(TooManyRequests):
    """A client failed to authenticate too often (429 with ``Retry-After``)."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Too many failed authentications from your address; retry in {retry_after} s.", retry_after)


class FailedAuthLimiter(RateLimit):
    """The sliding-window limit of ``limits.RateLimit``, counting failed authentications only."""

    def __init__(self, clock: Clock, limit: int = 20, window: float = 60.0) -> None:
        super().__init__(clock, limit, window, "failed authentications")

    def failed(self, client: str) -> None:
        """Count a failure of ``client``; ``TooManyFailures`` once it used up its budget.

        Refused failures are not counted: a guesser gets ``limit`` tries per window, no more."""
        self.hit(client)

    def refusal(self, retry_after: int) -> TooManyFailures:
        return TooManyFailures(retry_after)
