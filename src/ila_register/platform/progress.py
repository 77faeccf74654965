"""A small progress display for long command-line work (seeding, import, export, reindex)."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Prints ``label [bar] done/total percent rate ETA`` on one line, at most a few times a second.

    Without a known total it prints the count and the rate only.
    """

    def __init__(self, label: str, total: int | None = None, stream: TextIO | None = None) -> None:
        self.label = label
        self.total = total
        self.stream = stream or sys.stderr
        self.done = 0
        self._started = time.monotonic()
        self._last = 0.0
        self._printed: int | None = None
        self._interactive = self.stream.isatty()

    def __call__(self, done: int) -> None:
        self.update(done)

    def advance(self, step: int = 1) -> None:
        self.update(self.done + step)

    def update(self, done: int) -> None:
        self.done = done
        now = time.monotonic()
        if now - self._last >= (0.1 if self._interactive else 2.0) or (self.total and done >= self.total):
            self._last = now
            self._print(end="\r" if self._interactive else "\n")

    def finish(self) -> None:
        if self._interactive or self._printed != self.done:
            self._print(end="\n")

    def _print(self, end: str) -> None:
        elapsed = max(time.monotonic() - self._started, 1e-6)
        rate = self.done / elapsed
        if self.total:
            share = min(self.done / self.total, 1.0)
            width = 30
            bar = "#" * int(share * width) + "-" * (width - int(share * width))
            left = max(self.total - self.done, 0) / rate if rate else None
            text = f"{self.label} [{bar}] {self.done}/{self.total} {share:4.0%} {rate:,.0f}/s ETA {_duration(left)}"
        else:
            text = f"{self.label} {self.done} {rate:,.0f}/s"
        self._printed = self.done
        self.stream.write(text + end)
        self.stream.flush()


def _duration(seconds: float | None) -> str:
    """``m:ss`` (or ``h:mm:ss``); ``?`` while nothing is done yet, so no rate is known."""
    if seconds is None:
        return "?"
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"
