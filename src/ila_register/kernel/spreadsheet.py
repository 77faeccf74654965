"""CSV for spreadsheets: the one writer every CSV of the register goes through.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a
formula by spreadsheet programs (CSV injection: ``=HYPERLINK(…)`` in a rejection reason sends
the reviewer's data elsewhere when clicked). Following OWASP, such a text cell is written with a
leading single quote, which spreadsheets show as text and do not evaluate.

Numbers are never changed: an ``int``, ``float`` or ``Decimal`` cell (e.g. a negative count or
amount) is written as the number it is, and so is text that is nothing but a plain number
(``-12``, ``-12,5``, ``-1e3``): a spreadsheet reads it as that number and computes nothing, and a
quote would turn every negative figure into text that no longer sums. Everything else starting
with those characters (``-2+3``, ``+cmd|…``) gets the quote.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import IO, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """The cell as a spreadsheet may safely open it: formula-like text quoted, the rest as is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


class SafeWriter:
    """``csv.writer`` with every cell passed through ``safe_cell``."""

    def __init__(self, out: IO[str], **fmtparams: Any) -> None:
        self._writer = csv.writer(out, **fmtparams)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([safe_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out: IO[str], **fmtparams: Any) -> SafeWriter:
    """A CSV writer for anything the register hands out (same parameters as ``csv.writer``)."""
    return SafeWriter(out, **fmtparams)


def csv_text(header: Sequence[str], rows: Iterable[Iterable[Any]]) -> str:
    """A table as CSV text (RFC 4180: CRLF line ends, a header row), as the monitoring tables are downloaded."""
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
