"""Generate elm_mappings/loq-xml.toml, the content models the LOQ XML writer follows, from loq.xsd.

The writer (src/ila_register/elm/loq_xml.py) knows no LOQ element: which children a type has, in
which order, how often and how each is rendered all come from the XSD, read here once with lxml
so that a new XSD release is a rerun, not a code change. ``ref=`` is resolved to the global
element (also in imported namespaces: skos:notation, dc:type), complexContent extensions put the
base type's children first, restrictions replace them.

The hand-written part of the TOML (RDF classes written as top-level entities, RDF predicates
whose name differs from the element's) is kept verbatim between its two marker lines; a missing
file is seeded with ``HAND_WRITTEN`` below. The output is deterministic.

    python scripts/build_loq_xml_mapping.py [--xsd /work/shared/elm/xsd/loq.xsd] [--out elm_mappings/loq-xml.toml]
"""

from __future__ import annotations

import argparse
import json
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree  # type: ignore[import-untyped,unused-ignore]

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_XSD = Path("/work/shared/elm/xsd/loq.xsd")
DEFAULT_OUT = ROOT / "elm_mappings" / "loq-xml.toml"

XS = "http://www.w3.org/2001/XMLSchema"
ROOT_ELEMENT = "Courses"
UNBOUNDED = "unbounded"

QName = tuple[str, str]  # (namespace, local name)

HEADER = """\
# LOQ XML (Europass "Courses" documents, loq.xsd) written from our ELM triples by src/ila_register/elm/loq_xml.py.
#
# GENERATED from loq.xsd by scripts/build_loq_xml_mapping.py: rerun the script, do not edit the generated part.
# Only the part between the two marker lines below is hand-written (top-level entities and the RDF predicate
# behind each element); the script keeps it verbatim. Everything after the second marker comes from the XSD:
# [document], [namespaces], [[unique]] and, per complexType, its children in xs:sequence order with
#   kind = "text"      simple content, the literal's lexical form (an IRI object gives its IRI, e.g. mailto:)
#          "lang-text" simple content with the required `language` attribute (one element per language)
#          "concept"   `uri` attribute; restricted vocabulary types are empty, skos:ConceptType has children
#          "idref"     empty element with `idref`, pointing at a top-level entity
#          "nested"    the object node written inline, as the complexType named by `type`
"""

HAND_WRITTEN_BEGIN = "# ---- hand-written: kept as is when scripts/build_loq_xml_mapping.py reruns ----"
HAND_WRITTEN_END = "# ---- generated from loq.xsd by scripts/build_loq_xml_mapping.py: do not edit below ----"

HAND_WRITTEN = """\
# RDF prefixes of the predicates and classes below (XML namespaces are generated further down).
[rdf_prefixes]
adms = "http://www.w3.org/ns/adms#"
clv = "http://data.europa.eu/m8g/"
dc = "http://purl.org/dc/terms/"
elm = "http://data.europa.eu/snb/model/elm/"
foaf = "http://xmlns.com/foaf/0.1/"
locn = "http://www.w3.org/ns/locn#"
org = "http://www.w3.org/ns/org#"
rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
rov = "http://www.w3.org/ns/regorg#"
skos = "http://www.w3.org/2004/02/skos/core#"

# Elements of these XML namespaces are fed by the RDF property of the same local name in this RDF namespace
# (loq:title would be elm:title) unless [predicates] says otherwise; elements of other XML namespaces by the
# property of the same namespace and name (skos:notation <- skos:notation, dc:type <- dc:type).
[rdf_namespace_of]
loq = "elm"

# Nodes of these classes are written once per document (deduplicated by IRI, which is the `id`), as
# `element` inside `container`; everywhere else they are `idref`s. All other nodes are written inline.
# Containers come out in the XSD's order, whatever the order here.
[[entities]]
class = "elm:LearningOpportunity"
container = "loq:learningOpportunityReferences"
element = "loq:learningOpportunity"

[[entities]]
class = "elm:LearningAchievementSpecification"
container = "loq:learningAchievementSpecificationReferences"
element = "loq:learningAchievementSpecification"

[[entities]]
class = "elm:LearningOutcome"
container = "loq:learningOutcomeReferences"
element = "loq:learningOutcome"

[[entities]]
class = "elm:LearningAssessmentSpecification"
container = "loq:learningAssessmentSpecificationReferences"
element = "loq:learningAssessmentSpecification"

[[entities]]
class = "elm:Organisation"
container = "loq:agentReferences"
element = "loq:organisation"

[[entities]]
class = "elm:Accreditation"
container = "loq:accreditationReferences"
element = "loq:accreditation"

[[entities]]
class = "dc:Location"
container = "loq:locationReferences"
element = "loq:location"

# The RDF predicate behind an element where it is not the default above (from the sh:path of LOQ-constraints.ttl).
[predicates]
"loq:description" = "dc:description"
"loq:emailAddress" = "elm:emailAddress"  # the elm:Mailbox IRI itself (mailto:...) is the text
"loq:hasSubOrganization" = "org:hasSubOrganization"
"loq:homepage" = "foaf:homepage"
"loq:identifier" = "adms:identifier"
"loq:issued" = "dc:issued"
"loq:language" = "dc:language"
"loq:legalName" = "rov:legalName"
"loq:member" = "foaf:member"
"loq:modified" = "dc:modified"
"loq:publisher" = "dc:publisher"
"loq:registration" = "rov:registration"
"loq:schemeAgency" = "adms:schemeAgency"
"loq:spatial" = "dc:spatial"
"loq:subOrganizationOf" = "org:subOrganizationOf"
"loq:temporal" = "dc:temporal"
"loq:title" = "dc:title"
"loq:type" = "dc:type"
"loq:valid" = "dc:valid"
"loq:value" = "rdf:value"
"""


class SchemaError(Exception):
    """loq.xsd uses a construct this generator does not handle; better to stop than to guess."""


@dataclass(frozen=True, slots=True)
class Child:
    element: QName
    type: QName
    kind: str
    min: int
    max: int | None


def _xs(local: str) -> str:
    return f"{{{XS}}}{local}"


def _occurs(value: str | None, default: int) -> int | None:
    if value is None:
        return default
    return None if value == UNBOUNDED else int(value)


class Schema:
    """The global declarations of loq.xsd and everything it includes or imports."""

    def __init__(self, path: Path) -> None:
        self.elements: dict[QName, etree._Element] = {}
        self.complex_types: dict[QName, etree._Element] = {}
        self.simple_types: set[QName] = set()
        self.prefixes: dict[str, str] = {XS: "xs"}
        self._document: etree._Element | None = None
        self._loaded: set[Path] = set()
        self._load(path.resolve())

    def _load(self, path: Path) -> None:
        if path in self._loaded:
            return
        self._loaded.add(path)
        document = etree.parse(str(path)).getroot()
        if self._document is None:
            self._document = document
        target = document.get("targetNamespace", "")
        for prefix, namespace in document.nsmap.items():
            if prefix is not None and namespace not in self.prefixes:
                self.prefixes[namespace] = prefix
        for node in document:
            name = node.get("name")
            if node.tag == _xs("element") and name:
                self.elements[(target, name)] = node
            elif node.tag == _xs("complexType") and name:
                self.complex_types[(target, name)] = node
            elif node.tag == _xs("simpleType") and name:
                self.simple_types.add((target, name))
        for node in document:
            if node.tag in (_xs("include"), _xs("import")) and node.get("schemaLocation"):
                self._load((path.parent / node.get("schemaLocation", "")).resolve())

    @staticmethod
    def qname(node: etree._Element, value: str) -> QName:
        prefix, _, local = value.rpartition(":")
        namespace = node.nsmap.get(prefix or None)
        if namespace is None:
            raise SchemaError(f"unknown prefix in {value!r}")
        return (namespace, local)

    def curie(self, name: QName) -> str:
        return f"{self.prefixes[name[0]]}:{name[1]}"

    def from_curie(self, curie: str) -> QName:
        prefix, _, local = curie.partition(":")
        namespaces = {p: namespace for namespace, p in self.prefixes.items()}
        if prefix not in namespaces:
            raise SchemaError(f"unknown prefix in {curie!r}")
        return (namespaces[prefix], local)

    # -- content models ------------------------------------------------------------------------

    def children(self, type_name: QName) -> list[Child]:
        """The element children of a complexType in document order, base type first."""
        node = self.complex_types[type_name]
        content = node.find(_xs("complexContent"))
        if content is None:
            return list(self._particles(node, None))
        derivation = next(c for c in content if c.tag in (_xs("extension"), _xs("restriction")))
        own = list(self._particles(derivation, None))
        if derivation.tag == _xs("restriction"):
            return own
        base = self.qname(derivation, derivation.get("base", ""))
        inherited = self.children(base) if base in self.complex_types else []
        return inherited + own

    def _particles(self, node: etree._Element, choice: etree._Element | None) -> Iterator[Child]:
        for child in node:
            if child.tag == _xs("sequence"):
                yield from self._particles(child, choice)
            elif child.tag == _xs("choice"):
                yield from self._particles(child, child)
            elif child.tag == _xs("element"):
                yield self._child(child, choice)
            elif child.tag in (_xs("group"), _xs("any"), _xs("all")):
                raise SchemaError(f"xs:{etree.QName(child).localname} is not supported (line {child.sourceline})")

    def _child(self, node: etree._Element, choice: etree._Element | None) -> Child:
        ref = node.get("ref")
        if ref is not None:
            element = self.qname(node, ref)
            declaration = self.elements[element]
        else:
            element = (self._target(node), node.get("name", ""))
            declaration = node
        if declaration.get("type") is None:
            raise SchemaError(f"anonymous type of {element} (line {declaration.sourceline}) is not supported")
        type_name = self.qname(declaration, declaration.get("type", ""))
        minimum = _occurs(node.get("minOccurs"), 1) or 0
        maximum = _occurs(node.get("maxOccurs"), 1)
        if choice is not None:  # one branch of a choice may be absent; a repeated choice repeats it
            minimum = 0
            if _occurs(choice.get("maxOccurs"), 1) is None:
                maximum = None
        return Child(element, type_name, self.kind(type_name), minimum, maximum)

    @staticmethod
    def _target(node: etree._Element) -> str:
        return str(node.getroottree().getroot().get("targetNamespace", ""))

    def attributes(self, type_name: QName) -> dict[str, str]:
        """Attribute name -> use, inherited through extension and restriction."""
        node = self.complex_types.get(type_name)
        if node is None:
            return {}
        found: dict[str, str] = {}
        for wrapper in (_xs("complexContent"), _xs("simpleContent")):
            content = node.find(wrapper)
            if content is None:
                continue
            derivation = next(c for c in content if c.tag in (_xs("extension"), _xs("restriction")))
            found |= self.attributes(self.qname(derivation, derivation.get("base", "")))
            node = derivation
        for attribute in node.findall(_xs("attribute")):
            found[attribute.get("name", "")] = attribute.get("use", "optional")
        return found

    def kind(self, type_name: QName) -> str:
        if type_name[0] == XS or type_name in self.simple_types:
            return "text"
        node = self.complex_types[type_name]
        attributes = self.attributes(type_name)
        if node.find(_xs("simpleContent")) is not None:
            return "lang-text" if attributes.get("language") == "required" else "text"
        if "uri" in attributes:
            return "concept"
        if "idref" in attributes and not self.children(type_name):
            return "idref"
        return "nested"

    def unique(self) -> list[tuple[str, str]]:
        """xs:unique constraints of the root element as (element, field) pairs of prefixed names."""
        root = self.elements[(self.target, ROOT_ELEMENT)]
        pairs = []
        for constraint in root.findall(_xs("unique")):
            selector = constraint.find(_xs("selector"))
            field = constraint.find(_xs("field"))
            if selector is None or field is None:
                raise SchemaError("xs:unique without selector or field")
            path, value = selector.get("xpath", ""), field.get("xpath", "")
            if not path.startswith(".//") or "/" in path[3:] or "/" in value or "@" in value:
                raise SchemaError(f"xs:unique {path!r} / {value!r} is not of the form .//element + child")
            pairs.append((self.curie(self.qname(selector, path[3:])), self.curie(self.qname(field, value))))
        return pairs

    @property
    def document(self) -> etree._Element:
        """The xs:schema element of loq.xsd itself."""
        if self._document is None:
            raise SchemaError("no schema loaded")
        return self._document

    @property
    def target(self) -> str:
        return str(self.document.get("targetNamespace", ""))


# -- output ------------------------------------------------------------------------------------


def _string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _child_line(schema: Schema, child: Child) -> str:
    maximum = _string(UNBOUNDED) if child.max is None else str(child.max)
    return (
        f"  {{ element = {_string(schema.curie(child.element))}, min = {child.min}, max = {maximum}, "
        f"kind = {_string(child.kind)}, type = {_string(schema.curie(child.type))} }},"
    )


def _needed_types(schema: Schema, root_type: QName, entities: list[dict[str, str]]) -> list[QName]:
    """The root, the entity containers and every type reachable from an entity element."""
    for_container: dict[QName, set[QName]] = {}
    for entity in entities:
        container, element = schema.from_curie(entity["container"]), schema.from_curie(entity["element"])
        for_container.setdefault(container, set()).add(element)
    needed: list[QName] = [root_type]
    pending: list[QName] = []
    for child in schema.children(root_type):
        if child.element not in for_container:
            continue
        needed.append(child.type)
        pending.extend(c.type for c in schema.children(child.type) if c.element in for_container[child.element])
    missing = set(for_container) - {c.element for c in schema.children(root_type)}
    if missing:
        raise SchemaError(f"containers not in {schema.curie(root_type)}: {sorted(missing)}")
    while pending:
        type_name = pending.pop()
        if type_name in needed:
            continue
        needed.append(type_name)
        for child in schema.children(type_name):
            if child.kind == "nested" or (child.kind == "concept" and schema.children(child.type)):
                pending.append(child.type)
    return needed


def _hand_written(out: Path) -> str:
    if not out.exists():
        return HAND_WRITTEN
    text = out.read_text(encoding="utf-8")
    start, end = text.find(HAND_WRITTEN_BEGIN), text.find(HAND_WRITTEN_END)
    if start < 0 or end < start:
        raise SchemaError(f"{out}: marker lines not found; restore them or delete the file to start afresh")
    return text[start + len(HAND_WRITTEN_BEGIN) : end].strip("\n") + "\n"


def build(xsd: Path, out: Path) -> str:
    schema = Schema(xsd)
    hand_written = _hand_written(out)
    entities = tomllib.loads(hand_written)["entities"]
    target = schema.target
    root_element = schema.elements[(target, ROOT_ELEMENT)]
    root_type = schema.qname(root_element, root_element.get("type", ""))
    types = _needed_types(schema, root_type, entities)
    children = {t: schema.children(t) for t in types}
    used = {target} | {name[0] for t in types for c in children[t] for name in (t, c.element, c.type)}
    version = _xsd_version(schema, root_type)

    lines = [HEADER, HAND_WRITTEN_BEGIN, "", hand_written.rstrip("\n"), "", HAND_WRITTEN_END, ""]
    lines += [
        "[document]",
        f"root = {_string(schema.curie((target, ROOT_ELEMENT)))}",
        f"type = {_string(schema.curie(root_type))}",
        f"xsd_version = {_string(version)}",
        "",
        "[namespaces]",
    ]
    lines += [f"{schema.prefixes[ns]} = {_string(ns)}" for ns in sorted(used, key=lambda n: schema.prefixes[n])]
    for element, field in schema.unique():
        lines += ["", "[[unique]]", f"element = {_string(element)}", f"field = {_string(field)}"]
    for type_name in [types[0], *sorted(types[1:], key=schema.curie)]:
        lines += ["", f"[types.{_string(schema.curie(type_name))}]", "children = ["]
        lines += [_child_line(schema, c) for c in children[type_name]]
        lines.append("]")
    return "\n".join(lines) + "\n"


def _xsd_version(schema: Schema, root_type: QName) -> str:
    """The root's xsdVersion default, i.e. the version this XSD describes."""
    node = schema.complex_types[root_type]
    for attribute in node.iter(_xs("attribute")):
        if attribute.get("name") == "xsdVersion" and attribute.get("default"):
            return str(attribute.get("default"))
    return str(schema.document.get("version", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--xsd", type=Path, default=DEFAULT_XSD)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    text = build(args.xsd, args.out)
    tomllib.loads(text)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
