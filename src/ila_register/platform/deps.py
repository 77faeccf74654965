"""Litestar dependencies: the typed provider every concept's ``deps.py`` uses, and those shared by all.

``provide(OfferService)`` hands a handler the service the application was assembled with
(``platform.registry``); a handler's signature then names exactly what it uses.
"""

from __future__ import annotations

from typing import Any, TypeVar

from litestar import Request
from litestar.datastructures import State
from litestar.di import Provide

from ila_register.kernel.clock import Clock
from ila_register.platform.http import principal_of
from ila_register.platform.registry import Key, registry_of
from ila_register.settings import Settings

T = TypeVar("T")

CLOCK: Key[Clock] = Key("clock")


def provide(key: type[T] | Key[T]) -> Provide:
    """A provider of the service registered under ``key`` (its type, or a ``Key``)."""

    def provider(state: State) -> T:
        return registry_of(state).get(key)

    return Provide(provider, sync_to_thread=False)


def provide_base_uri(state: State) -> str:
    """Where the register's persistent URIs start (``ILA_BASE_URI``)."""
    return registry_of(state).get(Settings).http.base_uri


def provide_principal(request: Request[Any, Any, Any]) -> Any:
    return principal_of(request)


BASE_URI = Provide(provide_base_uri, sync_to_thread=False)

DEPENDENCIES = {
    "principal": Provide(provide_principal, sync_to_thread=True),
}
