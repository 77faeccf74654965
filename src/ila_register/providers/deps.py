"""What the providers' handlers use, provided from the services the app was assembled with."""

from __future__ import annotations

from ila_register.platform.auth import TokenService
from ila_register.platform.deps import BASE_URI, provide
from ila_register.platform.workers import ChangeSignal
from ila_register.providers.services import ProviderService

DEPENDENCIES = {
    "providers": provide(ProviderService),
    "tokens": provide(TokenService),
    "changes": provide(ChangeSignal),
    "base_uri": BASE_URI,
}
