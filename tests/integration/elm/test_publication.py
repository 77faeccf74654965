"""ELM publication: conformant in every format, harvestable with ETags, a replayable feed, 410s."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from rdflib import Graph, URIRef

from ila_register.demo.seed import seed_demo
from ila_register.elm.conformance import Conformance, ShapeLibrary
from ila_register.elm.notify import NotifySettings, QdrNotifier
from ila_register.wiring import Services
from support import ELM, Api, FakeClock, example, rdf_graph, replay_feed, shacl_report

PARSERS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml"}


def _triples(text: str, fmt: str, api: Api | None = None) -> set[tuple[Any, Any, Any]]:
    """The triples of a document; JSON-LD is read with the contexts the register serves (``api``), offline."""
    if fmt == "jsonld":
        assert api is not None
        return set(api.jsonld_graph(text))
    return set(rdf_graph(text, PARSERS[fmt]))


def _publish(api: Api, runtime: Services, **changes: Any) -> str:
    _, token = api.register_provider(**changes.pop("provider", {}))
    offer = api.submit(token, **changes)
    api.client.post(
        f"/api/v1/offers/{offer['id']}/decisions",
        headers=api.admin | api.if_match(offer["id"]),
        json={"scheme": "be-vl-opleidingscheques", "decision": "eligible"},
    )
    runtime.drain()
    return str(offer["id"])


def test_the_demo_dataset_conforms_in_every_format(api: Api, runtime: Services) -> None:
    seed_demo(runtime.settings, show_progress=False)
    runtime.drain()
    turtle = api.client.get("/elm/learning-opportunities", headers={"Accept": "text/turtle"}).text
    conforms, report = shacl_report(turtle)
    assert conforms, report[:3000]
    reference = _triples(turtle, "ttl")
    assert len({s for s, p, o in reference if str(o).endswith("LearningOpportunity")}) >= 150
    for fmt in ("nt", "jsonld", "rdfxml"):
        answer = api.client.get("/elm/learning-opportunities", params={"format": fmt})
        assert answer.status_code == 200
        assert _triples(answer.text, fmt, api) == reference, fmt
    xml = api.client.get("/elm/learning-opportunities", headers={"Accept": "application/xml"})
    schema = etree.XMLSchema(file=str(ELM / "xsd" / "loq.xsd"))
    document = etree.fromstring(xml.content)
    assert schema.validate(document), schema.error_log


def test_etags_and_dates_make_unchanged_checks_free(api: Api, runtime: Services) -> None:
    _publish(api, runtime)
    first = api.client.get("/elm/learning-opportunities")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert etag.startswith('"ds-')
    assert api.client.get("/elm/learning-opportunities", headers={"If-None-Match": etag}).status_code == 304
    assert api.client.get("/elm/learning-opportunities", headers={"If-Modified-Since": modified}).status_code == 304
    other_format = api.client.get(
        "/elm/learning-opportunities", params={"format": "nt"}, headers={"If-None-Match": etag}
    )
    assert other_format.status_code == 200  # another representation, another ETag
    _publish(api, runtime, provider={"kbo_number": "0202.239.951"}, reference="NEW")
    changed = api.client.get("/elm/learning-opportunities", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag


def test_gzip_when_asked(api: Api, runtime: Services) -> None:
    offer_id = _publish(api, runtime)
    answer = api.client.get("/elm/learning-opportunities", headers={"Accept-Encoding": "gzip"})
    assert answer.headers["content-encoding"] == "gzip"
    assert offer_id in answer.text  # the client decompressed it
    assert answer.headers["etag"].endswith('-gz"')


def test_persistent_uris_negotiate_and_withdrawn_ones_are_gone(api: Api, runtime: Services) -> None:
    _, token = api.register_provider()
    offer = api.submit(token)
    api.client.post(
        f"/api/v1/offers/{offer['id']}/decisions",
        headers=api.admin | api.if_match(offer["id"]),
        json={"scheme": "be-vl-opleidingscheques", "decision": "eligible"},
    )
    runtime.drain()
    uri = f"/id/learning-opportunity/{offer['id']}"
    subject = URIRef(f"https://register.example.be{uri}")
    for accept, fmt in (
        ("text/turtle", "ttl"),
        ("application/ld+json", "jsonld"),
        ("application/rdf+xml", "rdfxml"),
        ("application/n-triples", "nt"),
    ):
        answer = api.client.get(uri, headers={"Accept": accept})
        assert answer.headers["content-type"].startswith(accept)
        assert any(s == subject for s, _p, _o in _triples(answer.text, fmt, api)), fmt
    plain = api.client.get(uri, headers={"Accept": "application/json"}).json()
    assert plain["offer"]["reference"] == "KA-BOEK-2027-01"
    assert plain["funded_by"] == ["be-vl-opleidingscheques"]
    organisation = plain["provider"].removeprefix("https://register.example.be")
    assert "rov:legalName" in api.client.get(organisation, headers={"Accept": "text/turtle"}).text
    api.client.delete(f"/api/v1/offers/{offer['id']}", headers=api.auth(token))
    runtime.drain()
    gone = api.client.get(uri, headers={"Accept": "text/turtle"})
    assert gone.status_code == 410
    assert gone.json()["type"] == "/problems/gone"
    assert api.client.get(f"/id/learning-opportunity/{uuid.uuid4()}").status_code == 404


def test_replaying_the_feed_reproduces_the_dataset(api: Api, runtime: Services) -> None:
    provider_id, token = api.register_provider()
    ids = []
    for number in range(4):
        offer = api.submit(token, reference=f"F-{number}")
        ids.append(offer["id"])
        api.client.post(
            f"/api/v1/offers/{offer['id']}/decisions",
            headers=api.admin | api.if_match(offer["id"]),
            json={"scheme": "be-vl-opleidingsverlof", "decision": "eligible"},
        )
    runtime.drain()
    etag = api.client.get(f"/api/v1/offers/{ids[1]}", headers=api.auth(token)).headers["etag"]
    api.client.put(
        f"/api/v1/offers/{ids[1]}",
        json=example("offer-training.json") | {"reference": "F-1", "duration_hours": 70},
        headers=api.auth(token, **{"If-Match": etag}),
    )
    api.client.post(
        f"/api/v1/offers/{ids[1]}/decisions",
        headers=api.admin | api.if_match(ids[1]),
        json={"scheme": "be-vl-opleidingscheques", "decision": "eligible"},
    )
    api.client.delete(f"/api/v1/offers/{ids[2]}", headers=api.auth(token))
    runtime.drain()
    replayed = replay_feed(api, limit=3)
    dataset = _triples(api.client.get("/elm/learning-opportunities").text, "ttl")
    assert replayed == dataset
    changes = [i["change"] for i in api.client.get("/elm/changes", params={"limit": 100}).json()["items"]]
    # The offer withdrawn later reads as a tombstone already where it was created.
    assert changes == ["created", "created", "withdrawn", "created", "updated", "withdrawn"]
    assert api.client.get(f"/id/learning-opportunity/{ids[2]}").status_code == 410
    assert provider_id


def test_an_offer_failing_the_shapes_is_left_out_with_its_reasons(api: Api, runtime: Services, tmp_path: Path) -> None:
    # A stricter copy of the official shapes: a learning opportunity must be described in two languages.
    shapes = ShapeLibrary.official()
    extra = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix elm: <http://data.europa.eu/snb/model/elm/> .
        @prefix dc: <http://purl.org/dc/terms/> .
        <urn:test:TwoLanguages> a sh:NodeShape ; sh:targetClass elm:LearningOpportunity ;
            sh:property [ sh:path dc:description ; sh:minCount 2 ] .
    """,
        format="turtle",
    )
    runtime.elm.publisher.conformance = Conformance(ShapeLibrary([shapes.graph, extra]))
    offer_id = _publish(api, runtime, description={"nl": "Alleen in het Nederlands."})
    assert offer_id not in api.client.get("/elm/learning-opportunities").text
    assert api.client.get(f"/id/learning-opportunity/{offer_id}").status_code == 404
    excluded = api.client.get("/elm/problems", headers=api.admin).json()
    assert [e["offer_id"] for e in excluded] == [offer_id]
    assert "needs at least 2 value(s), has 1" in excluded[0]["problems"][0]
    assert api.client.get("/elm/changes").json()["items"] == []


def test_catalog_describes_the_distributions(api: Api, runtime: Services) -> None:
    _publish(api, runtime)
    catalog = Graph().parse(data=api.client.get("/elm/catalog").text, format="turtle")
    distributions = set(catalog.objects(None, URIRef("http://www.w3.org/ns/dcat#distribution")))
    assert len(distributions) == 6  # five downloads and the event stream
    assert api.client.get("/elm/catalog", headers={"Accept": "application/ld+json"}).json()["@graph"]


class _Qdr(BaseHTTPRequestHandler):
    received: list[tuple[dict[str, Any], str | None]] = []
    failures = 0

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if _Qdr.failures:
            _Qdr.failures -= 1
            self.send_response(503)
        else:
            _Qdr.received.append((body, self.headers.get("X-API-Key")))
            self.send_response(202)
        self.end_headers()

    def log_message(self, *_args: Any) -> None:
        return


@pytest.fixture
def qdr() -> Iterator[str]:
    _Qdr.received, _Qdr.failures = [], 0
    server = HTTPServer(("127.0.0.1", 0), _Qdr)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/notify"
    server.shutdown()
    server.server_close()


def test_the_qdr_is_notified_once_per_quiet_batch_and_retried(
    api: Api, runtime: Services, clock: FakeClock, qdr: str
) -> None:
    notifier = QdrNotifier(runtime.db, clock, NotifySettings(url=qdr, api_key="qdr-key", base_uri="https://r.example"))
    _publish(api, runtime)
    assert notifier.run_once() == 0  # debounced: the change is only now
    clock.advance(seconds=11)
    _Qdr.failures = 1
    with pytest.raises(Exception, match="503"):
        notifier.run_once()
    assert notifier.run_once() == 1
    assert notifier.run_once() == 0  # nothing new: announced once
    ((body, key),) = _Qdr.received
    assert key == "qdr-key"
    assert body["changed_offers"] == 1
    assert body["dataset"] == "https://r.example/elm/learning-opportunities"
    other = QdrNotifier(runtime.db, clock, NotifySettings(url=qdr, api_key="qdr-key", base_uri="https://r.example"))
    assert other.run_once() == 0  # another instance: the lease is held
    assert notifier.position() >= 1
    assert uuid.UUID(api.client.get("/elm/changes").json()["items"][0]["offer"].rsplit("/", 1)[1])


def test_the_public_feed_gives_no_reason_for_a_removal_beyond_withdrawn(api: Api, runtime: Services) -> None:
    provider_id, token = api.register_provider()
    offer_id = _publish_for(api, runtime, token)
    suspended = api.client.post(
        f"/api/v1/providers/{provider_id}/status",
        json={"status": "suspended", "reason": "Kwaliteitsaudit: fraude vastgesteld"},
        headers=api.admin,
    )
    assert suspended.status_code == 200
    runtime.drain()

    items = api.client.get("/elm/changes").json()["items"]
    uri = api.client.get(f"/id/learning-opportunity/{offer_id}", headers={"Accept": "text/turtle"})

    # the creation (read back as a tombstone, the offer being out now) and the removal
    assert [(i["change"], i.get("reason")) for i in items] == [("withdrawn", "withdrawn from the register")] * 2
    assert "suspend" not in json.dumps(items).lower()
    assert uri.status_code == 410  # gone, as a withdrawal reads: the cause is not public
    assert "suspend" not in uri.text.lower()
    # the people who run the register still see why
    history = api.client.get(f"/api/v1/offers/{offer_id}/history", headers=api.admin).text
    assert "suspend" in history.lower()


def _publish_for(api: Api, runtime: Services, token: str) -> str:
    offer = api.submit(token)
    api.client.post(
        f"/api/v1/offers/{offer['id']}/decisions",
        headers=api.admin | api.if_match(offer["id"]),
        json={"scheme": "be-vl-opleidingscheques", "decision": "eligible"},
    )
    runtime.drain()
    return str(offer["id"])


def test_a_weak_tag_of_the_current_version_is_not_modified(api: Api, runtime: Services) -> None:
    """If-None-Match uses weak comparison (RFC 9110 §13.1.2): W/"…" of the current version is a 304."""
    _publish(api, runtime)
    etag = api.client.get("/elm/learning-opportunities").headers["etag"]
    assert api.client.get("/elm/learning-opportunities", headers={"If-None-Match": f"W/{etag}"}).status_code == 304
    listed = api.client.get("/elm/learning-opportunities", headers={"If-None-Match": f'"other", W/{etag}'})
    assert listed.status_code == 304
    assert api.client.get("/elm/learning-opportunities", headers={"If-None-Match": '"other"'}).status_code == 200


def _gone_everywhere(api: Api, offer_id: str) -> list[str]:
    """The public answers for an offer that is no longer published: the details of every /id format."""
    details = []
    for fmt in ("ttl", "nt", "jsonld", "rdfxml", "xml", "json"):
        answer = api.client.get(f"/id/learning-opportunity/{offer_id}", params={"format": fmt})
        assert answer.status_code == 410, (fmt, answer.text)
        assert answer.json()["type"] == "/problems/gone"
        details.append(answer.json()["detail"].replace(offer_id, "{id}"))
    page = api.client.get(f"/offers/{offer_id}", params={"lang": "en"})
    assert page.status_code == 410
    details.append(page.text.split("<main", 1)[-1])
    return details


def test_an_offer_no_longer_published_is_gone_the_same_way_whatever_the_cause(api: Api, runtime: Services) -> None:
    _, own_token = api.register_provider()
    withdrawn = api.submit(own_token)["id"]
    suspended_provider, suspended_token = api.register_provider(kbo_number="0417.497.106")
    suspended = api.submit(suspended_token)["id"]
    never = api.submit(suspended_token, reference="NEVER")["id"]  # never eligible, never published
    for offer_id in (withdrawn, suspended):
        api.client.post(
            f"/api/v1/offers/{offer_id}/decisions",
            headers=api.admin | api.if_match(offer_id),
            json={"scheme": "be-vl-opleidingscheques", "decision": "eligible"},
        )
    runtime.drain()
    assert api.client.get(f"/id/learning-opportunity/{suspended}").status_code == 200
    # One offer withdrawn by its provider, the other out because its provider was suspended.
    assert api.client.delete(f"/api/v1/offers/{withdrawn}", headers=api.auth(own_token)).status_code == 200
    answer = api.client.post(
        f"/api/v1/providers/{suspended_provider}/status",
        headers=api.admin,
        json={"status": "suspended", "reason": "Audit findings"},
    )
    assert answer.status_code == 200, answer.text
    for drained in (False, True):  # before and after the publisher caught up
        if drained:
            runtime.drain()
        assert _gone_everywhere(api, withdrawn) == _gone_everywhere(api, suspended)
        assert not any("provider" in detail for detail in _gone_everywhere(api, suspended)[:-1])
    for fmt in ("ttl", "json"):
        assert api.client.get(f"/id/learning-opportunity/{never}", params={"format": fmt}).status_code == 404
    assert api.client.get(f"/offers/{never}").status_code == 404
