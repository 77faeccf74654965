"""An index that cannot write (a full disk) loses nothing, says so, and is reconciled with the database."""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

import msgspec
import pytest

from ila_register.cli import main
from ila_register.kernel.exceptions import ServiceUnavailable
from ila_register.search.embedded import EmbeddedSearch
from ila_register.wiring import Services
from support import Api

ENOSPC = "An IO error occurred: 'No space left on device (os error 28) at path \"/srv/var/search-index/.tmpX\"'"


class Disk:
    full = False


class FullDiskWriter:
    """A tantivy writer as it behaves on a full disk (observed with tantivy 0.27 on a full tmpfs).

    Its commit fails with ENOSPC; and a writer whose commit failed is broken for good: reused
    once space is back, it accepts documents and "commits" without writing any of them.
    """

    def __init__(self, inner: Any, disk: Disk) -> None:
        self.inner = inner
        self.disk = disk
        self.broken = False

    def delete_documents_by_term(self, field: str, value: str) -> None:
        if not self.broken:
            self.inner.delete_documents_by_term(field, value)

    def add_document(self, document: Any) -> None:
        if not self.broken:
            self.inner.add_document(document)

    def commit(self) -> int:
        if self.disk.full:
            self.broken = True
            raise ValueError(ENOSPC)
        if self.broken:
            return 0  # acknowledged, and nothing written
        return int(self.inner.commit())

    def rollback(self) -> int:
        return int(self.inner.rollback())

    def wait_merging_threads(self) -> None:
        self.inner.wait_merging_threads()


def _on_a_full_disk(index: EmbeddedSearch, monkeypatch: pytest.MonkeyPatch, disk: Disk) -> None:
    real = EmbeddedSearch._writer_for

    def writer_for(self: EmbeddedSearch, tantivy_index: Any) -> Any:
        writer = real(self, tantivy_index)
        if not isinstance(writer, FullDiskWriter):
            writer = self._writer = FullDiskWriter(writer, disk)  # type: ignore[assignment]
        return writer

    monkeypatch.setattr(EmbeddedSearch, "_writer_for", writer_for)


def _eligible_offers(api: Api, count: int, token: str | None = None) -> list[str]:
    token = token or api.register_provider()[1]
    ids = []
    for _ in range(count):
        offer = api.submit(token, reference=f"DISK-{uuid.uuid4().hex[:8]}")
        answer = api.client.post(
            f"/api/v1/offers/{offer['id']}/decisions",
            headers=api.admin | api.if_match(offer["id"]),
            json={"scheme": "be-vl-opleidingscheques", "decision": "eligible"},
        )
        assert answer.status_code == 200, answer.text
        ids.append(offer["id"])
    return ids


def _found(api: Api) -> set[str]:
    answer = api.client.get("/api/v1/search", params={"q": "boekhouding", "per_page": 100})
    assert answer.status_code == 200, answer.text
    return {hit["id"] for hit in answer.json()["hits"]}


def _run_like_the_worker(runtime: Services) -> None:
    """What the background loop does: apply batches until done or until the index fails."""
    with contextlib.suppress(Exception):
        runtime.sync.drain()


def test_a_full_disk_leaves_changes_pending_and_loses_nothing_when_space_returns(
    api: Api, runtime: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    disk = Disk()
    _on_a_full_disk(runtime.index, monkeypatch, disk)  # type: ignore[arg-type]
    runtime.sync.batch_size = 4  # several batches, as with 60 offers in production
    _, token = api.register_provider()
    first = _eligible_offers(api, 3, token)
    runtime.sync.drain()
    assert _found(api) == set(first)

    disk.full = True
    later = _eligible_offers(api, 6, token)
    _run_like_the_worker(runtime)
    _run_like_the_worker(runtime)  # retried while the disk is still full
    public = api.client.get("/health").json()
    assert public["status"] == "degraded"
    assert public["search"]["status"] == "degraded"
    assert public["search"]["backlog"] > 0
    assert "detail" not in public["search"]  # no paths, no raw errors for the public
    admin = api.client.get("/health", headers=api.admin).json()
    assert admin["search"]["detail"] == (
        "The embedded search index could not be written (no space left on the device); "
        "the changes stay pending and are retried."
    )
    assert "/srv/var" not in str(admin)

    disk.full = False  # space returned
    _run_like_the_worker(runtime)
    health = api.client.get("/health", headers=api.admin).json()
    assert health["search"]["backlog"] == 0
    assert health["status"] == "ok", health
    assert _found(api) == set(first) | set(later)


def test_a_commit_that_kept_nothing_is_not_acknowledged(
    api: Api, runtime: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write the index acknowledges but does not hold (read back after the commit) stays pending."""
    disk = Disk()
    _on_a_full_disk(runtime.index, monkeypatch, disk)  # type: ignore[arg-type]
    original = FullDiskWriter.__init__

    def broken_from_the_start(self: FullDiskWriter, inner: Any, disk: Disk) -> None:
        original(self, inner, disk)
        self.broken = True

    monkeypatch.setattr(FullDiskWriter, "__init__", broken_from_the_start)
    offers = _eligible_offers(api, 2)
    with pytest.raises(ServiceUnavailable, match="did not keep 2 of the documents"):
        runtime.sync.run_once()
    assert api.client.get("/health").json()["search"]["backlog"] > 0

    monkeypatch.undo()
    runtime.sync.drain()
    assert _found(api) == set(offers)
    assert api.client.get("/health").json()["search"]["backlog"] == 0


def test_reconciliation_finds_and_repairs_drift(api: Api, runtime: Services) -> None:
    offers = _eligible_offers(api, 5)
    runtime.sync.drain()
    clean = runtime.sync.reconcile()
    assert (clean.differences, clean.database_documents, clean.index_documents) == (0, 5, 5)
    assert clean.mismatched_shards == []

    # Drift behind the outbox's back: one document lost, one stale, one that should not be there.
    index = runtime.index
    lost, changed = offers[0], offers[1]
    stale = next(index.documents([changed]))
    stray = msgspec.structs.replace(stale, id="0" * 8 + "-0000-4000-8000-" + "0" * 12)
    index.delete([lost])
    index.upsert([msgspec.structs.replace(stale, title_nl="Oude titel"), stray])
    assert _found(api) != set(offers)

    report = runtime.sync.reconcile()
    assert (report.missing, report.stale, report.extra, report.repaired) == (1, 1, 1, 3)
    assert report.database_documents == 5
    assert report.index_documents == 5
    assert set(report.mismatched_shards) == {lost[0], changed[0], "0"}
    assert _found(api) == set(offers)
    assert next(index.documents([changed])) == stale

    health = api.client.get("/health", headers=api.admin).json()
    assert health["search"]["reconciliation"]["missing"] == 1
    assert health["search"]["reconciliation"]["repaired"] == 3
    assert "reconciliation" not in api.client.get("/health").json()["search"]
    assert runtime.sync.reconcile().differences == 0


def test_pending_changes_are_not_counted_as_drift(api: Api, runtime: Services) -> None:
    _eligible_offers(api, 2)  # accepted, not yet applied: the backlog, not drift
    report = runtime.sync.reconcile()
    assert (report.missing, report.pending, report.repaired) == (0, 2, 0)
    assert runtime.sync.backlog() > 0


def test_reconciliation_on_demand_by_api_and_cli(
    api: Api, runtime: Services, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    offers = _eligible_offers(api, 2)
    runtime.sync.drain()
    runtime.index.delete([offers[0]])

    assert api.client.post("/api/v1/search/reconciliations", json={"repair": True}).status_code == 401
    check = api.client.post("/api/v1/search/reconciliations", json={"repair": False}, headers=api.admin)
    assert (check.json()["missing"], check.json()["repaired"]) == (1, 0)
    answer = api.client.post("/api/v1/search/reconciliations", json={"repair": True}, headers=api.admin)
    assert answer.status_code == 200, answer.text
    assert answer.json()["missing"] == 1
    assert answer.json()["repaired"] == 1
    assert _found(api) == set(offers)

    runtime.index.delete([offers[1]])
    runtime.index.close()  # the CLI opens the index on its own, as a separate process would
    monkeypatch.setenv("ILA_DATABASE_URL", runtime.settings.database.url)
    monkeypatch.setenv("ILA_SEARCH_PATH", str(runtime.settings.search.embedded_path))
    monkeypatch.setenv("ILA_VAR_DIR", str(runtime.settings.search.embedded_path.parent))
    with pytest.raises(SystemExit) as exit_code:
        main(["reconcile"])
    assert exit_code.value.code == 0
    out = capsys.readouterr().out
    assert "1 missing, 0 stale, 0 extra" in out
    assert "1 repaired" in out
    assert _found(api) == set(offers)
