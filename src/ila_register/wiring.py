"""The composition root: the register's services, built once per process from settings.

The app, the CLI, the demo seed and the tests build them here; the HTTP handlers receive them one
by one, by type, from the ``Registry`` built here (``platform.registry``, the concepts' ``deps.py``).
The background workers that consume what the services write are ``runtime.Runtime``'s.

Start-up fails fast, with a clear message, when a vocabulary, a scheme, the ELM mapping or the
database is broken.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Any

from ila_register.db.engine import Database
from ila_register.db.migrate import upgrade
from ila_register.eligibility.cost import Pricing
from ila_register.eligibility.deps import SCHEMES
from ila_register.eligibility.schemes import Scheme, load_schemes
from ila_register.eligibility.services import EligibilityService
from ila_register.eligibility.stats import StatsService
from ila_register.elm.cache import DatasetCache
from ila_register.elm.conformance import Conformance, ShapeLibrary
from ila_register.elm.feed_pages import FeedPages
from ila_register.elm.loq_xml import LoqXmlWriter, load_loq_additions, load_loq_xml_mapping
from ila_register.elm.mapping import ElmMapping, load_mapping
from ila_register.elm.notify import NotifySettings, QdrNotifier
from ila_register.elm.services import ElmService
from ila_register.imports.loq_xml import LoqReader
from ila_register.imports.services import ImportService
from ila_register.kernel.clock import Clock, system_clock
from ila_register.kernel.documents import DocumentCheck
from ila_register.offers.schemas import OfferCreate
from ila_register.offers.scheme_costs import SchemeCostService
from ila_register.offers.services import OfferService
from ila_register.offers.validation import OfferValidator
from ila_register.platform.auth import TokenService
from ila_register.platform.clients import trusted_networks
from ila_register.platform.deps import CLOCK
from ila_register.platform.http import DOCUMENT_CHECKS
from ila_register.platform.idempotency import IdempotencyService
from ila_register.platform.keys import ServerKeys
from ila_register.platform.limits import ConcurrencyLimit, Limits, RateLimit
from ila_register.platform.ratelimit import FailedAuthLimiter
from ila_register.platform.registry import Registry
from ila_register.platform.sessions import SessionService
from ila_register.providers.domain import provider_problems
from ila_register.providers.schemas import ProviderCreate, ProviderUpdate
from ila_register.providers.services import ProviderService
from ila_register.search.deps import SEARCH_INDEX
from ila_register.search.embedded import EmbeddedSearch
from ila_register.search.gate import SearchGate
from ila_register.search.interface import SearchIndex
from ila_register.search.lexicon import Lexicon
from ila_register.search.meili import MeiliSearch
from ila_register.search.services import SearchService
from ila_register.search.sync import SearchSync
from ila_register.settings import Settings
from ila_register.vocab.places import BelgianPlaces
from ila_register.vocab.registry import Vocabulary

logger = logging.getLogger(__name__)


def build_search_index(settings: Settings, lexicon: Lexicon, cost_classes: Sequence[str] = ()) -> SearchIndex:
    """Meilisearch when ``ILA_MEILI_URL`` is set, the embedded engine otherwise.

    ``cost_classes`` are the situation classes whose remaining cost every document stores
    (``Pricing.classes``): an index written for other classes is filled again at start-up."""
    if settings.search.meili_url:
        return MeiliSearch(
            settings.search.meili_url, settings.search.meili_key, settings.search.meili_index, lexicon, cost_classes
        )
    return EmbeddedSearch(settings.search.embedded_path, lexicon, cost_classes)


@dataclass
class Services:
    """The register's parts: a plain container, built by ``build``, released by ``close``."""

    settings: Settings
    clock: Clock
    db: Database
    vocabulary: Vocabulary
    schemes: dict[str, Scheme]
    pricing: Pricing
    places: BelgianPlaces
    lexicon: Lexicon
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
    scheme_costs: SchemeCostService
    imports: ImportService
    sessions: SessionService
    notifier: QdrNotifier | None = None
    limits: Limits = field(default_factory=Limits)  # per-client limits on expensive requests
    # The semantic checks per request message, run with the structural ones (every problem at once).
    document_checks: dict[type[Any], DocumentCheck] = field(default_factory=dict)
    # The one gate every search passes (per-client and expensive-search limits), API and pages alike.
    search_gate: SearchGate = field(init=False)

    def __post_init__(self) -> None:
        self.search_gate = SearchGate(self.limits)

    @classmethod
    def build(cls, settings: Settings, *, clock: Clock = system_clock, migrate: bool = True) -> Services:
        vocabulary = Vocabulary.load(settings.vocab_dir)
        schemes = load_schemes(settings.vocab_dir / "schemes", vocabulary)
        pricing = Pricing.load(settings.vocab_dir, schemes, vocabulary)
        places = BelgianPlaces.load(settings.vocab_dir)
        lexicon = Lexicon.load(settings.vocab_dir)
        mapping = load_mapping(settings.elm_mappings_dir / "learning-opportunity.toml", vocabulary)
        loq_mapping = load_loq_xml_mapping(settings.elm_mappings_dir / "loq-xml.toml")  # before the database opens
        loq_additions = load_loq_additions(settings.elm_mappings_dir / "loq-xml-additions.toml", vocabulary)
        trusted_networks(settings.http.trusted_proxies)  # a mistyped proxy fails start-up, not a request
        db = Database.from_url(settings.database.url, echo=settings.database.echo)
        if migrate:
            upgrade(db.engine)
        index = build_search_index(settings, lexicon, tuple(pricing.classes))
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
            pricing=pricing,
            places=places,
            lexicon=lexicon,
            mapping=mapping,
            index=index,
            tokens=tokens,
            auth_limiter=FailedAuthLimiter(clock, settings.auth.failed_auth_limit, settings.auth.failed_auth_window),
            eligibility=eligibility,
            offers=offers,
            providers=ProviderService(db, vocabulary, tokens, eligibility, clock),
            search=SearchService(index, schemes, vocabulary, pricing, clock),
            elm=ElmService(
                db,
                mapping,
                vocabulary,
                schemes,
                pricing,
                settings.http.base_uri,
                clock,
                Conformance(ShapeLibrary.official()),
                LoqXmlWriter(loq_mapping),
                loq_additions,
                DatasetCache(settings.publication.cache_dir),
                FeedPages(settings.publication.feed_cache_bytes),
                licence=settings.publication.licence,
                stream_page_size=settings.publication.stream_page_size,
            ),
            sync=SearchSync(db, index, schemes, clock, pricing=pricing),
            idempotency=IdempotencyService(db, clock),
            stats=StatsService(db),
            scheme_costs=SchemeCostService(db, pricing, clock),
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

    def registry(self) -> Registry:
        """Every service a handler may ask for, by its type (or its ``Key``)."""
        return (
            Registry()
            .add(Settings, self.settings)
            .add(CLOCK, self.clock)
            .add(Database, self.db)
            .add(Vocabulary, self.vocabulary)
            .add(SCHEMES, self.schemes)
            .add(Pricing, self.pricing)
            .add(BelgianPlaces, self.places)
            .add(SEARCH_INDEX, self.index)
            .add(TokenService, self.tokens)
            .add(FailedAuthLimiter, self.auth_limiter)
            .add(EligibilityService, self.eligibility)
            .add(OfferService, self.offers)
            .add(ProviderService, self.providers)
            .add(SearchService, self.search)
            .add(SearchGate, self.search_gate)
            .add(ElmService, self.elm)
            .add(SearchSync, self.sync)
            .add(IdempotencyService, self.idempotency)
            .add(StatsService, self.stats)
            .add(SchemeCostService, self.scheme_costs)
            .add(ImportService, self.imports)
            .add(SessionService, self.sessions)
            .add(Limits, self.limits)
            .add(DOCUMENT_CHECKS, self.document_checks)
        )

    def prepare_search(self) -> None:
        """Create the index and its settings; a search engine that is down does not stop start-up.

        An index laid out by another version of the register starts empty and is filled again here.
        """
        try:
            if self.index.prepare():
                logger.warning("search index rebuilt from the database: %d offers", self.sync.rebuild())
        except Exception as error:  # the worker retries; /health reports it
            logger.warning("search index not ready: %s", error)

    def drain(self) -> None:
        """Apply every pending change to the search index and the ELM feed now (tests, CLI)."""
        self.sync.drain()
        self.elm.publisher.drain()

    def close(self) -> None:
        """Release the search index and the database (stop the workers first: ``Runtime.stop``)."""
        self.index.close()
        self.db.dispose()
