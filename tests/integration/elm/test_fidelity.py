"""What Europass receives means what the provider said (issue 16): concepts, sessions, grants.

Checked over the whole demo dataset and over the change feed replayed from the start, against
the official code lists in ../shared/elm/xsd/cv — never against our own copy of them.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from typing import Any

import pytest
from lxml import etree
from rdflib import RDF, SKOS, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from ila_register.demo.seed import seed_demo
from ila_register.wiring import Services
from support import ELM, Api, example, publish, replay_feed, shacl_report

XS = "{http://www.w3.org/2001/XMLSchema}"
XSD_DATE_TIME = URIRef("http://www.w3.org/2001/XMLSchema#dateTime")


@cache
def official_labels() -> dict[str, str]:
    """Every IRI the official code lists enumerate, with its (English) label."""
    labels: dict[str, str] = {}
    for xsd in (ELM / "xsd" / "cv").glob("*.xsd"):
        for enumeration in etree.parse(str(xsd)).iter(f"{XS}enumeration"):
            labels[enumeration.get("value")] = " ".join("".join(enumeration.itertext()).split())
    return labels


def concept_label_problems(graph: Graph) -> list[str]:
    """Concepts with two labels in one language, and official concepts not labelled as officially."""
    problems = []
    for concept in set(graph.subjects(RDF.type, SKOS.Concept)):
        by_language: dict[str | None, list[str]] = defaultdict(list)
        for label in graph.objects(concept, SKOS.prefLabel):
            assert isinstance(label, Literal)
            by_language[label.language].append(str(label))
        problems += [f"{concept}: {len(v)} labels @{k}: {v}" for k, v in by_language.items() if len(v) > 1]
        official = official_labels().get(str(concept))
        if official is not None:
            # The official name, whole or (a bilingual NUTS name) in its "/"-separated parts.
            stated = sorted(str(label) for label in graph.objects(concept, SKOS.prefLabel))
            parts = sorted(" ".join(part.split()) for part in official.split("/")) if official else []
            if stated not in ([official] if official else [], parts):
                problems.append(f"{concept}: labelled {stated}, officially {official!r}")
    return problems


@pytest.fixture
def demo(api: Api, runtime: Services) -> tuple[Graph, Graph]:
    """The demo dataset as served, and as a harvester replaying the change feed obtains it."""
    seed_demo(runtime.settings, show_progress=False)
    runtime.drain()
    dataset = Graph().parse(data=api.client.get("/elm/learning-opportunities?format=nt").text, format="nt")
    replayed = Graph()
    for triple in replay_feed(api):
        replayed.add(triple)
    return dataset, replayed


def test_official_concepts_keep_their_labels_and_each_concept_has_one_label_per_language(
    demo: tuple[Graph, Graph],
) -> None:
    dataset, replayed = demo
    assert concept_label_problems(dataset) == []
    assert concept_label_problems(replayed) == []
    conforms, report = shacl_report(replayed.serialize(format="nt"), "nt")
    assert conforms, report[:3000]


def test_every_moment_has_its_time_zone(demo: tuple[Graph, Graph]) -> None:
    dataset, _ = demo
    moments = [o for o in dataset.objects() if isinstance(o, Literal) and o.datatype == XSD_DATE_TIME]
    assert len(moments) > 1000
    assert [str(m) for m in moments if m.toPython().tzinfo is None] == []


def _concept_of(graph: Graph, predicate: URIRef) -> set[Any]:
    return set(graph.objects(None, predicate))


def test_register_notions_are_the_registers_own_concepts_matched_to_the_official_ones(
    demo: tuple[Graph, Graph], api: Api
) -> None:
    dataset, _ = demo
    base = "https://register.example.be"
    jobseekers = URIRef(f"{base}/id/concept/target-groups/jobseeker")
    retraining = URIRef("http://data.europa.eu/snb/target-group/05f11c859b")
    assert jobseekers in _concept_of(dataset, URIRef("http://data.europa.eu/snb/model/elm/targetGroup"))
    assert (jobseekers, SKOS.closeMatch, retraining) in dataset
    assert {label.language for label in dataset.objects(jobseekers, SKOS.prefLabel)} == {"nl", "fr", "de", "en"}  # type: ignore[attr-defined]
    scheme = URIRef(f"{base}/id/concept-scheme/target-groups")
    assert (jobseekers, SKOS.inScheme, scheme) in dataset
    assert (scheme, RDF.type, SKOS.ConceptScheme) in dataset
    # Two register codes never share one concept: each credential type is its own.
    credentials = _concept_of(dataset, URIRef("http://purl.org/dc/terms/type")) & {
        URIRef(f"{base}/id/concept/credential-types/{code}") for code in ("certificate", "certificate-of-competence")
    }
    assert len(credentials) == 2, credentials
    assert all(
        (c, SKOS.broadMatch, URIRef("http://data.europa.eu/snb/credential/e34929035b")) in dataset for c in credentials
    )


ELM_NS = "http://data.europa.eu/snb/model/elm/"
DCT = "http://purl.org/dc/terms/"


def test_a_grant_tells_who_pays_for_whom_where_and_until_when(api: Api, runtime: Services, clock: Any) -> None:
    _, token = api.register_provider()
    offer = api.submit(token)
    clock.advance(days=3)
    decided = api.client.post(
        f"/api/v1/offers/{offer['id']}/decisions",
        headers=api.admin | api.if_match(offer["id"]),
        json={"scheme": "be-vl-opleidingscheques", "decision": "eligible"},
    )
    assert decided.status_code in (200, 201), decided.text
    runtime.drain()
    graph = Graph().parse(data=api.client.get(f"/id/learning-opportunity/{offer['id']}?format=nt").text, format="nt")
    opportunity = URIRef(f"https://register.example.be/id/learning-opportunity/{offer['id']}")
    (grant,) = graph.objects(opportunity, URIRef(ELM_NS + "grant"))
    said = {label.language: str(label) for label in graph.objects(grant, URIRef(DCT + "description"))}  # type: ignore[attr-defined]
    assert set(said) == {"nl", "fr", "de", "en"}
    scheme = api.client.get("/api/v1/schemes/be-vl-opleidingscheques").json()
    until = api.client.get(f"/api/v1/offers/{offer['id']}", headers=api.auth(token)).json()
    valid_until = next(s["valid_until"] for s in until["eligibility"] if s["scheme"] == "be-vl-opleidingscheques")
    assert valid_until
    for language, words in {
        "nl": ("Werknemers", "Vlaams Gewest", "Woonplaats", "Vlaamse Regering"),
        "fr": ("Salariés", "Région flamande", "Domicile", "Gouvernement flamand"),
        "de": ("Arbeitnehmer", "Flämische Region", "Wohnort", "Flämische Regierung"),
        "en": ("Employees", "Flemish Region", "Living in", "Flemish Government"),
    }.items():
        text = said[language]
        assert scheme["name"][language] in text
        assert all(word in text for word in words), (language, text)
        assert valid_until in text, text
        assert "/api/v1/schemes/be-vl-opleidingscheques" in text
    (rules,) = graph.objects(grant, URIRef(ELM_NS + "supplementaryDocument"))
    (url,) = graph.objects(rules, URIRef(ELM_NS + "contentUrl"))
    assert api.client.get(str(url).removeprefix("https://register.example.be")).status_code == 200
    # The decision came three days after the provider's last edit: that is when the offer changed.
    (modified,) = graph.objects(opportunity, URIRef(DCT + "modified"))
    assert modified.toPython() == clock()  # type: ignore[attr-defined]


# What each scheme pays for the example offer (meant for employees and the self-employed): the
# cheques pay employees half, the credit pays them a yearly budget, its amounts illustrative.
PAYS = {
    "be-vl-opleidingscheques": {
        "nl": "Wat de regeling voor dit aanbod betaalt: dekt de helft, hoogstens €\xa0125,00 per jaar.",
        "fr": "Ce que le dispositif paie pour cette offre : couvre la moitié, au plus 125,00\xa0€ par an.",
        "de": "Was die Förderung für dieses Angebot zahlt: deckt die Hälfte, höchstens 125,00\xa0€ pro Jahr.",
        "en": "What the scheme pays for this offer: covers half, at most 125,00\xa0€ a year.",
    },
    # Not "for jobseekers: … €500": the offer is not meant for them.
    "be-vl-opleidingstegoed": {
        "nl": "Wat de regeling voor dit aanbod betaalt: dekt het volledige bedrag, hoogstens €\xa0250,00 per jaar"
        " (indicatief).",
        "fr": "Ce que le dispositif paie pour cette offre : couvre la totalité, au plus 250,00\xa0€ par an"
        " (indicatif).",
        "de": "Was die Förderung für dieses Angebot zahlt: deckt den vollen Betrag, höchstens 250,00\xa0€ pro Jahr"
        " (unverbindlich).",
        "en": "What the scheme pays for this offer: covers all, at most 250,00\xa0€ a year (indicative).",
    },
}
RDF_PARSERS = {"ttl": "turtle", "nt": "nt", "rdfxml": "xml"}
LOQ_NS = "{http://data.europa.eu/snb/model/ap/loq-constraints/}"


def test_a_grant_says_what_the_scheme_pays_for_this_offer_in_every_format(api: Api, runtime: Services) -> None:
    _, token = api.register_provider()
    offer = api.submit(token, schemes_requested=[*PAYS, "be-vl-opleidingsverlof"])
    assert offer["target_groups"] == ["employee", "self-employed"]
    for scheme in PAYS:
        decided = api.client.post(
            f"/api/v1/offers/{offer['id']}/decisions",
            headers=api.admin | api.if_match(offer["id"]),
            json={"scheme": scheme, "decision": "eligible"},
        )
        assert decided.status_code in (200, 201), decided.text
    runtime.drain()
    opportunity = URIRef(f"https://register.example.be/id/learning-opportunity/{offer['id']}")
    grants = {URIRef(f"{opportunity}/grant/{scheme}"): scheme for scheme in PAYS}
    said: dict[str, Graph] = {}
    for fmt in ("ttl", "nt", "jsonld", "rdfxml"):
        text = api.client.get("/elm/learning-opportunities", params={"format": fmt}).text
        graph = api.jsonld_graph(text) if fmt == "jsonld" else Graph().parse(data=text, format=RDF_PARSERS[fmt])
        assert set(graph.objects(opportunity, URIRef(ELM_NS + "grant"))) == set(grants), fmt
        said[fmt] = Graph()
        for grant in grants:
            for description in graph.objects(grant, URIRef(DCT + "description")):
                said[fmt].add((grant, URIRef(DCT + "description"), description))
        if fmt == "ttl":
            conforms, report = shacl_report(text)
            assert conforms, report[:3000]
    # The same descriptions in every format: the scheme's own text, then what it pays, per language.
    assert all(isomorphic(said["ttl"], graph) for graph in said.values())
    for grant, scheme in grants.items():
        descriptions = {d.language: str(d) for d in said["ttl"].objects(grant, URIRef(DCT + "description"))}  # type: ignore[attr-defined]
        assert set(descriptions) == {"nl", "fr", "de", "en"}
        for language, sentence in PAYS[scheme].items():
            text = descriptions[language]
            assert text.endswith(f" {sentence}"), (scheme, language, text)
            assert "/api/v1/schemes/" in text.removesuffix(sentence)  # what the grant said before stays
    # LOQ XML carries grants too: the same descriptions, valid against the official XSD.
    xml = etree.fromstring(api.client.get("/elm/learning-opportunities", params={"format": "xml"}).content)
    schema = etree.XMLSchema(file=str(ELM / "xsd" / "loq.xsd"))
    assert schema.validate(xml), schema.error_log
    written = {
        (element.get("language"), element.text)
        for grant in xml.iter(f"{LOQ_NS}grant")
        for element in grant.iterfind(f"{LOQ_NS}description")
    }
    expected = {(d.language, str(d)) for d in said["ttl"].objects()}  # type: ignore[attr-defined]
    assert expected <= written


def test_each_session_is_a_learning_opportunity_of_its_own(api: Api, runtime: Services) -> None:
    sessions = [
        {
            "start": "2027-01-11",
            "end": "2027-03-26",
            "enrolment_deadline": "2027-01-04",
            "location": {
                "street": "Vindictivelaan 1",
                "postcode": "8400",
                "municipality": "Oostende",
                "country": "BE",
                "lat": 51.227,
                "lon": 2.921,
            },
            "capacity": 18,
        },
        {
            "start": "2027-04-19",
            "end": "2027-06-25",
            "enrolment_deadline": "2027-04-09",
            "online": True,
            "price": {"amount": "395.00", "currency": "EUR"},
        },
        {
            "start": "2027-09-13",
            "end": "2027-11-26",
            "location": {"postcode": "9000", "municipality": "Gent", "country": "BE"},
        },
    ]
    offer_id = publish(api, runtime, api.register_provider()[1], sessions=sessions)
    graph = Graph().parse(data=api.client.get(f"/id/learning-opportunity/{offer_id}?format=nt").text, format="nt")
    opportunity = URIRef(f"https://register.example.be/id/learning-opportunity/{offer_id}")
    parts = sorted(graph.objects(opportunity, URIRef(ELM_NS + "hasPart")))
    assert len(parts) == 3
    elm = lambda name: URIRef(ELM_NS + name)  # noqa: E731
    starts, deadlines, notes = [], [], []
    for part in parts:
        assert (part, RDF.type, elm("LearningOpportunity")) in graph
        assert (part, elm("isPartOf"), opportunity) in graph
        (period,) = graph.objects(part, URIRef(DCT + "temporal"))
        (start,) = graph.objects(period, elm("startDate"))
        assert start.toPython().tzinfo is not None  # type: ignore[attr-defined]
        starts.append(start.toPython().date().isoformat())  # type: ignore[attr-defined]
        deadlines.append(
            sorted(d.toPython().date().isoformat() for d in graph.objects(part, elm("applicationDeadline")))
        )  # type: ignore[attr-defined]
        notes.append(
            {
                n.language
                for note in graph.objects(part, elm("additionalNote"))
                for n in graph.objects(note, elm("noteLiteral"))
            }
        )  # type: ignore[attr-defined]
    order = sorted(range(3), key=lambda i: starts[i])
    assert [starts[i] for i in order] == ["2027-01-11", "2027-04-19", "2027-09-13"]
    assert [deadlines[i] for i in order] == [["2027-01-04"], ["2027-04-09"], []]
    assert [notes[i] for i in order] == [{"nl", "fr", "de", "en"}, set(), set()]  # the capacity, in four languages
    first, online, ghent = (parts[i] for i in order)
    (place,) = graph.objects(first, elm("location"))
    (geometry,) = graph.objects(place, URIRef("http://www.w3.org/ns/locn#geometry"))
    assert str(next(graph.objects(geometry, URIRef("http://data.europa.eu/m8g/latitude")))) == "51.227"
    assert (online, elm("mode"), URIRef("http://data.europa.eu/snb/learning-assessment/920fbb3cbe")) in graph
    assert not list(graph.objects(online, elm("location")))
    (price,) = graph.objects(online, elm("priceDetail"))
    (amount,) = graph.objects(price, elm("amount"))
    assert str(next(graph.objects(amount, RDF.value))) == "395.00"
    assert list(graph.objects(ghent, elm("location")))
    assert not list(graph.objects(ghent, elm("priceDetail")))  # the offer's price holds
    # The offer as a whole: one period over all sessions, no deadline of its own, every place.
    (period,) = graph.objects(opportunity, URIRef(DCT + "temporal"))
    assert next(graph.objects(period, elm("startDate"))).toPython().date().isoformat() == "2027-01-11"  # type: ignore[attr-defined]
    assert next(graph.objects(period, elm("endDate"))).toPython().date().isoformat() == "2027-11-26"  # type: ignore[attr-defined]
    assert not list(graph.objects(opportunity, elm("applicationDeadline")))
    assert len(list(graph.objects(opportunity, elm("location")))) == 2
    conforms, report = shacl_report(graph.serialize(format="nt"), "nt")
    assert conforms, report[:3000]


SPREADSHEETS = "http://data.europa.eu/esco/skill/1973c966-f236-40c9-b2d4-5d71a89019be"
DATABASES = "http://data.europa.eu/esco/skill/4463a721-69f3-413d-8321-43e3af13a4f1"
PROGRAMMING = "http://data.europa.eu/esco/skill/21d2f96d-35f7-4e3f-9745-c533d2dd6e97"


def test_what_else_the_profile_offers_is_published(api: Api, runtime: Services) -> None:
    provider_id, token = api.register_provider(
        description={"nl": "Opleidingscentrum voor kantoorvaardigheden.", "fr": "Centre de formation bureautique."},
        quality_labels=[
            {
                "label": "career-guidance-centre",
                "valid_from": "2026-01-01",
                "valid_until": "2028-12-31",
                "certificate": "https://certificates.example.be/vdab/123.pdf",
            }
        ],
    )
    offer = api.submit(
        token,
        name="offer-guidance.json",
        learning_outcomes=[
            {"nl": "Werken met een rekenblad", "en": "Use spreadsheets for a budget"},
            {"nl": "Gegevens opzoeken", "en": "Query databases with confidence"},
        ],
        esco_skills=[DATABASES, SPREADSHEETS, PROGRAMMING],
    )
    assert "id" in offer, offer
    decided = api.client.post(
        f"/api/v1/offers/{offer['id']}/decisions",
        headers=api.admin | api.if_match(offer["id"]),
        json={"scheme": offer["eligibility"][0]["scheme"], "decision": "eligible"},
    )
    assert decided.status_code in (200, 201), decided.text
    runtime.drain()
    graph = Graph().parse(data=api.client.get(f"/id/learning-opportunity/{offer['id']}?format=nt").text, format="nt")
    elm = lambda name: URIRef(ELM_NS + name)  # noqa: E731
    # Each ESCO skill on the outcome that names it; one no outcome names is an outcome of its own.
    skills_of = {
        str(next(graph.objects(o, URIRef(DCT + "title")))): {str(s) for s in graph.objects(o, elm("relatedESCOSkill"))}
        for o in graph.subjects(RDF.type, elm("LearningOutcome"))
    }
    by_skill = {skill: title for title, skills in skills_of.items() for skill in skills}
    assert "rekenblad" in by_skill[SPREADSHEETS] or "spreadsheets" in by_skill[SPREADSHEETS]
    assert "databases" in by_skill[DATABASES] or "Gegevens" in by_skill[DATABASES]
    assert by_skill[PROGRAMMING] in {"computer programming", "programmation informatique"}
    assert {label.language for label in graph.objects(URIRef(SPREADSHEETS), SKOS.prefLabel)} == {"fr", "en"}  # type: ignore[attr-defined]
    # The kind of offer, which ELM has no property for: a note about the register's concept of it.
    guidance = URIRef("https://register.example.be/id/concept/offer-kinds/guidance")
    (kind_note,) = graph.subjects(URIRef(DCT + "subject"), guidance)
    assert {n.language for n in graph.objects(kind_note, elm("noteLiteral"))} == {"nl", "fr", "de", "en"}  # type: ignore[attr-defined]
    assert (guidance, RDF.type, SKOS.Concept) in graph
    # No ISCED-F field the provider did not give: "Field unknown".
    (specification,) = set(graph.objects(None, elm("learningAchievementSpecification")))
    assert set(graph.objects(specification, elm("ISCEDFCode"))) == {URIRef("http://data.europa.eu/snb/isced-f/9999")}
    # The provider's description; its label with the certificate and start date; the issuer as itself.
    organisation = URIRef(f"https://register.example.be/id/organisation/{provider_id}")
    notes = [
        n
        for note in graph.objects(organisation, elm("additionalNote"))
        for n in graph.objects(note, elm("noteLiteral"))
    ]
    assert {n.language for n in notes} == {"nl", "fr"}  # type: ignore[attr-defined]
    # A label an administrator registers with the provider is confirmed at once.
    (accreditation,) = graph.objects(organisation, elm("accreditation"))
    assert next(graph.objects(accreditation, URIRef(DCT + "issued"))).toPython().date().isoformat() == "2026-01-01"  # type: ignore[attr-defined]
    (certificate,) = graph.objects(accreditation, elm("supplementaryDocument"))
    assert str(next(graph.objects(certificate, elm("contentUrl")))) == "https://certificates.example.be/vdab/123.pdf"
    (issuer,) = graph.objects(accreditation, elm("accreditingAgent"))
    names = {(str(n), n.language) for n in graph.objects(issuer, URIRef("http://www.w3.org/ns/regorg#legalName"))}  # type: ignore[attr-defined]
    assert names == {("VDAB (Vlaamse Dienst voor Arbeidsbemiddeling en Beroepsopleiding)", "nl")}
    assert list(graph.objects(issuer, URIRef("http://www.w3.org/ns/adms#identifier")))
    assert list(graph.objects(issuer, URIRef("http://xmlns.com/foaf/0.1/homepage")))
    conforms, report = shacl_report(graph.serialize(format="nt"), "nt")
    assert conforms, report[:3000]


def test_a_decision_that_takes_a_grant_away_moves_modified_forward(api: Api, runtime: Services, clock: Any) -> None:
    offer_id = publish(api, runtime, api.register_provider()[1])
    second = api.client.post(
        f"/api/v1/offers/{offer_id}/decisions",
        headers=api.admin | api.if_match(offer_id),
        json={"scheme": "be-vl-opleidingsverlof", "decision": "eligible"},
    )
    assert second.status_code in (200, 201), second.text
    runtime.drain()
    clock.advance(days=5)
    rejected = api.client.post(
        f"/api/v1/offers/{offer_id}/decisions",
        headers=api.admin | api.if_match(offer_id),
        json={"scheme": "be-vl-opleidingsverlof", "decision": "rejected", "reason": "not labour-market relevant"},
    )
    assert rejected.status_code in (200, 201), rejected.text
    runtime.drain()
    graph = Graph().parse(data=api.client.get(f"/id/learning-opportunity/{offer_id}?format=nt").text, format="nt")
    opportunity = URIRef(f"https://register.example.be/id/learning-opportunity/{offer_id}")
    assert len(list(graph.objects(opportunity, URIRef(ELM_NS + "grant")))) == 1
    (modified,) = graph.objects(opportunity, URIRef(DCT + "modified"))
    assert modified.toPython() == clock()  # type: ignore[attr-defined]


def test_a_sessions_uri_stays_its_own_when_another_session_is_removed(api: Api, runtime: Services) -> None:
    first = {
        "start": "2027-01-11",
        "end": "2027-01-29",
        "location": {"postcode": "9000", "municipality": "Gent", "country": "BE"},
    }
    second = {
        "start": "2027-03-01",
        "end": "2027-03-19",
        "location": {"postcode": "8400", "municipality": "Oostende", "country": "BE"},
    }
    offer_id = publish(api, runtime, api.register_provider()[1], sessions=[first, second])

    def sessions() -> dict[str, str]:
        graph = Graph().parse(data=api.client.get(f"/id/learning-opportunity/{offer_id}?format=nt").text, format="nt")
        opportunity = URIRef(f"https://register.example.be/id/learning-opportunity/{offer_id}")
        found = {}
        for part in graph.objects(opportunity, URIRef(ELM_NS + "hasPart")):
            (period,) = graph.objects(part, URIRef(DCT + "temporal"))
            (start,) = graph.objects(period, URIRef(ELM_NS + "startDate"))
            found[str(part)] = start.toPython().date().isoformat()  # type: ignore[attr-defined]
        return found

    before = sessions()
    document = example("offer-training.json") | {"sessions": [second]}
    changed = api.client.put(
        f"/api/v1/offers/{offer_id}",
        json=document,
        headers=api.admin | {"If-Match": api.if_match(offer_id)["If-Match"]},
    )
    assert changed.status_code == 200, changed.text
    runtime.drain()
    after = sessions()
    assert list(after.values()) == ["2027-03-01"]
    (iri,) = after
    assert before[iri] == "2027-03-01"  # the same URI, the same session
