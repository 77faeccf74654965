"""The services an application was assembled with, found by their type.

The composition root (``ila_register.wiring``) registers each service once; the concepts' ``deps.py``
hand them to handlers by type (``provide(OfferService)``), so no handler reaches for a bag of
everything. A service whose type is not a class of its own (the schemes, a ``dict``; the clock, a
function; the search index, a protocol) is registered under a typed ``Key``.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar, cast

T = TypeVar("T")


class Key(Generic[T]):
    """Names a service whose type cannot name it (``Key[dict[str, Scheme]]("schemes")``)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"Key({self.name!r})"


class Registry:
    def __init__(self) -> None:
        self._services: dict[object, object] = {}

    def add(self, key: type[T] | Key[T], service: T) -> Registry:
        self._services[key] = service
        return self

    def get(self, key: type[T] | Key[T]) -> T:
        try:
            return cast(T, self._services[key])
        except KeyError:
            raise LookupError(f"no service was registered for {key!r}") from None

    def find(self, key: type[T] | Key[T]) -> T | None:
        """The service, or ``None`` when the application was assembled without it."""
        return cast(T | None, self._services.get(key))


def registry_of(state: Any) -> Registry:
    """The registry of a Litestar application (``app.state``)."""
    registry: Registry = state.registry
    return registry
