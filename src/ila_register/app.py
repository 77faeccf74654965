"""``create_app(settings)``: the one place where the HTTP application is assembled."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar
from litestar.config.cors import CORSConfig
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme

from ila_register import __version__
from ila_register.eligibility.controllers import (
    DecisionController,
    EntitlementController,
    ReviewController,
    SchemeController,
    StatsController,
)
from ila_register.elm.controllers import ElmController, PersistentUriController, StreamController
from ila_register.imports.controllers import ImportController
from ila_register.kernel.clock import Clock, system_clock
from ila_register.offers.controllers import CostController, OfferController
from ila_register.platform.deps import DEPENDENCIES
from ila_register.platform.head import serve_head_as_get
from ila_register.platform.problems import problem_details_plugin
from ila_register.platform.security import add_security_headers, refuse_control_characters
from ila_register.platform.timeouts import time_out_request_bodies
from ila_register.platform.workers import ChangeSignal, Loops
from ila_register.providers.controllers import ProviderController
from ila_register.runtime import Runtime
from ila_register.search.controllers import SearchController
from ila_register.settings import Settings, get_settings
from ila_register.status import StatusController
from ila_register.vocab.controllers import VocabularyController
from ila_register.web.apidocs import ApiDocsPage
from ila_register.web.controllers import STATIC_FILES, CatalogueController, DashboardController, ProviderPagesController
from ila_register.web.rendering import Web
from ila_register.wiring import Services


def create_app(
    settings: Settings | None = None, *, clock: Clock = system_clock, services: Services | None = None
) -> Litestar:
    """Build the application; vocabularies, schemes and mappings are checked before it starts.

    The services are built from ``settings`` unless given (tests pass their own); the handlers
    receive them by type from the app's registry, the background workers run in ``Runtime``."""
    settings = settings or get_settings()
    services = services or Services.build(settings, clock=clock)
    runtime = Runtime(services)
    web = Web.load()
    registry = services.registry().add(Web, web).add(ChangeSignal, runtime.changes).add(Loops, runtime.loops)

    @asynccontextmanager
    async def lifespan(_app: Litestar) -> AsyncIterator[None]:
        services.prepare_search()
        if settings.run_workers:
            runtime.start()
        try:
            yield
        finally:
            runtime.stop()
            services.close()

    app = Litestar(
        route_handlers=[
            StatusController,
            ProviderController,
            OfferController,
            CostController,
            DecisionController,
            SchemeController,
            EntitlementController,
            ReviewController,
            StatsController,
            SearchController,
            ElmController,
            StreamController,
            PersistentUriController,
            VocabularyController,
            ImportController,
            CatalogueController,
            DashboardController,
            ProviderPagesController,
            STATIC_FILES,
        ],
        dependencies=DEPENDENCIES,
        before_send=[add_security_headers],
        before_request=refuse_control_characters,
        cors_config=_cors(settings),
        plugins=[problem_details_plugin()],
        lifespan=[lifespan],
        request_max_body_size=settings.http.max_body_bytes,
        openapi_config=OpenAPIConfig(
            title="ila-register",
            version=__version__,
            description="National register of training, career-guidance and validation offers payable with an "
            "Individual Learning Account. Errors are RFC 9457 problem details.",
            path="/schema",
            render_plugins=[ApiDocsPage()],  # the register's own page: no script, nothing from a CDN
            use_handler_docstrings=True,
            components=Components(
                security_schemes={
                    "bearer": SecurityScheme(type="http", scheme="bearer", description="An API token"),
                }
            ),
        ),
        debug=False,
    )
    _document_security(app)
    serve_head_as_get(app)
    time_out_request_bodies(app, settings.http.read_timeout_seconds)
    app.state.registry = registry
    return app


def _document_security(app: Litestar) -> None:
    """Operations that answer 401 need a bearer token; the others (search, ELM, vocabularies,
    health, problem types) are public, and the OpenAPI says so operation by operation."""
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            if 401 in (handler.responses or {}):
                handler.security = [{"bearer": []}]


def _cors(settings: Settings) -> CORSConfig | None:
    """Off unless ILA_CORS_ORIGINS names origins (the national portal embedding search): reads only."""
    if not settings.http.cors_origins:
        return None
    return CORSConfig(
        allow_origins=list(settings.http.cors_origins),
        allow_methods=["GET", "HEAD", "OPTIONS"],
        allow_headers=["Accept", "Accept-Language", "If-None-Match", "If-Modified-Since"],
        expose_headers=["ETag", "Last-Modified", "Link", "Retry-After"],
        allow_credentials=False,
        max_age=600,
    )
