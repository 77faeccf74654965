"""Renditions of the published dataset kept on disk: rendered once per format and dataset version.

Rendering the whole dataset costs seconds of CPU; serving a file costs next to nothing. Each
rendition is keyed by format, encoding and dataset version (the last feed event), written to a
temporary file and renamed into place, so a reader never sees half of one. Requests for a
rendition that is being written wait for that one rendering (a lock file per format, which also
holds between processes sharing the directory) instead of rendering it again. Older versions of
a rendition are removed once a newer one is in place (readers still streaming them keep their
open file). The key leaves room for storing per-offer fragments later: a version is all it needs.
"""

from __future__ import annotations

import fcntl
import logging
import os
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

logger = logging.getLogger(__name__)

BLOCK = 256 * 1024


def read_blocks(source: Path | BinaryIO) -> Iterator[bytes]:
    """A file's content, a block at a time; an open file stays readable even once pruned."""
    with source.open("rb") if isinstance(source, Path) else source as handle:
        while block := handle.read(BLOCK):
            yield block


class DatasetCache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path(self, version: int, fmt: str, gzipped: bool = False) -> Path:
        return self.directory / f"dataset-{version}.{fmt}{'.gz' if gzipped else ''}"

    def size(self, version: int, fmt: str, gzipped: bool = False) -> int | None:
        """The size of a stored rendition, or ``None`` if nobody asked for it yet (nothing is rendered)."""
        try:
            return self.path(version, fmt, gzipped).stat().st_size
        except FileNotFoundError:
            return None

    def open(
        self,
        version: int,
        fmt: str,
        gzipped: bool,
        render: Callable[[], Iterable[bytes]],
        compress: Callable[[Iterable[bytes]], Iterable[bytes]],
    ) -> BinaryIO:
        """The rendition, open for reading (rendered now if nobody did yet)."""
        for _attempt in range(3):
            try:
                return self.rendition(version, fmt, gzipped, render, compress).open("rb")
            except FileNotFoundError:  # pruned by a newer version between finding and opening it
                continue
        return self.rendition(version, fmt, gzipped, render, compress).open("rb")

    def rendition(
        self,
        version: int,
        fmt: str,
        gzipped: bool,
        render: Callable[[], Iterable[bytes]],
        compress: Callable[[Iterable[bytes]], Iterable[bytes]],
    ) -> Path:
        """The file of this rendition, rendered now if nobody did yet (``OSError`` if it cannot be written)."""
        target = self.path(version, fmt, gzipped)
        if target.exists():
            return target
        if gzipped:
            plain = self.rendition(version, fmt, False, render, compress)
            source: Callable[[], Iterable[bytes]] = lambda: compress(read_blocks(plain))  # noqa: E731
        else:
            source = render
        with self._lock(f"{fmt}{'.gz' if gzipped else ''}"):
            if target.exists():  # rendered while we waited
                return target
            self._write(target, source())
            self._prune(target, fmt, gzipped)
        return target

    def _write(self, target: Path, chunks: Iterable[bytes]) -> None:
        temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
        try:
            with temporary.open("wb") as out:
                for chunk in chunks:
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise

    def _prune(self, current: Path, fmt: str, gzipped: bool) -> None:
        suffix = f".{fmt}{'.gz' if gzipped else ''}"
        for old in self.directory.glob(f"dataset-*{suffix}"):
            if old != current and old.name.endswith(suffix) and old.name.count(".") == current.name.count("."):
                old.unlink(missing_ok=True)

    @contextmanager
    def _lock(self, name: str) -> Iterator[None]:
        self.directory.mkdir(parents=True, exist_ok=True)
        with (self.directory / f".{name}.lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # blocks: the waiter then finds the rendition written
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
