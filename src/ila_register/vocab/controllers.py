"""HTTP endpoints to browse the controlled vocabularies (codes, official URIs and labels)."""

from __future__ import annotations

from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from ila_register.kernel.exceptions import NotFound
from ila_register.platform.openapi import ANY, problems
from ila_register.vocab.deps import DEPENDENCIES
from ila_register.vocab.lists import CodeList
from ila_register.vocab.registry import Vocabulary
from ila_register.vocab.schemas import VocabularyList, VocabularySummary, VocabularyTerm

CACHE = {"Cache-Control": "public, max-age=3600"}


def _summary(code_list: CodeList, vocabulary: Vocabulary) -> VocabularySummary:
    info = vocabulary.info[code_list.name]
    return VocabularySummary(
        name=code_list.name,
        description=code_list.description,
        terms=len(code_list),
        href=f"/api/v1/vocab/{code_list.name}",
        source=info.source or None,
        concept_scheme=info.concept_scheme,
    )


class VocabularyController(Controller):
    """The code lists (kinds, regions, languages, ...) that offers and searches use."""

    path = "/api/v1/vocab"
    tags = ["Vocabularies"]
    dependencies = DEPENDENCIES

    @get()
    async def lists(self, vocabulary: NamedDependency[Vocabulary]) -> Response[list[VocabularySummary]]:
        """Every controlled list a document may use, with how many codes it has."""
        return Response([_summary(c, vocabulary) for c in vocabulary], headers=CACHE)

    @get("/{name:str}", responses=problems(*ANY, 404))
    async def codes(self, name: FromPath[str], vocabulary: NamedDependency[Vocabulary]) -> Response[VocabularyList]:
        """The codes of one list, each with its official ELM/EU URI (when it has one) and labels."""
        code_list = vocabulary.lists.get(name)
        if code_list is None:
            raise NotFound(f"No vocabulary {name!r}; see /api/v1/vocab for the lists.")
        info = vocabulary.info[name]
        terms = [
            VocabularyTerm(code=t.code, uri=t.uri, labels=dict(t.labels), extra={k: v for k, v in t.extra.items() if v})
            for t in code_list
        ]
        return Response(
            VocabularyList(
                name=name,
                description=code_list.description,
                source=info.source or None,
                concept_scheme=info.concept_scheme,
                terms=terms,
            ),
            headers=CACHE,
        )
