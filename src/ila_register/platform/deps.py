"""Litestar dependencies shared by every controller."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.datastructures import State
from litestar.di import Provide

from ila_register.platform.http import principal_of
from ila_register.runtime import Runtime


def provide_runtime(state: State) -> Runtime:
    runtime: Runtime = state.runtime
    return runtime


def provide_principal(request: Request[Any, Any, Any]) -> Any:
    return principal_of(request)


DEPENDENCIES = {
    "runtime": Provide(provide_runtime, sync_to_thread=False),
    "principal": Provide(provide_principal, sync_to_thread=True),
}
