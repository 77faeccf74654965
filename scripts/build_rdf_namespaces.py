"""Generate src/ila_register/elm/namespaces.py: one closed rdflib ``DefinedNamespace`` per vocabulary we write.

An unknown term of a closed namespace is an ``AttributeError`` as soon as the code runs (at import
for module-level terms), and the mapping loaders refuse one at start-up, so a typo (``elm:titel``)
never reaches Europass. The term lists are read from the official artefacts in ../shared, never
typed by hand:

- ELM: every class and property that ELM.ttl and ELM-external.ttl define (subjects in elm:);
- the W3C vocabularies rdflib ships (RDF, RDFS, XSD, DC terms, SKOS, FOAF, ORG, DCAT): rdflib's
  term list, plus any term of that namespace the ELM ontology, the LOQ shapes or the DCAT-AP
  shapes name (DCAT-AP 3.0.1 uses DCAT 3 terms that rdflib's DCAT 2 list lacks);
- the vocabularies rdflib does not ship (ADMS, LOCN, RegOrg, the SEMIC core vocabularies): the
  terms the ELM ontology, the LOQ shapes and the DCAT-AP shapes name (the LOQ shapes are closed,
  so no other term of them could be published anyway);
- ELM's application profiles (the dct:conformsTo of our dataset): those ELM.ttl declares;
- the EU authority tables we cite (file types, countries): the enumerations of ELM's xsd/cv/;
- the Linked Data Event Streams vocabularies (ldes/, the SEMIC specification): LDES, the terms
  vocabulary.ttl defines and its JSON-LD context names; TREE and Activity Streams (which ship no
  term list there), the terms the specification, its primer and its examples write as
  ``tree:…`` and ``as:…``; PROV, rdflib's term list.

The output is deterministic; a unit test regenerates it and compares.

    python scripts/build_rdf_namespaces.py [--shared /work/shared] [--out src/ila_register/elm/namespaces.py]
"""

from __future__ import annotations

import argparse
import keyword
import re
from collections.abc import Iterable
from dataclasses import dataclass
from inspect import get_annotations
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = Path("/work/shared")
DEFAULT_OUT = ROOT / "src" / "ila_register" / "elm" / "namespaces.py"

ELM_NS = "http://data.europa.eu/snb/model/elm/"
AP_NS = "http://data.europa.eu/snb/model/ap/"
FILE_TYPE_NS = "http://publications.europa.eu/resource/authority/file-type/"
COUNTRY_NS = "http://publications.europa.eu/resource/authority/country/"
LDES_NS = "https://w3id.org/ldes#"
TREE_NS = "https://w3id.org/tree#"
AS_NS = "https://www.w3.org/ns/activitystreams#"
LDES_TEXTS = tuple(
    f"ldes/{name}"
    for name in ("eventstreams.bs", "server-primer.bs", "vocabulary.ttl", "example.ttl", "context.jsonld")
)
ELM_ONTOLOGY = ("elm/ontology/ELM.ttl", "elm/ontology/ELM-external.ttl")
SHAPES = ("elm/shacl/LOQ-constraints.ttl", "elm/shacl/LOQ-constraints-mdr.ttl", "dcat-ap/dcat-ap-SHACL.ttl")
W3C: tuple[tuple[str, type[DefinedNamespace], str], ...] = (
    ("RDF", RDF, "RDF"),
    ("RDFS", RDFS, "RDF Schema"),
    ("XSD", XSD, "XML Schema datatypes"),
    ("DCTERMS", DCTERMS, "DCMI Metadata Terms"),
    ("SKOS", SKOS, "SKOS"),
    ("FOAF", FOAF, "FOAF"),
    ("ORG", ORG, "The W3C Organization Ontology"),
    ("DCAT", DCAT, "The W3C Data Catalog Vocabulary"),
)
NAMED_ONLY = (
    ("ADMS", "http://www.w3.org/ns/adms#", "ADMS"),
    ("LOCN", "http://www.w3.org/ns/locn#", "The ISA Core Location Vocabulary"),
    ("ROV", "http://www.w3.org/ns/regorg#", "The Registered Organization Vocabulary"),
    ("CLV", "http://data.europa.eu/m8g/", "The SEMIC core vocabularies (m8g)"),
)
# Names an attribute cannot have on a DefinedNamespace class: they are reachable as VOCAB["name"].
_NOT_ATTRIBUTES = {"_NS", "_fail", "_warn", "_extras", "_underscore_num"} | set(dir(type))


@dataclass(frozen=True, slots=True)
class Vocabulary:
    name: str
    namespace: str
    doc: str
    terms: frozenset[str]


def _locals(iris: Iterable[str], namespace: str) -> set[str]:
    """The local names of the IRIs that are terms of ``namespace`` (not the namespace itself, nothing nested)."""
    return {
        local
        for iri in iris
        if iri.startswith(namespace) and (local := iri[len(namespace) :]) and not re.search(r"[/#?]", local)
    }


def _rdflib_terms(namespace: type[DefinedNamespace]) -> set[str]:
    return {k for k in get_annotations(namespace) if not k.startswith("_")} | set(namespace._extras)


def _graph(shared: Path, files: Iterable[str]) -> Graph:
    graph = Graph()
    for name in files:
        graph.parse(shared / name)
    return graph


def _enumeration(xsd: Path, namespace: str) -> set[str]:
    return _locals(re.findall(r'<xs:enumeration\s+value="([^"]+)"', xsd.read_text(encoding="utf-8")), namespace)


def _written(shared: Path, prefix: str) -> set[str]:
    """The local names the LDES specification's texts write as ``prefix:name``."""
    pattern = re.compile(rf"(?<![\w-]){prefix}:([A-Za-z][A-Za-z0-9]*)")
    return {m for name in LDES_TEXTS for m in pattern.findall((shared / name).read_text(encoding="utf-8"))}


def _ldes_terms(shared: Path) -> set[str]:
    vocabulary = _graph(shared, ("ldes/vocabulary.ttl",))
    defined = {str(s) for s in vocabulary.subjects() if isinstance(s, URIRef)}
    context = (shared / "ldes" / "context.jsonld").read_text(encoding="utf-8")
    return _locals(defined, LDES_NS) | set(re.findall(r'"ldes:([A-Za-z]+)"', context))


def vocabularies(shared: Path) -> list[Vocabulary]:
    ontology = _graph(shared, ELM_ONTOLOGY)
    defined = {str(s) for s in ontology.subjects() if isinstance(s, URIRef)}
    shapes = _graph(shared, SHAPES)
    named = {
        str(term) for graph in (ontology, shapes) for triple in graph for term in triple if isinstance(term, URIRef)
    }
    version = ontology.value(URIRef(ELM_NS.rstrip("/")), OWL.versionInfo)
    return [
        Vocabulary(
            "ELM",
            ELM_NS,
            f"European Learning Model {version}: the classes and properties ELM.ttl and ELM-external.ttl define.",
            frozenset(_locals(defined, ELM_NS)),
        ),
        *(
            Vocabulary(
                name,
                str(namespace),
                f"{title}: rdflib's term list plus those the ELM ontology, LOQ and DCAT-AP shapes name.",
                frozenset(_rdflib_terms(namespace) | _locals(named, str(namespace))),
            )
            for name, namespace, title in W3C
        ),
        *(
            Vocabulary(
                name,
                namespace,
                f"{title}: the terms the ELM ontology, LOQ and DCAT-AP shapes name.",
                frozenset(_locals(named, namespace)),
            )
            for name, namespace, title in NAMED_ONLY
        ),
        Vocabulary(
            "AP",
            AP_NS,
            "ELM's application profiles (SHACL validators), as ELM.ttl declares them.",
            frozenset(_locals(defined, AP_NS)),
        ),
        Vocabulary(
            "FILETYPE",
            FILE_TYPE_NS,
            "The EU authority table of file types, as ELM's xsd/cv/file-type.xsd enumerates it.",
            frozenset(_enumeration(shared / "elm" / "xsd" / "cv" / "file-type.xsd", FILE_TYPE_NS)),
        ),
        Vocabulary(
            "COUNTRY",
            COUNTRY_NS,
            "The EU authority table of countries, as ELM's xsd/cv/country.xsd enumerates it.",
            frozenset(_enumeration(shared / "elm" / "xsd" / "cv" / "country.xsd", COUNTRY_NS)),
        ),
        Vocabulary(
            "LDES",
            LDES_NS,
            "Linked Data Event Streams: the terms ldes/vocabulary.ttl defines and ldes/context.jsonld names.",
            frozenset(_ldes_terms(shared)),
        ),
        Vocabulary(
            "TREE",
            TREE_NS,
            "The TREE hypermedia vocabulary: the terms the LDES specification, primer and examples write.",
            frozenset(_written(shared, "tree")),
        ),
        Vocabulary(
            "AS",
            AS_NS,
            "Activity Streams 2.0: the terms the LDES specification writes (version create, update, delete).",
            frozenset(_written(shared, "as")),
        ),
        Vocabulary(
            "PROV",
            str(PROV),
            "The W3C provenance ontology (PROV-O): rdflib's term list.",
            frozenset(_rdflib_terms(PROV)),
        ),
    ]


def _attribute(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name) and name not in _NOT_ATTRIBUTES


HEADER = '''\
"""The RDF vocabularies the register writes, as closed rdflib namespaces: an unknown term is an AttributeError.

GENERATED by scripts/build_rdf_namespaces.py from the official artefacts in ../shared (see its
docstring for where each term list comes from): rerun the script, do not edit. Code uses terms as
attributes (``ELM.title``) resolved to plain strings once, at import or mapping load; the mapping
loaders check every predicate and class of elm_mappings/ against ``VOCABULARIES``.
"""

# ruff: noqa: N815  (the vocabularies' own camelCase term names are the attribute names)

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef
'''


def render(shared: Path) -> str:
    found = vocabularies(shared)
    out = [HEADER]
    for vocabulary in found:
        attributes = sorted(t for t in vocabulary.terms if _attribute(t))
        extras = sorted(t for t in vocabulary.terms if not _attribute(t))
        out.append(f"\n\nclass {vocabulary.name}(DefinedNamespace):\n")
        out.append(f'    """{vocabulary.doc}"""\n\n')
        out.append(f'    _NS = Namespace("{vocabulary.namespace}")\n')
        out.append("    _fail = True\n")
        if extras:
            out.append("    _extras = [  # not Python names: " + vocabulary.name + '["..."]\n')
            out.extend(f'        "{e}",\n' for e in extras)
            out.append("    ]\n")
        if attributes:
            out.append("\n")
            out.extend(f"    {a}: URIRef\n" for a in attributes)
    out.append("\n\n# Every vocabulary above, for the mapping loaders.\n")
    out.append("VOCABULARIES: tuple[type[DefinedNamespace], ...] = (\n")
    out.extend(f"    {v.name},\n" for v in found)
    out.append(")\n")
    return "".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    args.out.write_text(render(args.shared), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
