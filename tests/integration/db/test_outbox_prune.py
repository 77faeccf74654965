"""The outbox is pruned once every consumer has applied an event, and a retention after; nothing else goes.

The public change feed (/elm/changes) is served from its own table (``elm_feed_events``), so a
prune never changes what it answers: replaying it from 0 still gives the dataset.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from ila_register import cli
from ila_register.db.models import OutboxEvent
from ila_register.db.outbox import prune
from ila_register.runtime import Runtime
from ila_register.wiring import Services
from support import Api, FakeClock, rdf_graph

RETENTION = timedelta(days=7)


def _events(runtime: Services, offer_id: str) -> int:
    with runtime.db.read() as session:
        return int(
            session.scalar(
                select(func.count()).select_from(OutboxEvent).where(OutboxEvent.offer_id == uuid.UUID(offer_id))
            )
            or 0
        )


def _eligible(api: Api, token: str, reference: str) -> str:
    offer = api.submit(token, reference=reference)
    decided = api.client.post(
        f"/api/v1/offers/{offer['id']}/decisions",
        headers=api.admin | api.if_match(offer["id"]),
        json={"scheme": "be-vl-opleidingscheques", "decision": "eligible"},
    )
    assert decided.status_code == 200, decided.text
    return str(offer["id"])


def _feed(api: Api) -> tuple[Any, list[dict[str, Any]]]:
    """The whole change feed, read page by page as a harvester does: its context and its items."""
    items: list[dict[str, Any]] = []
    after = 0
    while True:
        page = api.client.get("/elm/changes", params={"after": after, "limit": 2}).json()
        items += page["items"]
        if page["next"] is None:
            return page["@context"], items
        after = page["items"][-1]["seq"]


def _replayed(api: Api, context: Any, items: list[dict[str, Any]]) -> set[Any]:
    graphs: dict[str, set[Any]] = {}
    for item in items:
        if item["change"] == "withdrawn":
            graphs.pop(item["offer"], None)
        else:
            document = {"@context": context, "@graph": item["elm"]}
            graphs[item["offer"]] = set(api.jsonld_graph(document))
    return set().union(*graphs.values()) if graphs else set()


def _prune_job(runtime: Services) -> Any:
    (job,) = [j for j in Runtime(runtime).jobs() if j.name == "outbox-prune"]
    return job


def test_applied_events_older_than_the_retention_are_deleted_and_no_pending_one(
    api: Api, runtime: Services, clock: FakeClock
) -> None:
    _, token = api.register_provider()
    applied = _eligible(api, token, "P-APPLIED")
    withdrawn = _eligible(api, token, "P-WITHDRAWN")
    runtime.drain()
    api.client.delete(f"/api/v1/offers/{withdrawn}", headers=api.auth(token))
    runtime.drain()  # both consumers applied these
    unpublished = _eligible(api, token, "P-FEED-PENDING")
    runtime.sync.drain()  # only the search index applied this one; the feed has not
    feed_before = _feed(api)
    assert all(_events(runtime, i) > 0 for i in (applied, withdrawn, unpublished))

    clock.advance(days=6)
    assert prune(runtime.db, clock, RETENTION) == 0  # within the retention: everything stays
    clock.advance(days=1, seconds=1)
    pruned = prune(runtime.db, clock, RETENTION)

    assert pruned > 0
    assert (_events(runtime, applied), _events(runtime, withdrawn)) == (0, 0)
    assert _events(runtime, unpublished) > 0  # the feed has not applied it: never deleted
    assert runtime.elm.publisher.backlog() == _events(runtime, unpublished)
    assert runtime.sync.backlog() == 0
    # The change feed answers what it answered, and replaying it still gives the dataset.
    assert _feed(api) == feed_before
    runtime.drain()
    assert _events(runtime, unpublished) > 0  # applied by both just now: the retention starts again
    clock.advance(days=7, seconds=1)
    assert _prune_job(runtime).action() > 0  # the scheduled job prunes the same way
    assert _events(runtime, unpublished) == 0
    dataset = api.client.get("/elm/learning-opportunities", headers={"Accept": "text/turtle"}).text
    context, items = _feed(api)
    assert _replayed(api, context, items) == set(rdf_graph(dataset, "turtle"))
    assert items[: len(feed_before[1])] == feed_before[1]
    assert [i["offer"].rsplit("/", 1)[-1] for i in items[len(feed_before[1]) :]] == [unpublished]


def test_an_event_the_search_index_has_not_applied_is_kept(api: Api, runtime: Services, clock: FakeClock) -> None:
    _, token = api.register_provider()
    offer = _eligible(api, token, "P-SEARCH-PENDING")
    runtime.elm.publisher.drain()  # the feed applied it; the search index (down, say) has not
    clock.advance(days=30)
    assert prune(runtime.db, clock, RETENTION) == 0
    assert _events(runtime, offer) == runtime.sync.backlog() > 0
    runtime.sync.drain()
    clock.advance(days=7, seconds=1)
    assert prune(runtime.db, clock, RETENTION) > 0
    assert _events(runtime, offer) == 0
    assert runtime.sync.backlog() == runtime.elm.publisher.backlog() == 0


def test_a_retention_of_zero_prunes_what_every_consumer_applied(api: Api, runtime: Services, clock: FakeClock) -> None:
    _, token = api.register_provider()
    first = _eligible(api, token, "P-ZERO")
    runtime.drain()
    second = _eligible(api, token, "P-ZERO-PENDING")
    assert prune(runtime.db, clock, timedelta(0)) > 0
    assert _events(runtime, first) == 0
    assert _events(runtime, second) > 0


def test_the_command_prunes_with_the_configured_retention(
    api: Api,
    runtime: Services,
    clock: FakeClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    clock.now = datetime(2020, 3, 2, 9, 0, tzinfo=UTC)  # long before the command's own (real) clock
    _, token = api.register_provider()
    applied = _eligible(api, token, "P-CLI")
    runtime.drain()
    pending = _eligible(api, token, "P-CLI-PENDING")
    monkeypatch.setenv("ILA_DATABASE_URL", runtime.settings.database.url)
    monkeypatch.setenv("ILA_VAR_DIR", str(tmp_path / "cli-var"))
    monkeypatch.setenv("ILA_OUTBOX_RETENTION_SECONDS", str(int(RETENTION.total_seconds())))
    with pytest.raises(SystemExit) as exited:
        cli.main(["prune-outbox"])
    out, _ = capsys.readouterr()
    assert exited.value.code == 0
    assert "outbox events deleted" in out
    assert f"{_events(runtime, pending)} still pending for a consumer" in out
    assert _events(runtime, applied) == 0
    assert _events(runtime, pending) > 0
