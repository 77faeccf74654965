"""The search index every contract test runs on: the embedded engine always, Meilisearch when ILA_MEILI_URL is set."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from ila_register.eligibility.cost import Pricing
from ila_register.search.embedded import EmbeddedSearch
from ila_register.search.interface import SearchIndex
from ila_register.search.lexicon import Lexicon
from ila_register.search.meili import MeiliSearch
from support import ROOT


@pytest.fixture(params=["embedded", "meilisearch"])
def search_index(request: pytest.FixtureRequest, tmp_path: Path, pricing: Pricing) -> Iterator[SearchIndex]:
    """The index of the register's situation classes (what a citizen pays, ``Pricing.classes``)."""
    lexicon = Lexicon.load(ROOT / "vocab")
    classes = tuple(pricing.classes)
    if request.param == "embedded":
        index: SearchIndex = EmbeddedSearch(tmp_path / "search-index", lexicon, classes)
    else:
        url = os.environ.get("ILA_MEILI_URL")
        if not url:
            pytest.skip(
                "ILA_MEILI_URL is not set: Meilisearch half of the contract suite skipped "
                "(see README 'Search backends' to run it with docker compose)"
            )
        index = MeiliSearch(url, os.environ.get("ILA_MEILI_KEY"), f"contract_{uuid.uuid4().hex[:8]}", lexicon, classes)
    index.prepare()
    yield index
    index.close()
