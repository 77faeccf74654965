"""Glue between Litestar and the register: body decoding, the caller's identity, headers.

``Document[T]`` is a Litestar DTO that decodes request bodies with ``DocumentDecoder`` (every
problem reported, media type checked) while the OpenAPI schema still shows the message type.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Generator
from typing import Any, ClassVar, TypeVar

import msgspec
from litestar import Request, Response
from litestar.dto import AbstractDTO
from litestar.dto.data_structures import DTOFieldDefinition
from litestar.openapi.spec import Reference, Schema
from litestar.params import BodyKwarg
from litestar.typing import FieldDefinition
from sqlalchemy.orm import Session

from ila_register.kernel.documents import DocumentCheck, DocumentDecoder
from ila_register.kernel.exceptions import NotAuthenticated, PreconditionRequired
from ila_register.platform.auth import Principal, TokenService
from ila_register.platform.clients import client_address
from ila_register.platform.idempotency import IdempotencyService, StoredResponse, fingerprint
from ila_register.platform.openapi import request_examples
from ila_register.platform.ratelimit import FailedAuthLimiter
from ila_register.platform.registry import Key, registry_of

T = TypeVar("T")
V = TypeVar("V")

# The semantic checks per request message, run with the structural ones (every problem at once).
DOCUMENT_CHECKS: Key[dict[type[Any], DocumentCheck]] = Key("document checks")


class Document(AbstractDTO[T]):
    """Decode ``data`` with the register's decoder: 415 for a wrong type, 400 for bad JSON, 422 listing all."""

    _decoders: ClassVar[dict[type[Any], DocumentDecoder[Any]]] = {}

    @classmethod
    def generate_field_definitions(cls, model_type: type[Any]) -> Generator[DTOFieldDefinition, None, None]:
        yield from ()

    @classmethod
    def detect_nested_field(cls, field_definition: FieldDefinition) -> bool:
        return False

    @classmethod
    def create_for_field_definition(
        cls, field_definition: FieldDefinition, handler_id: str, backend_cls: Any = None
    ) -> None:
        if cls.model_type not in cls._decoders:
            register_fields: frozenset[str] = getattr(cls.model_type, "register_fields", frozenset())
            cls._decoders[cls.model_type] = DocumentDecoder(cls.model_type, register_fields)

    @classmethod
    def create_openapi_schema(
        cls, field_definition: FieldDefinition, handler_id: str, schema_creator: Any
    ) -> Reference | Schema:
        examples = getattr(cls.model_type, "openapi_examples", ())
        kwarg = BodyKwarg(examples=request_examples(*examples)) if examples else None
        schema: Reference | Schema = schema_creator.for_field_definition(
            FieldDefinition.from_annotation(cls.model_type, kwarg_definition=kwarg)
        )
        return schema

    def decode_bytes(self, value: bytes) -> Any:
        # The body's hash lets handlers fingerprint the request (Idempotency-Key) without re-reading it.
        self.asgi_connection.state["body_sha256"] = hashlib.sha256(value).hexdigest()
        # The message's semantic checks need the register's vocabularies: they run here too when the
        # structure fails, so that the answer lists every problem (the service runs them otherwise).
        registry = getattr(self.asgi_connection.app.state, "registry", None)
        checks = registry.find(DOCUMENT_CHECKS) if registry is not None else None
        check = (checks or {}).get(self.model_type)
        content_type = self.asgi_connection.headers.get("content-type")
        return self._decoders[self.model_type].decode(value, content_type, check=check)


def principal_of(request: Request[Any, Any, Any], authorization: str | None = None) -> Principal:
    """The authenticated caller (``NotAuthenticated`` otherwise; 429 after too many failures).

    A valid token is always accepted; only failures count against the client's address.
    ``authorization`` stands in for the request's header when the token came another way (the
    dashboard's sign-in form); it is checked and rate-limited the same way."""
    registry = registry_of(request.app.state)
    try:
        principal = registry.get(TokenService).authenticate(authorization or request.headers.get("authorization"))
    except NotAuthenticated:
        registry.get(FailedAuthLimiter).failed(client_address(request))  # 429 once the budget is used up
        raise
    return principal


def require_if_match(if_match: str | None, etag: str, purpose: str = "so that no update is lost") -> str:
    """The ``If-Match`` a write needs (428 without it, saying which ETag to send and why).

    Whether it still matches is the service's check (``kernel.etags.check_if_match``), inside the
    transaction that writes."""
    if not if_match:
        raise PreconditionRequired(f"Send If-Match with {etag} {purpose}.")
    return if_match


def optional_principal_of(request: Request[Any, Any, Any]) -> Principal | None:
    """The caller if a token was sent; anonymous callers get ``None`` (a bad token is still refused)."""
    if not request.headers.get("authorization"):
        return None
    return principal_of(request)


def request_fingerprint(request: Request[Any, Any, Any]) -> str:
    """Method, path, query and body hash of the current request (the body was decoded by ``Document``)."""
    body_hash = str(request.state.get("body_sha256", ""))
    return fingerprint(request.method, request.url.path, body_hash.encode(), request.query_params.multi_items())


def run_idempotent(
    request: Request[Any, Any, Any],
    idempotency: IdempotencyService,
    principal: Principal,
    key: str | None,
    perform: Callable[[Callable[[Session, V], None] | None], V],
    render: Callable[[V], Response[Any]],
) -> Response[Any]:
    """Run a POST once per ``Idempotency-Key``; repeated requests get the first answer back."""
    if key is None:
        return render(perform(None))
    outcome = idempotency.claim(principal.actor, key, request_fingerprint(request))
    if isinstance(outcome, StoredResponse):
        return Response(
            outcome.body,
            status_code=outcome.status_code,
            media_type="application/json",
            headers={**outcome.headers, "Idempotent-Replayed": "true"},
        )
    claim = outcome

    def record(session: Session, value: V) -> None:
        response = render(value)
        stored = StoredResponse(
            response.status_code or 200,
            msgspec.json.encode(response.content),
            {k: v for k, v in response.headers.items() if k.lower() in _REPLAYED_HEADERS},
        )
        idempotency.finish_in(session, claim, stored)

    try:
        return render(perform(record))
    except BaseException:
        idempotency.release(claim)  # nothing was changed: a retry may run again
        raise


_REPLAYED_HEADERS = frozenset({"location", "etag"})
