"""OpenAPI documentation helpers: problem responses and request examples for every operation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example, OpenAPIMediaType, OpenAPIResponse, OpenAPIType, Operation, Schema

from ila_register import api_examples
from ila_register.platform.problems import PROBLEM_MEDIA_TYPE, PROBLEM_TYPES


class ProblemItem(msgspec.Struct, kw_only=True, omit_defaults=True):
    detail: str
    pointer: str | None = None
    parameter: str | None = None


class ProblemDetail(msgspec.Struct, kw_only=True, omit_defaults=True):
    """An RFC 9457 problem: `type` identifies the kind (documented at that path), `detail` the case."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[ProblemItem] | None = None


_EXAMPLE_DETAILS = {
    "invalid-document": (
        "The document has 2 problems.",
        [
            {"pointer": "/mode", "detail": "unknown code 'hybrid'; see the list /api/v1/vocab/modes"},
            {"pointer": "/sessions/0/end", "detail": "must not be before start"},
        ],
    ),
    "invalid-parameters": ("Invalid value for per_page.", [{"parameter": "per_page", "detail": "must be <= 100"}]),
}
_BY_STATUS: dict[int, list[str]] = {}
for _slug, _problem in PROBLEM_TYPES.items():
    _BY_STATUS.setdefault(_problem.status, []).append(_slug)


# The other answers of a persistent URI: a browser sent on to the page for people, a copy still current.
SEE_OTHER_OR_NOT_MODIFIED = {
    303: ResponseSpec(
        None, description="See Other: for `text/html`, the page for people (`Location`)", generate_examples=False
    ),
    304: ResponseSpec(None, description="Not Modified: the copy with this `ETag` is current", generate_examples=False),
}


def problems(*statuses: int) -> dict[int, ResponseSpec]:
    """Documented problem+json answers of an operation, with one example per problem type."""
    responses = {}
    for status in statuses:
        examples = []
        for slug in _BY_STATUS[status]:
            problem = PROBLEM_TYPES[slug]
            detail, errors = _EXAMPLE_DETAILS.get(slug, (problem.description, None))
            value: dict[str, Any] = {"type": problem.uri, "title": problem.title, "status": status, "detail": detail}
            if errors:
                value["errors"] = errors
            examples.append(Example(id=slug, summary=problem.title, value=value))
        titles = " / ".join(PROBLEM_TYPES[s].title for s in _BY_STATUS[status])
        responses[status] = ResponseSpec(
            data_container=ProblemDetail,
            description=titles,
            media_type=PROBLEM_MEDIA_TYPE,
            examples=examples,
            generate_examples=False,
        )
    return responses


def request_examples(*names: str) -> list[Example]:
    """Request-body examples from the public contract's example documents."""
    return [Example(id=name.removesuffix(".json"), summary=name, value=api_examples.load(name)) for name in names]


# What every operation with parameters can answer (Litestar would otherwise document its own 400).
ANY = (400, 503)
# What every authenticated operation can answer besides its own problems.
AUTHENTICATED = (*ANY, 401)
# Positions and offsets clients send back: within what the database's integer columns hold.
MAX_POSITION = 2**31 - 1
RDF_MEDIA_TYPES = ("text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml")
WRITES = (*AUTHENTICATED, 403, 413, 415, 422)


def media_types(*names: str, keep_documented: bool = False) -> type[Operation]:
    """An operation whose success answer comes in these media types (by Accept or ?format=).

    ``keep_documented`` adds them to the media type documented from the return type (JSON).
    """

    @dataclass
    class NegotiatedOperation(Operation):
        def __post_init__(self) -> None:
            for status, response in (self.responses or {}).items():
                if status.startswith("2") and isinstance(response, OpenAPIResponse):
                    content = dict(response.content or {}) if keep_documented else {}
                    content.update({name: OpenAPIMediaType(schema=_body_schema(name)) for name in names})
                    response.content = content

    return NegotiatedOperation


def _body_schema(media_type: str) -> Schema:
    if media_type.endswith("json"):
        return Schema(type=[OpenAPIType.OBJECT, OpenAPIType.ARRAY])  # a JSON-LD document or graph
    return Schema(type=OpenAPIType.STRING)
