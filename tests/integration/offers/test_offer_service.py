"""Offers are stored whole or not at all, stay private to their provider and reach search via the outbox."""

from __future__ import annotations

import uuid

import msgspec
import pytest
from sqlalchemy import func, select

from ila_register.db.models import OfferRecord, OfferSessionRecord, OutboxEvent
from ila_register.kernel.exceptions import Conflict, NotFound, PreconditionFailed, ServiceUnavailable
from ila_register.offers.schemas import OfferCreate
from ila_register.platform.auth import Principal
from ila_register.providers.schemas import ProviderCreate
from ila_register.search.interface import SearchQuery
from ila_register.wiring import Services
from support import example

ADMIN = Principal(role="admin", token_id="test")
REVIEWER = Principal(role="reviewer", token_id="reviewer")


def _provider(runtime: Services, kbo: str = "0123.456.749") -> Principal:
    document = msgspec.convert(example("provider.json") | {"kbo_number": kbo}, ProviderCreate)
    registration = runtime.providers.register(ADMIN, document)
    return Principal(role="provider", token_id="t", provider_id=registration.provider.id)


def _offer(**changes: object) -> OfferCreate:
    return msgspec.convert(example("offer-training.json") | changes, OfferCreate)


def _count(runtime: Services, model: type) -> int:
    with runtime.db.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_an_offer_is_written_whole_or_not_at_all(runtime: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    provider = _provider(runtime)

    def explode(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("crash half-way")

    monkeypatch.setattr(runtime.eligibility, "assess_offer", explode)
    with pytest.raises(RuntimeError):
        runtime.offers.submit(provider, _offer())
    assert (_count(runtime, OfferRecord), _count(runtime, OfferSessionRecord), _count(runtime, OutboxEvent)) == (
        0,
        0,
        0,
    )
    monkeypatch.undo()
    view = runtime.offers.submit(provider, _offer())
    assert len(view.offer.content.sessions) == 1
    assert _count(runtime, OfferSessionRecord) == 1


def test_references_are_unique_per_provider(runtime: Services) -> None:
    first, second = _provider(runtime), _provider(runtime, kbo="0202.239.951")
    runtime.offers.submit(first, _offer())
    with pytest.raises(Conflict, match="KA-BOEK-2027-01"):
        runtime.offers.submit(first, _offer())
    runtime.offers.submit(second, _offer())  # another provider may use the same reference


def test_another_providers_offer_does_not_exist_for_you(runtime: Services) -> None:
    owner, stranger = _provider(runtime), _provider(runtime, kbo="0202.239.951")
    view = runtime.offers.submit(owner, _offer())
    offer_id = view.offer.id
    with pytest.raises(NotFound):
        runtime.offers.get(stranger, offer_id)
    with pytest.raises(NotFound):
        runtime.offers.update(stranger, offer_id, _offer(), view.etag)
    with pytest.raises(NotFound):
        runtime.offers.withdraw(stranger, offer_id)
    with pytest.raises(NotFound):
        runtime.offers.history(stranger, offer_id)
    assert runtime.offers.get(REVIEWER, offer_id).offer.id == offer_id


def test_stale_updates_are_refused(runtime: Services) -> None:
    provider = _provider(runtime)
    view = runtime.offers.submit(provider, _offer())
    updated = runtime.offers.update(provider, view.offer.id, _offer(duration_hours=64), view.etag)
    assert updated.offer.version == 2
    with pytest.raises(PreconditionFailed):
        runtime.offers.update(provider, view.offer.id, _offer(duration_hours=70), view.etag)


def test_eligible_offers_reach_search_and_withdrawn_ones_leave_it(runtime: Services) -> None:
    provider = _provider(runtime)
    offer_id = runtime.offers.submit(provider, _offer()).offer.id
    runtime.sync.drain()
    assert runtime.index.search(SearchQuery(text="boekhouding")).total == 0  # in review: not searchable
    runtime.eligibility.decide(REVIEWER, offer_id, "be-vl-opleidingscheques", "eligible", None, if_match="*")
    runtime.sync.drain()
    assert [h.document.id for h in runtime.index.search(SearchQuery(text="boekhouding")).hits] == [str(offer_id)]
    runtime.offers.withdraw(provider, offer_id)
    runtime.sync.drain()
    assert runtime.index.search(SearchQuery(text="boekhouding")).total == 0
    assert runtime.sync.backlog() == 0


def test_writes_succeed_while_search_is_down_and_catch_up(runtime: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    provider = _provider(runtime)
    offer_id = runtime.offers.submit(provider, _offer()).offer.id
    runtime.eligibility.decide(REVIEWER, offer_id, "be-vl-opleidingscheques", "eligible", None, if_match="*")

    def down(*_args: object) -> None:
        raise ServiceUnavailable("search engine down")

    monkeypatch.setattr(runtime.index, "upsert", down)
    with pytest.raises(ServiceUnavailable):
        runtime.sync.run_once()
    second = runtime.offers.submit(provider, _offer(reference="KA-BOEK-2027-02")).offer.id
    assert runtime.sync.backlog() == 5  # two events per submission, one per decision: nothing lost
    monkeypatch.undo()
    runtime.sync.drain()
    assert runtime.sync.backlog() == 0
    assert {h.document.id for h in runtime.index.search(SearchQuery(text="boekhouding")).hits} == {str(offer_id)}
    assert second != offer_id


def test_rebuild_equals_incremental_sync(runtime: Services) -> None:
    provider = _provider(runtime)
    for number in range(3):
        offer_id = runtime.offers.submit(provider, _offer(reference=f"R-{number}")).offer.id
        runtime.eligibility.decide(REVIEWER, offer_id, "be-vl-opleidingsverlof", "eligible", None, if_match="*")
    runtime.sync.drain()
    incremental = sorted(h.document.id for h in runtime.index.search(SearchQuery(per_page=50)).hits)
    assert runtime.sync.rebuild() == 3
    rebuilt = sorted(h.document.id for h in runtime.index.search(SearchQuery(per_page=50)).hits)
    assert rebuilt == incremental
    assert uuid.UUID(rebuilt[0])
