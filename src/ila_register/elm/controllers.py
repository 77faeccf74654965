"""HTTP endpoints for ELM publication: the harvestable dataset, the change feed, persistent URIs."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Annotated, Any, Literal

import anyio
import anyio.to_thread
import msgspec
from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, PathParameter, QueryParameter
from litestar.response import Redirect, Stream

from ila_register.elm.cache import read_blocks
from ila_register.elm.deps import DEPENDENCIES
from ila_register.elm.feed_pages import FeedPageKey
from ila_register.elm.jsonld import OFFICIAL_CONTEXT_IRI
from ila_register.elm.ldes import MEDIA_TYPES as STREAM_MEDIA_TYPES
from ila_register.elm.resources import Description
from ila_register.elm.schemas import Exclusion, Feed, FeedEntry, PublicOffer
from ila_register.elm.services import FORMATS, RDF_FORMATS, DatasetVersion, ElmService, Published, gzip_stream
from ila_register.kernel.etags import content_etag, if_none_match_holds
from ila_register.kernel.exceptions import InvalidParameters, NotFound
from ila_register.offers import schemas
from ila_register.offers.services import OfferService
from ila_register.platform.auth import Principal
from ila_register.platform.clients import client_address
from ila_register.platform.head import is_head
from ila_register.platform.limits import Limits
from ila_register.platform.openapi import (
    ANY,
    AUTHENTICATED,
    MAX_POSITION,
    RDF_MEDIA_TYPES,
    SEE_OTHER_OR_NOT_MODIFIED,
    media_types,
    problems,
)

Format = Literal["ttl", "nt", "jsonld", "rdfxml", "xml"]
IdFormat = Literal["ttl", "nt", "jsonld", "rdfxml", "xml", "json", "html"]
_BY_MEDIA_TYPE = {media_type: name for name, media_type in FORMATS.items()} | {
    "application/x-turtle": "ttl",
    "text/xml": "xml",
    "application/json": "json",
    "application/n-quads": "nq",
    "application/trig": "trig",
    "text/html": "html",  # people: the persistent URIs send them to a page (303)
    "application/xhtml+xml": "html",
}


def negotiate(accept: str | None, requested: str | None, allowed: tuple[str, ...]) -> str:
    """The format asked for by ``?format=`` or else the best match of ``Accept`` (Turtle by default)."""
    if requested is not None:
        if requested not in allowed:
            raise InvalidParameters([("format", f"use one of {', '.join(allowed)}")])
        return requested
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept or "").split(",")):
        media_type, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        name = _BY_MEDIA_TYPE.get(media_type.lower())
        if name in allowed and quality > 0:
            ranked.append((-quality, position, name))
    return min(ranked)[2] if ranked else allowed[0]


def _etag(version: DatasetVersion, fmt: str, gzipped: bool) -> str:
    return f'"ds-{version.seq}-{fmt}{"-gz" if gzipped else ""}"'


def _not_modified(request: Request[Any, Any, Any], etag: str, modified: datetime | None) -> bool:
    if (tags := request.headers.get("if-none-match")) is not None:
        return not if_none_match_holds(tags, etag)
    since = request.headers.get("if-modified-since")
    if since and modified is not None:
        try:
            return modified.replace(microsecond=0) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


def _stream(published: Published, request: Request[Any, Any, Any], headers: dict[str, str]) -> Stream:
    gzipped = "gzip" in (request.headers.get("accept-encoding") or "")
    chunks = gzip_stream(published.chunks) if gzipped else published.chunks
    if gzipped:
        headers["Content-Encoding"] = "gzip"
    return Stream(chunks, media_type=published.media_type, headers=headers | {"Vary": "Accept, Accept-Encoding"})


def _render_feed_page(elm: ElmService, base_uri: str, key: FeedPageKey) -> bytes:
    """A feed page as JSON, rendered and stored (unless another request stored it while this one waited)."""
    if (body := elm.feed_pages.get(key)) is not None:
        return body
    items, more = elm.changes(key.after, key.limit)
    entries = [
        FeedEntry(
            seq=i.seq,
            change=i.change,
            offer=f"{base_uri}/id/learning-opportunity/{i.offer_id}",
            at=i.at,
            reason=i.reason,
            elm=i.nodes,
        )
        for i in items
    ]
    last = items[-1].seq if items else key.after
    feed = Feed(items=entries, next=str(last) if more else None, context=elm.jsonld.urls)
    body = msgspec.json.encode(feed)
    elm.feed_pages.put(key, body)
    return body


class ElmController(Controller):
    """The ELM publication Europass harvests (dataset, change feed, catalogue) and the offers it leaves out."""

    path = "/elm"
    tags = ["ELM publication"]
    dependencies = DEPENDENCIES

    @get(
        "/learning-opportunities",
        sync_to_thread=True,
        responses=problems(*ANY, 422, 429),
        operation_class=media_types(*RDF_MEDIA_TYPES, "application/xml"),
    )
    def dataset(
        self,
        request: Request[Any, Any, Any],
        elm: NamedDependency[ElmService],
        limits: NamedDependency[Limits],
        format: Annotated[Format | None, QueryParameter(description="Overrides the Accept header")] = None,
    ) -> Response[Any]:
        """The published dataset: every eligible offer as ELM (LOQ profile), streamed.

        Turtle, N-Triples, JSON-LD, RDF/XML or LOQ XML, by `Accept` or `?format=`; gzip when asked.
        A strong `ETag` and `Last-Modified` let the QDR's regular checks cost nothing: send
        `If-None-Match` (or `If-Modified-Since`) and get 304 when nothing changed (`If-None-Match`
        compares weakly: `W/"…"` of the current version matches too). Each version is rendered
        once per format and served from storage. Full downloads (answers other than 304) are
        limited per client (`ILA_ELM_DATASET_LIMIT` within `ILA_ELM_DATASET_WINDOW_SECONDS`):
        beyond, 429 with `Retry-After`. A `HEAD` downloads nothing, so it is not counted.
        """
        fmt = negotiate(request.headers.get("accept"), format, ("ttl", "nt", "jsonld", "rdfxml", "xml"))
        version = elm.version()
        gzipped = "gzip" in (request.headers.get("accept-encoding") or "")
        headers = {"ETag": _etag(version, fmt, gzipped), "Cache-Control": "no-cache"}
        if version.modified is not None:
            headers["Last-Modified"] = format_datetime(version.modified.astimezone(UTC), usegmt=True)
        if _not_modified(request, headers["ETag"], version.modified):
            return Response(None, status_code=304, headers=headers)
        if is_head(request):  # the headers of the download, without rendering or reading it
            headers["Vary"] = "Accept, Accept-Encoding"
            if gzipped:
                headers["Content-Encoding"] = "gzip"
            if (size := elm.dataset_size(fmt, version, gzipped)) is not None:
                headers["Content-Length"] = str(size)
            return Stream(iter(()), media_type=FORMATS[fmt], headers=headers)
        limits.dataset.hit(client_address(request))
        stored = elm.dataset_file(fmt, version, gzipped)
        if stored is None:  # no room to store it: render for this request only
            return _stream(elm.dataset(fmt), request, headers)
        headers |= {"Vary": "Accept, Accept-Encoding", "Content-Length": str(os.fstat(stored.fileno()).st_size)}
        if gzipped:
            headers["Content-Encoding"] = "gzip"
        return Stream(read_blocks(stored), media_type=FORMATS[fmt], headers=headers)

    @get(
        "/changes",
        responses={
            **problems(*ANY, 422, 429),
            200: ResponseSpec(data_container=Feed, description="A page of changes", generate_examples=False),
        },
    )
    async def changes(
        self,
        request: Request[Any, Any, Any],
        elm: NamedDependency[ElmService],
        limits: NamedDependency[Limits],
        base_uri: NamedDependency[str],
        after: Annotated[
            int,
            QueryParameter(ge=0, le=MAX_POSITION, description="The `next` of the previous page; 0 from the start"),
        ] = 0,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 100,
    ) -> Response[bytes]:
        """Ordered changes of the published dataset since a cursor: created, updated or withdrawn.

        Each item carries the offer's ELM as JSON-LD nodes (its named graph), a withdrawal carries
        none (a tombstone). Replaying the feed from 0, replacing each offer's graph with the
        latest item's, reproduces exactly the current dataset.

        A page is rendered once and served from memory until the feed gains an event that
        concerns it; pages not rendered yet take turns. One client reads at most
        `ILA_ELM_FEED_CLIENT_CONCURRENCY` pages at once (429 with `Retry-After` beyond).
        """
        with limits.feed.hold(client_address(request)):
            key = await anyio.to_thread.run_sync(elm.feed_page_key, after, limit)
            body = elm.feed_pages.get(key)
            if body is None:
                body = await anyio.to_thread.run_sync(
                    _render_feed_page, elm, base_uri, key, limiter=limits.feed_render_turns()
                )
        return Response(body, media_type="application/json")

    @get(
        "/context/{name:str}",
        responses=problems(*ANY, 404),
        operation_class=media_types("application/ld+json"),
    )
    async def context(
        self, request: Request[Any, Any, Any], name: FromPath[str], elm: NamedDependency[ElmService]
    ) -> Response[bytes]:
        """The JSON-LD contexts the register's JSON-LD names, so that reading it needs no other host.

        `edc-ap`: an unmodified copy of the Commission's ELM 3.2 context (its `Link` names where
        the Commission publishes it), cached for good; `register`: the register's own, for the
        terms of the LOQ profile the official one lacks, cached for a day. Both with an `ETag`
        (304 to `If-None-Match`).
        """
        document = elm.jsonld.documents.get(name)
        if document is None:
            raise NotFound(f"No JSON-LD context {name!r}; there are {', '.join(elm.jsonld.documents)}.")
        headers = {
            "ETag": document.etag,
            "Cache-Control": document.cache_control,
            "Access-Control-Allow-Origin": "*",  # JSON-LD processors in browsers load contexts too
        }
        if document is elm.jsonld.official:
            headers["Link"] = f'<{OFFICIAL_CONTEXT_IRI}>; rel="canonical"'
        if (tags := request.headers.get("if-none-match")) is not None and not if_none_match_holds(tags, document.etag):
            return Response(b"", status_code=304, headers=headers)
        return Response(document.body, media_type="application/ld+json", headers=headers)

    @get(
        "/catalog",
        sync_to_thread=True,
        responses=problems(*ANY, 422),
        operation_class=media_types(*RDF_MEDIA_TYPES),
    )
    def catalog(
        self,
        request: Request[Any, Any, Any],
        elm: NamedDependency[ElmService],
        format: Annotated[Literal["ttl", "nt", "jsonld", "rdfxml"] | None, QueryParameter()] = None,
    ) -> Response[Any]:
        """A DCAT-AP description of the dataset and its distributions.

        With a strong `ETag` and `Last-Modified` (the dataset's last change), so a harvester's
        regular check is a conditional request answered 304 when nothing changed.
        """
        fmt = negotiate(request.headers.get("accept"), format, RDF_FORMATS)
        published = elm.catalog(fmt)
        body = b"".join(published.chunks)
        return _single(request, body, published.media_type, elm.version().modified or elm.started)

    @get("/problems", sync_to_thread=True, responses=problems(*AUTHENTICATED, 403))
    def excluded(self, principal: NamedDependency[Principal], elm: NamedDependency[ElmService]) -> list[Exclusion]:
        """Offers left out of the dataset because their ELM fails the official shapes (reviewers, admins)."""
        principal.require("reviewer", "admin")
        return [
            Exclusion(offer_id=p.offer_id, reason=p.reason, problems=list(p.problems or []), checked_at=p.checked_at)
            for p in elm.problems()
        ]


StreamFormat = Literal["ttl", "nt", "jsonld", "nq", "trig"]
STREAM_FORMATS: tuple[str, ...] = tuple(STREAM_MEDIA_TYPES)
IMMUTABLE = "public, max-age=31536000, immutable"
Position = Annotated[int, PathParameter(ge=0, le=MAX_POSITION)]


class StreamController(Controller):
    """The change feed as a Linked Data Event Stream (SEMIC LDES): versions of offers, paged with TREE."""

    path = "/elm/stream"
    tags = ["ELM publication"]
    dependencies = DEPENDENCIES

    @get(
        "/",
        sync_to_thread=True,
        responses=problems(*ANY, 422),
        operation_class=media_types(*STREAM_MEDIA_TYPES.values()),
    )
    def stream(
        self,
        request: Request[Any, Any, Any],
        elm: NamedDependency[ElmService],
        format: Annotated[StreamFormat | None, QueryParameter(description="Overrides the Accept header")] = None,
    ) -> Response[bytes]:
        """The `ldes:EventStream`: how it is ordered and versioned, and its one view (page 0) to start from.

        Turtle, N-Triples, JSON-LD, N-Quads or TriG by `Accept` or `?format=`. Quad formats carry each
        member's ELM in the named graph of the member's IRI, as the LDES specification extracts members.
        """
        fmt = negotiate(request.headers.get("accept"), format, STREAM_FORMATS)
        headers = {"ETag": f'"ldes-stream-{fmt}"', "Cache-Control": "no-cache", "Vary": "Accept"}
        if not if_none_match_holds(request.headers.get("if-none-match") or "", headers["ETag"]):
            return Response(b"", status_code=304, headers=headers)
        return Response(b"".join(elm.stream(fmt)), media_type=STREAM_MEDIA_TYPES[fmt], headers=headers)

    @get(
        "/{number:int}",
        sync_to_thread=True,
        responses=problems(*ANY, 404, 422, 429),
        operation_class=media_types(*STREAM_MEDIA_TYPES.values()),
    )
    def page(
        self,
        request: Request[Any, Any, Any],
        number: Position,
        elm: NamedDependency[ElmService],
        limits: NamedDependency[Limits],
        format: Annotated[StreamFormat | None, QueryParameter(description="Overrides the Accept header")] = None,
    ) -> Response[bytes]:
        """A page (`tree:Node`) of the event stream: `ILA_ELM_STREAM_PAGE_SIZE` events, oldest first.

        A full page never changes: `ldes:immutable`, a `tree:GreaterThanOrEqualToRelation` to the
        next page, and `Cache-Control: public, max-age=31536000, immutable`. The latest page grows:
        `no-cache`, revalidated with its `ETag` (`If-None-Match` → 304). Gzip on `Accept-Encoding: gzip`.
        """
        fmt = negotiate(request.headers.get("accept"), format, STREAM_FORMATS)
        state = elm.stream_state(number)
        if state is None:
            raise NotFound(f"The event stream has no page {number} yet.")
        gzipped = "gzip" in (request.headers.get("accept-encoding") or "")
        headers = {
            "ETag": state.etag(fmt + ("-gz" if gzipped else "")),
            "Cache-Control": IMMUTABLE if state.complete else "no-cache",
            "Vary": "Accept, Accept-Encoding",
        }
        if gzipped:
            headers["Content-Encoding"] = "gzip"
        if not if_none_match_holds(request.headers.get("if-none-match") or "", headers["ETag"]):
            return Response(b"", status_code=304, headers=headers)
        with limits.feed.hold(client_address(request)):
            body = b"".join(gzip_stream(elm.stream_page(state, fmt)) if gzipped else elm.stream_page(state, fmt))
        return Response(body, media_type=STREAM_MEDIA_TYPES[fmt], headers=headers)

    @get(
        "/member/{seq:int}",
        sync_to_thread=True,
        responses=problems(*ANY, 404, 422),
        operation_class=media_types(*STREAM_MEDIA_TYPES.values()),
    )
    def member(
        self,
        request: Request[Any, Any, Any],
        seq: Position,
        elm: NamedDependency[ElmService],
        format: Annotated[StreamFormat | None, QueryParameter(description="Overrides the Accept header")] = None,
    ) -> Response[bytes]:
        """A member of the event stream: one version of an offer (or a tombstone), which never changes.

        `Cache-Control: public, max-age=31536000, immutable`; the version's own nodes answer alike.
        """
        return _member(request, seq, elm, format)

    @get(
        "/member/{seq:int}/{node:path}",
        sync_to_thread=True,
        responses=problems(*ANY, 404, 422),
        operation_class=media_types(*STREAM_MEDIA_TYPES.values()),
    )
    def member_node(
        self,
        request: Request[Any, Any, Any],
        seq: Position,
        node: FromPath[str],
        elm: NamedDependency[ElmService],
        format: Annotated[StreamFormat | None, QueryParameter(description="Overrides the Accept header")] = None,
    ) -> Response[bytes]:
        """A node of a version (`…/member/{seq}/period` …): the member's document, which describes it."""
        return _member(request, seq, elm, format)


def _member(request: Request[Any, Any, Any], seq: int, elm: ElmService, format: str | None) -> Response[bytes]:
    fmt = negotiate(request.headers.get("accept"), format, STREAM_FORMATS)
    headers = {"ETag": f'"ldes-member-{seq}-{fmt}"', "Cache-Control": IMMUTABLE, "Vary": "Accept"}
    if not if_none_match_holds(request.headers.get("if-none-match") or "", headers["ETag"]):
        return Response(b"", status_code=304, headers=headers)  # versions are never removed
    body = b"".join(elm.stream_member(seq, fmt))
    return Response(body, media_type=STREAM_MEDIA_TYPES[fmt], headers=headers)


class PersistentUriController(Controller):
    """Persistent URIs of published resources, dereferenced with content negotiation.

    Every IRI the register mints under ``/id/`` answers: its description as Turtle, N-Triples,
    JSON-LD or RDF/XML (by ``Accept`` or ``?format=``), or for a browser (``text/html``) a 303 See
    Other to the page for people. Each answer has a strong ``ETag`` (of its bytes) and
    ``Last-Modified``; ``If-None-Match`` or ``If-Modified-Since`` get 304 when nothing changed.
    """

    path = "/id"
    tags = ["ELM publication"]
    dependencies = DEPENDENCIES

    @get(
        "/concept-scheme/{list_name:str}",
        sync_to_thread=True,
        responses=problems(*ANY, 404, 422) | SEE_OTHER_OR_NOT_MODIFIED,
        operation_class=media_types(*RDF_MEDIA_TYPES),
    )
    def concept_scheme(
        self,
        request: Request[Any, Any, Any],
        list_name: FromPath[str],
        elm: NamedDependency[ElmService],
        format: Annotated[IdFormat | None, QueryParameter(description="Overrides the Accept header")] = None,
    ) -> Response[Any]:
        """One of the register's code lists as a SKOS concept scheme."""
        return _answer(request, elm, elm.concept_scheme(list_name), _chosen(request, format))

    @get(
        "/concept/{list_name:str}/{code:str}",
        sync_to_thread=True,
        responses=problems(*ANY, 404, 422) | SEE_OTHER_OR_NOT_MODIFIED,
        operation_class=media_types(*RDF_MEDIA_TYPES),
    )
    def concept(
        self,
        request: Request[Any, Any, Any],
        list_name: FromPath[str],
        code: FromPath[str],
        elm: NamedDependency[ElmService],
        format: Annotated[IdFormat | None, QueryParameter(description="Overrides the Accept header")] = None,
    ) -> Response[Any]:
        """One code of the register's lists as a SKOS concept of the list's scheme."""
        return _answer(request, elm, elm.concept(list_name, code), _chosen(request, format))

    @get(
        "/{iri_path:path}",
        sync_to_thread=True,
        responses=problems(*ANY, 404, 410, 422) | SEE_OTHER_OR_NOT_MODIFIED,
        operation_class=media_types(*RDF_MEDIA_TYPES, "application/xml", "application/json"),
    )
    def resource(
        self,
        request: Request[Any, Any, Any],
        iri_path: FromPath[str],
        elm: NamedDependency[ElmService],
        offers: NamedDependency[OfferService],
        base_uri: NamedDependency[str],
        format: Annotated[IdFormat | None, QueryParameter(description="Overrides the Accept header")] = None,
    ) -> Response[Any]:
        """Any resource the register publishes: a learning opportunity or any of its parts, an organisation.

        `/id/learning-opportunity/{id}` and `/id/organisation/{id}` answer their whole graph, any
        other IRI (a specification, an outcome, a grant `/id/scheme/{id}`, a quality label's
        issuer, an accreditation …) its own triples and those of the parts it owns. A learning
        opportunity is also LOQ XML or plain JSON. The URI never changes when the offer is edited;
        a withdrawn offer, and every part of it, answers 410 Gone; an IRI the register never
        published 404.
        """
        description = elm.resource(iri_path)
        if not description.is_offer or description.offer_id is None:
            return _answer(request, elm, description, _chosen(request, format))
        fmt = negotiate(request.headers.get("accept"), format, (*RDF_FORMATS, "xml", "json", "html"))
        if fmt == "xml":  # LOQ XML carries what its schema lacks as notes (loq-xml-additions.toml)
            body = b"".join(elm.render("xml", [elm.learning_opportunity(uuid.UUID(description.offer_id), loq=True)]))
            return _single(request, body, FORMATS["xml"], description.modified)
        if fmt != "json":
            return _answer(request, elm, description, fmt)
        view = offers.published_view(uuid.UUID(description.offer_id))
        public = PublicOffer(
            id=view.offer.id,
            uri=f"{base_uri}/id/learning-opportunity/{view.offer.id}",
            provider=f"{base_uri}/id/organisation/{view.offer.provider_id}",
            status=view.offer.status,
            updated_at=view.offer.updated_at,
            funded_by=[s.scheme_id for s in view.eligibility if s.status == "eligible"],
            offer=msgspec.convert(msgspec.to_builtins(view.offer.content), schemas.OfferCreate),
        )
        return _single(request, msgspec.json.encode(public), "application/json", description.modified)


def _answer(request: Request[Any, Any, Any], elm: ElmService, description: Description, fmt: str) -> Response[Any]:
    """A single resource in the chosen format, or for people (``html``) a 303 to its page."""
    if fmt == "html":
        location = human_page(elm, description, request.query_params.get("lang"))
        return Redirect(location, status_code=303, headers={"Vary": "Accept"})
    body = b"".join(elm.render(fmt, [description.triples]))
    return _single(request, body, FORMATS[fmt], description.modified)


def _chosen(request: Request[Any, Any, Any], requested: str | None) -> str:
    return negotiate(request.headers.get("accept"), requested, (*RDF_FORMATS, "html"))


def human_page(elm: ElmService, description: Description, language: str | None) -> str:
    """Where people read a resource: the catalogue's page of an offer, else the resource's page."""
    query = f"?lang={language}" if language and language.isascii() and language.isalpha() else ""
    if description.is_offer:
        return f"/offers/{description.offer_id}{query}"
    return f"/page{description.iri.removeprefix(elm.base_uri)}{query}"


def _single(request: Request[Any, Any, Any], body: bytes, media_type: str, modified: datetime) -> Response[Any]:
    """One representation with its validators; 304 when the client's copy is current."""
    headers = {
        "ETag": content_etag(body),
        "Last-Modified": format_datetime(modified.astimezone(UTC), usegmt=True),
        "Vary": "Accept",
    }
    if _not_modified(request, headers["ETag"], modified):
        return Response(None, status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)
