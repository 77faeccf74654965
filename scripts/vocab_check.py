#!/usr/bin/env python3
"""Check the controlled vocabularies in vocab/ against the official ELM code lists.

For every vocabulary CSV that is derived from an ELM/EU code list, every
non-empty ``uri`` must be an enumeration value of the corresponding XSD in
``elm/xsd/cv/``.  Codes must be unique per file, parent references must
resolve, and the NIS mapping files must point at NUTS-3 codes present in
nuts-be.csv.  Prints a summary; exits 1 on any problem, 2 on bad setup.

Usage: python scripts/vocab_check.py [--vocab-dir DIR] [--xsd-dir DIR]
The XSD directory defaults to $ELM_CV_DIR, else ../shared/elm/xsd/cv next to
the repository, else /work/shared/elm/xsd/cv.

Only the standard library and lxml are used.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from pathlib import Path

from lxml import etree  # type: ignore[import-untyped,unused-ignore]

XS = "{http://www.w3.org/2001/XMLSchema}"
REPO = Path(__file__).resolve().parent.parent
BASE_COLS = ["code", "uri", "label_en", "label_nl", "label_fr", "label_de"]

# vocabulary file -> (official XSD file, extra columns, column holding a parent code)
VOCABS: dict[str, tuple[str, list[str], str | None]] = {
    "eqf-levels.csv": ("eqf.xsd", [], None),
    "isced-f.csv": ("isced-f.xsd", ["parent"], "parent"),
    "learning-opportunity-types.csv": ("europass-learning-opportunity-types.xsd", [], None),
    "modes.csv": ("europass-modes.xsd", [], None),
    "schedules.csv": ("europass-learning-schedule-types.xsd", [], None),
    "target-groups.csv": ("europass-target-groups.xsd", ["status"], None),
    "languages.csv": ("language.xsd", ["iso639_3"], None),
    "countries.csv": ("country.xsd", ["eu"], None),
    "currencies.csv": ("currency.xsd", [], None),
    "nuts-be.csv": ("nuts.xsd", ["level", "parent", "province", "region", "community"], "parent"),
}


def default_xsd_dir() -> Path:
    env = os.environ.get("ELM_CV_DIR")
    if env:
        return Path(env)
    for cand in (REPO.parent / "shared" / "elm" / "xsd" / "cv", Path("/work/shared/elm/xsd/cv")):
        if cand.is_dir():
            return cand
    return REPO.parent / "shared" / "elm" / "xsd" / "cv"


def xsd_uris(path: Path) -> set[str]:
    tree = etree.parse(str(path))
    return {e.get("value") for e in tree.iter(XS + "enumeration") if e.get("value")}


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def check_unique(fname: str, rows: list[dict[str, str]], col: str, problems: list[str]) -> set[str]:
    seen: set[str] = set()
    for i, row in enumerate(rows, start=2):
        val = (row.get(col) or "").strip()
        if not val:
            problems.append(f"{fname}:{i}: empty {col}")
        elif val in seen:
            problems.append(f"{fname}:{i}: duplicate {col} {val!r}")
        seen.add(val)
    return seen


def check_vocab(
    path: Path, xsd: Path, extra: list[str], parent_col: str | None, problems: list[str]
) -> tuple[set[str], str]:
    """Check one list against its official XSD; its codes and its summary line."""
    fname = path.name
    cols, rows = read_csv(path)
    expected = BASE_COLS + extra
    if cols != expected:
        problems.append(f"{fname}: columns {cols} != expected {expected}")
    official = xsd_uris(xsd)
    codes = check_unique(fname, rows, "code", problems)
    with_uri = 0
    for i, row in enumerate(rows, start=2):
        uri = (row.get("uri") or "").strip()
        if uri:
            with_uri += 1
            if uri not in official:
                problems.append(f"{fname}:{i}: uri {uri!r} not in {xsd.name}")
        if not (row.get("label_en") or "").strip():
            problems.append(f"{fname}:{i}: empty label_en")
        if parent_col:
            parent = (row.get(parent_col) or "").strip()
            if parent and parent not in codes:
                problems.append(f"{fname}:{i}: {parent_col} {parent!r} is not a code in this file")
    return codes, f"  {fname:<40} {len(rows):>4} rows, {with_uri:>4} URIs checked against {xsd.name}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--vocab-dir", type=Path, default=REPO / "vocab")
    ap.add_argument("--xsd-dir", type=Path, default=None)
    args = ap.parse_args(argv)
    vocab_dir: Path = args.vocab_dir
    xsd_dir: Path = args.xsd_dir or default_xsd_dir()
    if not xsd_dir.is_dir():
        print(f"vocab_check: XSD directory not found: {xsd_dir} (set ELM_CV_DIR or --xsd-dir)")
        return 2
    if not vocab_dir.is_dir():
        print(f"vocab_check: vocab directory not found: {vocab_dir}")
        return 2

    problems: list[str] = []
    summary: list[str] = []
    codes_by_file: dict[str, set[str]] = {}

    for fname, (xsd_name, extra, parent_col) in VOCABS.items():
        path = vocab_dir / fname
        if not path.is_file():
            problems.append(f"{fname}: missing")
            continue
        codes_by_file[fname], line = check_vocab(path, xsd_dir / xsd_name, extra, parent_col, problems)
        summary.append(line)

    # NIS mapping files: no URIs, but keys must be unique and targets must exist.
    nuts_codes = codes_by_file.get("nuts-be.csv", set())
    for fname, key, target in (
        ("nis-arrondissements.csv", "nis_prefix", "nuts3"),
        ("nis-german-speaking-municipalities.csv", "nis", None),
    ):
        path = vocab_dir / fname
        if not path.is_file():
            problems.append(f"{fname}: missing")
            continue
        _cols, rows = read_csv(path)
        check_unique(fname, rows, key, problems)
        for i, row in enumerate(rows, start=2):
            if target and (row.get(target) or "").strip() not in nuts_codes:
                problems.append(f"{fname}:{i}: {target} {row.get(target)!r} not a code in nuts-be.csv")
        summary.append(f"  {fname:<40} {len(rows):>4} rows, unique {key}")

    print(f"vocab_check: {vocab_dir} against {xsd_dir}")
    print("\n".join(summary))
    if problems:
        print(f"FAILED: {len(problems)} problem(s)")
        for p in problems:
            print("  - " + p)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
