"""The register's LOQ XML export of the seeded demo register, imported by a new provider through the API.

The graph comparison of export -> import -> export is tests/unit/imports/test_loq_round_trip.py;
this is the same file through the register itself: the dataset as served, the import job as a
provider runs it, and its report.
"""

from __future__ import annotations

from collections import defaultdict

from lxml import etree

from ila_register.demo.seed import seed_demo
from ila_register.wiring import Services
from support import ELM, Api

LOQ = "{http://data.europa.eu/snb/model/ap/loq-constraints/}"


def test_the_demo_dataset_in_loq_xml_imports_for_a_new_provider_without_a_rejection(
    api: Api, runtime: Services
) -> None:
    seed_demo(runtime.settings, show_progress=False)
    runtime.drain()
    exported = api.client.get("/elm/learning-opportunities", headers={"Accept": "application/xml"})
    document = etree.fromstring(exported.content)
    assert etree.XMLSchema(file=str(ELM / "xsd" / "loq.xsd")).validate(document)
    opportunities = document.findall(f"{LOQ}learningOpportunityReferences/{LOQ}learningOpportunity")
    offers = [o for o in opportunities if o.find(f"{LOQ}isPartOf") is None]
    sessions = len(opportunities) - len(offers)
    assert len(offers) >= 200
    assert sessions > len(offers)  # the demo offers have one to three sessions each

    _provider_id, token = api.register_provider(name={"nl": "Nieuwe aanbieder", "en": "New provider"})
    upload = api.client.post(
        "/api/v1/imports",
        content=exported.content,
        headers=api.auth(token) | {"Content-Type": "application/xml"},
        params={"dry_run": "true"},
    )
    assert upload.status_code == 202, upload.text
    assert runtime.imports.run_once() == 1
    job = api.client.get(upload.headers["location"], headers=api.auth(token), params={"problems_limit": 10_000}).json()

    assert job["status"] == "succeeded", job.get("error")
    assert job["records_total"] == len(offers)
    assert job["counts"]["rejected"] == 0, [p for p in job["problems"] if p["severity"] == "error"][:5]
    assert job["counts"]["created"] == len(offers)
    notes = defaultdict(list)
    for problem in job["problems"]:
        notes[problem["record"]].append(problem["detail"])
    assert set(notes) == set(range(1, len(offers) + 1))  # every record has its notes in the report
    # What the register cannot take from its own export is the provider and the decisions on funding.
    assert all(any(n.startswith("schemes_requested: ") for n in found) for found in notes.values())
    assert all(any("providedBy is not read" in n for n in found) for found in notes.values())
