"""HTTP endpoints for offers (thin: decode, call the service, encode)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, HeaderParameter, QueryParameter, RequestBody
from litestar.status_codes import HTTP_201_CREATED

from ila_register.eligibility.cost import Pricing
from ila_register.eligibility.schemas import CostReply, cost_of
from ila_register.eligibility.schemes import Scheme
from ila_register.kernel.cursors import aware
from ila_register.kernel.exceptions import InvalidParameters
from ila_register.offers import schemas
from ila_register.offers.deps import DEPENDENCIES
from ila_register.offers.services import OfferFilters, OfferService, OfferView
from ila_register.platform.auth import Principal
from ila_register.platform.http import Document, require_if_match, run_idempotent
from ila_register.platform.idempotency import IdempotencyService
from ila_register.platform.openapi import ANY, AUTHENTICATED, WRITES, problems
from ila_register.platform.workers import ChangeSignal


def _respond(view: OfferView, base_uri: str, status_code: int = 200) -> Response[schemas.Offer]:
    body = schemas.offer_of(view.offer, view.eligibility, base_uri)
    headers = {"ETag": view.etag}
    if status_code == HTTP_201_CREATED:
        headers["Location"] = f"/api/v1/offers/{view.offer.id}"
    return Response(body, status_code=status_code, headers=headers)


class OfferController(Controller):
    """Providers submit, update and withdraw their offers; reviewers read them and their history."""

    path = "/api/v1/offers"
    tags = ["Offers"]
    dependencies = DEPENDENCIES

    @post(
        dto=Document[schemas.OfferCreate],
        return_dto=None,
        status_code=HTTP_201_CREATED,
        sync_to_thread=True,
        responses=problems(*WRITES, 404, 409),
    )
    def submit(
        self,
        request: Request[Any, Any, Any],
        data: RequestBody[schemas.OfferCreate],
        principal: NamedDependency[Principal],
        offers: NamedDependency[OfferService],
        idempotency: NamedDependency[IdempotencyService],
        changes: NamedDependency[ChangeSignal],
        base_uri: NamedDependency[str],
        provider_id: Annotated[
            uuid.UUID | None, QueryParameter(description="Administrators only: the provider to submit for")
        ] = None,
        idempotency_key: Annotated[
            str | None,
            HeaderParameter(
                name="Idempotency-Key",
                max_length=255,
                description="Retry safely: the same key and body return the first answer",
            ),
        ] = None,
    ) -> Response[schemas.Offer]:
        """Submit a new offer (provider token).

        The offer is checked against the rules of every scheme it requests; the answer shows the
        outcome per scheme at once. Sessions are stored with the offer, all or nothing. With an
        `Idempotency-Key`, a retried request returns the first answer (a different body: 422; while
        the first is still running: 409).
        """
        response = run_idempotent(
            request,
            idempotency,
            principal,
            idempotency_key,
            lambda on_commit: offers.submit(principal, data, provider_id, on_commit=on_commit),
            lambda view: _respond(view, base_uri, HTTP_201_CREATED),
        )
        changes.notify()
        return response

    @get(sync_to_thread=True, responses=problems(*AUTHENTICATED, 404, 422))
    def browse(
        self,
        principal: NamedDependency[Principal],
        offers: NamedDependency[OfferService],
        base_uri: NamedDependency[str],
        status: FromQuery[Literal["active", "withdrawn"] | None] = None,
        kind: FromQuery[Literal["training", "guidance", "validation"] | None] = None,
        scheme: Annotated[str | None, QueryParameter(max_length=64, description="A requested scheme")] = None,
        eligibility: FromQuery[
            Literal["in-review", "eligible", "rejected", "expired", "suspended", "withdrawn"] | None
        ] = None,
        reference: Annotated[str | None, QueryParameter(max_length=100)] = None,
        changed_since: Annotated[
            datetime | None,
            QueryParameter(description="Only offers changed at or after this instant (ISO 8601 with time zone)"),
        ] = None,
        provider_id: Annotated[
            uuid.UUID | None,
            QueryParameter(
                description="Reviewers and administrators: one provider's offers (a provider: only its own id, "
                "another is 404 as a provider that does not exist)"
            ),
        ] = None,
        cursor: Annotated[
            str | None, QueryParameter(max_length=200, description="`next_cursor` of the previous page")
        ] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
    ) -> schemas.OfferList:
        """List offers, oldest change first: a provider sees its own, reviewers and administrators all.

        Follow `next_cursor` until it is absent; with `changed_since` a client keeps an up-to-date copy.
        """
        filters = OfferFilters(
            status=status,
            kind=kind,
            scheme=scheme,
            eligibility=eligibility,
            reference=reference,
            changed_since=aware("changed_since", changed_since),
            provider_id=provider_id,
        )
        page = offers.list_offers(principal, filters, cursor=cursor, limit=limit)
        return schemas.OfferList(
            items=[schemas.offer_of(v.offer, v.eligibility, base_uri) for v in page.items], next_cursor=page.next_cursor
        )

    @get("/{offer_id:uuid}", sync_to_thread=True, responses=problems(*AUTHENTICATED, 404, 422))
    def read(
        self,
        offer_id: FromPath[uuid.UUID],
        principal: NamedDependency[Principal],
        offers: NamedDependency[OfferService],
        base_uri: NamedDependency[str],
    ) -> Response[schemas.Offer]:
        """An offer with its eligibility per scheme; its ETag is needed to update it."""
        return _respond(offers.get(principal, offer_id), base_uri)

    @put(
        "/{offer_id:uuid}",
        dto=Document[schemas.OfferCreate],
        return_dto=None,
        sync_to_thread=True,
        responses=problems(*WRITES, 404, 409, 410, 412, 428),
    )
    def replace(
        self,
        offer_id: FromPath[uuid.UUID],
        data: RequestBody[schemas.OfferCreate],
        principal: NamedDependency[Principal],
        offers: NamedDependency[OfferService],
        changes: NamedDependency[ChangeSignal],
        base_uri: NamedDependency[str],
        if_match: Annotated[
            str | None, HeaderParameter(name="If-Match", description="The ETag of the version you edited")
        ] = None,
    ) -> Response[schemas.Offer]:
        """Replace an offer. Send `If-Match` with the ETag you read: 428 without it, 412 when stale."""
        view = offers.update(principal, offer_id, data, require_if_match(if_match, "the offer's ETag"))
        changes.notify()
        return _respond(view, base_uri)

    @delete("/{offer_id:uuid}", status_code=200, sync_to_thread=True, responses=problems(*AUTHENTICATED, 403, 404, 422))
    def withdraw(
        self,
        offer_id: FromPath[uuid.UUID],
        principal: NamedDependency[Principal],
        offers: NamedDependency[OfferService],
        changes: NamedDependency[ChangeSignal],
        base_uri: NamedDependency[str],
    ) -> Response[schemas.Offer]:
        """Withdraw an offer: it leaves search at once and is published to harvesters as withdrawn."""
        view = offers.withdraw(principal, offer_id)
        changes.notify()
        return _respond(view, base_uri)

    @get("/{offer_id:uuid}/history", sync_to_thread=True, responses=problems(*AUTHENTICATED, 404, 422))
    def history(
        self,
        offer_id: FromPath[uuid.UUID],
        principal: NamedDependency[Principal],
        offers: NamedDependency[OfferService],
    ) -> schemas.OfferHistory:
        """Every version of an offer (who, when, which fields) and every eligibility decision."""
        versions, decisions = offers.history(principal, offer_id)
        return schemas.OfferHistory(offer_id=offer_id, versions=versions, decisions=decisions)


def _session_day(values: list[str]) -> tuple[date | None, list[tuple[str, str]]]:
    """The ``session`` parameter as a day, or why not."""
    if not values:
        return None, []
    if len(values) > 1:
        return None, [("session", "give it once")]
    try:
        return date.fromisoformat(values[0]), []
    except ValueError:
        return None, [("session", f"a day as YYYY-MM-DD (e.g. 2027-02-01), not {values[0][:40]!r}")]


class CostController(Controller):
    """What a citizen pays for a published offer, given their situation (public)."""

    path = "/api/v1/offers/{offer_id:uuid}/cost"
    tags = ["Offers"]
    dependencies = DEPENDENCIES

    @get(sync_to_thread=True, responses=problems(*ANY, 404, 410, 422))
    def cost(
        self,
        request: Request[Any, Any, Any],
        offer_id: FromPath[uuid.UUID],
        offers: NamedDependency[OfferService],
        pricing: NamedDependency[Pricing],
        schemes: NamedDependency[dict[str, Scheme]],
        status: Annotated[
            list[str] | None,
            QueryParameter(
                description="The citizen's status(es), repeated or comma-separated: employee, jobseeker, "
                "self-employed, civil-servant, not-working, employer (/api/v1/vocab/target-groups, status=yes)"
            ),
        ] = None,
        region: Annotated[
            str | None,
            QueryParameter(
                description="Where the citizen lives and works: a NUTS code (BE211), a province's name, or a "
                "NUTS code abroad (FR10); residence and work say each place on its own"
            ),
        ] = None,
        residence: Annotated[str | None, QueryParameter(description="Where the citizen lives (as region)")] = None,
        work: Annotated[str | None, QueryParameter(description="Where the citizen works (as region)")] = None,
        session: Annotated[
            str | None,
            QueryParameter(
                description="The session (its first day, YYYY-MM-DD) whose price counts, when it has its own; "
                "its first day is the day the figures hold for (else today)"
            ),
        ] = None,
    ) -> CostReply:
        """What each funding scheme the offer is eligible for pays for this citizen, and what is left.

        The schemes are listed in the order they pay; `you_pay` is what is left. Add
        `used.<scheme>=<amount>` (one per scheme, e.g. `used.be-vl-opleidingscheques=100`) for
        what you already used of a scheme in the time its cap counts: this year for a yearly
        cap, the last N years for a cap over N years; hours for a leave scheme. Figures marked
        `indicative` rest on amounts the register could not source from the legal texts. Every
        problem with the parameters is named at once.
        """
        query = {name: request.query_params.getall(name) for name in request.query_params}
        day, session_problems = _session_day(query.get("session", []))
        on = day or offers.clock().date()  # the day that counts: the session's first day, else today
        situation, found = pricing.read_parameters(query, on)
        found = session_problems + found
        if situation is None and not found:
            found = [("status", "say your status (e.g. status=employee) and where you live or work (region=BE211)")]
        if found:
            raise InvalidParameters(found)
        assert situation is not None  # noqa: S101 - no problems: a situation
        return cost_of(offer_id, day, offers.cost(offer_id, situation, pricing, day), situation, schemes)
