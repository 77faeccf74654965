"""Monitoring figures (EU Recommendation point 22), computed by the database.

Every figure is an aggregate query; percentiles are read with ORDER BY … OFFSET so that only one
value per figure leaves the database, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Float, and_, case, cast, func, literal, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import ColumnElement

from ila_register.db.engine import Database
from ila_register.db.models import EligibilityEvent, OfferEligibility, OfferRecord, OfferSessionRecord
from ila_register.eligibility.services import RULES_ENGINE
from ila_register.kernel.spreadsheet import csv_text
from ila_register.platform.auth import Principal

DAY = 86_400.0
BUCKETS: tuple[tuple[str, float, float], ...] = (
    ("< 1 day", 0, 1),
    ("1-3 days", 1, 3),
    ("3-7 days", 3, 7),
    ("7-14 days", 7, 14),
    ("14-30 days", 14, 30),
    ("30+ days", 30, math.inf),
)
DECISIONS = ("eligible", "rejected")


@dataclass(frozen=True, slots=True)
class CountRow:
    scheme: str
    status: str
    region: str
    kind: str
    offers: int


@dataclass(frozen=True, slots=True)
class SchemeCount:
    scheme: str
    status: str
    offers: int


@dataclass(frozen=True, slots=True)
class ProvinceCount:
    province: str  # NUTS-2 code (BE21 …), or online / abroad / unknown
    offers: int
    eligible_offers: int


@dataclass(frozen=True, slots=True)
class Delay:
    scheme: str  # "*" for all schemes together
    decisions: int
    median_days: float | None
    p90_days: float | None


@dataclass(frozen=True, slots=True)
class Reason:
    reason: str
    scheme: str
    count: int


@dataclass(frozen=True, slots=True)
class MonthRow:
    month: str
    submissions: int
    eligible: int
    rejected: int


@dataclass(frozen=True, slots=True)
class Stats:
    offers: list[CountRow]
    time_to_decision: list[Delay]
    distribution: list[tuple[str, int]]
    rejection_reasons: list[Reason]
    activity: list[MonthRow]
    totals: dict[str, int] = field(default_factory=dict)
    # Offers counted once each (the `offers` rows count an offer once per region and kind).
    schemes: list[SchemeCount] = field(default_factory=list)
    provinces: list[ProvinceCount] = field(default_factory=list)


def _places(nuts_length: int, label: str) -> Any:
    """Each offer once per place of its sessions: a NUTS code cut to ``nuts_length`` (3: region,
    4: province), or online / abroad / unknown."""
    place = case(
        (OfferSessionRecord.online.is_(True), literal("online")),
        (OfferSessionRecord.country != "BE", literal("abroad")),
        (OfferSessionRecord.nuts3.is_(None), literal("unknown")),
        else_=func.substr(OfferSessionRecord.nuts3, 1, nuts_length),
    )
    return select(OfferSessionRecord.offer_id.label("offer_id"), place.label(label)).distinct().subquery()


class StatsService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def compute(self, principal: Principal) -> Stats:
        """All monitoring figures (reviewers and administrators)."""
        principal.require("reviewer", "admin")
        with self.db.read() as session:
            return Stats(
                offers=self._offers(session),
                time_to_decision=self._delays(session),
                distribution=self._distribution(session),
                rejection_reasons=self._reasons(session),
                activity=self._activity(session),
                totals=self._totals(session),
                schemes=self._schemes(session),
                provinces=self._provinces(session),
            )

    # -- offers per scheme x status x region x kind ------------------------------------------

    def _offers(self, session: Session) -> list[CountRow]:
        places = _places(nuts_length=3, label="region")
        region_or_none = func.coalesce(places.c.region, literal("no sessions"))
        query = (
            select(
                OfferEligibility.scheme_id,
                OfferEligibility.status,
                region_or_none,
                OfferRecord.kind,
                func.count(func.distinct(OfferRecord.id)),
            )
            .join(OfferRecord, OfferRecord.id == OfferEligibility.offer_id)
            .outerjoin(places, places.c.offer_id == OfferRecord.id)
            .group_by(OfferEligibility.scheme_id, OfferEligibility.status, region_or_none, OfferRecord.kind)
            .order_by(OfferEligibility.scheme_id, OfferEligibility.status, region_or_none, OfferRecord.kind)
        )
        return [
            CountRow(scheme, status, str(reg), kind, int(n)) for scheme, status, reg, kind, n in session.execute(query)
        ]

    def _schemes(self, session: Session) -> list[SchemeCount]:
        query = (
            select(OfferEligibility.scheme_id, OfferEligibility.status, func.count())
            .group_by(OfferEligibility.scheme_id, OfferEligibility.status)
            .order_by(OfferEligibility.scheme_id, OfferEligibility.status)
        )
        return [SchemeCount(scheme, status, int(n)) for scheme, status, n in session.execute(query)]

    def _provinces(self, session: Session) -> list[ProvinceCount]:
        """Active offers per province of their sessions, and how many of them a scheme pays for."""
        places = _places(nuts_length=4, label="province")
        eligible = (
            select(OfferEligibility.offer_id)
            .where(OfferEligibility.offer_id == OfferRecord.id, OfferEligibility.status == "eligible")
            .exists()
        )
        query = (
            select(
                places.c.province,
                func.count(func.distinct(OfferRecord.id)),
                func.count(func.distinct(case((eligible, OfferRecord.id)))),
            )
            .join(OfferRecord, OfferRecord.id == places.c.offer_id)
            .where(OfferRecord.status == "active")
            .group_by(places.c.province)
            .order_by(places.c.province)
        )
        return [ProvinceCount(str(p), int(n), int(e)) for p, n, e in session.execute(query)]

    def _totals(self, session: Session) -> dict[str, int]:
        rows = session.execute(select(OfferRecord.status, func.count()).group_by(OfferRecord.status))
        totals = {f"offers_{status}": int(n) for status, n in rows}
        for status, n in session.execute(
            select(OfferEligibility.status, func.count()).group_by(OfferEligibility.status)
        ):
            totals[f"decisions_{status}"] = int(n)
        return totals

    # -- time from submission to decision ---------------------------------------------------

    def _seconds(self, session: Session, later: Any, earlier: Any) -> ColumnElement[float]:
        if session.bind is not None and session.bind.dialect.name == "postgresql":
            return cast(func.extract("epoch", later - earlier), Float)
        return (func.julianday(later) - func.julianday(earlier)) * DAY

    def _decision_delays(self, session: Session) -> Any:
        """One row per human decision: its scheme and the seconds since the submission it answered."""
        decision = aliased(EligibilityEvent)
        submitted = aliased(EligibilityEvent)
        submitted_at = (
            select(func.max(submitted.at))
            .where(
                submitted.offer_id == decision.offer_id,
                submitted.scheme_id == decision.scheme_id,
                submitted.to_status == "submitted",
                submitted.at <= decision.at,
            )
            .scalar_subquery()
        )
        return (
            select(
                decision.scheme_id.label("scheme"), self._seconds(session, decision.at, submitted_at).label("seconds")
            )
            .where(decision.to_status.in_(DECISIONS), decision.actor != RULES_ENGINE)
            .subquery()
        )

    def _delays(self, session: Session) -> list[Delay]:
        delays = self._decision_delays(session)
        schemes = [s for (s,) in session.execute(select(delays.c.scheme).distinct().order_by(delays.c.scheme))]
        return [self._delay(session, delays, None)] + [self._delay(session, delays, s) for s in schemes]

    def _delay(self, session: Session, delays: Any, scheme: str | None) -> Delay:
        where = [delays.c.seconds.is_not(None)]
        if scheme is not None:
            where.append(delays.c.scheme == scheme)
        count = int(session.scalar(select(func.count()).select_from(delays).where(and_(*where))) or 0)

        def quantile(q: float) -> float | None:
            if count == 0:
                return None
            value = session.scalar(
                select(delays.c.seconds)
                .where(and_(*where))
                .order_by(delays.c.seconds)
                .limit(1)
                .offset(math.ceil(q * count) - 1)
            )
            return round(float(value) / DAY, 2) if value is not None else None

        return Delay(scheme=scheme or "*", decisions=count, median_days=quantile(0.5), p90_days=quantile(0.9))

    def _distribution(self, session: Session) -> list[tuple[str, int]]:
        delays = self._decision_delays(session)
        bucket = case(
            *[(delays.c.seconds < high * DAY, literal(label)) for label, _, high in BUCKETS[:-1]],
            else_=literal(BUCKETS[-1][0]),
        )
        rows = session.execute(select(bucket, func.count()).where(delays.c.seconds.is_not(None)).group_by(bucket))
        counts: dict[str, int] = {str(label): int(n) for label, n in rows}
        return [(label, int(counts.get(label, 0))) for label, _, _ in BUCKETS]

    # -- rejection reasons and activity ----------------------------------------------------

    def _reasons(self, session: Session, limit: int = 10) -> list[Reason]:
        query = (
            select(OfferEligibility.reason, OfferEligibility.scheme_id, func.count().label("n"))
            .where(OfferEligibility.status == "rejected", OfferEligibility.reason.is_not(None))
            .group_by(OfferEligibility.reason, OfferEligibility.scheme_id)
            .order_by(func.count().desc(), OfferEligibility.reason)
            .limit(limit)
        )
        return [Reason(reason=str(reason), scheme=scheme, count=int(n)) for reason, scheme, n in session.execute(query)]

    def _activity(self, session: Session) -> list[MonthRow]:
        if session.bind is not None and session.bind.dialect.name == "postgresql":
            month = func.to_char(EligibilityEvent.at, "YYYY-MM")
        else:
            month = func.strftime("%Y-%m", EligibilityEvent.at)
        query = (
            select(
                month,
                func.sum(
                    case(
                        (and_(EligibilityEvent.to_status == "submitted", EligibilityEvent.from_status.is_(None)), 1),
                        else_=0,
                    )
                ),
                func.sum(
                    case(
                        (and_(EligibilityEvent.to_status == "eligible", EligibilityEvent.actor != RULES_ENGINE), 1),
                        else_=0,
                    )
                ),
                func.sum(case((EligibilityEvent.to_status == "rejected", 1), else_=0)),
            )
            .group_by(month)
            .order_by(month)
        )
        return [MonthRow(str(m), int(s or 0), int(e or 0), int(r or 0)) for m, s, e, r in session.execute(query)]


_CSV_TABLES: dict[str, tuple[tuple[str, ...], Callable[[Stats], list[Sequence[Any]]]]] = {
    "offers": (
        ("scheme", "status", "region", "kind", "offers"),
        lambda s: [(r.scheme, r.status, r.region, r.kind, r.offers) for r in s.offers],
    ),
    "schemes": (("scheme", "status", "offers"), lambda s: [(r.scheme, r.status, r.offers) for r in s.schemes]),
    "provinces": (
        ("province", "offers", "eligible_offers"),
        lambda s: [(r.province, r.offers, r.eligible_offers) for r in s.provinces],
    ),
    "time-to-decision": (
        ("scheme", "decisions", "median_days", "p90_days"),
        lambda s: [(d.scheme, d.decisions, d.median_days, d.p90_days) for d in s.time_to_decision],
    ),
    "distribution": (("time_to_decision", "decisions"), lambda s: [tuple(b) for b in s.distribution]),
    "rejection-reasons": (
        ("reason", "scheme", "count"),
        lambda s: [(r.reason, r.scheme, r.count) for r in s.rejection_reasons],
    ),
    "activity": (
        ("month", "submissions", "eligible", "rejected"),
        lambda s: [(m.month, m.submissions, m.eligible, m.rejected) for m in s.activity],
    ),
}


def csv_rows(stats: Stats, table: str) -> tuple[Sequence[str], list[Sequence[Any]]]:
    """One monitoring table as a header and rows (the CSV alternative of each chart)."""
    header, rows = _CSV_TABLES[table]
    return header, rows(stats)


def csv_document(stats: Stats, table: str) -> str:
    """One monitoring table as CSV text (RFC 4180: CRLF line ends, a header row)."""
    header, rows = csv_rows(stats, table)
    return csv_text(header, rows)


CSV_TABLES = tuple(_CSV_TABLES)
