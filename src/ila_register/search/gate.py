"""The one gate every citizen search passes, whichever door it comes through (the API, the catalogue).

Two limits hold for every search: one client runs at most ``Limits.searches`` searches at once
(429 beyond), and expensive searches (a place, facets, long pages) take turns, a few at a time
per instance for all clients together (``Limits.expensive_searches``), waiting without holding a
thread; when ``Limits.expensive_queue`` already wait, 503. Searches run in worker threads, so the
event loop and the other threads stay free for cheap requests (health checks, plain pages).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import anyio
import anyio.to_thread

from ila_register.kernel.exceptions import ServiceUnavailable
from ila_register.platform.limits import Limits
from ila_register.search.interface import Near

T = TypeVar("T")

CHEAP_PER_PAGE = 20  # a query with a place, facets or longer pages than this counts as expensive


def is_expensive(near: Near | None, facets: tuple[str, ...], per_page: int) -> bool:
    """Whether a search is one of the expensive kind (the same rule for the API and the pages)."""
    return near is not None or bool(facets) or per_page > CHEAP_PER_PAGE


class SearchGate:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits  # read at each search: the limits in force now
        self._expensive: anyio.CapacityLimiter | None = None

    async def run(self, client: str, call: Callable[[], T], *, expensive: bool) -> T:
        """Run one search (``call``, which may run several queries, as a catalogue page does) for ``client``."""
        with self.limits.searches.hold(client):
            if not expensive:
                return await anyio.to_thread.run_sync(call)
            limiter = self._limiter()
            if limiter.available_tokens < 1 and limiter.statistics().tasks_waiting >= self.limits.expensive_queue:
                raise ServiceUnavailable("Too many searches are waiting right now; retry in a moment.")
            result: T = await anyio.to_thread.run_sync(call, limiter=limiter)
            return result

    def _limiter(self) -> anyio.CapacityLimiter:
        # Created in the event loop that uses it (on the first expensive search).
        if self._expensive is None:
            self._expensive = anyio.CapacityLimiter(self.limits.expensive_searches)
        return self._expensive
