"""JSON Lines: one offer document (as in ../shared/docs/api) per line, read line by line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ila_register.imports.records import SourceRecord

MAX_LINE_BYTES = 1024 * 1024


def read_jsonl(stream: BinaryIO) -> Iterator[SourceRecord]:
    number = 0
    for line_number, line in enumerate(_lines(stream), start=1):
        if not line.strip():
            continue
        number += 1
        location = f"line {line_number}"
        if len(line) > MAX_LINE_BYTES:
            yield SourceRecord(number, location, None, [("", f"the record is longer than {MAX_LINE_BYTES} bytes")])
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as error:
            yield SourceRecord(number, location, None, [("", f"not valid UTF-8 (byte {error.start})")])
            continue
        yield SourceRecord(number, location, None, raw=line.strip().removeprefix(b"\xef\xbb\xbf"))


def count_records(path: Path) -> int:
    """How many records a file holds (for the progress bar): its non-blank lines."""
    with path.open("rb") as stream:
        return sum(1 for line in _lines(stream) if line.strip())


def _lines(stream: BinaryIO) -> Iterator[bytes]:
    """Lines without holding more than one (an over-long line is cut to its limit + 1 byte)."""
    while True:
        line = stream.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            while (rest := stream.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                pass
        yield line
