"""What the imports' handlers use, provided from the services the app was assembled with."""

from __future__ import annotations

from litestar.datastructures import State
from litestar.di import Provide

from ila_register.imports.services import ImportService
from ila_register.platform.deps import provide
from ila_register.platform.registry import registry_of
from ila_register.platform.workers import ChangeSignal
from ila_register.settings import ImportSettings, Settings


def provide_import_settings(state: State) -> ImportSettings:
    return registry_of(state).get(Settings).imports


DEPENDENCIES = {
    "imports": provide(ImportService),
    "import_settings": Provide(provide_import_settings, sync_to_thread=False),
    "changes": provide(ChangeSignal),
}
