"""The Meilisearch adapter acknowledges a write only once its task has succeeded (no server needed)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from ila_register.kernel.exceptions import ServiceUnavailable
from ila_register.search.documents import SearchDocument
from ila_register.search.lexicon import Lexicon
from ila_register.search.meili import MeiliSearch

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # the meilisearch client's pydantic use

DOCUMENT = SearchDocument(
    id="6f1c0d3e-0000-4000-8000-000000000001",
    provider_id="p",
    provider_name="P",
    kind="training",
    type="course",
    mode="classroom",
    reference="R1",
    title_nl="Boekhouding",
    default_language="nl",
    languages=["nl"],
    hours=1.0,
    price=1.0,
    currency="EUR",
    free=False,
    schemes=["s"],
    statuses=[],
    updated_at="2026-11-23T09:00:00+00:00",
)


class FakeClient:
    """Enqueues tasks and reports the status a test chose for them."""

    def __init__(self, status: str) -> None:
        self.status = status
        self.waited: list[int] = []
        self.deleted: list[str] = []

    def index(self, _uid: str) -> Any:
        deleted = self.deleted

        class Index:
            def add_documents(self, _batch: Any, primary_key: str) -> Any:
                return SimpleNamespace(task_uid=7)

            def delete_documents(self, ids: Any = None, *, filter: str) -> Any:
                deleted.append(filter)
                return SimpleNamespace(task_uid=8)

        return Index()

    def wait_for_task(self, uid: int, **_kwargs: Any) -> Any:
        self.waited.append(uid)
        error = {"code": "no_space_left_on_device"} if self.status == "failed" else None
        return SimpleNamespace(status=self.status, error=error)


def _engine(client: FakeClient) -> MeiliSearch:
    engine = MeiliSearch("http://127.0.0.1:9", None, "offers", Lexicon())
    engine.client = client  # type: ignore[assignment]
    return engine


@pytest.mark.parametrize("status", ["failed", "canceled"])
def test_a_task_that_did_not_succeed_is_not_acknowledged(status: str) -> None:
    client = FakeClient(status)
    with pytest.raises(ServiceUnavailable, match=status):
        _engine(client).upsert([DOCUMENT])
    with pytest.raises(ServiceUnavailable, match=status):
        _engine(client).delete([DOCUMENT.id])
    assert client.waited == [7, 8]  # each write was awaited before answering


def test_a_succeeded_task_is_acknowledged() -> None:
    client = FakeClient("succeeded")
    _engine(client).upsert([DOCUMENT])
    assert client.waited == [7, 8]  # the documents, then the places the offer no longer has
    assert client.deleted == [f'(offer IN ["{DOCUMENT.id}"] AND place >= 1)']
    _engine(client).delete([DOCUMENT.id])
    assert client.deleted[-1] == f'offer IN ["{DOCUMENT.id}"]'  # every place of the offer
