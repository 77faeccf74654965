"""CSV: one row per session, the offer's columns repeated on each of its rows.

Rows of one offer (same ``reference``) follow each other; an offer without sessions is one row
with the ``session_*`` columns empty. Multilingual texts have a column per language
(``title_nl`` … ``title_en``); lists are separated by ``|`` (``languages``: ``nl|fr``;
learning outcomes: ``outcomes_nl`` = ``first|second`` paired by position with ``outcomes_fr``).
UTF-8 with or without BOM; ``,`` or ``;`` as separator (Belgian spreadsheets write ``;``);
decimals with ``.`` or ``,``; dates as ``2027-02-01`` or ``01/02/2027``; booleans yes/no,
ja/nee, oui/non, true/false, 1/0. ``GET /api/v1/imports/template.csv`` gives the header and an
example row.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from ila_register.imports.records import FileProblem, SourceRecord
from ila_register.kernel.spreadsheet import csv_writer

LANGS = ("nl", "fr", "de", "en")
OFFER_COLUMNS = (
    "reference",
    "kind",
    *(f"title_{lang}" for lang in LANGS),
    *(f"description_{lang}" for lang in LANGS),
    "default_language",
    "languages",
    "homepage",
    "learning_opportunity_type",
    "mode",
    "schedule",
    *(f"outcomes_{lang}" for lang in LANGS),
    "esco_skills",
    "esco_occupations",
    "isced_f",
    "eqf_level",
    "duration_hours",
    "credits_ects",
    "price_amount",
    "price_currency",
    "target_groups",
    *(f"entry_requirements_{lang}" for lang in LANGS),
    *(f"credential_name_{lang}" for lang in LANGS),
    "credential_type",
    "micro_credential",
    "schemes_requested",
)
SESSION_COLUMNS = (
    "session_start",
    "session_end",
    "session_enrolment_deadline",
    "session_capacity",
    "session_price_amount",
    "session_price_currency",
    "session_online",
    "session_street",
    "session_postcode",
    "session_municipality",
    "session_country",
    "session_nuts3",
    "session_lat",
    "session_lon",
)
COLUMNS = OFFER_COLUMNS + SESSION_COLUMNS
LIST_COLUMNS = ("languages", "esco_skills", "esco_occupations", "target_groups", "schemes_requested")
TRUE = {"yes", "ja", "oui", "true", "1", "y", "j", "o", "x"}
FALSE = {"no", "nee", "non", "false", "0", "n", ""}
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def template() -> str:
    """The header and one example row, for providers to fill in."""
    out = io.StringIO()
    writer = csv_writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    example = {
        "reference": "KA-BOEK-2027-01",
        "kind": "training",
        "title_nl": "Boekhouding voor kmo's",
        "title_fr": "Comptabilité pour PME",
        "description_nl": "Praktische opleiding dubbel boekhouden.",
        "default_language": "nl",
        "languages": "nl",
        "homepage": "https://kustacademie.example.be/boekhouding",
        "learning_opportunity_type": "course",
        "mode": "blended",
        "schedule": "part-time",
        "outcomes_nl": "Voert een dubbele boekhouding|Stelt een btw-aangifte op",
        "isced_f": "0411",
        "eqf_level": "5",
        "duration_hours": "60",
        "price_amount": "495,00",
        "price_currency": "EUR",
        "target_groups": "employee|self-employed",
        "schemes_requested": "be-vl-opleidingscheques|be-vl-opleidingsverlof",
        "session_start": "2027-02-01",
        "session_end": "2027-05-31",
        "session_enrolment_deadline": "2027-01-20",
        "session_capacity": "18",
        "session_street": "Vindictivelaan 1",
        "session_postcode": "8400",
        "session_municipality": "Oostende",
        "session_country": "BE",
    }
    writer.writerow([example.get(column, "") for column in COLUMNS])
    return out.getvalue()


def read_csv(stream: BinaryIO) -> Iterator[SourceRecord]:
    text = io.TextIOWrapper(stream, encoding="utf-8", errors="strict", newline="")
    try:
        header, unknown = _header(text)
        for number, (rows, broken) in enumerate(_groups(text, header), start=1):
            if broken is not None:
                line, detail = broken
                yield SourceRecord(number, f"line {line}", None, [("", detail)], broken_off=True)
            else:
                yield _record(number, rows, unknown)
    finally:
        text.detach()  # the caller closes the file it opened


def count_csv_records(path: Path) -> int:
    """How many records (offers) a CSV file holds, as ``read_csv`` would yield them."""
    with path.open("rb") as stream:
        text = io.TextIOWrapper(stream, encoding="utf-8", errors="strict", newline="")
        try:
            header, _unknown = _header(text)
            return sum(1 for _group in _groups(text, header))
        finally:
            text.detach()


def _header(text: io.TextIOWrapper) -> tuple[list[str], list[str]]:
    """The header's column names (lower case) and those the register does not know."""
    try:
        first = text.readline()
    except UnicodeDecodeError as error:
        raise FileProblem(f"the file is not UTF-8 (byte {error.start} of the header)") from None
    first = first.removeprefix("\ufeff")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    header = next(csv.reader([first], delimiter=delimiter))
    header = [h.strip().lower() for h in header]
    if "reference" not in header:
        raise FileProblem("the header has no `reference` column; see /api/v1/imports/template.csv")
    return [delimiter, *header], [h for h in header if h and h not in COLUMNS]


_Rows = list[tuple[int, dict[str, str]]]


def _groups(text: io.TextIOWrapper, header: list[str]) -> Iterator[tuple[_Rows, tuple[int, str] | None]]:
    """The rows of each offer, in file order; a row that cannot be read ends the file (line, why).

    Rows are numbered by the physical line they start on (the header is line 1).
    """
    delimiter, *columns = header
    lines = _Lines(text)
    rows = csv.reader(lines, delimiter=delimiter)
    current: _Rows = []
    ended = 1  # the physical line the previous row ended on
    while True:
        broken: tuple[int, str] | None
        try:
            values = next(rows)
        except StopIteration:
            break
        except UnicodeDecodeError as error:
            broken = (ended + 1, f"not valid UTF-8 (byte {error.start}); the rest of the file was not read")
        except csv.Error as error:
            broken = (ended + 1, f"unreadable CSV: {error}; the rest of the file was not read")
        else:
            start, ended = ended + 1, rows.line_num + 1
            broken = None
            if ended > start or lines.ended:
                broken = _unclosed_quote(values, columns, delimiter, start, lines.ended)
        if broken is not None:  # the offer read before it is whole; nothing after it is read
            if current:
                yield current, None
            yield [], broken
            return
        if not any(v.strip() for v in values):
            continue
        row = {h: (values[i].strip() if i < len(values) else "") for i, h in enumerate(columns) if h}
        if current and row.get("reference") != current[0][1].get("reference"):
            yield current, None
            current = []
        current.append((start, row))
    if current:
        yield current, None


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _unclosed_quote(
    values: list[str], columns: list[str], delimiter: str, start: int, at_end: bool
) -> tuple[int, str] | None:
    """Where a quote that was never closed swallowed the rows after it (line, why), if one did.

    A quoted field may hold line breaks (and separators); one whose continuation lines look like
    rows of their own (half the header's separators or more), or that ran to the end of the file,
    was opened by a quote nobody closed: what follows it cannot be read as the rows it was meant to be.
    """
    row_like = min(max(len(columns) - 1, 1), max(2, (len(columns) - 1) // 2))
    opened = start
    for index, value in enumerate(values):
        pieces = _LINE_BREAK.split(value)
        if len(pieces) > 1:
            column = f"`{columns[index]}` " if index < len(columns) and columns[index] else ""
            looks_like_rows = sum(1 for piece in pieces[1:] if piece.count(delimiter) >= row_like)
            if looks_like_rows or at_end:
                spread = (
                    "to the end of the file"
                    if at_end
                    else f"over {len(pieces) - 1} more lines, {looks_like_rows} of them shaped like rows"
                )
                return opened, (
                    f"a quote that is never closed: the quoted field {column}opened at line {opened} runs "
                    f'{spread}, so the rows after it cannot be read; close the quote (or double it: "") '
                    "and import again; the rest of the file was not read"
                )
        opened += len(pieces) - 1
    return None


class _Lines:
    """The text's physical lines for the CSV reader, noting when it asked past the end of the file."""

    def __init__(self, text: Any) -> None:
        self.text = text
        self.ended = False

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line: str = self.text.readline()
        if not line:
            self.ended = True  # the reader wanted more: a quoted field was still open at the end
            raise StopIteration
        return line


def _record(number: int, rows: list[tuple[int, dict[str, str]]], unknown: list[str]) -> SourceRecord:
    first, last = rows[0][0], rows[-1][0]
    location = f"line {first}" if first == last else f"lines {first}-{last}"
    problems: list[tuple[str, str]] = []
    document = _offer(rows[0][1], problems)
    for _line, row in rows:
        if (session := _session(row, problems, len(document["sessions"]))) is not None:
            document["sessions"].append(session)
    record = SourceRecord(number, location, document, problems)
    if unknown:
        record.notes.append(f"ignored columns: {', '.join(unknown)}")
    return record


def _text(row: dict[str, str], prefix: str) -> dict[str, str] | None:
    value = {lang: row[f"{prefix}_{lang}"] for lang in LANGS if row.get(f"{prefix}_{lang}")}
    return value or None


def _list(value: str) -> list[str]:
    return [item.strip() for item in value.split("|") if item.strip()]


def _decimal(value: str) -> str:
    """Spreadsheet numbers as the API writes them: '1.250,00', '1 250,00', '1,250.00' -> '1250.00'.

    With both separators the last is the decimal one; a lone comma is decimal (as in Belgium).
    """
    cleaned = value.strip().replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    if "," in cleaned and "." in cleaned:
        decimal = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        cleaned = cleaned.replace(thousands, "")
    elif cleaned.count(".") > 1:
        cleaned = cleaned.replace(".", "")
    return cleaned.replace(",", ".")


def _number(value: str, pointer: str, problems: list[tuple[str, str]], kind: type = float) -> Any:
    if not value:
        return None
    cleaned = _decimal(value)
    try:
        return kind(cleaned)
    except ValueError:
        problems.append((pointer, f"{value!r} is not a number"))
        return None


def _date(value: str, pointer: str, problems: list[tuple[str, str]]) -> str | None:
    if not value:
        return None
    if match := _DMY.match(value):
        day, month, year = (int(g) for g in match.groups())
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            pass
    else:
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    problems.append((pointer, f"{value!r} is not a date (2027-02-01 or 01/02/2027)"))
    return None


def _boolean(value: str, pointer: str, problems: list[tuple[str, str]]) -> bool:
    lowered = value.strip().lower()
    if lowered in TRUE:
        return True
    if lowered not in FALSE:
        problems.append((pointer, f"{value!r} is not yes or no"))
    return False


def _offer(row: dict[str, str], problems: list[tuple[str, str]]) -> dict[str, Any]:
    outcomes_by_lang = {lang: _list(row.get(f"outcomes_{lang}", "")) for lang in LANGS}
    count = max((len(v) for v in outcomes_by_lang.values()), default=0)
    outcomes = [{lang: items[i] for lang, items in outcomes_by_lang.items() if i < len(items)} for i in range(count)]
    document: dict[str, Any] = {
        "reference": row.get("reference", ""),
        "kind": row.get("kind", ""),
        "title": _text(row, "title") or {},
        "description": _text(row, "description") or {},
        "default_language": row.get("default_language", ""),
        "languages": _list(row.get("languages", "")),
        "homepage": row.get("homepage", ""),
        "learning_opportunity_type": row.get("learning_opportunity_type", ""),
        "mode": row.get("mode", ""),
        "learning_outcomes": outcomes,
        "esco_skills": _list(row.get("esco_skills", "")),
        "esco_occupations": _list(row.get("esco_occupations", "")),
        "target_groups": _list(row.get("target_groups", "")),
        "schemes_requested": _list(row.get("schemes_requested", "")),
        "duration_hours": _number(row.get("duration_hours", ""), "/duration_hours", problems),
        "price": {
            "amount": _decimal(row.get("price_amount") or ""),
            "currency": row.get("price_currency") or "EUR",
        },
        "sessions": [],
    }
    for key in ("schedule", "isced_f"):
        if row.get(key):
            document[key] = row[key]
    if row.get("eqf_level"):
        document["eqf_level"] = _number(row["eqf_level"], "/eqf_level", problems, int)
    if row.get("credits_ects"):
        document["credits_ects"] = _number(row["credits_ects"], "/credits_ects", problems)
    if entry := _text(row, "entry_requirements"):
        document["entry_requirements"] = entry
    if name := _text(row, "credential_name"):
        document["credential"] = {
            "name": name,
            "micro_credential": _boolean(row.get("micro_credential", ""), "/credential/micro_credential", problems),
        }
        if row.get("credential_type"):
            document["credential"]["type"] = row["credential_type"]
    return document


def _session(row: dict[str, str], problems: list[tuple[str, str]], index: int) -> dict[str, Any] | None:
    if not row.get("session_start") and not row.get("session_end"):
        return None
    pointer = f"/sessions/{index}"
    session: dict[str, Any] = {
        "start": _date(row.get("session_start", ""), f"{pointer}/start", problems),
        "end": _date(row.get("session_end", ""), f"{pointer}/end", problems),
        "online": _boolean(row.get("session_online", ""), f"{pointer}/online", problems),
    }
    if deadline := _date(row.get("session_enrolment_deadline", ""), f"{pointer}/enrolment_deadline", problems):
        session["enrolment_deadline"] = deadline
    if row.get("session_capacity"):
        session["capacity"] = _number(row["session_capacity"], f"{pointer}/capacity", problems, int)
    if row.get("session_price_amount"):
        session["price"] = {
            "amount": _decimal(row["session_price_amount"]),
            "currency": row.get("session_price_currency") or "EUR",
        }
    if row.get("session_postcode") or row.get("session_municipality"):
        location: dict[str, Any] = {
            "postcode": row.get("session_postcode", ""),
            "municipality": row.get("session_municipality", ""),
            "country": row.get("session_country") or "BE",
        }
        for key in ("street", "nuts3"):
            if row.get(f"session_{key}"):
                location[key] = row[f"session_{key}"]
        for key in ("lat", "lon"):
            if row.get(f"session_{key}"):
                location[key] = _number(row[f"session_{key}"], f"{pointer}/location/{key}", problems)
        session["location"] = location
    return session
