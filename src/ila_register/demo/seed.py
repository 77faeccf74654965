"""Load the deterministic demo register through the same services providers and reviewers use.

Submissions are spread over several months and reviewers decide days later, on a simulated
clock, so the demo shows realistic histories, eligible, rejected and in-review offers, and
meaningful time-to-decision statistics.
"""

from __future__ import annotations

import heapq
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import msgspec
from sqlalchemy import func, select

from ila_register.db.models import ProviderRecord
from ila_register.demo.generator import DemoData, generate_demo
from ila_register.kernel.exceptions import InvalidTransition
from ila_register.offers.schemas import OfferCreate
from ila_register.platform.auth import Principal
from ila_register.platform.progress import Progress
from ila_register.providers.schemas import ProviderCreate
from ila_register.settings import Settings
from ila_register.wiring import Services

DEMO_START = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
ADMIN = Principal(role="admin", token_id="demo-loader")
REVIEWERS = (
    Principal(role="reviewer", token_id="demo-reviewer-an"),
    Principal(role="reviewer", token_id="demo-reviewer-luc"),
)


class SimulatedClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@dataclass(frozen=True, slots=True)
class SeedSummary:
    providers: int
    offers: int
    decisions: int
    indexed: int
    skipped: bool = False

    def __str__(self) -> str:
        if self.skipped:
            return "demo data already loaded (the database has providers); nothing changed"
        return (
            f"demo data loaded: {self.providers} providers, {self.offers} offers, {self.decisions} decisions, "
            f"{self.indexed} offers searchable"
        )


def seed_demo(settings: Settings, *, seed: int = 2027, show_progress: bool = True) -> SeedSummary:
    """Load the demo register into an empty database (does nothing if providers exist)."""
    clock = SimulatedClock(DEMO_START)
    services = Services.build(settings, clock=clock)
    try:
        with services.db.read() as session:
            if session.scalar(select(func.count()).select_from(ProviderRecord)):
                return SeedSummary(0, 0, 0, 0, skipped=True)
        return _load(services, clock, generate_demo(seed, vocab_dir=settings.vocab_dir), seed, show_progress)
    finally:
        services.close()


def _load(services: Services, clock: SimulatedClock, demo: DemoData, seed: int, show_progress: bool) -> SeedSummary:
    rng = random.Random(seed)  # noqa: S311 - reproducible timing, not security
    total = sum(len(p.offers) for p in demo.providers)
    progress = Progress("demo: offers", total) if show_progress else None
    due: list[tuple[datetime, int, uuid.UUID, str, str, str | None]] = []
    offers = decisions = 0
    for provider in demo.providers:
        registration = services.providers.register(ADMIN, msgspec.convert(provider.document, ProviderCreate))
        principal = Principal(role="provider", token_id="demo", provider_id=registration.provider.id)
        for offer in provider.offers:
            view = services.offers.submit(principal, msgspec.convert(offer.document, OfferCreate))
            offers += 1
            for scheme, (outcome, reason) in sorted(offer.decisions.items()):
                if outcome != "in-review":
                    when = clock.now + timedelta(days=rng.randint(2, 28), hours=rng.randint(0, 8))
                    heapq.heappush(due, (when, len(due), view.offer.id, scheme, outcome, reason))
            clock.now += timedelta(hours=rng.randint(8, 16))
            decisions += _decide_due(services, clock, due, rng, until=clock.now)
            if progress:
                progress.advance()
    if due:
        clock.now = max(d[0] for d in due)
    decisions += _decide_due(services, clock, due, rng, until=clock.now)
    if progress:
        progress.finish()
    indexing = Progress("demo: search index") if show_progress else None
    indexed = services.sync.rebuild(indexing)
    if indexing:
        indexing.finish()
    return SeedSummary(len(demo.providers), offers, decisions, indexed)


def _decide_due(
    services: Services,
    clock: SimulatedClock,
    due: list[tuple[datetime, int, uuid.UUID, str, str, str | None]],
    rng: random.Random,
    *,
    until: datetime,
) -> int:
    done = 0
    submitted_at = clock.now
    while due and due[0][0] <= until:
        when, _, offer_id, scheme, outcome, reason = heapq.heappop(due)
        clock.now = when
        try:
            services.eligibility.decide(rng.choice(REVIEWERS), offer_id, scheme, outcome, reason, if_match="*")
            done += 1
        except InvalidTransition:
            pass  # already rejected by the rules engine: the automatic decision stands
    clock.now = max(clock.now, submitted_at)
    return done
