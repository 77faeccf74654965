"""HEAD works on every GET resource (RFC 9110 §9.3.2): same status and headers as GET, no body."""

from __future__ import annotations

import re
import uuid

from ila_register.eligibility.stats import CSV_TABLES
from ila_register.wiring import Services
from support import Api

# Header values that legitimately differ between two requests.
VARYING = {"date", "set-cookie"}


def _get_routes(api: Api) -> list[str]:
    return sorted(route.path for route in api.client.app.routes if "GET" in (getattr(route, "methods", None) or ()))


def test_every_get_route_answers_head_like_get(api: Api, runtime: Services) -> None:
    provider_id, token = api.register_provider()
    offer = api.submit(token)
    api.client.post(
        f"/api/v1/offers/{offer['id']}/decisions",
        headers=api.admin | api.if_match(offer["id"]),
        json={"scheme": "be-vl-opleidingscheques", "decision": "eligible"},
    )
    runtime.drain()
    values = {
        "offer_id": offer["id"],
        "provider_id": provider_id,
        "slug": "not-found",
        "scheme_id": "be-vl-opleidingscheques",
        "name": "modes",
        "job_id": str(uuid.uuid4()),  # unknown: HEAD answers the same 404 as GET
        "table": next(iter(CSV_TABLES)),
        "file_path": "register.css",
        "path": "openapi.yaml",
        "number": "0",  # the event stream's root page
        "seq": "1",  # its first member ...
        "node": "period",  # ... and a node of that version
        "iri_path": f"learning-opportunity/{offer['id']}/specification",  # any part of a published offer
        "list_name": "target-groups",
        "code": "jobseeker",
    }
    checked = []
    for template in _get_routes(api):
        path = re.sub(r"\{(\w+):\w+\}", lambda m: values[m.group(1)], template)
        for headers in ({}, api.admin):
            got = api.client.get(path, headers=headers)
            head = api.client.head(path, headers=headers)
            assert head.status_code == got.status_code, (path, head.status_code, head.text)
            assert head.content == b"", path
            same = {k: v for k, v in got.headers.items() if k not in VARYING and k != "content-length"}
            assert {k: v for k, v in head.headers.items() if k in same} == same, path
            assert set(head.headers) - VARYING >= set(got.headers) - VARYING, path
            if "content-length" in head.headers and got.headers.get("content-encoding") is None:
                assert int(head.headers["content-length"]) == len(got.content), path
        checked.append(template)
    assert len(checked) >= 30  # every GET route of the app, not a hand-picked few
    assert {"/health", "/elm/learning-opportunities", "/api/v1/search", "/"} <= set(checked)
