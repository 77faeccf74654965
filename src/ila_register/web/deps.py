"""What the pages' handlers use, provided from the services the app was assembled with."""

from __future__ import annotations

from litestar.datastructures import State
from litestar.di import Provide

from ila_register.eligibility.cost import Pricing
from ila_register.eligibility.deps import SCHEMES
from ila_register.eligibility.services import EligibilityService
from ila_register.eligibility.stats import StatsService
from ila_register.elm.services import ElmService
from ila_register.offers.scheme_costs import SchemeCostService
from ila_register.offers.services import OfferService
from ila_register.platform.deps import BASE_URI, provide
from ila_register.platform.ratelimit import FailedAuthLimiter
from ila_register.platform.registry import registry_of
from ila_register.platform.sessions import SessionService
from ila_register.providers.services import ProviderService
from ila_register.search.gate import SearchGate
from ila_register.search.services import SearchService
from ila_register.settings import Settings
from ila_register.vocab.places import BelgianPlaces
from ila_register.vocab.registry import Vocabulary
from ila_register.web.rendering import Web


def provide_cookie_secure(state: State) -> bool:
    """Whether the pages' cookies are sent over https only (``ILA_COOKIE_SECURE``)."""
    return registry_of(state).get(Settings).http.cookie_secure


# The citizen catalogue.
CATALOGUE = {
    "web": provide(Web),
    "search": provide(SearchService),
    "search_gate": provide(SearchGate),
    "places": provide(BelgianPlaces),
    "schemes": provide(SCHEMES),
    "vocabulary": provide(Vocabulary),
    "elm": provide(ElmService),
    "offers": provide(OfferService),
    "providers": provide(ProviderService),
    "base_uri": BASE_URI,
    "pricing": provide(Pricing),
}

# The monitoring dashboard and its sign-in.
DASHBOARD = {
    "web": provide(Web),
    "sessions": provide(SessionService),
    "stats": provide(StatsService),
    "eligibility": provide(EligibilityService),
    "scheme_costs": provide(SchemeCostService),
    "pricing": provide(Pricing),
    "schemes": provide(SCHEMES),
    "vocabulary": provide(Vocabulary),
    "auth_limiter": provide(FailedAuthLimiter),
    "cookie_secure": Provide(provide_cookie_secure, sync_to_thread=False),
}

# The provider's pages and their sign-in.
PROVIDER = {
    "web": provide(Web),
    "sessions": provide(SessionService),
    "offers": provide(OfferService),
    "schemes": provide(SCHEMES),
    "auth_limiter": provide(FailedAuthLimiter),
    "cookie_secure": Provide(provide_cookie_secure, sync_to_thread=False),
}
