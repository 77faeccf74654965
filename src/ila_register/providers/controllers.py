"""HTTP endpoints for providers (thin: decode, call the service, encode)."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from litestar import Controller, Response, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, HeaderParameter, QueryParameter, RequestBody
from litestar.status_codes import HTTP_201_CREATED

from ila_register.kernel.etags import etag_of
from ila_register.platform.auth import Principal, TokenService
from ila_register.platform.http import Document, require_if_match
from ila_register.platform.openapi import AUTHENTICATED, WRITES, problems
from ila_register.platform.workers import ChangeSignal
from ila_register.providers import domain, schemas
from ila_register.providers.deps import DEPENDENCIES
from ila_register.providers.identifiers import format_kbo
from ila_register.providers.services import ProviderService

# The If-Match of a provider update (required: 428 without it).
IfMatch = Annotated[str | None, HeaderParameter(name="If-Match", description="The ETag you read")]


def provider_of(provider: domain.Provider, base_uri: str) -> schemas.Provider:
    """The provider record the API shows, with its persistent URI and its quality labels' state."""
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
            schemas.QualityLabelState(
                label=q.label,
                valid_until=q.valid_until,
                valid_from=q.valid_from,
                certificate=q.certificate,
                status=q.status,
                decided_by=q.decided_by,
                decided_at=q.decided_at,
                reason=q.reason,
            )
            for q in content.quality_labels
        ],
        created_at=provider.created_at,
        updated_at=provider.updated_at,
    )


def _answer(provider: domain.Provider, base_uri: str) -> Response[schemas.Provider]:
    """A provider record with its ETag (needed to update it)."""
    return Response(provider_of(provider, base_uri), headers={"ETag": etag_of(provider.id, provider.version)})


class ProviderController(Controller):
    """Administrators register and suspend providers, providers keep their own record, reviewers decide on labels."""

    path = "/api/v1/providers"
    tags = ["Providers"]
    dependencies = DEPENDENCIES

    @post(
        dto=Document[schemas.ProviderCreate],
        return_dto=None,
        status_code=HTTP_201_CREATED,
        sync_to_thread=True,
        responses=problems(*WRITES, 409),
    )
    def register(
        self,
        data: RequestBody[schemas.ProviderCreate],
        principal: NamedDependency[Principal],
        providers: NamedDependency[ProviderService],
        base_uri: NamedDependency[str],
    ) -> Response[schemas.ProviderCreated]:
        """Register a training provider (administrators).

        The answer carries the provider's API token; it is shown only this once and stored hashed.
        """
        registration = providers.register(principal, data)
        shown = provider_of(registration.provider, base_uri)
        body = schemas.ProviderCreated(
            **{f: getattr(shown, f) for f in shown.__struct_fields__},
            token=registration.token.token,
            token_id=registration.token.id,
            token_fingerprint=registration.token.fingerprint,
        )
        return Response(
            body,
            status_code=HTTP_201_CREATED,
            headers={
                "Location": f"/api/v1/providers/{registration.provider.id}",
                "Cache-Control": "no-store",
            },
        )

    @post(
        "/{provider_id:uuid}/token",
        dto=Document[schemas.TokenRotation],
        return_dto=None,
        status_code=HTTP_201_CREATED,
        sync_to_thread=True,
        responses=problems(*WRITES, 404),
    )
    def rotate_token(
        self,
        provider_id: FromPath[uuid.UUID],
        data: RequestBody[schemas.TokenRotation],
        principal: NamedDependency[Principal],
        tokens: NamedDependency[TokenService],
    ) -> Response[schemas.ProviderToken]:
        """Replace a provider's API token: the new one is shown only this once.

        Called with a provider token, that token is revoked in the same transaction (the
        provider's other tokens keep working); called by an administrator, every active token
        of the provider is revoked. A revoked token cannot rotate again (401).
        """
        issued = tokens.rotate(principal, provider_id, label=data.label, expires_at=data.expires_at)
        return Response(
            schemas.ProviderToken(
                token=issued.token, token_id=issued.id, provider_id=provider_id, token_fingerprint=issued.fingerprint
            ),
            status_code=HTTP_201_CREATED,
            headers={"Cache-Control": "no-store"},
        )

    @get(sync_to_thread=True, responses=problems(*AUTHENTICATED, 403, 422))
    def browse(
        self,
        principal: NamedDependency[Principal],
        providers: NamedDependency[ProviderService],
        base_uri: NamedDependency[str],
        status: FromQuery[Literal["active", "suspended"] | None] = None,
        after: Annotated[uuid.UUID | None, QueryParameter(description="Continue after this provider id")] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 100,
    ) -> list[schemas.Provider]:
        """All providers in id order (reviewers and administrators); page with `after`."""
        page = providers.list_providers(principal, status=status, after=after, limit=limit)
        return [provider_of(p, base_uri) for p in page]

    @get("/{provider_id:uuid}", sync_to_thread=True, responses=problems(*AUTHENTICATED, 404, 422))
    def read(
        self,
        provider_id: FromPath[uuid.UUID],
        principal: NamedDependency[Principal],
        providers: NamedDependency[ProviderService],
        base_uri: NamedDependency[str],
    ) -> Response[schemas.Provider]:
        """A provider record: a provider reads its own, reviewers and administrators any."""
        return _answer(providers.get(principal, provider_id), base_uri)

    @put(
        "/{provider_id:uuid}",
        dto=Document[schemas.ProviderCreate],
        return_dto=None,
        sync_to_thread=True,
        responses=problems(*WRITES, 404, 409, 412, 428),
    )
    def replace(
        self,
        provider_id: FromPath[uuid.UUID],
        data: RequestBody[schemas.ProviderCreate],
        principal: NamedDependency[Principal],
        providers: NamedDependency[ProviderService],
        changes: NamedDependency[ChangeSignal],
        base_uri: NamedDependency[str],
        if_match: IfMatch = None,
    ) -> Response[schemas.Provider]:
        """Replace a provider record (the provider itself, or an administrator); needs `If-Match`."""
        updated = providers.update(principal, provider_id, data, require_if_match(if_match, "the provider's ETag"))
        changes.notify()
        return _answer(updated, base_uri)

    @post(
        "/{provider_id:uuid}/status",
        dto=Document[schemas.ProviderStatusChange],
        return_dto=None,
        status_code=200,
        sync_to_thread=True,
        responses=problems(*WRITES, 404),
    )
    def change_status(
        self,
        provider_id: FromPath[uuid.UUID],
        data: RequestBody[schemas.ProviderStatusChange],
        principal: NamedDependency[Principal],
        providers: NamedDependency[ProviderService],
        changes: NamedDependency[ChangeSignal],
        base_uri: NamedDependency[str],
    ) -> schemas.Provider:
        """Suspend or reinstate a provider (administrators).

        Suspension moves its eligible and pending offers to `suspended`: they leave search and the
        published dataset at once. Reinstatement sends them back to review.
        """
        provider = providers.set_status(principal, provider_id, data.status, data.reason)
        changes.notify()
        return provider_of(provider, base_uri)

    @post(
        "/{provider_id:uuid}/quality-labels/{label:str}/decision",
        dto=Document[schemas.QualityLabelDecision],
        return_dto=None,
        status_code=200,
        sync_to_thread=True,
        responses=problems(*WRITES, 404, 409, 412),
    )
    def decide_label(
        self,
        provider_id: FromPath[uuid.UUID],
        label: FromPath[str],
        data: RequestBody[schemas.QualityLabelDecision],
        principal: NamedDependency[Principal],
        providers: NamedDependency[ProviderService],
        changes: NamedDependency[ChangeSignal],
        base_uri: NamedDependency[str],
        if_match: Annotated[
            str | None, HeaderParameter(name="If-Match", description="The provider's ETag you reviewed (optional)")
        ] = None,
    ) -> Response[schemas.Provider]:
        """Confirm or reject a quality label the provider proposed (reviewers and administrators).

        Only a confirmed label counts for the eligibility rules and is published in ELM. On
        confirmation, the provider's offers that waited on it are checked again and go to review.
        A rejection needs a reason.
        """
        provider = providers.decide_label(principal, provider_id, label, data.decision, data.reason, if_match)
        changes.notify()
        return _answer(provider, base_uri)

    @put(
        "/{provider_id:uuid}/quality-labels",
        dto=Document[schemas.QualityLabelSet],
        return_dto=None,
        sync_to_thread=True,
        responses=problems(*WRITES, 404, 412, 428),
    )
    def set_labels(
        self,
        provider_id: FromPath[uuid.UUID],
        data: RequestBody[schemas.QualityLabelSet],
        principal: NamedDependency[Principal],
        providers: NamedDependency[ProviderService],
        changes: NamedDependency[ChangeSignal],
        base_uri: NamedDependency[str],
        if_match: IfMatch = None,
    ) -> Response[schemas.Provider]:
        """Set a provider's quality labels directly, all confirmed (reviewers and administrators); needs `If-Match`.

        The list replaces the provider's labels: leave a label out to withdraw it. The provider's
        offers are judged again at once.
        """
        if_match = require_if_match(if_match, "the provider's ETag")
        provider = providers.set_labels(principal, provider_id, data.quality_labels, if_match)
        changes.notify()
        return _answer(provider, base_uri)
