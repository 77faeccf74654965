"""What the official shapes make impossible to publish, pinned: when the Commission fixes a shape, a
test here fails and tells us to publish what we hold back (see the ELM notes in README.md).

- elm:entitlesTo: a LearningEntitlementSpecification needs elm:status as an xsd:string literal in
  LOQ-constraints.ttl and as an IRI in the entitlement-status scheme in LOQ-constraints-mdr.ttl;
  no value satisfies both, so the register does not publish what a credential entitles to.
- skos:inScheme of ESCO skills: the MDR shape wants it to match ^https://ec.europa.eu/esco/skill/;
  ESCO's skills scheme is http://data.europa.eu/esco/concept-scheme/skills, so the register
  labels ESCO skills with ESCO's labels but states no scheme.
"""

from __future__ import annotations

import pytest

from support import ELM, shacl_report

MINIMAL = (ELM / "examples" / "minimal-learning-opportunity.ttl").read_text(encoding="utf-8")
ENTITLEMENT = """
<https://register.example.be/id/las/1> elm:entitlesTo <https://register.example.be/id/les/1> .
<https://register.example.be/id/les/1> a elm:LearningEntitlementSpecification ; dc:title "Toegang tot het beroep"@nl ;
  dc:type <http://data.europa.eu/snb/entitlement/52f62180c2> ;
  elm:entitlementStatus <http://data.europa.eu/snb/entitlement-status/5b8d6b34fb> ;
  elm:status STATUS .
<http://data.europa.eu/snb/entitlement/52f62180c2> a skos:Concept ;
  skos:inScheme <http://data.europa.eu/snb/entitlement/25831c2> .
<http://data.europa.eu/snb/entitlement/25831c2> a skos:ConceptScheme .
<http://data.europa.eu/snb/entitlement-status/5b8d6b34fb> a skos:Concept ;
  skos:inScheme <http://data.europa.eu/snb/entitlement-status/25831c2> .
<http://data.europa.eu/snb/entitlement-status/25831c2> a skos:ConceptScheme .
"""
ESCO_SKILL = """
<https://register.example.be/id/las/1> elm:learningOutcome <https://register.example.be/id/outcome/1> .
<https://register.example.be/id/outcome/1> a elm:LearningOutcome ; dc:title "Lassen"@nl ;
  elm:relatedESCOSkill <http://data.europa.eu/esco/skill/0b5e2e56-1b2a-4bdb-9ac5-3b6f2b6c8bbd> .
<http://data.europa.eu/esco/skill/0b5e2e56-1b2a-4bdb-9ac5-3b6f2b6c8bbd> a skos:Concept ;
  skos:inScheme <http://data.europa.eu/esco/concept-scheme/skills> .
<http://data.europa.eu/esco/concept-scheme/skills> a skos:ConceptScheme .
"""


def test_the_minimal_example_conforms() -> None:
    conforms, report = shacl_report(MINIMAL)
    assert conforms, report[:2000]


@pytest.mark.parametrize("status", ['"active"', "<http://data.europa.eu/snb/entitlement-status/b7015a8a8c>"])
def test_no_entitlement_specification_satisfies_both_shape_files(status: str) -> None:
    conforms, _ = shacl_report(MINIMAL + ENTITLEMENT.replace("STATUS", status))
    assert not conforms


def test_escos_own_skill_scheme_fails_the_official_esco_restriction() -> None:
    conforms, report = shacl_report(MINIMAL + ESCO_SKILL)
    assert not conforms
    assert "^https://ec.europa.eu/esco/skill/" in report
