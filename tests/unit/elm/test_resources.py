"""Which graph owns a persistent URI, and what a part's description holds (pure)."""

from __future__ import annotations

from ila_register.elm import concepts
from ila_register.elm.mapping import load_mapping
from ila_register.elm.resources import describe, locate, owners
from ila_register.elm.terms import IRI, RDF_TYPE, Literal, Triple
from ila_register.vocab.registry import Vocabulary
from support import ROOT

BASE = "https://r.example"


def test_the_owners_are_read_from_the_mapping(vocabulary: Vocabulary) -> None:
    mapping = load_mapping(ROOT / "elm_mappings" / "learning-opportunity.toml", vocabulary)
    found = owners(mapping)
    assert {o.field for o in found.values()} >= {"offer.id", "provider.id", "grant.id", "label.issuer_id"}
    assert found["learning-opportunity"].node == mapping.root
    assert found["scheme"].field == "grant.id"  # an owner the mapping mints parts of only (its rules)
    located = locate(found, BASE, "/learning-opportunity/abc/outcome/2")
    assert located is not None
    assert (located.owner.field, located.key, located.is_owner) == ("offer.id", "abc", False)
    assert located.iri == f"{BASE}/id/learning-opportunity/abc/outcome/2"
    assert locate(found, BASE, "learning-opportunity/abc").is_owner  # type: ignore[union-attr]
    for unknown in ("nothing/abc", "learning-opportunity", "learning-opportunity//x", ""):
        assert locate(found, BASE, unknown) is None, unknown


def test_a_description_holds_the_subject_and_what_it_owns_only() -> None:
    offer = f"{BASE}/id/learning-opportunity/1"
    location = f"{offer}/location/0"
    graph = [
        Triple(offer, "p:location", IRI(location)),
        Triple(location, RDF_TYPE, IRI("c:Location")),
        Triple(location, "p:address", IRI(f"{location}/address")),
        Triple(f"{location}/address", "p:note", IRI("_:b1")),
        Triple("_:b1", "p:text", Literal("Kaai 1")),
        Triple(f"{location}#geo", "p:lat", Literal("51.2")),
        Triple(f"{offer}/location/01", "p:other", Literal("a sibling whose name starts alike")),
        Triple(location, RDF_TYPE, IRI("c:Location")),  # a repeat is answered once
    ]
    assert describe(graph, location) == [graph[1], graph[2], graph[3], graph[4], graph[5]]


def test_the_registers_concepts(vocabulary: Vocabulary) -> None:
    scheme = concepts.scheme_triples(vocabulary, BASE, "target-groups")
    assert scheme is not None
    assert Triple(f"{BASE}/id/concept-scheme/target-groups", RDF_TYPE, IRI(str(concepts.SKOS.ConceptScheme))) in scheme
    concept = concepts.concept_triples(vocabulary, BASE, "target-groups", "jobseeker")
    assert concept is not None
    own = f"{BASE}/id/concept/target-groups/jobseeker"
    assert {t.object.language for t in concept if t.subject == own and t.predicate == str(concepts.SKOS.prefLabel)} == {  # type: ignore[union-attr]
        "nl",
        "fr",
        "de",
        "en",
    }
    assert concepts.concept_triples(vocabulary, BASE, "target-groups", "nope") is None
    assert concepts.concept_triples(vocabulary, BASE, "nope", "jobseeker") is None
    assert concepts.scheme_triples(vocabulary, BASE, "nope") is None
