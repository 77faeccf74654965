"""Glue between Litestar and the register: body decoding, the caller's identity, headers.

``Document[T]`` is a Litestar DTO that decodes request bodies with ``DocumentDecoder`` (every
problem reported, media type checked) while the OpenAPI schema still shows the message type.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any, ClassVar, TypeVar

from litestar import Request
from litestar.dto import AbstractDTO
from litestar.dto.data_structures import DTOFieldDefinition
from litestar.openapi.spec import Reference, Schema
from litestar.typing import FieldDefinition

from ila_register.lib.auth import Principal
from ila_register.lib.documents import DocumentDecoder

T = TypeVar("T")


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
            cls._decoders[cls.model_type] = DocumentDecoder(cls.model_type)

    @classmethod
    def create_openapi_schema(
        cls, field_definition: FieldDefinition, handler_id: str, schema_creator: Any
    ) -> Reference | Schema:
        schema: Reference | Schema = schema_creator.for_field_definition(
            FieldDefinition.from_annotation(cls.model_type)
        )
        return schema

    def decode_bytes(self, value: bytes) -> Any:
        return self._decoders[self.model_type].decode(value, self.asgi_connection.headers.get("content-type"))


def principal_of(request: Request[Any, Any, Any]) -> Principal:
    """The authenticated caller (``NotAuthenticated`` otherwise)."""
    tokens = request.app.state.runtime.tokens
    principal: Principal = tokens.authenticate(request.headers.get("authorization"))
    return principal


def optional_principal_of(request: Request[Any, Any, Any]) -> Principal | None:
    """The caller if a token was sent; anonymous callers get ``None`` (a bad token is still refused)."""
    if not request.headers.get("authorization"):
        return None
    return principal_of(request)
