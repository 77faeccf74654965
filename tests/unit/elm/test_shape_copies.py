"""The register checks offers against exact copies of the Commission's shapes."""

from __future__ import annotations

from ila_register.elm.conformance import SHAPE_FILES, SHAPES_DIR
from support import ELM


def test_packaged_shapes_are_the_official_ones() -> None:
    for name in SHAPE_FILES:
        assert (SHAPES_DIR / name).read_bytes() == (ELM / "shacl" / name).read_bytes(), name
