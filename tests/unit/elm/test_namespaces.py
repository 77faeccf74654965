"""ELM terms are closed namespaces: a typo in a mapping stops start-up, a typo in code fails when it runs."""

from __future__ import annotations

import ast
import importlib.util
import re
import shutil
import sys
from inspect import get_annotations
from pathlib import Path

import pytest

from conftest import make_settings
from ila_register.elm import namespaces
from ila_register.elm.loq_xml import LoqXmlMappingError
from ila_register.elm.mapping import MappingError
from ila_register.elm.namespaces import DCTERMS, ELM, VOCABULARIES
from ila_register.wiring import Services
from support import ROOT, SHARED

ELM_DIR = ROOT / "src" / "ila_register" / "elm"


def _broken_mappings(tmp_path: Path, file: str, old: str, new: str) -> Path:
    mappings = tmp_path / "elm_mappings"
    shutil.copytree(ROOT / "elm_mappings", mappings)
    path = mappings / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return mappings


def _start(tmp_path: Path, mappings: Path) -> None:
    settings = make_settings(f"sqlite:///{tmp_path / 'register.db'}", tmp_path, elm_mappings_dir=mappings)
    Services.build(settings, migrate=False).close()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            '{ predicate = "dc:title", text = "content.title" }',
            '{ predicate = "dc:titel", text = "content.title" }',
            r"learning-opportunity\.toml: node 'opportunity' property 0: 'dc:titel' is not a term of DCTERMS "
            r"\(http://purl\.org/dc/terms/\); did you mean 'title'\?",
        ),
        (
            '{ predicate = "elm:providedBy", node = "organisation" }',
            '{ predicate = "elm:titel", node = "organisation" }',
            r"learning-opportunity\.toml: node 'opportunity' property 4: 'elm:titel' is not a term of ELM",
        ),
        (
            'class = ["elm:LearningOpportunity"]',
            'class = ["elm:LearningOportunity"]',
            r"node 'opportunity' class: 'elm:LearningOportunity' is not a term of ELM .*'LearningOpportunity'",
        ),
        (
            'datatype = "xsd:string"',
            'datatype = "xsd:strng"',
            r"node 'reference' property 1: 'xsd:strng' is not a term of XSD",
        ),
        (
            'dc = "http://purl.org/dc/terms/"',
            'dc = "http://purl.org/dc/term/"',
            r"prefix 'dc': 'http://purl\.org/dc/term/' is not a vocabulary the register knows",
        ),
    ],
)
def test_a_typo_in_the_elm_mapping_stops_start_up_naming_the_file_and_entry(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    mappings = _broken_mappings(tmp_path, "learning-opportunity.toml", old, new)
    with pytest.raises(MappingError, match=message):
        _start(tmp_path, mappings)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            '"loq:title" = "dc:title"',
            '"loq:title" = "dc:titel"',
            r"loq-xml\.toml: predicates\.'loq:title': 'dc:titel' \(http://purl\.org/dc/terms/titel\) "
            r"is not a term of DCTERMS",
        ),
        (
            'class = "elm:Organisation"',
            'class = "elm:Organization"',
            r"loq-xml\.toml: entity loq:organisation: 'elm:Organization' .* is not a term of ELM "
            r".*did you mean 'Organisation'\?",
        ),
        (
            'loq = "elm"\n',
            'loq = "dc"\n',  # every loq: element would be read from a dc: property of the same name
            r"loq-xml\.toml: type loq:\w+Type element loq:\w+: http://purl\.org/dc/terms/\w+ is not a term of DCTERMS",
        ),
        (
            'rov = "http://www.w3.org/ns/regorg#"',
            'rov = "http://www.w3.org/ns/regorg"',
            r"loq-xml\.toml: rdf_prefixes\.rov: 'http://www\.w3\.org/ns/regorg' is not a vocabulary",
        ),
    ],
)
def test_a_typo_in_the_loq_xml_mapping_stops_start_up_naming_the_file_and_entry(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    mappings = _broken_mappings(tmp_path, "loq-xml.toml", old, new)
    with pytest.raises(LoqXmlMappingError, match=message):
        _start(tmp_path, mappings)


def test_an_unknown_term_in_code_is_an_error_not_an_iri() -> None:
    assert str(ELM.LearningOpportunity) == "http://data.europa.eu/snb/model/elm/LearningOpportunity"
    assert str(DCTERMS.title) == "http://purl.org/dc/terms/title"
    with pytest.raises(AttributeError, match="titel"):
        _ = ELM.titel
    with pytest.raises(AttributeError, match="titel"):
        _ = DCTERMS.titel
    assert all(vocabulary._fail for vocabulary in VOCABULARIES)


def test_elm_has_exactly_the_terms_of_the_official_ontology() -> None:
    ontology = (SHARED / "elm" / "ontology" / "ELM.ttl").read_text(encoding="utf-8")
    # Every ELM term the ontology describes, as "elm:name" at the start of a statement.
    described = set(re.findall(r"^elm:(\w+)\s", ontology, flags=re.MULTILINE))
    terms = {name for name in get_annotations(ELM) if not name.startswith("_")} | set(ELM._extras)
    assert terms == described
    assert "mediaObject" not in ELM  # the ontology mentions it as a value only; it never defines it


def test_the_namespaces_module_is_generated_from_the_official_artefacts() -> None:
    script_path = ROOT / "scripts" / "build_rdf_namespaces.py"
    spec = importlib.util.spec_from_file_location("build_rdf_namespaces", script_path)
    assert spec is not None
    assert spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = script  # its dataclasses look their module up
    try:
        spec.loader.exec_module(script)
        generated = script.render(SHARED)
    finally:
        del sys.modules[spec.name]
    assert namespaces.__file__ is not None
    assert generated == Path(namespaces.__file__).read_text(encoding="utf-8")


# IRIs elm/ may still spell out: not vocabulary terms but the register's own URL patterns.
ALLOWED_IRI_STRINGS = {
    "https://www.iana.org/assignments/media-types/",
    "http://data.europa.eu/snb/model/context/edc-ap",  # where the Commission's JSON-LD context is (a document)
    "https://w3id.org/ldes/specification",  # the standard the event stream conforms to, not a term
}


def test_code_that_builds_rdf_names_vocabulary_terms_only_through_the_namespaces() -> None:
    found = []
    for path in sorted(ELM_DIR.glob("*.py")):
        if path.name == "namespaces.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        found += [
            f"{path.name}:{node.lineno}: {node.value}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and re.match(r"https?://\S", node.value)  # an IRI, not a scheme test
            and id(node) not in docstrings
            and node.value not in ALLOWED_IRI_STRINGS
        ]
    assert not found, found
