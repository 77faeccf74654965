"""LOQ XML, the Europass "Courses" document of loq.xsd, written from our ELM triples.

The writer knows no LOQ element: elm_mappings/loq-xml.toml (generated from loq.xsd by
scripts/build_loq_xml_mapping.py) gives every type's children in sequence order, how each is
rendered and which RDF predicate feeds it, and which RDF classes are top-level entities.

LOQ XML groups entities by kind (all opportunities, then all specifications, ... then all
locations) while our offers arrive one complete graph at a time. So each container is streamed
to its own temporary file as offers arrive and the files are concatenated at the end; nodes
shared by offers (providers, their locations and accreditations) are written once, remembered
on disk too, so memory stays flat however many offers there are.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
import tempfile
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import quoteattr

from lxml import etree  # type: ignore[import-untyped,unused-ignore]

from ila_register.elm.concepts import MATCH_PREDICATES, REGISTER_SCHEMES, concept_iri, published_iri
from ila_register.elm.mapping import MappingEngine, load_mapping
from ila_register.elm.namespaces import SKOS
from ila_register.elm.terms import IRI, RDF_TYPE, Literal, Term, Triple, is_vocabulary, unknown_term
from ila_register.vocab.registry import Vocabulary

logger = logging.getLogger(__name__)

KINDS = ("text", "lang-text", "concept", "idref", "nested")
UNBOUNDED = "unbounded"
MAX_DEPTH = 12  # inline nesting in loq.xsd is a few levels deep; deeper means a cycle in the graph

Graph = dict[str, dict[str, list[Term]]]
# A register concept (elm.concepts) links the official concept it stands nearest to: where the XSD
# enumerates official concepts only, that one is written (the register's own one is in the RDF);
# where it takes any concept, the register's own is written, then that official one.
_MATCHES = tuple(MATCH_PREDICATES.values())
CONCEPT_TYPE = "skos:ConceptType"  # an element of this type takes any concept (the others enumerate theirs)
_IN_SCHEME = str(SKOS.inScheme)
_BROAD_MATCH = str(SKOS.broadMatch)


def _written(graph: Graph, child: Child, value: Term) -> list[Term]:
    """The values to write for ``value`` as ``child``: itself, or for a register concept where the XSD
    enumerates official concepts only, the official concept it is a kind of (``skos:broadMatch``: a
    certificate *is* a "Generic" credential) and nothing for a closer or looser match (a jobseeker is
    not a "person requiring employment retraining": saying so would state a close match as the
    concept itself; the register's concept is in a note); where the XSD takes any concept, itself
    then its official match."""
    if child.kind != "concept" or not isinstance(value, IRI):
        return [value]
    properties = graph.get(value.value, {})
    schemes = properties.get(_IN_SCHEME, ())
    if not any(isinstance(s, IRI) and REGISTER_SCHEMES in s.value for s in schemes):
        return [value]
    if child.type == CONCEPT_TYPE:
        match = next((m for predicate in _MATCHES for m in properties.get(predicate, ()) if isinstance(m, IRI)), None)
        written: list[Term] = [value]
        return written + ([match] if match is not None else [])
    broader: list[Term] = [m for m in properties.get(_BROAD_MATCH, ()) if isinstance(m, IRI)]
    return broader[:1]


class LoqXmlMappingError(Exception):
    """loq-xml.toml is inconsistent; raised at start-up with the file and the problem."""


@dataclass(frozen=True, slots=True)
class Child:
    """One element of a type's sequence. ``element`` is in Clark notation ({namespace}local)."""

    element: str
    predicate: str
    kind: str
    type: str
    min: int
    max: int | None


@dataclass(frozen=True, slots=True)
class Entity:
    """Nodes of ``rdf_class`` are written once, as ``element`` in ``container``, and referenced by idref."""

    rdf_class: str
    container: str
    element: str
    type: str


@dataclass(frozen=True, slots=True)
class LoqXmlMapping:
    """loq-xml.toml with element names in Clark notation and predicates as full IRIs, ready for writing."""

    root: str
    xsd_version: str
    nsmap: Mapping[str | None, str]
    containers: tuple[str, ...]  # of the entities, in the XSD's order
    entities: Mapping[str, Entity]  # by RDF class
    types: Mapping[str, tuple[Child, ...]]
    unique: Mapping[str, str]  # element -> child element whose text must be unique in the document


def _expand(curie: str, prefixes: Mapping[str, str]) -> str:
    prefix, sep, local = curie.partition(":")
    if not sep or prefix not in prefixes:
        raise LoqXmlMappingError(f"unknown prefix in {curie!r}")
    return prefixes[prefix] + local


def _check_term(where: str, iri: str, curie: str | None = None) -> None:
    """An RDF class or predicate the writer looks for must be a term of its closed namespace."""
    problem = unknown_term(iri)
    if problem is not None:
        raise LoqXmlMappingError(f"{where}: {f'{curie!r} ({iri})' if curie else iri} {problem}")


def _check_predicates(
    types: Mapping[str, tuple[Child, ...]], entity_types: Iterable[str], xml: Mapping[str, str]
) -> None:
    """Every predicate read by a type the writer renders (from an entity down) must be a term.

    The containers' own children (``loq:agentReferences`` ...) are structure, not RDF: they are
    never looked up in a graph and so are not checked.
    """
    prefixes = {namespace: prefix for prefix, namespace in xml.items()}
    pending, rendered = list(entity_types), set[str]()
    while pending:
        name = pending.pop()
        if name in rendered or name not in types:
            continue
        rendered.add(name)
        for child in types[name]:
            namespace, _, local = child.element[1:].partition("}")
            _check_term(f"type {name} element {prefixes[namespace]}:{local}", child.predicate)
            if child.kind in ("nested", "concept"):
                pending.append(child.type)


def _clark(curie: str, namespaces: Mapping[str, str]) -> str:
    """``loq:title`` -> ``{http://data.europa.eu/snb/model/ap/loq-constraints/}title``, as lxml names elements."""
    local = curie.partition(":")[2]
    return "{" + _expand(curie, namespaces).removesuffix(local) + "}" + local


def load_loq_xml_mapping(path: Path) -> LoqXmlMapping:
    """Read loq-xml.toml and check that every entity and every type it needs is there."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        return _mapping(raw)
    except LoqXmlMappingError as error:
        raise LoqXmlMappingError(f"{path}: {error}") from None
    except (OSError, tomllib.TOMLDecodeError, KeyError) as error:
        raise LoqXmlMappingError(f"{path}: {error!r}") from None


def _mapping(raw: Mapping[str, Any]) -> LoqXmlMapping:
    namespaces: dict[str, str] = dict(raw["namespaces"])
    rdf: dict[str, str] = dict(raw["rdf_prefixes"])
    overrides: dict[str, str] = dict(raw.get("predicates", {}))
    same_as: dict[str, str] = dict(raw.get("rdf_namespace_of", {}))
    for prefix, namespace in rdf.items():
        if not is_vocabulary(namespace):
            raise LoqXmlMappingError(f"rdf_prefixes.{prefix}: {namespace!r} is not a vocabulary the register knows")
    for overridden, curie in overrides.items():
        _check_term(f"predicates.{overridden!r}", _expand(curie, rdf), curie)

    def predicate(element: str) -> str:
        """The RDF predicate behind an element: hand-written where it differs, else the same name."""
        if element in overrides:
            return _expand(overrides[element], rdf)
        prefix, _, local = element.partition(":")
        return rdf[same_as[prefix]] + local if prefix in same_as else _expand(element, namespaces)

    types, used = _types(raw["types"], namespaces, predicate)
    document = raw["document"]
    root = _clark(document["root"], namespaces)
    entities = _entities(raw["entities"], document, types, namespaces, rdf)
    for entity in entities.values():
        _check_types(entity.type, types, set())
    _check_predicates(types, [e.type for e in entities.values()], namespaces)
    default = root[1:].partition("}")[0]
    nsmap: dict[str | None, str] = {None: default}
    nsmap |= {p: namespaces[p] for p in sorted(used) if namespaces[p] != default}
    wanted = {e.container for e in entities.values()}
    return LoqXmlMapping(
        root=root,
        xsd_version=str(document["xsd_version"]),
        nsmap=nsmap,
        containers=tuple(c.element for c in types[document["type"]] if c.element in wanted),
        entities=entities,
        types=types,
        unique={_clark(u["element"], namespaces): _clark(u["field"], namespaces) for u in raw.get("unique", [])},
    )


def _types(
    raw_types: Mapping[str, Any], namespaces: Mapping[str, str], predicate: Callable[[str], str]
) -> tuple[dict[str, tuple[Child, ...]], set[str]]:
    """The element types, and the namespace prefixes their children use."""
    types: dict[str, tuple[Child, ...]] = {}
    used: set[str] = set()
    for name, spec in raw_types.items():
        children = []
        for child in spec["children"]:
            if child["kind"] not in KINDS:
                raise LoqXmlMappingError(f"type {name}: unknown kind {child['kind']!r}")
            maximum = child["max"]
            children.append(
                Child(
                    element=_clark(child["element"], namespaces),
                    predicate=predicate(child["element"]),
                    kind=child["kind"],
                    type=child["type"],
                    min=int(child["min"]),
                    max=None if maximum == UNBOUNDED else int(maximum),
                )
            )
            used.add(child["element"].partition(":")[0])
        types[name] = tuple(children)
    return types, used


def _entities(
    raw_entities: Iterable[Mapping[str, Any]],
    document: Mapping[str, Any],
    types: Mapping[str, tuple[Child, ...]],
    namespaces: Mapping[str, str],
    rdf: Mapping[str, str],
) -> dict[str, Entity]:
    """The entities by RDF class, each found in its container under the document's root."""
    root_children = {c.element: c for c in types[document["type"]]}
    entities: dict[str, Entity] = {}
    for spec in raw_entities:
        container = root_children.get(_clark(spec["container"], namespaces))
        if container is None:
            raise LoqXmlMappingError(f"{spec['container']} is not a child of {document['root']}")
        element = next((c for c in types[container.type] if c.element == _clark(spec["element"], namespaces)), None)
        if element is None:
            raise LoqXmlMappingError(f"{spec['element']} is not a child of {spec['container']}")
        rdf_class = _expand(spec["class"], rdf)
        _check_term(f"entity {spec['element']}", rdf_class, spec["class"])
        entities[rdf_class] = Entity(spec["class"], container.element, element.element, element.type)
    return entities


def _check_types(name: str, types: Mapping[str, tuple[Child, ...]], checked: set[str]) -> None:
    if name in checked:
        return
    if name not in types:
        raise LoqXmlMappingError(f"type {name} is needed but not described")
    checked.add(name)
    for child in types[name]:
        if child.kind == "nested":
            _check_types(child.type, types, checked)


class _SeenKeys:
    """Keys already written, kept in a private temporary SQLite file so memory does not grow with offers."""

    def __init__(self) -> None:
        self._db = sqlite3.connect("")
        self._db.execute("PRAGMA cache_size = -1024")
        self._db.execute("CREATE TABLE seen (scope TEXT, key TEXT, PRIMARY KEY (scope, key)) WITHOUT ROWID")

    def add(self, scope: str, key: str) -> bool:
        """Remember the key; False if it was already there."""
        return self._db.execute("INSERT OR IGNORE INTO seen VALUES (?, ?)", (scope, key)).rowcount == 1

    def close(self) -> None:
        self._db.close()


@dataclass
class _Section:
    """One container, streamed to a temporary file of its own while offers arrive."""

    file: IO[bytes]
    xf: Any  # lxml's incremental writer
    stack: ExitStack
    count: int = 0


@dataclass
class _Run:
    """The state of one ``write``: what was written where, and what is already in the document."""

    seen: _SeenKeys
    files: ExitStack
    debug: bool
    sections: dict[str, _Section] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Offer:
    """One offer's graph while its entities are written."""

    run: _Run
    graph: Graph
    entities: Mapping[str, Entity]
    xf: Any


class LoqXmlWriter:
    """Streams offer graphs into one LOQ XML document, in the element order loq.xsd demands."""

    def __init__(self, mapping: LoqXmlMapping) -> None:
        self.mapping = mapping
        self._placed = {name: {c.predicate for c in children} | {RDF_TYPE} for name, children in mapping.types.items()}
        self._reported: set[tuple[str, str]] = set()

    def write(self, chunks: Iterable[Iterable[Triple]], out: IO[bytes]) -> int:
        """Write the document; each chunk is the complete graph of one offer. Returns the offers written.

        Shared nodes (providers, their locations and accreditations) may come with every offer: each
        top-level entity is written once, the first time; inline nodes wherever they are referenced.
        """
        seen = _SeenKeys()
        offers = 0
        try:
            with ExitStack() as files:
                run = _Run(seen, files, logger.isEnabledFor(logging.DEBUG))
                for chunk in chunks:
                    self._offer(run, chunk)
                    offers += 1
                for section in run.sections.values():
                    section.stack.close()
                self._assemble(run, out)
        finally:
            seen.close()
        return offers

    def document_bytes(self, chunks: Iterable[Iterable[Triple]]) -> bytes:
        """The whole document in memory: for tests and single resources, not for the dataset."""
        buffer = BytesIO()
        self.write(chunks, buffer)
        return buffer.getvalue()

    # -- one offer -----------------------------------------------------------------------------

    def _offer(self, run: _Run, triples: Iterable[Triple]) -> None:
        graph: Graph = {}
        entities: dict[str, Entity] = {}
        for subject, predicate, obj in triples:
            objects = graph.setdefault(subject, {}).setdefault(predicate, [])
            if obj not in objects:
                objects.append(obj)
            if predicate == RDF_TYPE and isinstance(obj, IRI) and subject not in entities:
                entity = self.mapping.entities.get(obj.value)
                if entity is not None:
                    entities[subject] = entity
        for subject, entity in entities.items():
            if not run.seen.add("id", subject):
                continue
            section = self._section(run, entity.container)
            section.xf.write("\n")
            with section.xf.element(entity.element, id=subject):
                self._content(_Offer(run, graph, entities, section.xf), entity.type, subject, (subject,))
            section.count += 1

    def _section(self, run: _Run, container: str) -> _Section:
        section = run.sections.get(container)
        if section is None:
            file = run.files.enter_context(tempfile.TemporaryFile())  # noqa: SIM115 - closed with the run
            stack = ExitStack()
            run.files.callback(stack.close)
            xf = stack.enter_context(etree.xmlfile(file, encoding="utf-8"))
            stack.enter_context(xf.element(container, nsmap=dict(self.mapping.nsmap)))
            section = run.sections[container] = _Section(file, xf, stack)
        return section

    def _content(
        self,
        offer: _Offer,
        type_name: str,
        subject: str,
        path: tuple[str, ...],
        only: tuple[str, Term] | None = None,
    ) -> None:
        """The children of ``subject`` as ``type_name`` has them: in sequence order, at most maxOccurs each.

        ``only``: one value of one property stands for all of them (one language of a note)."""
        properties = offer.graph.get(subject)
        if not properties:
            return
        if only is not None:
            properties = {**properties, only[0]: [only[1]]}
        for child in self.mapping.types.get(type_name, ()):
            written = 0
            for value in self._values(offer, type_name, child, properties.get(child.predicate, ())):
                if child.max is not None and written >= child.max:
                    self._report(type_name, child.element, f"more than {child.max} value(s), extra ones skipped")
                    break
                problem = self._problem(offer, child, value, path)
                if problem is not None:
                    self._report(type_name, child.element, f"{problem}, skipped")
                    continue
                for part in self._per_language(offer, child, value):
                    self._element(offer, child, value, path, part)
                    written += 1
            if written < child.min:
                self._report(type_name, child.element, f"required {child.min}, have {written}", logging.WARNING)
        if offer.run.debug:
            for predicate in properties.keys() - self._placed.get(type_name, {RDF_TYPE}):
                self._report(type_name, predicate, "no such element in the XSD type, skipped")

    def _problem(self, offer: _Offer, child: Child, value: Term, path: tuple[str, ...]) -> str | None:
        """Why ``value`` cannot be written as ``child`` (the document would be invalid), or None."""
        if child.kind == "lang-text" and not (isinstance(value, Literal) and value.language):
            return "a value without a language"
        if child.kind in ("concept", "idref", "nested") and not isinstance(value, IRI):
            return "a literal where a node is needed"
        node = value.value if isinstance(value, IRI) else ""
        if child.kind == "idref" and node not in offer.entities:
            return "a reference to a node that is not an entity"
        if child.kind == "nested":
            if node in path or len(path) > MAX_DEPTH or node not in offer.graph:
                return "a node that is missing or part of a cycle"
            if not self._unique(offer.run, child, offer.graph[node]):
                return "a repeat of a value that must be unique in the document"
        return None

    def _values(self, offer: _Offer, type_name: str, child: Child, stated: Iterable[Term]) -> list[Term]:
        """The values to write for ``child``: register concepts as the XSD can take them."""
        values: list[Term] = []
        for value in stated:
            chosen = _written(offer.graph, child, value)
            if not chosen:
                self._report(type_name, child.element, "a register concept with no official match, skipped")
            values += [v for v in chosen if v not in values]  # two register concepts, one official match
        return values

    def _per_language(self, offer: _Offer, child: Child, value: Term) -> list[tuple[str, Term] | None]:
        """How often to write a nested node: once per language where its type holds one language only.

        loq.xsd's NoteType has a single noteLiteral; where the element may repeat (additionalNote),
        a note in four languages is written as four notes rather than losing three languages."""
        if child.kind != "nested" or child.max is not None or not isinstance(value, IRI):
            return [None]
        properties = offer.graph.get(value.value, {})
        for grandchild in self.mapping.types.get(child.type, ()):
            values = properties.get(grandchild.predicate, [])
            if grandchild.kind == "lang-text" and grandchild.max == 1 and len(values) > 1:
                return [(grandchild.predicate, v) for v in values]
        return [None]

    def _element(
        self, offer: _Offer, child: Child, value: Term, path: tuple[str, ...], only: tuple[str, Term] | None = None
    ) -> None:
        xf = offer.xf
        if isinstance(value, Literal):
            with xf.element(child.element, {"language": value.language} if child.kind == "lang-text" else None):
                xf.write(value.lexical)
        elif child.kind == "text":  # an IRI as text: skos:inScheme, emailAddress (mailto:)
            with xf.element(child.element):
                xf.write(value.value)
        elif child.kind == "idref":
            with xf.element(child.element, idref=value.value):
                pass
        elif child.kind == "concept":
            with xf.element(child.element, uri=value.value):
                self._content(offer, child.type, value.value, path)
        else:
            with xf.element(child.element):
                self._content(offer, child.type, value.value, (*path, value.value), only)

    def _unique(self, run: _Run, child: Child, properties: Mapping[str, list[Term]]) -> bool:
        """loq.xsd wants e.g. identifier notations unique in the document: True if this one is new."""
        field_element = self.mapping.unique.get(child.element)
        if field_element is None:
            return True
        keyed = next((c for c in self.mapping.types.get(child.type, ()) if c.element == field_element), None)
        values = properties.get(keyed.predicate, []) if keyed else []
        if not values:
            return True
        value = values[0]
        return run.seen.add(child.element, value.value if isinstance(value, IRI) else value.lexical)

    def _report(self, where: str, what: str, problem: str, level: int = logging.DEBUG) -> None:
        """Log each kind of mismatch between our RDF and the XSD once per writer, not once per offer."""
        if (where, what) not in self._reported and logger.isEnabledFor(level):
            self._reported.add((where, what))
            logger.log(level, "LOQ XML %s %s: %s", where, what, problem)

    # -- the document ---------------------------------------------------------------------------

    def _assemble(self, run: _Run, out: IO[bytes]) -> None:
        """The root element around the containers' files, in the XSD's container order."""
        mapping = self.mapping
        local = mapping.root.partition("}")[2]
        declarations = "".join(
            f" xmlns{':' + prefix if prefix else ''}={quoteattr(namespace)}"
            for prefix, namespace in mapping.nsmap.items()
        )
        out.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write(f"<{local}{declarations} xsdVersion={quoteattr(mapping.xsd_version)}>".encode())
        for container in mapping.containers:
            section = run.sections.get(container)
            if section is None:
                continue
            section.file.seek(0)
            out.write(b"\n")
            shutil.copyfileobj(section.file, out, 256 * 1024)
        out.write(f"\n</{local}>\n".encode())


# -- what LOQ XML carries beyond the ELM graph ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class LoqAdditions:
    """elm_mappings/loq-xml-additions.toml: the triples LOQ XML adds to an offer's ELM graph.

    What loq.xsd cannot say as the ELM graph says it, said so that an export imports back whole:
    the register's target groups as its own concepts in notes (loq:targetGroup takes official
    concepts only), entry requirements in every language, and what the sessions' notes are about
    (their capacity). The kind and micro-credential notes are in the ELM graph itself.
    """

    engine: MappingEngine
    vocabulary: Vocabulary

    def triples(self, context: Mapping[str, Any]) -> Iterator[Triple]:
        """The additions for one offer's mapping context (the one its ELM graph is made from)."""
        yield from self.engine.triples({**context, "loq": loq_facts(context, self.vocabulary)})


def load_loq_additions(path: Path, vocabulary: Vocabulary) -> LoqAdditions:
    """Read loq-xml-additions.toml (checked like every ELM mapping)."""
    return LoqAdditions(MappingEngine(load_mapping(path, vocabulary), vocabulary), vocabulary)


# The register's concepts of what the notes LOQ XML adds are about: {base}/id/concept/loq-notes/{code}
# (the codes of vocab/loq-notes.csv).
NOTE_SUBJECTS = "loq-notes"


def loq_facts(context: Mapping[str, Any], vocabulary: Vocabulary) -> dict[str, Any]:
    """The ``loq`` facts of loq-xml-additions.toml, from an offer's mapping context."""
    base, content = context["base"], context["content"]
    language = content.default_language

    def label(list_name: str, code: str) -> dict[str, str]:
        term = vocabulary.term(list_name, code)
        labels = dict(term.labels) if term is not None else {}
        return {language: labels.get(language) or labels.get("en") or code}

    return {
        "target_groups": [
            {"iri": published_iri(vocabulary, base, "target-groups", code), "label": label("target-groups", code)}
            for code in content.target_groups
        ],
        "entry_requirements": [{lang: text} for lang, text in (content.entry_requirements or {}).items()],
        "about": {term.code: concept_iri(base, NOTE_SUBJECTS, term.code) for term in vocabulary[NOTE_SUBJECTS]},
    }
