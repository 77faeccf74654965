"""What the offers' handlers use, provided from the services the app was assembled with."""

from __future__ import annotations

from ila_register.eligibility.cost import Pricing
from ila_register.eligibility.deps import SCHEMES
from ila_register.offers.services import OfferService
from ila_register.platform.deps import BASE_URI, provide
from ila_register.platform.idempotency import IdempotencyService
from ila_register.platform.workers import ChangeSignal

DEPENDENCIES = {
    "offers": provide(OfferService),
    "idempotency": provide(IdempotencyService),
    "changes": provide(ChangeSignal),
    "base_uri": BASE_URI,
    "pricing": provide(Pricing),
    "schemes": provide(SCHEMES),
}
