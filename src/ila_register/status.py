"""Service status (/health) and the documentation of problem types (/problems/{slug})."""

from __future__ import annotations

from typing import Literal

import msgspec
from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from ila_register.lib.exceptions import NotFound, ServiceUnavailable
from ila_register.lib.openapi import ANY, problems
from ila_register.lib.problems import PROBLEM_TYPES
from ila_register.runtime import Runtime


class Component(msgspec.Struct, kw_only=True, omit_defaults=True):
    status: Literal["ok", "degraded", "unavailable"]
    detail: str | None = None
    backend: str | None = None
    documents: int | None = None
    backlog: int | None = None


class Health(msgspec.Struct, kw_only=True):
    status: Literal["ok", "degraded", "unavailable"]
    database: Component
    search: Component
    publication: Component  # the ELM dataset and change feed


class ProblemTypeDoc(msgspec.Struct, kw_only=True):
    type: str
    status: int
    title: str
    description: str


class StatusController(Controller):
    tags = ["Service"]

    @get("/health", sync_to_thread=True)
    def health(self, runtime: NamedDependency[Runtime]) -> Response[Health]:
        """State of the database and the search index; 503 when the database is unreachable.

        `search.backlog` counts accepted changes not yet in the index (it grows while the search
        engine is down and drains when it is back); `publication.backlog` those not yet in the ELM
        dataset and change feed.
        """
        try:
            runtime.db.ping()
            database = Component(status="ok")
        except ServiceUnavailable as error:
            database = Component(status="unavailable", detail=error.detail)
        backlog = published = None
        if database.status == "ok":
            backlog = runtime.sync.backlog()
            published = runtime.elm.publisher.backlog()
        try:
            runtime.index.ping()
            search = Component(
                status="ok", backend=runtime.index.name, documents=runtime.index.count(), backlog=backlog
            )
        except ServiceUnavailable as error:
            search = Component(status="degraded", backend=runtime.index.name, detail=error.detail, backlog=backlog)
        worker = runtime.loops.get("search")
        if search.status == "ok" and worker is not None and worker.last_error:
            search = Component(status="degraded", backend=runtime.index.name, detail=worker.last_error, backlog=backlog)
        overall: Literal["ok", "degraded", "unavailable"] = "ok"
        if database.status != "ok":
            overall = "unavailable"
        elif search.status != "ok":
            overall = "degraded"
        return Response(
            Health(
                status=overall,
                database=database,
                search=search,
                publication=Component(status="ok" if database.status == "ok" else "unavailable", backlog=published),
            ),
            status_code=503 if overall == "unavailable" else 200,
            headers={"Cache-Control": "no-store"},
        )

    @get("/problems/{slug:str}", responses=problems(*ANY, 404))
    async def problem_type(self, slug: FromPath[str]) -> ProblemTypeDoc:
        """What a problem `type` URI in an error answer means."""
        problem = PROBLEM_TYPES.get(slug)
        if problem is None:
            raise NotFound(f"No problem type {slug!r}.")
        return ProblemTypeDoc(
            type=problem.uri, status=problem.status, title=problem.title, description=problem.description
        )
