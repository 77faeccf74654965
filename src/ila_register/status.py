"""Service status (/health) and the documentation of problem types (/problems/{slug})."""

from __future__ import annotations

from typing import Any, Literal

import msgspec
from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from ila_register.db.engine import Database, condition_detail
from ila_register.elm.services import ElmService
from ila_register.kernel.exceptions import NotFound, ServiceUnavailable
from ila_register.platform.deps import provide
from ila_register.platform.http import optional_principal_of
from ila_register.platform.openapi import ANY, problems
from ila_register.platform.problems import PROBLEM_TYPES
from ila_register.platform.workers import Loops
from ila_register.search.deps import SEARCH_INDEX
from ila_register.search.interface import SearchIndex
from ila_register.search.reconcile import Reconciliation
from ila_register.search.sync import SearchSync

# What /health looks at: the database, the search index and its sync, the ELM publisher, the loops.
DEPENDENCIES = {
    "db": provide(Database),
    "index": provide(SEARCH_INDEX),
    "sync": provide(SearchSync),
    "elm": provide(ElmService),
    "loops": provide(Loops),
}


class Component(msgspec.Struct, kw_only=True, omit_defaults=True):
    status: Literal["ok", "degraded", "unavailable"]
    backlog: int | None = None
    # Details, shown to administrators only: they name internals (errors, paths, engines).
    detail: str | None = None
    backend: str | None = None
    documents: int | None = None
    reconciliation: Reconciliation | None = None

    def public(self) -> Component:
        return Component(status=self.status, backlog=self.backlog)


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
    dependencies = DEPENDENCIES

    @get("/health", sync_to_thread=True)
    def health(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Database],
        index: NamedDependency[SearchIndex],
        sync: NamedDependency[SearchSync],
        elm: NamedDependency[ElmService],
        loops: NamedDependency[Loops],
    ) -> Response[Health]:
        """State of the database, the search index and the ELM publication; 503 when the database is unreachable.

        `status` is `ok`, `degraded` (the service answers, but something needs attention: the
        search engine is down or cannot write, the database is read-only or full) or
        `unavailable`. `search.backlog` counts accepted changes not yet in the index (it grows
        while the index cannot be written and drains when it can); `publication.backlog` those
        not yet in the ELM dataset and change feed. With an administrator's bearer token the
        answer also carries the details: errors, the search backend and its document count, and
        the latest index reconciliation.
        """
        principal = optional_principal_of(request)
        database = self._database(db)
        backlog = published = None
        if database.status != "unavailable":
            backlog = sync.backlog()
            published = elm.publisher.backlog()
        search = self._search(index, sync, loops, backlog)
        overall: Literal["ok", "degraded", "unavailable"] = "ok"
        if database.status == "unavailable":
            overall = "unavailable"
        elif database.status != "ok" or search.status != "ok":
            overall = "degraded"
        publication = Component(status="ok" if database.status != "unavailable" else "unavailable", backlog=published)
        health = Health(status=overall, database=database, search=search, publication=publication)
        if principal is None or principal.role != "admin":
            health = Health(
                status=overall, database=database.public(), search=search.public(), publication=publication.public()
            )
        return Response(
            health, status_code=503 if overall == "unavailable" else 200, headers={"Cache-Control": "no-store"}
        )

    @staticmethod
    def _database(db: Database) -> Component:
        try:
            db.ping()
            condition = db.write_condition()
        except ServiceUnavailable as error:
            return Component(status="unavailable", detail=error.detail)
        if condition is not None:
            return Component(status="degraded", detail=condition_detail(condition))
        return Component(status="ok")

    @staticmethod
    def _search(index: SearchIndex, sync: SearchSync, loops: Loops, backlog: int | None) -> Component:
        name = index.name
        try:
            reconciliation = sync.last_reconciliation() if backlog is not None else None
        except ServiceUnavailable:
            reconciliation = None
        try:
            index.ping()
            documents = index.count()
        except ServiceUnavailable as error:
            return Component(
                status="degraded", backend=name, detail=error.detail, backlog=backlog, reconciliation=reconciliation
            )
        worker = loops.get("search")
        failure = sync.last_error or (worker.last_error if worker is not None else None)
        return Component(
            status="degraded" if failure else "ok",
            backend=name,
            documents=documents,
            detail=failure,
            backlog=backlog,
            reconciliation=reconciliation,
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
