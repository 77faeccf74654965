"""HTTP endpoints for eligibility decisions and the published schemes."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, HeaderParameter, QueryParameter, RequestBody
from litestar.status_codes import HTTP_200_OK

from ila_register.eligibility.cost import Pricing
from ila_register.eligibility.deps import DEPENDENCIES
from ila_register.eligibility.entitlements import entitled_schemes
from ila_register.eligibility.schemas import (
    DecisionCreate,
    Entitlement,
    QueueEntry,
    ReviewQueue,
    SchemeEligibility,
    SchemeSummary,
    StatsBucket,
    StatsCount,
    StatsDelay,
    StatsMonth,
    StatsProvince,
    StatsReason,
    StatsReport,
    StatsSchemeCount,
    eligibility_of,
    scheme_of,
)
from ila_register.eligibility.schemes import Scheme
from ila_register.eligibility.services import EligibilityService, QueueFilters, QueueItem
from ila_register.eligibility.stats import StatsService, csv_document
from ila_register.kernel.cursors import Position, aware, decode_cursor, encode_cursor
from ila_register.kernel.etags import etag_of
from ila_register.kernel.exceptions import InvalidParameters, NotFound
from ila_register.platform.auth import Principal
from ila_register.platform.http import Document, require_if_match
from ila_register.platform.openapi import ANY, AUTHENTICATED, WRITES, media_types, problems
from ila_register.platform.workers import ChangeSignal
from ila_register.vocab.registry import Vocabulary


class DecisionController(Controller):
    """Reviewers' decisions on whether an offer is eligible for a funding scheme."""

    path = "/api/v1/offers/{offer_id:uuid}/decisions"
    tags = ["Eligibility"]
    dependencies = DEPENDENCIES

    @post(
        dto=Document[DecisionCreate],
        return_dto=None,
        status_code=HTTP_200_OK,
        sync_to_thread=True,
        responses=problems(*WRITES, 404, 409, 412, 428),
    )
    def decide(
        self,
        offer_id: FromPath[uuid.UUID],
        data: RequestBody[DecisionCreate],
        principal: NamedDependency[Principal],
        eligibility: NamedDependency[EligibilityService],
        changes: NamedDependency[ChangeSignal],
        if_match: Annotated[
            str | None,
            HeaderParameter(name="If-Match", description="The offer's ETag, as you read the version you decide on"),
        ] = None,
    ) -> Response[SchemeEligibility]:
        """Decide whether an offer is eligible for a scheme (reviewers and administrators).

        `rejected` and `in-review` (reopening) need a reason; `eligible` is refused while a rule fails.
        Send `If-Match` with the offer's ETag (from `GET /api/v1/offers/{id}`): the decision is on the
        version you read, so 428 without it and 412 when the provider changed the offer since (read
        it again). A four-eyes confirmation likewise. The answer's ETag is the offer's (a decision
        leaves its version as it was), for the decisions on its other schemes.
        """
        if_match = require_if_match(
            if_match, "the offer's ETag (GET /api/v1/offers/{id}),", "so that you decide on the version you read"
        )
        status = eligibility.decide(principal, offer_id, data.scheme, data.decision, data.reason, if_match=if_match)
        changes.notify()
        return Response(eligibility_of([status.status])[0], headers={"ETag": etag_of(offer_id, status.offer_version)})


class SchemeController(Controller):
    """The funding schemes and their inclusion rules, as anyone may read them."""

    path = "/api/v1/schemes"
    tags = ["Eligibility"]
    dependencies = DEPENDENCIES

    @get()
    async def schemes(
        self,
        schemes: NamedDependency[dict[str, Scheme]],
        today: NamedDependency[date],
        pricing: NamedDependency[Pricing],
    ) -> list[SchemeSummary]:
        """The funding schemes, with the inclusion rules in force today and what they pay (public)."""
        return [
            scheme_of(s, today, pricing.summary(s.id, on=today)) for s in sorted(schemes.values(), key=lambda s: s.id)
        ]

    @get("/{scheme_id:str}", responses=problems(*ANY, 404))
    async def scheme(
        self,
        scheme_id: FromPath[str],
        schemes: NamedDependency[dict[str, Scheme]],
        today: NamedDependency[date],
        pricing: NamedDependency[Pricing],
    ) -> SchemeSummary:
        """One scheme: the rules in force and every earlier or later version of them (public)."""
        scheme = schemes.get(scheme_id)
        if scheme is None:
            raise NotFound(f"No funding scheme {scheme_id!r}; see /api/v1/schemes.")
        return scheme_of(scheme, today, pricing.summary(scheme_id, on=today), with_history=True)


class EntitlementController(Controller):
    """Which schemes a citizen may use, given their statuses and region."""

    path = "/api/v1/entitlements"
    tags = ["Eligibility"]
    dependencies = DEPENDENCIES

    @get(responses=problems(*ANY, 422))
    async def entitlements(
        self,
        schemes: NamedDependency[dict[str, Scheme]],
        vocabulary: NamedDependency[Vocabulary],
        status: Annotated[list[str], QueryParameter(description="Citizen status(es), e.g. jobseeker")],
        region: Annotated[
            str | None,
            QueryParameter(max_length=8, description="NUTS code of where the person lives or works, e.g. BE2 or BE255"),
        ] = None,
    ) -> list[Entitlement]:
        """The schemes a person with these statuses may use, and the offer kinds each funds (public).

        Citizen search filters `status=` with this same function.
        """
        statuses = {t.code for t in vocabulary["target-groups"] if t.extra.get("status") == "yes"}
        problems_found = [
            ("status", f"unknown citizen status {s!r}; one of {', '.join(sorted(statuses))}")
            for s in status
            if s not in statuses
        ]
        if region is not None and region not in vocabulary["nuts-be"]:
            problems_found.append(("region", f"unknown NUTS code {region!r}; see /api/v1/vocab/nuts-be"))
        if problems_found:
            raise InvalidParameters(problems_found)
        return [
            Entitlement(
                scheme=s.id,
                name=dict(s.name),
                owner=s.owner,
                kinds=list(s.kinds),
                statuses=list(s.statuses),
                regions=list(s.regions),
                region_basis=s.region_basis,
                homepage=s.homepage,
            )
            for s in entitled_schemes(schemes, status, region)
        ]


def _queue_cursor(item: QueueItem) -> str:
    return encode_cursor(Position(item.submitted_at, item.offer_id, item.status.scheme_id))


def _parse_queue_cursor(cursor: str) -> tuple[datetime, uuid.UUID, str]:
    position = decode_cursor(cursor)
    return position.at, position.id, position.tie


class ReviewController(Controller):
    """The reviewers' work queue of offers waiting for a decision."""

    path = "/api/v1/reviews"
    tags = ["Eligibility"]
    dependencies = DEPENDENCIES

    @get(sync_to_thread=True, responses=problems(*AUTHENTICATED, 403, 422))
    def queue(
        self,
        principal: NamedDependency[Principal],
        eligibility: NamedDependency[EligibilityService],
        status: FromQuery[list[Literal["in-review", "awaiting-confirmation"]] | None] = None,
        scheme: Annotated[str | None, QueryParameter(max_length=64)] = None,
        kind: FromQuery[Literal["training", "guidance", "validation"] | None] = None,
        provider_id: FromQuery[uuid.UUID | None] = None,
        submitted_before: Annotated[
            datetime | None,
            QueryParameter(description="Only submissions before this instant (ISO 8601 with time zone)"),
        ] = None,
        mine_to_confirm: Annotated[
            bool, QueryParameter(description="Hide proposals you made yourself (you cannot confirm them)")
        ] = False,
        cursor: Annotated[str | None, QueryParameter(max_length=300)] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
    ) -> ReviewQueue:
        """The review queue (reviewers and administrators): oldest submission first."""
        filters = QueueFilters(
            statuses=tuple(status or ("in-review", "awaiting-confirmation")),
            scheme=scheme,
            kind=kind,
            provider_id=provider_id,
            submitted_before=aware("submitted_before", submitted_before),
            after=_parse_queue_cursor(cursor) if cursor else None,
            needs_second_reviewer_for=principal.person if mine_to_confirm else None,
        )
        items = eligibility.review_queue(principal, filters, limit=limit + 1)
        page = items[:limit]
        entries = [
            QueueEntry(
                offer_id=i.offer_id,
                reference=i.reference,
                kind=i.kind,
                title=i.title,
                provider_id=i.provider_id,
                provider=i.provider_name,
                scheme=i.status.scheme_id,
                status=i.status.status,
                submitted_at=i.submitted_at,
                rules={
                    o: sum(1 for r in i.status.results if r.outcome == o) for o in ("passed", "failed", "needs-review")
                },
                proposed_decision=i.proposed_status,
                proposed_by=i.proposed_by,
            )
            for i in page
        ]
        return ReviewQueue(items=entries, next_cursor=_queue_cursor(page[-1]) if len(items) > limit else None)


class StatsController(Controller):
    """Monitoring figures for reviewers and administrators, as JSON or CSV."""

    path = "/api/v1/stats"
    tags = ["Monitoring"]
    dependencies = DEPENDENCIES

    @get(
        sync_to_thread=True,
        responses=problems(*AUTHENTICATED, 403, 422),
        operation_class=media_types("text/csv", keep_documented=True),
    )
    def stats(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        stats: NamedDependency[StatsService],
        format: FromQuery[Literal["json", "csv"] | None] = None,
        table: Annotated[
            Literal[
                "offers", "schemes", "provinces", "time-to-decision", "distribution", "rejection-reasons", "activity"
            ],
            QueryParameter(description="With format=csv: which table"),
        ] = "offers",
    ) -> Response[Any]:
        """Monitoring figures (reviewers and administrators), computed by the database.

        Offers per scheme x decision status x region x kind (an offer with sessions in several
        regions counts in each), median and p90 days from submission to decision, the distribution
        of those delays, the most frequent rejection reasons and monthly activity; `schemes` counts
        each offer once per scheme and status, `provinces` each active offer once per province of
        its sessions (NUTS-2; online / abroad / unknown). Also as CSV:
        `?format=csv&table=…` (or `Accept: text/csv`).
        """
        figures = stats.compute(principal)
        wants_csv = format == "csv" or (format is None and "text/csv" in (request.headers.get("accept") or ""))
        if wants_csv:
            return Response(
                csv_document(figures, table),
                media_type="text/csv",  # Litestar adds the charset
                headers={"Content-Disposition": f'attachment; filename="ila-register-{table}.csv"'},
            )
        return Response(
            StatsReport(
                totals=figures.totals,
                offers=[
                    StatsCount(scheme=r.scheme, status=r.status, region=r.region, kind=r.kind, offers=r.offers)
                    for r in figures.offers
                ],
                time_to_decision=[
                    StatsDelay(scheme=d.scheme, decisions=d.decisions, median_days=d.median_days, p90_days=d.p90_days)
                    for d in figures.time_to_decision
                ],
                time_to_decision_distribution=[StatsBucket(bucket=b, decisions=n) for b, n in figures.distribution],
                rejection_reasons=[
                    StatsReason(reason=r.reason, scheme=r.scheme, count=r.count) for r in figures.rejection_reasons
                ],
                activity=[
                    StatsMonth(month=m.month, submissions=m.submissions, eligible=m.eligible, rejected=m.rejected)
                    for m in figures.activity
                ],
                schemes=[StatsSchemeCount(scheme=r.scheme, status=r.status, offers=r.offers) for r in figures.schemes],
                provinces=[
                    StatsProvince(province=r.province, offers=r.offers, eligible_offers=r.eligible_offers)
                    for r in figures.provinces
                ],
            )
        )
