"""A DCAT-AP description of the published dataset and its distributions (for the QDR and portals)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from ila_register.elm.terms import IRI, RDF_TYPE, XSD, Literal, Triple

DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
# EU file-type authority codes of our formats.
FILE_TYPES = {"ttl": "RDF_TURTLE", "nt": "RDF_N_TRIPLES", "jsonld": "JSON_LD", "rdfxml": "RDF_XML", "xml": "XML"}
TITLES = {
    "nl": "Register van opleidingen betaalbaar met de individuele leerrekening",
    "fr": "Registre des formations finançables par le compte individuel de formation",
    "de": "Register der über das individuelle Lernkonto finanzierbaren Weiterbildungen",
    "en": "Register of offers payable with an Individual Learning Account",
}


def catalog_graph(base: str, modified: datetime | None, offers: int, formats: Mapping[str, str]) -> list[Triple]:
    catalog, dataset = f"{base}/elm/catalog", f"{base}/elm/dataset"
    publisher = f"{base}/id/publisher"
    triples = [
        Triple(catalog, RDF_TYPE, IRI(DCAT + "Catalog")),
        Triple(catalog, DCT + "publisher", IRI(publisher)),
        Triple(catalog, DCAT + "dataset", IRI(dataset)),
        Triple(catalog, FOAF + "homepage", IRI(f"{base}/")),
        Triple(publisher, RDF_TYPE, IRI(FOAF + "Agent")),
        Triple(publisher, FOAF + "name", Literal("ila-register", language="en")),
        Triple(dataset, RDF_TYPE, IRI(DCAT + "Dataset")),
        Triple(dataset, DCT + "publisher", IRI(publisher)),
        Triple(dataset, DCT + "spatial", IRI("http://publications.europa.eu/resource/authority/country/BEL")),
        Triple(dataset, DCAT + "landingPage", IRI(f"{base}/")),
        Triple(dataset, DCT + "conformsTo", IRI("http://data.europa.eu/snb/model/ap/loq-constraints")),
        Triple(
            dataset,
            DCT + "description",
            Literal(
                f"{offers} learning opportunities, European Learning Model "
                "(LOQ profile), with the funding schemes that pay for them.",
                language="en",
            ),
        ),
    ]
    for language, title in TITLES.items():
        triples.append(Triple(catalog, DCT + "title", Literal(title, language=language)))
        triples.append(Triple(dataset, DCT + "title", Literal(title, language=language)))
    if modified is not None:
        stamp = Literal(modified.isoformat().replace("+00:00", "Z"), datatype=XSD + "dateTime")
        triples += [Triple(dataset, DCT + "modified", stamp), Triple(catalog, DCT + "modified", stamp)]
    for fmt, media_type in formats.items():
        distribution = f"{base}/elm/learning-opportunities?format={fmt}"
        triples += [
            Triple(dataset, DCAT + "distribution", IRI(distribution)),
            Triple(distribution, RDF_TYPE, IRI(DCAT + "Distribution")),
            Triple(distribution, DCAT + "accessURL", IRI(f"{base}/elm/learning-opportunities")),
            Triple(distribution, DCAT + "downloadURL", IRI(distribution)),
            Triple(distribution, DCAT + "mediaType", IRI(f"https://www.iana.org/assignments/media-types/{media_type}")),
            Triple(distribution, DCT + "format", IRI(FILE_TYPE + FILE_TYPES[fmt])),
        ]
    return triples
