"""A DCAT-AP description of the published dataset and its distributions (for the QDR and portals)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from ila_register.elm.namespaces import AP, COUNTRY, DCAT, DCTERMS, FILETYPE, FOAF, XSD
from ila_register.elm.terms import IRI, RDF_TYPE, Literal, Triple

# The terms written, as plain strings resolved at import: a typo fails there, not in a request.
_AP_LOQ_CONSTRAINTS = str(AP["loq-constraints"])
_COUNTRY_BEL = str(COUNTRY.BEL)
_DCAT_ACCESS_URL = str(DCAT.accessURL)
_DCAT_CATALOG = str(DCAT.Catalog)
_DCAT_DATASET_CLASS = str(DCAT.Dataset)
_DCAT_DATASET = str(DCAT.dataset)
_DCAT_DISTRIBUTION_CLASS = str(DCAT.Distribution)
_DCAT_DISTRIBUTION = str(DCAT.distribution)
_DCAT_DOWNLOAD_URL = str(DCAT.downloadURL)
_DCAT_LANDING_PAGE = str(DCAT.landingPage)
_DCAT_MEDIA_TYPE = str(DCAT.mediaType)
_DCTERMS_CONFORMS_TO = str(DCTERMS.conformsTo)
_DCTERMS_DESCRIPTION = str(DCTERMS.description)
_DCTERMS_FORMAT = str(DCTERMS.format)
_DCTERMS_MODIFIED = str(DCTERMS.modified)
_DCTERMS_PUBLISHER = str(DCTERMS.publisher)
_DCTERMS_SPATIAL = str(DCTERMS.spatial)
_DCTERMS_TITLE = str(DCTERMS.title)
_FOAF_AGENT = str(FOAF.Agent)
_FOAF_HOMEPAGE = str(FOAF.homepage)
_FOAF_NAME = str(FOAF.name)
_XSD_DATE_TIME = str(XSD.dateTime)

# EU file-type authority codes of our formats.
FILE_TYPES = {
    "ttl": str(FILETYPE.RDF_TURTLE),
    "nt": str(FILETYPE.RDF_N_TRIPLES),
    "jsonld": str(FILETYPE.JSON_LD),
    "rdfxml": str(FILETYPE.RDF_XML),
    "xml": str(FILETYPE.XML),
}
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
        Triple(catalog, RDF_TYPE, IRI(_DCAT_CATALOG)),
        Triple(catalog, _DCTERMS_PUBLISHER, IRI(publisher)),
        Triple(catalog, _DCAT_DATASET, IRI(dataset)),
        Triple(catalog, _FOAF_HOMEPAGE, IRI(f"{base}/")),
        Triple(publisher, RDF_TYPE, IRI(_FOAF_AGENT)),
        Triple(publisher, _FOAF_NAME, Literal("ila-register", language="en")),
        Triple(dataset, RDF_TYPE, IRI(_DCAT_DATASET_CLASS)),
        Triple(dataset, _DCTERMS_PUBLISHER, IRI(publisher)),
        Triple(dataset, _DCTERMS_SPATIAL, IRI(_COUNTRY_BEL)),
        Triple(dataset, _DCAT_LANDING_PAGE, IRI(f"{base}/")),
        Triple(dataset, _DCTERMS_CONFORMS_TO, IRI(_AP_LOQ_CONSTRAINTS)),
        Triple(
            dataset,
            _DCTERMS_DESCRIPTION,
            Literal(
                f"{offers} learning opportunities, European Learning Model "
                "(LOQ profile), with the funding schemes that pay for them.",
                language="en",
            ),
        ),
    ]
    for language, title in TITLES.items():
        triples.append(Triple(catalog, _DCTERMS_TITLE, Literal(title, language=language)))
        triples.append(Triple(dataset, _DCTERMS_TITLE, Literal(title, language=language)))
    if modified is not None:
        stamp = Literal(modified.isoformat().replace("+00:00", "Z"), datatype=_XSD_DATE_TIME)
        triples += [Triple(dataset, _DCTERMS_MODIFIED, stamp), Triple(catalog, _DCTERMS_MODIFIED, stamp)]
    for fmt, media_type in formats.items():
        distribution = f"{base}/elm/learning-opportunities?format={fmt}"
        triples += [
            Triple(dataset, _DCAT_DISTRIBUTION, IRI(distribution)),
            Triple(distribution, RDF_TYPE, IRI(_DCAT_DISTRIBUTION_CLASS)),
            Triple(distribution, _DCAT_ACCESS_URL, IRI(f"{base}/elm/learning-opportunities")),
            Triple(distribution, _DCAT_DOWNLOAD_URL, IRI(distribution)),
            Triple(distribution, _DCAT_MEDIA_TYPE, IRI(f"https://www.iana.org/assignments/media-types/{media_type}")),
            Triple(distribution, _DCTERMS_FORMAT, IRI(FILE_TYPES[fmt])),
        ]
    return triples
