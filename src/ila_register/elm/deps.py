"""What the ELM publication handlers use, provided from the services the app was assembled with."""

from __future__ import annotations

from ila_register.elm.services import ElmService
from ila_register.offers.services import OfferService
from ila_register.platform.deps import BASE_URI, provide
from ila_register.platform.limits import Limits

DEPENDENCIES = {
    "elm": provide(ElmService),
    "offers": provide(OfferService),
    "limits": provide(Limits),
    "base_uri": BASE_URI,
}
