"""What every reader yields: one offer document per record, with where it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class SourceRecord:
    """One offer read from a file: its document, or why it could not be read."""

    number: int  # 1-based position of the record in the file
    location: str  # "line 12", "lines 12-14" or an XML path
    document: dict[str, Any] | None
    problems: list[tuple[str, str]] = field(default_factory=list)  # (JSON pointer, detail)
    notes: list[str] = field(default_factory=list)  # what was read but ignored (LOQ XML)
    raw: bytes | None = None  # the bytes of a JSON Lines record, decoded by the strict decoder
    # The reader could not go past this record: the rest of the file is unread (so a replace
    # import must not take what it did not read as gone).
    broken_off: bool = False


class FileProblem(Exception):
    """The file as a whole cannot be read (unsafe XML, not the declared format)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail
