"""What the search handlers use, provided from the services the app was assembled with."""

from __future__ import annotations

from ila_register.platform.deps import BASE_URI, provide
from ila_register.platform.registry import Key
from ila_register.search.gate import SearchGate
from ila_register.search.interface import SearchIndex
from ila_register.search.services import SearchService
from ila_register.search.sync import SearchSync
from ila_register.vocab.places import BelgianPlaces

# The search engine in use (embedded or Meilisearch): a protocol, so named by a key.
SEARCH_INDEX: Key[SearchIndex] = Key("search index")

DEPENDENCIES = {
    "search": provide(SearchService),
    "search_gate": provide(SearchGate),
    "places": provide(BelgianPlaces),
    "sync": provide(SearchSync),
    "base_uri": BASE_URI,
}
