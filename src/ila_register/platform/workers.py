"""Background loops for consumers (search sync, ELM publication, QDR notices).

Each loop repeats a step while it has work, then waits for a nudge (a local write, through the
``ChangeSignal`` handlers call) or the poll interval (writes by other instances); when its backing
service fails it backs off, up to ``max_backoff``, and keeps the error for /health (``Loops``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from ila_register.kernel.exceptions import ServiceUnavailable

logger = logging.getLogger(__name__)


class BackgroundLoop:
    def __init__(
        self, name: str, step: Callable[[], int], interval_seconds: float = 0.5, max_backoff_seconds: float = 30.0
    ) -> None:
        self.name = name
        self.step = step
        self.interval = interval_seconds
        self.max_backoff = max_backoff_seconds
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last_error: str | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name=self.name, daemon=True)
            self._thread.start()

    def nudge(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def _loop(self) -> None:
        delay = self.interval
        while not self._stop.is_set():
            try:
                while self.step() and not self._stop.is_set():
                    pass
                self.last_error = None
                delay = self.interval
            except ServiceUnavailable as error:
                self.last_error = error.detail
                delay = min(max(delay * 2, 1.0), self.max_backoff)
            except Exception as error:  # keep going after an unexpected failure, but say so loudly
                logger.exception("%s failed", self.name)
                self.last_error = str(error)
                delay = min(max(delay * 2, 1.0), self.max_backoff)
            self._wake.wait(delay)
            self._wake.clear()


class Loops:
    """The background loops running in this process, by name (none where workers are off)."""

    def __init__(self) -> None:
        self._loops: dict[str, BackgroundLoop] = {}

    def add(self, loop: BackgroundLoop, name: str | None = None) -> None:
        self._loops[name or loop.name] = loop

    def get(self, name: str) -> BackgroundLoop | None:
        return self._loops.get(name)

    def __bool__(self) -> bool:
        return bool(self._loops)

    def start(self) -> None:
        for loop in self._loops.values():
            loop.start()

    def nudge(self) -> None:
        for loop in self._loops.values():
            loop.nudge()

    def stop(self) -> None:
        for loop in self._loops.values():
            loop.stop()
        self._loops.clear()


class ChangeSignal:
    """What a handler calls after a write: the consumers look now rather than at their next poll."""

    def __init__(self, loops: Loops) -> None:
        self._loops = loops

    def notify(self) -> None:
        self._loops.nudge()
