"""A DCAT-AP 3.0.1 description of the published dataset, its distributions and its event stream.

Every value DCAT-AP expects to be of a class is typed here (the official shapes check it): the
country as ``dct:Location``, the ELM profile as ``dct:Standard``, media types and file types,
pages as ``foaf:Document``, the licence as ``dct:LicenseDocument``. The licence is a setting
(``ILA_ELM_LICENCE``). The event stream (elm/ldes.py) is a distribution of the dataset whose access
URL is the stream, conforming to the LDES specification, and the stream is typed
``ldes:EventStream``: a harvester finds it from the catalogue alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from ila_register.elm.ldes import stream_iri
from ila_register.elm.namespaces import AP, COUNTRY, DCAT, DCTERMS, FILETYPE, FOAF, LDES, RDF, RDFS, XSD
from ila_register.elm.terms import IRI, RDF_TYPE, Literal, Triple

# The terms written, as plain strings resolved at import: a typo fails there, not in a request.
_AP_LOQ_CONSTRAINTS = str(AP["loq-constraints"])
_COUNTRY_BEL = str(COUNTRY.BEL)
_DCAT_ACCESS_URL = str(DCAT.accessURL)
_DCAT_BYTE_SIZE = str(DCAT.byteSize)
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
_DCTERMS_EXTENT = str(DCTERMS.extent)
_DCTERMS_FORMAT = str(DCTERMS.format)
_DCTERMS_LICENSE = str(DCTERMS.license)
_DCTERMS_LICENSE_DOCUMENT = str(DCTERMS.LicenseDocument)
_DCTERMS_LOCATION = str(DCTERMS.Location)
_DCTERMS_MEDIA_TYPE = str(DCTERMS.MediaType)
_DCTERMS_MEDIA_TYPE_OR_EXTENT = str(DCTERMS.MediaTypeOrExtent)
_DCTERMS_MODIFIED = str(DCTERMS.modified)
_DCTERMS_PUBLISHER = str(DCTERMS.publisher)
_DCTERMS_SIZE_OR_DURATION = str(DCTERMS.SizeOrDuration)
_DCTERMS_SPATIAL = str(DCTERMS.spatial)
_DCTERMS_STANDARD = str(DCTERMS.Standard)
_DCTERMS_TITLE = str(DCTERMS.title)
_FOAF_AGENT = str(FOAF.Agent)
_FOAF_DOCUMENT = str(FOAF.Document)
_FOAF_HOMEPAGE = str(FOAF.homepage)
_FOAF_NAME = str(FOAF.name)
_LDES_EVENT_STREAM = str(LDES.EventStream)
_RDF_VALUE = str(RDF.value)
_RDFS_LABEL = str(RDFS.label)
_XSD_DATE_TIME = str(XSD.dateTime)
_XSD_NON_NEGATIVE_INTEGER = str(XSD.nonNegativeInteger)

# The specification the stream follows (the SEMIC LDES specification's persistent URL).
LDES_SPECIFICATION = "https://w3id.org/ldes/specification"
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
CATALOG_DESCRIPTIONS = {
    "nl": "De opleidingen die met de individuele leerrekening betaald kunnen worden, als European "
    "Learning Model (LOQ-profiel): de volledige dataset in vijf formaten en een Linked Data Event Stream.",
    "fr": "Les formations finançables par le compte individuel de formation, en European Learning Model "
    "(profil LOQ) : le jeu de données complet en cinq formats et un Linked Data Event Stream.",
    "de": "Die über das individuelle Lernkonto finanzierbaren Weiterbildungen als European Learning Model "
    "(LOQ-Profil): der vollständige Datensatz in fünf Formaten und ein Linked Data Event Stream.",
    "en": "The offers payable with an Individual Learning Account, as European Learning Model (LOQ "
    "profile): the whole dataset in five formats and a Linked Data Event Stream.",
}
STREAM_TITLES = {
    "nl": "Wijzigingen van de opleidingen als Linked Data Event Stream",
    "fr": "Les modifications des formations en Linked Data Event Stream",
    "de": "Änderungen der Weiterbildungen als Linked Data Event Stream",
    "en": "Changes of the offers as a Linked Data Event Stream",
}


@dataclass(frozen=True, slots=True)
class CatalogFacts:
    """What the catalogue states about the dataset at this moment."""

    base: str
    modified: datetime | None
    offers: int
    formats: Mapping[str, str]  # format name -> media type
    licence: str  # the IRI of the licence the data is published under
    sizes: Mapping[str, int] = field(default_factory=dict)  # bytes of a format's current rendition, when known


def _stamp(moment: datetime) -> Literal:
    return Literal(moment.isoformat().replace("+00:00", "Z"), datatype=_XSD_DATE_TIME)


def _texts(subject: str, predicate: str, texts: Mapping[str, str]) -> list[Triple]:
    return [Triple(subject, predicate, Literal(text, language=language)) for language, text in texts.items()]


def catalog_graph(facts: CatalogFacts) -> list[Triple]:
    base = facts.base
    # The dataset, its publisher and its size are described in the catalogue itself: their IRIs are
    # its fragments, so they dereference (to the catalogue) like every IRI the register mints.
    catalog = f"{base}/elm/catalog"
    dataset, publisher, home = f"{catalog}#dataset", f"{catalog}#publisher", f"{base}/"
    licence, extent = IRI(facts.licence), f"{catalog}#size"
    triples = [
        Triple(catalog, RDF_TYPE, IRI(_DCAT_CATALOG)),
        Triple(catalog, _DCTERMS_PUBLISHER, IRI(publisher)),
        Triple(catalog, _DCAT_DATASET, IRI(dataset)),
        Triple(catalog, _FOAF_HOMEPAGE, IRI(home)),
        Triple(catalog, _DCTERMS_LICENSE, licence),
        Triple(home, RDF_TYPE, IRI(_FOAF_DOCUMENT)),
        Triple(facts.licence, RDF_TYPE, IRI(_DCTERMS_LICENSE_DOCUMENT)),
        Triple(publisher, RDF_TYPE, IRI(_FOAF_AGENT)),
        Triple(publisher, _FOAF_NAME, Literal("ila-register", language="en")),
        Triple(dataset, RDF_TYPE, IRI(_DCAT_DATASET_CLASS)),
        Triple(dataset, _DCTERMS_PUBLISHER, IRI(publisher)),
        Triple(dataset, _DCTERMS_SPATIAL, IRI(_COUNTRY_BEL)),
        Triple(_COUNTRY_BEL, RDF_TYPE, IRI(_DCTERMS_LOCATION)),
        Triple(dataset, _DCAT_LANDING_PAGE, IRI(home)),
        Triple(dataset, _DCTERMS_CONFORMS_TO, IRI(_AP_LOQ_CONSTRAINTS)),
        Triple(_AP_LOQ_CONSTRAINTS, RDF_TYPE, IRI(_DCTERMS_STANDARD)),
        Triple(
            dataset,
            _DCTERMS_DESCRIPTION,
            Literal(
                f"{facts.offers} learning opportunities, European Learning Model "
                "(LOQ profile), with the funding schemes that pay for them.",
                language="en",
            ),
        ),
        # The dataset's size: how many offers it holds.
        Triple(dataset, _DCTERMS_EXTENT, IRI(extent)),
        Triple(extent, RDF_TYPE, IRI(_DCTERMS_SIZE_OR_DURATION)),
        Triple(extent, _RDF_VALUE, Literal(str(facts.offers), datatype=_XSD_NON_NEGATIVE_INTEGER)),
        Triple(extent, _RDFS_LABEL, Literal(f"{facts.offers} learning opportunities", language="en")),
    ]
    triples += _texts(catalog, _DCTERMS_TITLE, TITLES)
    triples += _texts(dataset, _DCTERMS_TITLE, TITLES)
    triples += _texts(catalog, _DCTERMS_DESCRIPTION, CATALOG_DESCRIPTIONS)
    if facts.modified is not None:
        stamp = _stamp(facts.modified)
        triples += [Triple(dataset, _DCTERMS_MODIFIED, stamp), Triple(catalog, _DCTERMS_MODIFIED, stamp)]
    for fmt, media_type in facts.formats.items():
        distribution = f"{base}/elm/learning-opportunities?format={fmt}"
        media = f"https://www.iana.org/assignments/media-types/{media_type}"
        triples += [
            Triple(dataset, _DCAT_DISTRIBUTION, IRI(distribution)),
            Triple(distribution, RDF_TYPE, IRI(_DCAT_DISTRIBUTION_CLASS)),
            Triple(distribution, _DCAT_ACCESS_URL, IRI(f"{base}/elm/learning-opportunities")),
            Triple(distribution, _DCAT_DOWNLOAD_URL, IRI(distribution)),
            Triple(distribution, _DCAT_MEDIA_TYPE, IRI(media)),
            Triple(media, RDF_TYPE, IRI(_DCTERMS_MEDIA_TYPE)),
            Triple(distribution, _DCTERMS_FORMAT, IRI(FILE_TYPES[fmt])),
            Triple(FILE_TYPES[fmt], RDF_TYPE, IRI(_DCTERMS_MEDIA_TYPE_OR_EXTENT)),
            Triple(distribution, _DCTERMS_LICENSE, licence),
        ]
        if fmt in facts.sizes:
            size = Literal(str(facts.sizes[fmt]), datatype=_XSD_NON_NEGATIVE_INTEGER)
            triples.append(Triple(distribution, _DCAT_BYTE_SIZE, size))
        if facts.modified is not None:
            triples.append(Triple(distribution, _DCTERMS_MODIFIED, _stamp(facts.modified)))
    return triples + _stream(facts, dataset)


def _stream(facts: CatalogFacts, dataset: str) -> list[Triple]:
    """The event stream, a distribution of the dataset whose access URL is the stream.

    Not a ``dcat:DataService``: the official dcat-ap-SHACL.ttl names two data-service property
    shapes that only ranges.ttl defines, so a validator refuses any catalogue with a data service.
    """
    stream = stream_iri(facts.base)
    distribution = f"{stream}#distribution"
    triples = [
        Triple(stream, RDF_TYPE, IRI(_LDES_EVENT_STREAM)),
        Triple(LDES_SPECIFICATION, RDF_TYPE, IRI(_DCTERMS_STANDARD)),
        Triple(dataset, _DCAT_DISTRIBUTION, IRI(distribution)),
        Triple(distribution, RDF_TYPE, IRI(_DCAT_DISTRIBUTION_CLASS)),
        Triple(distribution, _DCAT_ACCESS_URL, IRI(stream)),
        Triple(distribution, _DCTERMS_CONFORMS_TO, IRI(LDES_SPECIFICATION)),
        Triple(distribution, _DCTERMS_LICENSE, IRI(facts.licence)),
    ]
    if facts.modified is not None:
        triples.append(Triple(distribution, _DCTERMS_MODIFIED, _stamp(facts.modified)))
    triples += _texts(distribution, _DCTERMS_TITLE, STREAM_TITLES)
    return triples
