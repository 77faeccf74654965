"""The CSV reader understands what Belgian spreadsheets write."""

from __future__ import annotations

import io

import pytest

from ila_register.imports.csv_format import _decimal, read_csv, template
from ila_register.imports.records import FileProblem


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("495", "495"),
        ("495,00", "495.00"),
        ("495.00", "495.00"),
        ("1.250,50", "1250.50"),
        ("1 250,50", "1250.50"),
        ("1\u00a0250,50", "1250.50"),
        ("1,250.50", "1250.50"),
        ("1.250.000", "1250000"),
    ],
)
def test_numbers_as_spreadsheets_write_them(written: str, read: str) -> None:
    assert _decimal(written) == read


def test_rows_of_one_reference_are_one_offer_with_its_sessions() -> None:
    header, row = template().splitlines()[:2]
    other = row.replace("KA-BOEK-2027-01", "KA-BOEK-2027-02")
    data = "\ufeff" + "\r\n".join([header, row, row.replace("2027-02-01", "2027-09-01"), "", other]) + "\r\n"

    records = list(read_csv(io.BytesIO(data.encode())))

    assert [(r.number, r.location) for r in records] == [(1, "lines 2-3"), (2, "line 5")]
    assert records[0].document is not None
    assert [s["start"] for s in records[0].document["sessions"]] == ["2027-02-01", "2027-09-01"]
    assert records[0].problems == []


def test_unknown_columns_are_named_and_a_file_without_reference_is_refused() -> None:
    header, row = template().splitlines()[:2]
    records = list(read_csv(io.BytesIO(f"{header};colour\r\n{row};blue\r\n".encode())))
    assert any("colour" in note for note in records[0].notes)
    with pytest.raises(FileProblem, match="reference"):
        list(read_csv(io.BytesIO(b"title;price\r\nx;1\r\n")))
    with pytest.raises(FileProblem, match="UTF-8"):
        list(read_csv(io.BytesIO(b"\xffreference;x\r\n")))
