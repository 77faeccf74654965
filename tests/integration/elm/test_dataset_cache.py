"""The dataset is rendered once per format and version, served from storage, and limited per client."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from ila_register.elm.terms import Triple
from ila_register.platform.limits import RateLimit
from ila_register.wiring import Services
from support import Api

DATASET = "/elm/learning-opportunities"
PLAIN = {"Accept-Encoding": "identity"}  # the test client asks for gzip unless told otherwise


def _publish(api: Api, runtime: Services, token: str, reference: str) -> str:
    offer = api.submit(token, reference=reference)
    api.client.post(
        f"/api/v1/offers/{offer['id']}/decisions",
        headers=api.admin | api.if_match(offer["id"]),
        json={"scheme": "be-vl-opleidingscheques", "decision": "eligible"},
    )
    runtime.drain()
    return str(offer["id"])


@pytest.fixture
def renderings(runtime: Services, monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many times the whole dataset was computed from the database (slowed down a little)."""
    counted: Counter[str] = Counter()
    original = runtime.elm.published_graphs

    def counting(progress: Any = None, *, loq: bool = False) -> Iterator[list[Triple]]:
        counted["dataset"] += 1
        time.sleep(0.2)  # rendering is slow: concurrent requests must not each do it
        yield from original(progress, loq=loq)

    monkeypatch.setattr(runtime.elm, "published_graphs", counting)
    return counted


def test_each_version_and_format_is_rendered_once(api: Api, runtime: Services, renderings: Counter[str]) -> None:
    _, token = api.register_provider()
    first = _publish(api, runtime, token, "C-1")
    answers = [api.client.get(DATASET, headers=PLAIN) for _ in range(3)]
    assert {a.status_code for a in answers} == {200}
    assert all(first in a.text for a in answers)
    assert len({a.content for a in answers}) == 1
    assert int(answers[0].headers["content-length"]) == len(answers[0].content)
    assert renderings["dataset"] == 1

    zipped = api.client.get(DATASET, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.content == answers[0].content  # decompressed by the client
    assert renderings["dataset"] == 1  # compressed from the stored rendition

    assert first in api.client.get(DATASET, params={"format": "nt"}, headers=PLAIN).text
    assert renderings["dataset"] == 2  # another format, rendered once too

    second = _publish(api, runtime, token, "C-2")  # a new version of the dataset
    again = api.client.get(DATASET, headers=PLAIN)
    assert second in again.text
    assert again.headers["etag"] != answers[0].headers["etag"]
    api.client.get(DATASET, headers=PLAIN)
    assert renderings["dataset"] == 3
    stored = sorted(p.name for p in runtime.settings.publication.cache_dir.iterdir() if not p.name.endswith(".lock"))
    seq = runtime.elm.version().seq
    assert stored == sorted(  # older versions pruned, nothing half-written left behind
        [f"dataset-{seq}.ttl", f"dataset-{seq - 1}.nt", f"dataset-{seq - 1}.ttl.gz"]
    )


def test_concurrent_requests_wait_for_one_rendering(api: Api, runtime: Services, renderings: Counter[str]) -> None:
    _, token = api.register_provider()
    _publish(api, runtime, token, "C-1")
    version = runtime.elm.version()
    sizes: list[int] = []

    def fetch() -> None:
        handle = runtime.elm.dataset_file("ttl", version, False)
        assert handle is not None
        with handle:
            sizes.append(len(handle.read()))

    threads = [threading.Thread(target=fetch) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert renderings["dataset"] == 1
    assert len(sizes) == 8
    assert len(set(sizes)) == 1


def test_full_downloads_are_limited_per_client_but_unchanged_checks_are_not(
    api: Api, runtime: Services, renderings: Counter[str]
) -> None:
    runtime.limits.dataset = RateLimit(runtime.clock, 2, 60.0, "full dataset downloads")
    _, token = api.register_provider()
    _publish(api, runtime, token, "C-1")
    etag = api.client.get(DATASET).headers["etag"]
    assert api.client.get(DATASET, params={"format": "nt"}).status_code == 200
    refused = api.client.get(DATASET)
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["type"] == "/problems/too-many-requests"
    assert "At most 2 full dataset downloads per client every 60 s" in refused.json()["detail"]
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    for _ in range(5):  # a harvester checking for changes is never refused
        assert api.client.get(DATASET, headers={"If-None-Match": etag}).status_code == 304
    runtime.clock.advance(seconds=61)  # type: ignore[attr-defined]
    assert api.client.get(DATASET).status_code == 200


def test_if_none_match_compares_weakly(api: Api, runtime: Services) -> None:
    _, token = api.register_provider()
    _publish(api, runtime, token, "C-1")
    etag = api.client.get(DATASET).headers["etag"]
    assert api.client.get(DATASET, headers={"If-None-Match": f"W/{etag}"}).status_code == 304
    assert api.client.get(DATASET, headers={"If-None-Match": f'"other", W/{etag}'}).status_code == 304
    assert api.client.get(DATASET, headers={"If-None-Match": 'W/"ds-0-ttl"'}).status_code == 200


def test_head_downloads_nothing_so_it_counts_for_nothing_and_renders_nothing(
    api: Api, runtime: Services, renderings: Counter[str]
) -> None:
    runtime.limits.dataset = RateLimit(runtime.clock, 2, 60.0, "full dataset downloads")
    _, token = api.register_provider()
    _publish(api, runtime, token, "C-1")
    got = api.client.get(DATASET, params={"format": "nt"}, headers=PLAIN)
    assert got.status_code == 200
    for _ in range(10):  # `curl -I`, ten times
        head = api.client.head(DATASET, params={"format": "nt"}, headers=PLAIN)
        assert head.status_code == 200
        assert head.content == b""
        assert head.headers["etag"] == got.headers["etag"]
        assert head.headers["content-length"] == got.headers["content-length"]
    assert api.client.get(DATASET, params={"format": "nt"}, headers=PLAIN).status_code == 200  # the 2nd download
    assert renderings["dataset"] == 1

    _publish(api, runtime, token, "C-2")  # a version nobody downloaded yet
    head = api.client.head(DATASET, params={"format": "jsonld"}, headers=PLAIN)
    assert head.status_code == 200
    assert head.headers["content-type"].startswith("application/ld+json")
    assert "etag" in head.headers
    assert renderings["dataset"] == 1  # a HEAD renders nothing, and reads no stored rendition
