"""Rendered pages of the ELM change feed, kept so that a page is rendered once, not once per request.

A page (``after``, ``limit``) shows each event with its offer's current ELM, so it changes when,
and only when, the feed gains an event that concerns it: a later event of one of its offers (the
offer changed or left: its item now reads differently) or, for the page at the head, a new event
on the page itself. ``FeedPageKey`` names exactly that state, read with two cheap indexed queries;
a stored page whose key still holds is served as it is. Pages live in this instance's memory,
the least recently used dropped first beyond a byte budget.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FeedPageKey:
    """What a feed page's content depends on (see the module's docstring)."""

    after: int
    limit: int
    count: int  # events on the page
    last: int  # the seq of its last event
    more: bool  # whether a page follows
    latest: int  # the latest event of any offer on the page, wherever it is in the feed


class FeedPages:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._pages: OrderedDict[tuple[int, int], tuple[FeedPageKey, bytes]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: FeedPageKey) -> bytes | None:
        """The stored page, if it was rendered in the state ``key`` names."""
        with self._lock:
            stored = self._pages.get((key.after, key.limit))
            if stored is None or stored[0] != key:
                return None
            self._pages.move_to_end((key.after, key.limit))
            return stored[1]

    def put(self, key: FeedPageKey, body: bytes) -> None:
        if len(body) > self.max_bytes:
            return
        with self._lock:
            if (old := self._pages.pop((key.after, key.limit), None)) is not None:
                self._bytes -= len(old[1])
            self._pages[(key.after, key.limit)] = (key, body)
            self._bytes += len(body)
            while self._bytes > self.max_bytes:
                _place, (_key, dropped) = self._pages.popitem(last=False)
                self._bytes -= len(dropped)
