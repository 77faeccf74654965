"""Both search backends take their filterable, facetable and sortable attributes from one list.

``search.interface.ATTRIBUTES`` is that list; a backend that kept its own copy would drift from it
and silently stop filtering or counting an attribute. Meilisearch is pinned by what the adapter
sends; the embedded index by its fast fields and by answering a filter on every attribute.
"""

from __future__ import annotations

from pathlib import Path
from typing import get_origin

import msgspec

from ila_register.search import embedded
from ila_register.search.documents import SearchDocument
from ila_register.search.embedded import EmbeddedSearch
from ila_register.search.interface import (
    ATTRIBUTES,
    FACETABLE,
    FILTERABLE,
    PER_SITUATION,
    SORTABLE,
    AnyOf,
    Range,
    SearchQuery,
)
from ila_register.search.lexicon import Lexicon
from ila_register.search.meili import index_settings, search_parameters
from support import ROOT

# A situation class (``Pricing.classes``): attributes per situation hold a value for each.
CLASS = "k0123456789ab"


def _document() -> SearchDocument:
    """A search document with a value for every attribute, made from the attributes' types."""
    sample: dict[type, object] = {str: "x", int: 20270101, float: 1.0, bool: True}
    types = {f.encode_name: f.type for f in msgspec.structs.fields(SearchDocument)}
    values = {
        name: {CLASS: sample[a.type]}
        if a.per_situation
        else [sample[a.type]]
        if get_origin(types[name]) is list
        else sample[a.type]
        for name, a in ATTRIBUTES.items()
    }
    base = {"id": "1", "provider_name": "P", "reference": "R", "default_language": "nl", "currency": "EUR"}
    return msgspec.convert(base | values | {"updated_at": "2026-01-01T00:00:00+00:00"}, SearchDocument)


DOCUMENT = _document()


def test_every_attribute_is_a_field_of_the_search_documents() -> None:
    fields = {f.encode_name for f in msgspec.structs.fields(SearchDocument)}
    assert set(ATTRIBUTES) <= fields
    assert set(FILTERABLE) == set(ATTRIBUTES)
    assert set(ATTRIBUTES) >= FACETABLE
    assert set(SORTABLE) <= set(ATTRIBUTES)


def test_meilisearch_settings_derive_from_the_one_list() -> None:
    settings = index_settings(Lexicon.load(ROOT / "vocab"))
    # and the two fields of one document per place (meili.to_meili)
    assert settings["filterableAttributes"] == sorted([*ATTRIBUTES, "_geo", "offer", "place"])
    assert settings["sortableAttributes"] == sorted([*SORTABLE, "_geo"])
    facets = tuple(sorted(FACETABLE))
    assert search_parameters(SearchQuery(facets=facets))["facets"] == list(facets)


def test_embedded_fast_fields_derive_from_the_one_list() -> None:
    by_type = {
        name: kind
        for fields, kind in ((embedded.KEYWORD_FIELDS, "keyword"), (embedded.INTEGER_FIELDS, "int"))
        for name in fields
    } | {name: "float" for name in embedded.FLOAT_FIELDS if name not in ("lat", "lon")}
    expected = {str: "keyword", bool: "keyword", int: "int", float: "float"}
    assert by_type == {name: expected[a.type] for name, a in ATTRIBUTES.items() if not a.per_situation}
    # an attribute per situation is one field per situation class (filtered on below)
    assert {"you_pay"} == PER_SITUATION


def test_the_embedded_index_filters_on_every_attribute_and_counts_every_facet(tmp_path: Path) -> None:
    index = EmbeddedSearch(tmp_path / "index", cost_classes=[CLASS])
    try:
        index.prepare()
        index.upsert([DOCUMENT])
        for name, attribute in ATTRIBUTES.items():
            value = msgspec.to_builtins(DOCUMENT)[name]
            value = value[0] if isinstance(value, list) else value[CLASS] if isinstance(value, dict) else value
            condition = (
                Range(name, low=value, high=value)
                if attribute.type is float or attribute.per_situation
                else AnyOf(name, (value,))
            )
            result = index.search(SearchQuery(conditions=(condition,), situation_class=CLASS))
            assert [h.document.id for h in result.hits] == ["1"], name
        counted = index.search(SearchQuery(facets=tuple(sorted(FACETABLE)))).facets
        assert set(counted) == FACETABLE
    finally:
        index.close()
