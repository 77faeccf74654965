"""What the eligibility handlers use, provided from the services the app was assembled with."""

from __future__ import annotations

from datetime import date

from litestar.datastructures import State
from litestar.di import Provide

from ila_register.eligibility.cost import Pricing
from ila_register.eligibility.schemes import Scheme
from ila_register.eligibility.services import EligibilityService
from ila_register.eligibility.stats import StatsService
from ila_register.platform.deps import CLOCK, provide
from ila_register.platform.registry import Key, registry_of
from ila_register.platform.workers import ChangeSignal
from ila_register.vocab.registry import Vocabulary

# The funding schemes loaded at start-up, by id.
SCHEMES: Key[dict[str, Scheme]] = Key("schemes")


def provide_today(state: State) -> date:
    """The register's day (its clock's), for the rules in force."""
    return registry_of(state).get(CLOCK)().date()


DEPENDENCIES = {
    "eligibility": provide(EligibilityService),
    "stats": provide(StatsService),
    "schemes": provide(SCHEMES),
    "pricing": provide(Pricing),
    "vocabulary": provide(Vocabulary),
    "today": Provide(provide_today, sync_to_thread=False),
    "changes": provide(ChangeSignal),
}
