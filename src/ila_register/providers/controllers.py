"""HTTP endpoints for providers (thin: decode, call the service, encode)."""

from __future__ import annotations

import uuid

from litestar import Controller, Response, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, RequestBody
from litestar.status_codes import HTTP_201_CREATED

from ila_register.lib.auth import Principal
from ila_register.lib.http import Document
from ila_register.providers import domain, schemas
from ila_register.providers.identifiers import format_kbo
from ila_register.runtime import Runtime


def provider_of(provider: domain.Provider, base_uri: str) -> schemas.Provider:
    content = provider.content
    return schemas.Provider(
        id=provider.id,
        uri=f"{base_uri}/id/organisation/{provider.id}",
        status=provider.status,
        name=content.name,
        country=content.country,
        kbo_number=format_kbo(content.kbo_number) if content.kbo_number else None,
        vat_number=content.vat_number,
        euid=content.euid,
        homepage=content.homepage,
        email=content.email,
        phone=content.phone,
        address=schemas.Address(
            street=content.address.street,
            postcode=content.address.postcode,
            municipality=content.address.municipality,
            country=content.address.country,
        ),
        description=content.description,
        quality_labels=[
            schemas.QualityLabel(
                label=q.label, valid_until=q.valid_until, valid_from=q.valid_from, certificate=q.certificate
            )
            for q in content.quality_labels
        ],
        created_at=provider.created_at,
        updated_at=provider.updated_at,
    )


class ProviderController(Controller):
    path = "/api/v1/providers"
    tags = ["Providers"]

    @post(
        dto=Document[schemas.ProviderCreate],
        return_dto=None,
        status_code=HTTP_201_CREATED,
        sync_to_thread=True,
    )
    def register(
        self,
        data: RequestBody[schemas.ProviderCreate],
        principal: NamedDependency[Principal],
        runtime: NamedDependency[Runtime],
    ) -> Response[schemas.ProviderCreated]:
        """Register a training provider (administrators).

        The answer carries the provider's API token; it is shown only this once and stored hashed.
        """
        registration = runtime.providers.register(principal, data)
        base = runtime.settings.http.base_uri
        shown = provider_of(registration.provider, base)
        body = schemas.ProviderCreated(
            **{f: getattr(shown, f) for f in shown.__struct_fields__}, token=registration.token.token
        )
        return Response(
            body,
            status_code=HTTP_201_CREATED,
            headers={
                "Location": f"/api/v1/providers/{registration.provider.id}",
                "Cache-Control": "no-store",
            },
        )

    @get("/{provider_id:uuid}", sync_to_thread=True)
    def read(
        self,
        provider_id: FromPath[uuid.UUID],
        principal: NamedDependency[Principal],
        runtime: NamedDependency[Runtime],
    ) -> schemas.Provider:
        """A provider record: a provider reads its own, reviewers and administrators any."""
        return provider_of(runtime.providers.get(principal, provider_id), runtime.settings.http.base_uri)

    @put("/{provider_id:uuid}", dto=Document[schemas.ProviderCreate], return_dto=None, sync_to_thread=True)
    def replace(
        self,
        provider_id: FromPath[uuid.UUID],
        data: RequestBody[schemas.ProviderCreate],
        principal: NamedDependency[Principal],
        runtime: NamedDependency[Runtime],
    ) -> schemas.Provider:
        """Replace a provider record (the provider itself, or an administrator)."""
        updated = runtime.providers.update(principal, provider_id, data)
        runtime.changed()
        return provider_of(updated, runtime.settings.http.base_uri)
