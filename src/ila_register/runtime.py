"""The register's parts, built once per process from settings (used by the app and the CLI).

Start-up fails fast, with a clear message, when a vocabulary, a scheme, the ELM mapping or the
database is broken.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property, partial
from typing import Any

from ila_register.db.engine import Database
from ila_register.db.migrate import upgrade
from ila_register.db.outbox import prune as prune_outbox
from ila_register.eligibility.schemes import Scheme, load_schemes
from ila_register.eligibility.services import EligibilityService
from ila_register.eligibility.stats import StatsService
from ila_register.elm.cache import DatasetCache
from ila_register.elm.conformance import Conformance, ShapeLibrary
from ila_register.elm.feed_pages import FeedPages
from ila_register.elm.loq_xml import LoqXmlWriter, load_loq_xml_mapping
from ila_register.elm.mapping import ElmMapping, load_mapping
from ila_register.elm.notify import NotifySettings, QdrNotifier
from ila_register.elm.services import ElmService
from ila_register.imports.loq_xml import LoqReader
from ila_register.imports.services import ImportService
from ila_register.kernel.clock import Clock, system_clock
from ila_register.kernel.documents import DocumentCheck
from ila_register.offers.schemas import OfferCreate
from ila_register.offers.services import OfferService
from ila_register.offers.validation import OfferValidator
from ila_register.platform.auth import TokenService
from ila_register.platform.clients import trusted_networks
from ila_register.platform.idempotency import IdempotencyService
from ila_register.platform.keys import ServerKeys
from ila_register.platform.limits import ConcurrencyLimit, Limits, RateLimit
from ila_register.platform.ratelimit import FailedAuthLimiter
from ila_register.platform.schedule import Job, Scheduler
from ila_register.platform.sessions import SessionService
from ila_register.platform.workers import BackgroundLoop
from ila_register.providers.domain import provider_problems
from ila_register.providers.schemas import ProviderCreate, ProviderUpdate
from ila_register.providers.services import ProviderService
from ila_register.search.embedded import EmbeddedSearch
from ila_register.search.gate import SearchGate
from ila_register.search.interface import SearchIndex
from ila_register.search.meili import MeiliSearch
from ila_register.search.services import SearchService
from ila_register.search.sync import SearchSync
from ila_register.search.synonyms import Synonyms
from ila_register.settings import Settings
from ila_register.vocab.places import BelgianPlaces
from ila_register.vocab.registry import Vocabulary

logger = logging.getLogger(__name__)


def build_search_index(settings: Settings, synonyms: Synonyms) -> SearchIndex:
    """Meilisearch when ``ILA_MEILI_URL`` is set, the embedded engine otherwise."""
    if settings.search.meili_url:
        return MeiliSearch(settings.search.meili_url, settings.search.meili_key, settings.search.meili_index, synonyms)
    return EmbeddedSearch(settings.search.embedded_path, synonyms)


@dataclass
class Runtime:
    settings: Settings
    clock: Clock
    db: Database
    vocabulary: Vocabulary
    schemes: dict[str, Scheme]
    places: BelgianPlaces
    synonyms: Synonyms
    mapping: ElmMapping
    index: SearchIndex
    tokens: TokenService
    auth_limiter: FailedAuthLimiter
    eligibility: EligibilityService
    offers: OfferService
    providers: ProviderService
    search: SearchService
    elm: ElmService
    sync: SearchSync
    idempotency: IdempotencyService
    stats: StatsService
    imports: ImportService
    sessions: SessionService
    notifier: QdrNotifier | None = None
    limits: Limits = field(default_factory=Limits)  # per-client limits on expensive requests
    loops: dict[str, BackgroundLoop] = field(default_factory=dict)
    scheduler: Scheduler | None = None
    extras: dict[str, Any] = field(default_factory=dict)
    # The semantic checks per request message, run with the structural ones (every problem at once).
    document_checks: dict[type[Any], DocumentCheck] = field(default_factory=dict)

    @classmethod
    def build(cls, settings: Settings, *, clock: Clock = system_clock, migrate: bool = True) -> Runtime:
        vocabulary = Vocabulary.load(settings.vocab_dir)
        schemes = load_schemes(settings.vocab_dir / "schemes", vocabulary)
        places = BelgianPlaces.load(settings.vocab_dir)
        synonyms = Synonyms.load(settings.vocab_dir / "synonyms.toml")
        mapping = load_mapping(settings.elm_mappings_dir / "learning-opportunity.toml", vocabulary)
        loq_mapping = load_loq_xml_mapping(settings.elm_mappings_dir / "loq-xml.toml")  # before the database opens
        trusted_networks(settings.http.trusted_proxies)  # a mistyped proxy fails start-up, not a request
        db = Database.from_url(settings.database.url, echo=settings.database.echo)
        if migrate:
            upgrade(db.engine)
        index = build_search_index(settings, synonyms)
        tokens = TokenService(db, clock, settings.auth.bootstrap_admin_token)
        eligibility = EligibilityService(db, schemes, clock)
        validator = OfferValidator(vocabulary, places, set(schemes))
        offers = OfferService(db, validator, eligibility, clock)
        return cls(
            settings=settings,
            clock=clock,
            db=db,
            vocabulary=vocabulary,
            schemes=schemes,
            places=places,
            synonyms=synonyms,
            mapping=mapping,
            index=index,
            tokens=tokens,
            auth_limiter=FailedAuthLimiter(clock, settings.auth.failed_auth_limit, settings.auth.failed_auth_window),
            eligibility=eligibility,
            offers=offers,
            providers=ProviderService(db, vocabulary, tokens, eligibility, clock),
            search=SearchService(index, schemes, vocabulary),
            elm=ElmService(
                db,
                mapping,
                vocabulary,
                schemes,
                settings.http.base_uri,
                clock,
                Conformance(ShapeLibrary.official()),
                LoqXmlWriter(loq_mapping),
                DatasetCache(settings.publication.cache_dir),
                FeedPages(settings.publication.feed_cache_bytes),
            ),
            sync=SearchSync(db, index, schemes, clock),
            idempotency=IdempotencyService(db, clock),
            stats=StatsService(db),
            imports=ImportService(
                db,
                offers,
                validator,
                LoqReader(vocabulary),
                settings.imports.storage,
                clock,
                settings.imports.max_bytes,
                lease=timedelta(seconds=settings.imports.lease_seconds),
                max_records=settings.imports.max_records,
                max_rejected_share=settings.imports.replace_max_rejected_share,
            ),
            sessions=SessionService(
                db, clock, tokens, timedelta(seconds=settings.auth.session_lifetime_seconds), ServerKeys(db, clock)
            ),
            notifier=QdrNotifier(
                db,
                clock,
                NotifySettings(
                    url=settings.publication.qdr_notify_url,
                    api_key=settings.publication.qdr_api_key,
                    base_uri=settings.http.base_uri,
                    debounce=timedelta(seconds=settings.publication.qdr_debounce_seconds),
                ),
            )
            if settings.publication.qdr_notify_url
            else None,
            document_checks={
                OfferCreate: validator.problems_in,
                ProviderCreate: partial(provider_problems, vocabulary=vocabulary),
                ProviderUpdate: partial(provider_problems, vocabulary=vocabulary),
            },
            limits=Limits(
                dataset=RateLimit(
                    clock,
                    settings.publication.dataset_limit,
                    settings.publication.dataset_window,
                    "full dataset downloads",
                ),
                searches=ConcurrencyLimit(settings.search.client_concurrency, "searches"),
                expensive_searches=settings.search.expensive_concurrency,
                feed=ConcurrencyLimit(settings.publication.feed_client_concurrency, "change feed pages"),
            ),
        )

    @cached_property
    def search_gate(self) -> SearchGate:
        """The one gate every search passes (per-client and expensive-search limits), API and pages alike."""
        return SearchGate(self.limits)

    def prepare_search(self) -> None:
        """Create the index and its settings; a search engine that is down does not stop start-up."""
        try:
            self.index.prepare()
        except Exception as error:  # the worker retries; /health reports it
            logger.warning("search index not ready: %s", error)

    def jobs(self) -> list[Job]:
        """Time-driven work: expiry of eligibility and of quality labels (also `ila-register expire`),
        the reconciliation of the search index with the database (also `ila-register reconcile`)
        and the pruning of applied outbox events (also `ila-register prune-outbox`)."""
        jobs = [Job("expire", timedelta(hours=1), self.eligibility.expire)]
        retention = timedelta(seconds=self.settings.database.outbox_retention_seconds)
        jobs.append(Job("outbox-prune", timedelta(hours=1), partial(prune_outbox, self.db, self.clock, retention)))
        if (every := self.settings.search.reconcile_interval_seconds) > 0:
            jobs.append(Job("search-reconcile", timedelta(seconds=every), self.sync.reconcile))
        return jobs

    def start_workers(self) -> None:
        """The background work of a server process: search sync, ELM publication, QDR notices, jobs."""
        if self.loops:
            return
        interval = self.settings.search.sync_interval_seconds
        self.loops["search"] = BackgroundLoop("search-sync", self.sync.run_once, interval)
        self.loops["publication"] = BackgroundLoop("elm-publisher", self.elm.publisher.run_once, interval)
        self.loops["imports"] = BackgroundLoop("imports", self.imports.run_once, 1.0)
        if self.notifier is not None:
            self.loops["qdr"] = BackgroundLoop("qdr-notify", self.notifier.run_once, 2.0, max_backoff_seconds=300)
        for loop in self.loops.values():
            loop.start()
        self.scheduler = Scheduler(self.db, self.clock, self.jobs())
        self.scheduler.start()

    def changed(self) -> None:
        """Something was written: let the consumers look now rather than at their next poll."""
        for loop in self.loops.values():
            loop.nudge()

    def drain(self) -> None:
        """Apply every pending change to the search index and the ELM feed now (tests, CLI)."""
        self.sync.drain()
        self.elm.publisher.drain()

    def close(self) -> None:
        for loop in self.loops.values():
            loop.stop()
        self.loops.clear()
        if self.scheduler is not None:
            self.scheduler.stop()
            self.scheduler = None
        self.index.close()
        self.db.dispose()
