"""The API documentation at /schema: a page of the register itself, rendered from the OpenAPI.

No script and nothing from another site (a CDN-hosted viewer would run third-party code on the
register's origin): every operation with its summary, description, parameters, body and answers,
grouped by tag, and a link to the machine-readable document at /schema/openapi.json, which
tools (code generators, Postman, Swagger UI run locally) read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.openapi.plugins import OpenAPIRenderPlugin

from ila_register.platform.registry import registry_of
from ila_register.web.i18n import negotiate_language
from ila_register.web.rendering import Web

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    where: str
    required: bool
    description: str


@dataclass(frozen=True, slots=True)
class Operation:
    anchor: str
    method: str
    path: str
    summary: str
    paragraphs: Sequence[str]
    needs_token: bool
    parameters: Sequence[Parameter]
    body_types: Sequence[str]
    answers: Sequence[tuple[str, str]]


def operations(schema: Mapping[str, Any]) -> list[tuple[str, list[Operation]]]:
    """The document's operations by tag (in the order the tags first appear), each in path order."""
    groups: dict[str, list[Operation]] = {}
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            description = str(op.get("description") or "")
            groups.setdefault((op.get("tags") or ["Other"])[0], []).append(
                Operation(
                    anchor=str(op.get("operationId") or f"{method}-{path}"),
                    method=method.upper(),
                    path=path,
                    summary=str(op.get("summary") or ""),
                    paragraphs=[" ".join(p.split()) for p in description.split("\n\n") if p.strip()],
                    needs_token=bool(op.get("security")),
                    parameters=[
                        Parameter(
                            str(p.get("name")),
                            str(p.get("in")),
                            bool(p.get("required")),
                            str(p.get("description") or ""),
                        )
                        for p in op.get("parameters", [])
                    ],
                    body_types=list((op.get("requestBody") or {}).get("content", {})),
                    answers=[
                        (str(code), str(answer.get("description") or ""))
                        for code, answer in sorted(op.get("responses", {}).items())
                    ],
                )
            )
    return list(groups.items())


class ApiDocsPage(OpenAPIRenderPlugin):
    """Litestar's OpenAPI render plugin, rendering the register's own template."""

    def __init__(self) -> None:
        super().__init__(path="/", favicon="", style="")

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        web = registry_of(request.app.state).get(Web)
        language = negotiate_language(request.query_params.get("lang"), request.headers.get("accept-language"))
        t = web.messages.translator(language)
        info = openapi_schema.get("info", {})
        html: str = web.pages.html(
            "api_docs.html",
            t,
            page_title=t("api_docs_title"),
            language_url=lambda code: f"{request.url.path}?lang={code}",
            info=info,
            groups=operations(openapi_schema),
            document_url=self.get_openapi_json_route(request),
        )
        return html.encode("utf-8")
