"""Two instances draining one outbox: each event reaches the index once, in order per offer."""

from __future__ import annotations

import random
import re
import threading
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import msgspec

from conftest import make_settings
from ila_register.offers.schemas import OfferCreate
from ila_register.platform.auth import Principal
from ila_register.providers.schemas import ProviderCreate
from ila_register.search.documents import SearchDocument
from ila_register.search.interface import SearchQuery
from ila_register.search.sync import SearchSync
from ila_register.wiring import Services
from support import FakeClock, example

STEP = re.compile(r"step (\d+)")
DESCRIPTION_NL = example("offer-training.json")["description"]["nl"].rstrip(".")
ADMIN = Principal(role="admin", token_id="test")


class RecordingIndex:
    """Wraps the real index and notes, per offer, which step of the writer each upsert carried."""

    def __init__(self, inner: Any, log: dict[str, list[int]], lock: threading.Lock) -> None:
        self.inner = inner
        self.log = log
        self.lock = lock

    def upsert(self, documents: Sequence[SearchDocument]) -> None:
        with self.lock:  # one writer at a time, as the lease guarantees; the lock only guards the log
            for document in documents:
                found = STEP.search(msgspec.json.encode(document).decode())
                self.log[document.id].append(int(found.group(1)) if found else 0)
            self.inner.upsert(documents)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_two_consumers_apply_each_event_once_in_order(runtime: Services, database_url: str, tmp_path: Path) -> None:
    second = Services.build(make_settings(database_url, tmp_path / "second"), clock=FakeClock(), migrate=False)
    log: dict[str, list[int]] = defaultdict(list)
    lock = threading.Lock()
    consumers: list[SearchSync] = []
    for instance in (runtime, second):
        instance.sync.index = RecordingIndex(runtime.index, log, lock)  # type: ignore[assignment]
        consumers.append(instance.sync)
    registration = runtime.providers.register(ADMIN, msgspec.convert(example("provider.json"), ProviderCreate))
    owner = Principal(role="provider", token_id="t", provider_id=registration.provider.id)
    offers = [
        runtime.offers.submit(
            owner, msgspec.convert(example("offer-training.json") | {"reference": f"R{n}"}, OfferCreate)
        )
        for n in range(4)
    ]
    for view in offers:
        runtime.eligibility.decide(ADMIN, view.offer.id, "be-vl-opleidingscheques", "eligible", None, if_match="*")

    stop = threading.Event()

    applied = {id(c): 0 for c in consumers}

    def consume(consumer: SearchSync) -> None:
        pause = random.Random(id(consumer))  # noqa: S311 - jitter, not security
        while not stop.is_set():
            applied[id(consumer)] += consumer.run_once()
            time.sleep(pause.random() * 0.004)  # as background loops do between batches

    threads = [threading.Thread(target=consume, args=(c,)) for c in consumers]
    for thread in threads:
        thread.start()
    try:
        for step in range(1, 31):  # the writer: every offer changes thirty times
            for view in offers:
                current = runtime.offers.get(owner, view.offer.id)
                document = msgspec.to_builtins(current.offer.content)
                # A typo-sized edit of the approved text, so each version is published at once
                # (a rewrite would wait for review: issue 13, item 4).
                document["description"] = document["description"] | {"nl": f"{DESCRIPTION_NL}, step {step}."}
                runtime.offers.update(owner, view.offer.id, msgspec.convert(document, OfferCreate), current.etag)
        deadline = time.monotonic() + 30
        while runtime.sync.backlog() and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
        second.close()

    assert runtime.sync.backlog() == 0
    assert [c.reprocessed for c in consumers] == [0, 0]
    assert all(applied.values()), applied  # both instances took turns
    for view in offers:
        steps = log[str(view.offer.id)]
        assert steps == sorted(steps), steps  # never an older state after a newer one
        assert steps[-1] == 30  # and the index ends with the last one
    hits = {h.document.id for h in runtime.index.search(SearchQuery(text="step 30", per_page=50)).hits}
    assert hits == {str(v.offer.id) for v in offers}
