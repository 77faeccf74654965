"""Publishing the register as ELM: the dataset (streamed) and single resources."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ila_register.db.engine import Database
from ila_register.db.models import OfferEligibility, OfferRecord, ProviderRecord
from ila_register.eligibility.schemes import Scheme
from ila_register.eligibility.services import to_status
from ila_register.eligibility.workflow import SEARCHABLE
from ila_register.elm.mapping import ElmMapping, MappingEngine
from ila_register.elm.terms import Triple
from ila_register.elm.views import offer_context
from ila_register.elm.writers import TurtleWriter, ntriples
from ila_register.lib.exceptions import Gone, NotFound
from ila_register.offers.services import OfferRepo
from ila_register.providers.services import ProviderRepo
from ila_register.vocab.registry import Vocabulary

FORMATS = {"ttl": "text/turtle", "nt": "application/n-triples"}


@dataclass(frozen=True, slots=True)
class Published:
    media_type: str
    chunks: Iterator[str]


class ElmService:
    def __init__(
        self,
        db: Database,
        mapping: ElmMapping,
        vocabulary: Vocabulary,
        schemes: Mapping[str, Scheme],
        base_uri: str,
    ) -> None:
        self.db = db
        self.engine = MappingEngine(mapping, vocabulary)
        self.mapping = mapping
        self.schemes = schemes
        self.base_uri = base_uri

    def dataset(self, fmt: str) -> Published:
        """The whole published dataset, written offer by offer."""
        chunks = self._dataset_chunks()
        if fmt == "nt":
            return Published(FORMATS[fmt], ntriples(chunks))
        return Published(FORMATS["ttl"], TurtleWriter(self.mapping.prefixes).document(chunks))

    def learning_opportunity(self, offer_id: uuid.UUID, fmt: str) -> Published:
        """One published offer by its persistent URI; a withdrawn one is gone (410), never reused."""
        with self.db.read() as session:
            record = session.scalars(
                select(OfferRecord).where(OfferRecord.id == offer_id).options(selectinload(OfferRecord.sessions))
            ).one_or_none()
            if record is None:
                raise NotFound(f"No learning opportunity {offer_id}.")
            if record.status == "withdrawn":
                raise Gone(
                    f"Learning opportunity {offer_id} was withdrawn by its provider on {record.withdrawn_at:%Y-%m-%d}."
                )
            statuses = [
                to_status(s)
                for s in session.scalars(select(OfferEligibility).where(OfferEligibility.offer_id == offer_id))
            ]
            provider = session.get(ProviderRecord, record.provider_id)
            if provider is None or provider.status != "active" or not any(s.status in SEARCHABLE for s in statuses):
                raise NotFound(f"Learning opportunity {offer_id} is not published (not eligible for any scheme).")
            context = offer_context(
                OfferRepo.to_domain(record), statuses, ProviderRepo.to_domain(provider), self.schemes, self.base_uri
            )
        triples = [list(self.engine.triples(context))]
        if fmt == "nt":
            return Published(FORMATS[fmt], ntriples(triples))
        return Published(FORMATS["ttl"], TurtleWriter(self.mapping.prefixes).document(triples))

    def _dataset_chunks(self, page: int = 500) -> Iterator[list[Triple]]:
        seen: set[str] = set()
        last: uuid.UUID | None = None
        while True:
            with self.db.read() as session:
                query = (
                    select(OfferRecord)
                    .join(ProviderRecord, ProviderRecord.id == OfferRecord.provider_id)
                    .where(
                        OfferRecord.status == "active",
                        ProviderRecord.status == "active",
                        OfferRecord.id.in_(
                            select(OfferEligibility.offer_id).where(OfferEligibility.status.in_(SEARCHABLE))
                        ),
                    )
                    .options(selectinload(OfferRecord.sessions))
                    .order_by(OfferRecord.id)
                    .limit(page)
                )
                if last is not None:
                    query = query.where(OfferRecord.id > last)
                records = list(session.scalars(query))
                if not records:
                    return
                ids = [r.id for r in records]
                statuses: dict[uuid.UUID, list[OfferEligibility]] = {i: [] for i in ids}
                for row in session.scalars(select(OfferEligibility).where(OfferEligibility.offer_id.in_(ids))):
                    statuses[row.offer_id].append(row)
                providers = {
                    p.id: ProviderRepo.to_domain(p)
                    for p in session.scalars(
                        select(ProviderRecord).where(ProviderRecord.id.in_({r.provider_id for r in records}))
                    )
                }
            for record in records:
                context = offer_context(
                    OfferRepo.to_domain(record),
                    [to_status(s) for s in statuses[record.id]],
                    providers[record.provider_id],
                    self.schemes,
                    self.base_uri,
                )
                yield list(self.engine.triples(context, seen))
            last = records[-1].id
