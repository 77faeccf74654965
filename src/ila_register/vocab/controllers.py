"""HTTP endpoints to browse the controlled vocabularies (codes, official URIs and labels)."""

from __future__ import annotations

import msgspec
from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from ila_register.kernel.exceptions import NotFound
from ila_register.platform.openapi import ANY, problems
from ila_register.runtime import Runtime
from ila_register.vocab.lists import CodeList

CACHE = {"Cache-Control": "public, max-age=3600"}


class VocabularySummary(msgspec.Struct, kw_only=True):
    name: str
    description: str
    terms: int
    href: str
    source: str | None = None
    concept_scheme: str | None = None


class VocabularyTerm(msgspec.Struct, kw_only=True, omit_defaults=True):
    code: str
    labels: dict[str, str]
    uri: str | None = None
    extra: dict[str, str] = {}


class VocabularyList(msgspec.Struct, kw_only=True):
    name: str
    description: str
    source: str | None
    concept_scheme: str | None
    terms: list[VocabularyTerm]


def _summary(code_list: CodeList, runtime: Runtime) -> VocabularySummary:
    info = runtime.vocabulary.info[code_list.name]
    return VocabularySummary(
        name=code_list.name,
        description=code_list.description,
        terms=len(code_list),
        href=f"/api/v1/vocab/{code_list.name}",
        source=info.source or None,
        concept_scheme=info.concept_scheme,
    )


class VocabularyController(Controller):
    path = "/api/v1/vocab"
    tags = ["Vocabularies"]

    @get()
    async def lists(self, runtime: NamedDependency[Runtime]) -> Response[list[VocabularySummary]]:
        """Every controlled list a document may use, with how many codes it has."""
        return Response([_summary(c, runtime) for c in runtime.vocabulary], headers=CACHE)

    @get("/{name:str}", responses=problems(*ANY, 404))
    async def codes(self, name: FromPath[str], runtime: NamedDependency[Runtime]) -> Response[VocabularyList]:
        """The codes of one list, each with its official ELM/EU URI (when it has one) and labels."""
        code_list = runtime.vocabulary.lists.get(name)
        if code_list is None:
            raise NotFound(f"No vocabulary {name!r}; see /api/v1/vocab for the lists.")
        info = runtime.vocabulary.info[name]
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
