"""Per-client limits on expensive requests: a rate over a sliding window, and concurrency.

Both live in this instance's memory (a second instance gives a client a second budget, nothing
more) and forget the oldest clients beyond ``MAX_CLIENTS``, so memory stays bounded.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict, deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import anyio

from ila_register.kernel.clock import Clock, system_clock
from ila_register.kernel.exceptions import RegisterError

MAX_CLIENTS = 100_000


class TooManyRequests(RegisterError):
    """A client asked for more than its share; ``retry_after`` seconds until it may again (429)."""

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class RateLimit:
    """At most ``limit`` requests per client within ``window`` seconds."""

    def __init__(self, clock: Clock, limit: int, window: float, what: str) -> None:
        self.clock = clock
        self.limit = limit
        self.window = window
        self.what = what
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def hit(self, client: str) -> None:
        """Count one request of ``client``, or raise ``refusal`` (the refused one is not counted)."""
        if self.limit <= 0:
            return
        now = self.clock().timestamp()
        with self._lock:
            seen = self._seen.get(client)
            if seen is None:
                if len(self._seen) >= MAX_CLIENTS:
                    self._seen.popitem(last=False)
                seen = self._seen[client] = deque(maxlen=self.limit)
            while seen and seen[0] <= now - self.window:
                seen.popleft()
            if len(seen) >= self.limit:
                raise self.refusal(max(1, math.ceil(seen[0] + self.window - now)))
            seen.append(now)
            self._seen.move_to_end(client)

    def refusal(self, retry_after: int) -> TooManyRequests:
        """The answer to a request beyond the limit (429 with ``Retry-After``)."""
        return TooManyRequests(
            f"At most {self.limit} {self.what} per client every {self.window:g} s; retry in {retry_after} s.",
            retry_after,
        )


class ConcurrencyLimit:
    """At most ``per_client`` requests of one client at once (``TooManyRequests`` beyond)."""

    def __init__(self, per_client: int, what: str) -> None:
        self.per_client = per_client
        self.what = what
        self._running: dict[str, int] = {}
        self._lock = threading.Lock()

    @contextmanager
    def hold(self, client: str) -> Iterator[None]:
        with self._lock:
            running = self._running.get(client, 0)
            if running >= self.per_client:
                raise TooManyRequests(
                    f"At most {self.per_client} {self.what} per client at once; wait for one to finish.", 1
                )
            self._running[client] = running + 1
        try:
            yield
        finally:
            with self._lock:
                left = self._running[client] - 1
                if left:
                    self._running[client] = left
                else:
                    del self._running[client]


@dataclass
class Limits:
    """The per-client limits of one instance (built from settings by the runtime)."""

    # Full (non-304) downloads of the whole ELM dataset.
    dataset: RateLimit = field(default_factory=lambda: RateLimit(system_clock, 10, 60.0, "full dataset downloads"))
    # Searches running at once for one client.
    searches: ConcurrencyLimit = field(default_factory=lambda: ConcurrencyLimit(4, "searches"))
    # Expensive searches (places, facets, long pages) running at once in this instance, all
    # clients together; more wait, up to ``expensive_queue`` of them, then 503.
    expensive_searches: int = 1
    expensive_queue: int = 64
    # Pages of the ELM change feed read at once by one client; pages not rendered yet take turns,
    # ``feed_renders`` at a time in this instance for all clients together.
    feed: ConcurrencyLimit = field(default_factory=lambda: ConcurrencyLimit(2, "change feed pages"))
    feed_renders: int = 1
    _feed_render_turns: anyio.CapacityLimiter | None = field(default=None, init=False, repr=False, compare=False)

    def feed_render_turns(self) -> anyio.CapacityLimiter:
        """The turns feed pages not rendered yet take, ``feed_renders`` at a time for all clients together.

        Created in the event loop that uses it (on the first page to render)."""
        if self._feed_render_turns is None:
            self._feed_render_turns = anyio.CapacityLimiter(self.feed_renders)
        return self._feed_render_turns
