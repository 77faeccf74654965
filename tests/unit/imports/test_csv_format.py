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


def _rows(*lines: str) -> bytes:
    return ("\r\n".join(["reference;title_nl;description_nl", *lines]) + "\r\n").encode()


def test_an_unclosed_quote_that_swallows_rows_ends_the_file_at_the_line_it_opens_on() -> None:
    records = list(read_csv(io.BytesIO(_rows("A;Een;x", 'B;"Twee;x', "C;Drie;x", "D;Vier;x"))))

    assert [(r.number, r.location, r.broken_off) for r in records] == [(1, "line 2", False), (2, "line 3", True)]
    assert "quote that is never closed" in records[1].problems[0][1]
    assert "`title_nl` opened at line 3" in records[1].problems[0][1]


def test_an_unclosed_quote_in_the_last_row_runs_to_the_end_of_the_file() -> None:
    records = list(read_csv(io.BytesIO(_rows("A;Een;x", 'B;"Twee;x'))))

    assert records[-1].broken_off
    assert "to the end of the file" in records[-1].problems[0][1]


def test_quoted_texts_with_line_breaks_and_separators_are_read_as_written() -> None:
    text = '"Dag 1: journaal; grootboek\r\nDag 2: btw"'
    records = list(read_csv(io.BytesIO(_rows(f"A;Een;{text}", "B;Twee;x"))))

    assert [(r.number, r.location, r.broken_off) for r in records] == [(1, "line 2", False), (2, "line 4", False)]
    assert records[0].document is not None
    assert records[0].document["description"] == {"nl": "Dag 1: journaal; grootboek\r\nDag 2: btw"}
