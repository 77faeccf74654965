"""HTTP endpoints for ELM publication (harvested by Europass)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Stream

from ila_register.elm.services import FORMATS
from ila_register.lib.exceptions import InvalidParameters
from ila_register.lib.openapi import ANY, problems
from ila_register.runtime import Runtime

_BY_MEDIA_TYPE = {media_type: name for name, media_type in FORMATS.items()}


def negotiate(accept: str | None, requested: str | None) -> str:
    """The format asked for by ``?format=`` or else by ``Accept`` (Turtle by default)."""
    if requested is not None:
        if requested not in FORMATS:
            raise InvalidParameters([("format", f"use one of {', '.join(FORMATS)}")])
        return requested
    for part in (accept or "").split(","):
        media_type = part.split(";", 1)[0].strip().lower()
        if media_type in _BY_MEDIA_TYPE:
            return _BY_MEDIA_TYPE[media_type]
    return "ttl"


class ElmController(Controller):
    path = "/elm"
    tags = ["ELM publication"]

    @get("/learning-opportunities", sync_to_thread=True, responses=problems(*ANY, 422))
    def dataset(
        self,
        request: Request[Any, Any, Any],
        runtime: NamedDependency[Runtime],
        format: Annotated[
            Literal["ttl", "nt"] | None, QueryParameter(description="Overrides the Accept header")
        ] = None,
    ) -> Stream:
        """The published dataset: every eligible offer as ELM (LOQ profile), streamed."""
        published = runtime.elm.dataset(negotiate(request.headers.get("accept"), format))
        return Stream(published.chunks, media_type=published.media_type, headers={"Vary": "Accept"})


class PersistentUriController(Controller):
    """Persistent URIs of published resources, dereferenced with content negotiation."""

    path = "/id"
    tags = ["ELM publication"]

    @get("/learning-opportunity/{offer_id:uuid}", sync_to_thread=True, responses=problems(*ANY, 404, 410, 422))
    def learning_opportunity(
        self,
        request: Request[Any, Any, Any],
        offer_id: FromPath[uuid.UUID],
        runtime: NamedDependency[Runtime],
        format: Annotated[
            Literal["ttl", "nt"] | None,
            QueryParameter(description="Overrides the Accept header"),
        ] = None,
    ) -> Stream:
        """One learning opportunity as ELM; 410 Gone once its provider withdrew it (the URI is never reused)."""
        published = runtime.elm.learning_opportunity(offer_id, negotiate(request.headers.get("accept"), format))
        return Stream(published.chunks, media_type=published.media_type, headers={"Vary": "Accept"})
