"""CSV cells a spreadsheet would run as formulas are written as text."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

from ila_register.kernel.spreadsheet import csv_writer, safe_cell

SRC = Path(__file__).resolve().parents[3] / "src" / "ila_register"


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("https://evil.example","click")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1"],
)
def test_text_that_starts_a_formula_gets_a_quote(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["boekhouding", "", "1+1", "a=b", -3, -2.5, Decimal("-495.00"), 0, None])
def test_other_cells_and_numbers_are_unchanged(value: object) -> None:
    assert safe_cell(value) == value


@pytest.mark.parametrize("number", ["-12", "-12.5", "-12,5", "+32", "-1e3"])
def test_a_negative_number_written_as_text_stays_a_number(number: str) -> None:
    assert safe_cell(number) == number  # a spreadsheet reads it as the number; nothing is computed


def test_the_writer_neutralises_every_cell() -> None:
    out = io.StringIO()
    csv_writer(out, lineterminator="\r\n").writerows([["reason", "count"], ["=1+1", -4]])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [["reason", "count"], ["'=1+1", "-4"]]


def test_every_csv_the_register_writes_goes_through_the_helper() -> None:
    writers = [
        path.relative_to(SRC)
        for path in SRC.rglob("*.py")
        if path.name != "spreadsheet.py" and ("csv.writer(" in path.read_text() or "DictWriter(" in path.read_text())
    ]
    assert writers == []
