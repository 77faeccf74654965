"""Build vocab/official-labels.csv: the official label of every official concept the vocabularies use.

The register writes an official concept (an EU or Europass IRI) into its ELM exactly as the
Commission labels it, never with its own wording. The labels come from the `source` of each list
in vocab/lists.toml (the official code lists, ../shared/elm/xsd/cv/*.xsd). They are English,
except NUTS: its official names are in the national languages, so a region's name is tagged with
the language of its region (nuts-be.csv: flanders nl, wallonia fr, the German-speaking Community
de), and a bilingual name ("Région de Bruxelles-Capitale/Brussels Hoofdstedelijk Gewest") is two
labels, French then Dutch, split at the "/". One row per (uri, language).
A test rebuilds this file in memory and compares, so it cannot drift from the official lists.

    python scripts/build_official_labels.py
"""

from __future__ import annotations

import csv
import io
import tomllib
from pathlib import Path

from lxml import etree  # type: ignore[import-untyped,unused-ignore]

REPO = Path(__file__).resolve().parents[1]
VOCAB = REPO / "vocab"
SHARED = REPO.parent  # `source = "shared/elm/…"` is relative to the folder holding the repository
_XS = "{http://www.w3.org/2001/XMLSchema}"


def official_labels(xsd: Path) -> dict[str, str]:
    """Every enumerated IRI of an official code list with its (English) documentation label."""
    labels: dict[str, str] = {}
    for enumeration in etree.parse(str(xsd)).iter(f"{_XS}enumeration"):
        text = " ".join("".join(enumeration.itertext()).split())
        labels[enumeration.get("value")] = text
    return labels


_NUTS_LANGUAGE = {"flanders": "nl", "wallonia": "fr"}


def _tagged(list_name: str, row: dict[str, str], label: str) -> list[tuple[str, str]]:
    """The official label with the language it is in (see the module's docstring)."""
    if not label:
        return []
    if list_name != "nuts-be":
        return [("en", label)]
    if row.get("community") == "de":
        return [("de", label)]
    if row.get("region") in _NUTS_LANGUAGE:
        return [(_NUTS_LANGUAGE[row["region"]], label)]
    french, dutch = (" ".join(part.split()) for part in label.split("/", 1))
    return [("fr", french), ("nl", dutch)]


def build(vocab: Path = VOCAB, shared: Path = SHARED) -> str:
    """The CSV text: uri,label_en for every URI a vocabulary list uses, in the lists' order."""
    manifest = tomllib.loads((vocab / "lists.toml").read_text(encoding="utf-8"))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["uri", "language", "label", "list"])
    written: set[str] = set()
    for name, entry in manifest.items():
        source = entry.get("source", "")
        if not source.startswith("shared/"):
            continue
        labels = official_labels(shared / source)
        with (vocab / entry["file"]).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                uri = (row.get("uri") or "").strip()
                if not uri or uri in written:
                    continue
                if uri not in labels:
                    raise SystemExit(f"{entry['file']}: {uri} is not in {source}")
                written.add(uri)
                for language, label in _tagged(name, row, labels[uri]):
                    writer.writerow([uri, language, label, name])
    return out.getvalue()


if __name__ == "__main__":
    (VOCAB / "official-labels.csv").write_text(build(), encoding="utf-8")
    print(f"wrote {VOCAB / 'official-labels.csv'}")
