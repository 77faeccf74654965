"""The register's own LOQ XML export, imported for a new provider, exports again as the same graph.

Over the whole published demo dataset: every record is accepted, the second export equals the
first for everything loq.xsd carries (modulo the provider's identity and the offers' ids), and
every value of an offer the import could not take is named in a note on its record.
"""

from __future__ import annotations

import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import msgspec
from lxml import etree

from ila_register.demo.generator import generate_demo
from ila_register.elm.loq_xml import LoqXmlWriter, load_loq_xml_mapping
from ila_register.imports.loq_xml import LoqReader
from ila_register.imports.records import SourceRecord
from ila_register.kernel.exceptions import InvalidDocument
from ila_register.offers.domain import OfferContent
from ila_register.offers.schemas import OfferCreate
from ila_register.providers.domain import Provider
from offer_graphs import Graphs
from support import ELM, ROOT, example

LOQ = "{http://data.europa.eu/snb/model/ap/loq-constraints/}"
# The provider's own identity: another provider imports the offers, so these differ by design.
PROVIDER_ELEMENTS = {f"{LOQ}providedBy", f"{LOQ}publisher"}
# When the register last changed the offer: a new offer is new.
REGISTER_ELEMENTS = {f"{LOQ}modified"}


def _published_demo(graphs: Graphs) -> list[tuple[int, Provider, uuid.UUID, OfferContent, list[str]]]:
    """The demo offers the register publishes (eligible for a scheme), with their provider and schemes."""
    published = []
    for number, demo_provider in enumerate(generate_demo().providers):
        provider = graphs.provider(demo_provider.document, uuid.UUID(int=1000 + number))
        for index, offer in enumerate(demo_provider.offers):
            eligible = sorted(s for s, (outcome, _reason) in offer.decisions.items() if outcome == "eligible")
            if eligible:
                content = graphs.content(offer.document)
                published.append((number, provider, uuid.UUID(int=(number << 16) + index), content, eligible))
    return published


def _export(graphs: Graphs, writer: LoqXmlWriter, path: Path, offers: list[Any]) -> etree._Element:
    with path.open("wb") as out:
        writer.write((graphs.loq_offer(c, p, i, e) for _n, p, i, c, e in offers), out)
    root = etree.parse(str(path)).getroot()
    schema = etree.XMLSchema(file=str(ELM / "xsd" / "loq.xsd"))
    assert schema.validate(root), schema.error_log.filter_from_errors()
    return root


def _canonical(root: etree._Element) -> Counter[Any]:
    """The learning opportunities that are no part of another, as trees: idrefs replaced by what they
    point at, ids dropped, children unordered (a graph has no order), the provider a placeholder."""
    by_id = {e.get("id"): e for e in root.iter() if e.get("id") is not None}

    def tree(element: etree._Element, path: tuple[str, ...]) -> str | None:
        """The element as a canonical string (equal strings: equal trees)."""
        tag = etree.QName(element).localname
        if element.tag in REGISTER_ELEMENTS:
            return None
        if element.tag in PROVIDER_ELEMENTS:
            return f"{tag}(the importing provider)"
        ref = element.get("idref")
        if ref is not None:
            if ref in path:
                return f"{tag}(back {len(path) - path.index(ref)})"
            element, path = by_id[ref], (*path, ref)
        attributes = sorted((k, v) for k, v in element.attrib.items() if k not in {"id", "idref"})
        children = sorted(c for child in element if (c := tree(child, path)) is not None)
        return repr((tag, attributes, (element.text or "").strip(), children))

    wholes = [
        o
        for o in root.iterfind(f"{LOQ}learningOpportunityReferences/{LOQ}learningOpportunity")
        if o.find(f"{LOQ}isPartOf") is None
    ]
    return Counter(tree(o, (o.get("id"),)) for o in wholes)


def _leaves(value: Any, path: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        return {k: v for key, item in value.items() for k, v in _leaves(item, f"{path}/{key}").items()}
    if isinstance(value, list):
        return {k: v for i, item in enumerate(value) for k, v in _leaves(item, f"{path}/{i}").items()} or {path: []}
    return {path: value}


def _imported(graphs: Graphs, record: SourceRecord) -> tuple[OfferContent | None, list[tuple[str, str]]]:
    """What the import service makes of a record: its content, or its problems (the reader's, then the validator's)."""
    problems = list(record.problems)
    try:
        content = graphs.validator.validate(msgspec.convert(record.document, OfferCreate))
    except InvalidDocument as invalid:
        problems += [(p.pointer, p.detail) for p in invalid.problems]
        content = None
    except msgspec.ValidationError as error:
        problems.append(("", str(error)))
        content = None
    return (content if not problems else None), problems


def test_export_import_export_keeps_everything_the_xsd_carries(tmp_path: Path) -> None:
    graphs = Graphs()
    writer = LoqXmlWriter(load_loq_xml_mapping(ROOT / "elm_mappings" / "loq-xml.toml"))
    published = _published_demo(graphs)
    first = _export(graphs, writer, tmp_path / "first.xml", published)

    records = list(LoqReader(graphs.vocab).read(tmp_path / "first.xml"))

    assert len(records) == len(published) > 200
    imported = [_imported(graphs, r) for r in records]
    rejected = {r.location: problems for r, (_c, problems) in zip(records, imported, strict=True) if problems}
    assert len(rejected) == 0, list(rejected.items())[:5]

    # Each demo provider's offers are imported by a new provider of its own (references are per provider).
    new_providers: dict[int, Provider] = {}
    demo_providers = generate_demo().providers
    again = []
    for (number, _provider, _id, _content, eligible), (content, _p) in zip(published, imported, strict=True):
        if number not in new_providers:
            document = dict(demo_providers[number].document)
            document["name"] = {lang: f"{name} (new)" for lang, name in document["name"].items()}
            new_providers[number] = graphs.provider(document, uuid.UUID(int=900_000 + number))
        assert content is not None
        # The register decides the grants again: the second export gives the offers the same decisions.
        again.append((number, new_providers[number], uuid.uuid4(), content, eligible))
    second = _export(graphs, writer, tmp_path / "second.xml", again)

    assert _canonical(second) == _canonical(first)

    # Whatever of the offers themselves did not come back is named in a note on its record.
    unnoted, gained = [], Counter[str]()  # values lost (each must be noted), values that were not there
    for (_n, _p, _i, original, _e), (content, _problems), record in zip(published, imported, records, strict=True):
        before, after = _leaves(msgspec.to_builtins(original)), _leaves(msgspec.to_builtins(content))
        for path, value in before.items():
            if after.get(path) == value:
                continue
            if value is None:
                gained[path] += 1
                continue
            field = next(step for step in reversed(path.split("/")) if step and not step.isdigit())
            if not any(field in note for note in record.notes):
                unnoted.append((record.location, path, value, after.get(path), record.notes))
    assert unnoted == [], unnoted[:5]
    assert gained == Counter(), gained


def test_an_offer_with_all_loq_can_say_comes_back_as_it_was(tmp_path: Path) -> None:
    graphs = Graphs()
    writer = LoqXmlWriter(load_loq_xml_mapping(ROOT / "elm_mappings" / "loq-xml.toml"))
    provider = graphs.provider(example("provider.json"), uuid.UUID(int=1))
    here = {"street": "Vindictivelaan 1", "postcode": "8400", "municipality": "Oostende", "country": "BE"}
    document = example("offer-training.json") | {
        # Two codes that share one official concept each: only the register's concepts tell them apart.
        "target_groups": ["jobseeker", "persons-requiring-employment-retraining", "employee"],
        "credential": {
            "name": {"nl": "Attest Fotografie", "en": "Photography certificate"},
            "type": "certificate-of-competence",
            "micro_credential": True,
        },
        "entry_requirements": {"nl": "Basiskennis", "fr": "Connaissances de base", "en": "Basic knowledge"},
        "credits_ects": 3,
        "sessions": [
            {
                "start": "2027-02-01",
                "end": "2027-03-31",
                "enrolment_deadline": "2027-01-20",
                "capacity": 12,
                "location": here | {"lat": 51.227, "lon": 2.921},
            },
            {
                "start": "2027-04-01",
                "end": "2027-05-31",
                "online": True,
                "price": {"amount": "95.00", "currency": "EUR"},
            },
            {
                "start": "2027-06-01",
                "end": "2027-06-30",
                "enrolment_deadline": "2027-05-15",
                "location": {
                    "street": "Coolsingel 40",
                    "postcode": "3011 AD",
                    "municipality": "Rotterdam",
                    "country": "NL",
                },
            },
            {
                "start": "2027-09-01",
                "end": "2027-09-30",
                "location": {
                    "street": "2, place Guillaume II",
                    "postcode": "L-1648",
                    "municipality": "Luxembourg",
                    "country": "LU",
                },
            },
            {
                "start": "2027-10-01",
                "end": "2027-10-31",
                "location": {"street": "Markt", "postcode": "52062", "municipality": "Aachen", "country": "DE"},
            },
        ],
    }
    original = graphs.content(document)
    first = _export(
        graphs, writer, tmp_path / "first.xml", [(0, provider, uuid.UUID(int=7), original, ["be-vl-opleidingscheques"])]
    )

    (record,) = LoqReader(graphs.vocab).read(tmp_path / "first.xml")
    content, problems = _imported(graphs, record)

    assert problems == []
    expected = msgspec.structs.replace(original, schemes_requested=[])
    assert {k: v for k, v in msgspec.structs.asdict(content).items() if v != msgspec.structs.asdict(expected)[k]} == {}
    assert content == expected
    assert [
        n for n in record.notes if not n.startswith(("ignored: modified", "schemes_requested", "the provider"))
    ] == []
    again = [(0, provider, uuid.UUID(int=8), content, ["be-vl-opleidingscheques"])]
    assert _canonical(_export(graphs, writer, tmp_path / "second.xml", again)) == _canonical(first)
