"""Concepts in the ELM: official concepts as the Commission labels them, and the register's own.

A code of a vocabulary list (vocab/*.csv) is published as one of two things:

- an **official concept** when it *is* that concept (``match`` exact, the default when a ``uri`` is
  given): its IRI, typed ``skos:Concept``, with the official label only, in the language it is in
  (vocab/official-labels.csv, built from the official code lists) and ``skos:inScheme`` its
  official scheme. The register's own wording never lands on an official IRI;
- a **register concept** when the register needs a notion of its own (no official URI, or a
  close/broad/narrow/related match) and the list has ``register_concepts = true``:
  ``{base}/id/concept/{list}/{code}`` in the scheme ``{base}/id/concept-scheme/{list}``, labelled in
  nl/fr/de/en, linked to the official concept by ``skos:{match}Match``.

Codes that are neither (no URI in a list without register concepts) are not published.
Pure: no I/O; the vocabulary is loaded once at start-up.
"""

from __future__ import annotations

from ila_register.elm.namespaces import DCTERMS, SKOS
from ila_register.elm.terms import IRI, RDF_TYPE, Literal, Triple
from ila_register.vocab.lists import Term
from ila_register.vocab.registry import Vocabulary

_SKOS_CONCEPT = str(SKOS.Concept)
_SKOS_CONCEPT_SCHEME = str(SKOS.ConceptScheme)
_SKOS_PREF_LABEL = str(SKOS.prefLabel)
_SKOS_IN_SCHEME = str(SKOS.inScheme)
_SKOS_NOTATION = str(SKOS.notation)
_SKOS_HAS_TOP_CONCEPT = str(SKOS.hasTopConcept)
_SKOS_TOP_CONCEPT_OF = str(SKOS.topConceptOf)
_DCTERMS_TITLE = str(DCTERMS.title)
MATCH_PREDICATES = {
    "close": str(SKOS.closeMatch),
    "broad": str(SKOS.broadMatch),
    "narrow": str(SKOS.narrowMatch),
    "related": str(SKOS.relatedMatch),
}


# The first segment after /id/ of a register concept scheme's IRI and of a register concept's
# (the persistent URIs answer them from here: ElmService.resource).
SCHEME_SEGMENT = "concept-scheme"
CONCEPT_SEGMENT = "concept"
REGISTER_SCHEMES = f"/id/{SCHEME_SEGMENT}/"  # the path of the register's own concept schemes


def scheme_iri(base: str, list_name: str) -> str:
    return f"{base}{REGISTER_SCHEMES}{list_name}"


def concept_iri(base: str, list_name: str, code: str) -> str:
    return f"{base}/id/{CONCEPT_SEGMENT}/{list_name}/{code}"


def _is_register_concept(vocabulary: Vocabulary, list_name: str, term: Term) -> bool:
    return not term.is_official and vocabulary.info[list_name].register_concepts


def published_iri(vocabulary: Vocabulary, base: str, list_name: str, code: str) -> str | None:
    """The IRI that stands for a code in the ELM, or None when the code is not published."""
    term = vocabulary.term(list_name, code)
    if term is None:
        return None
    if term.is_official:
        return term.uri
    if _is_register_concept(vocabulary, list_name, term):
        return concept_iri(base, list_name, code)
    return None


def official_concept(vocabulary: Vocabulary, list_name: str, uri: str) -> list[Triple]:
    """An official concept as the Commission publishes it: type, official label, official scheme."""
    triples = [Triple(uri, RDF_TYPE, IRI(_SKOS_CONCEPT))]
    for language, label in vocabulary.official_labels.get(uri, {}).items():
        triples.append(Triple(uri, _SKOS_PREF_LABEL, Literal(label, language=language)))
    scheme = vocabulary.concept_scheme(list_name)
    if scheme:
        triples += [Triple(uri, _SKOS_IN_SCHEME, IRI(scheme)), Triple(scheme, RDF_TYPE, IRI(_SKOS_CONCEPT_SCHEME))]
    return triples


def register_concept(vocabulary: Vocabulary, base: str, list_name: str, term: Term) -> list[Triple]:
    """A register concept: its labels in every language, its scheme and its official match."""
    iri, scheme = concept_iri(base, list_name, term.code), scheme_iri(base, list_name)
    triples = [
        Triple(iri, RDF_TYPE, IRI(_SKOS_CONCEPT)),
        Triple(iri, _SKOS_NOTATION, Literal(term.code)),
        Triple(iri, _SKOS_IN_SCHEME, IRI(scheme)),
        Triple(iri, _SKOS_TOP_CONCEPT_OF, IRI(scheme)),
        *(Triple(iri, _SKOS_PREF_LABEL, Literal(label, language=lang)) for lang, label in term.labels.items()),
        *_scheme_header(vocabulary, base, list_name),
    ]
    if term.uri is not None and term.match in MATCH_PREDICATES:
        triples.append(Triple(iri, MATCH_PREDICATES[term.match], IRI(term.uri)))
        triples += official_concept(vocabulary, list_name, term.uri)
    return triples


def _scheme_header(vocabulary: Vocabulary, base: str, list_name: str) -> list[Triple]:
    scheme = scheme_iri(base, list_name)
    titles = vocabulary.info[list_name].scheme_title or {"en": vocabulary.info[list_name].description}
    return [
        Triple(scheme, RDF_TYPE, IRI(_SKOS_CONCEPT_SCHEME)),
        *(Triple(scheme, _DCTERMS_TITLE, Literal(title, language=lang)) for lang, title in titles.items()),
    ]


def concept_triples(vocabulary: Vocabulary, base: str, list_name: str, code: str) -> list[Triple] | None:
    """What the ELM says about the concept a code stands for (None: the code is not published)."""
    if list_name not in vocabulary.lists or (term := vocabulary.term(list_name, code)) is None:
        return None
    if term.is_official and term.uri is not None:
        return official_concept(vocabulary, list_name, term.uri)
    if _is_register_concept(vocabulary, list_name, term):
        return register_concept(vocabulary, base, list_name, term)
    return None


def scheme_triples(vocabulary: Vocabulary, base: str, list_name: str) -> list[Triple] | None:
    """The register's concept scheme of a list with all its register concepts (None: it has none)."""
    if list_name not in vocabulary.lists or not vocabulary.info[list_name].register_concepts:
        return None
    scheme = scheme_iri(base, list_name)
    triples = _scheme_header(vocabulary, base, list_name)
    for term in vocabulary[list_name]:
        if _is_register_concept(vocabulary, list_name, term):
            triples.append(Triple(scheme, _SKOS_HAS_TOP_CONCEPT, IRI(concept_iri(base, list_name, term.code))))
            triples += register_concept(vocabulary, base, list_name, term)
    return list(dict.fromkeys(triples))
