"""review integrity: published version pointer, approvals per version, persons behind tokens

- offers.published_version / published_content / published_at: what search and ELM publish
  (the approved version while a material change waits for review);
- offer_eligibility.approved_version / published / proposed_person / proposed_version;
- eligibility_events.offer_version: the offer version each step concerns;
- api_tokens.person: four eyes are two people, not two tokens;
- quality labels stored before confirmation existed are marked confirmed (by this migration),
  so that upgrading suspends nothing; review them with GET /api/v1/providers.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

from ila_register.db.types import JsonDocument, UtcDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

MIGRATED_BY = "migration 0007 (stored before labels needed confirmation)"


def upgrade() -> None:
    with op.batch_alter_table("offers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("published_version", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("published_content", JsonDocument, nullable=True))
        batch_op.add_column(sa.Column("published_at", UtcDateTime(), nullable=True))
    with op.batch_alter_table("offer_eligibility", schema=None) as batch_op:
        batch_op.add_column(sa.Column("proposed_person", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("proposed_version", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("approved_version", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("published", sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table("eligibility_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("offer_version", sa.Integer(), nullable=True))
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("person", sa.String(length=200), nullable=True))

    # What was eligible was approved at the offer's current version, and is what is published.
    op.execute(
        "UPDATE offer_eligibility SET published = TRUE, approved_version = "
        "(SELECT version FROM offers WHERE offers.id = offer_eligibility.offer_id) WHERE status = 'eligible'"
    )
    op.execute(
        "UPDATE offers SET published_version = version WHERE id IN "
        "(SELECT offer_id FROM offer_eligibility WHERE status = 'eligible')"
    )
    # A proposal's author was recorded as "<role>:<token id>"; a token's person defaults to its id.
    op.execute(
        "UPDATE offer_eligibility SET proposed_person = SUBSTR(proposed_by, INSTR(proposed_by, ':') + 1) "
        "WHERE proposed_by IS NOT NULL"
        if op.get_bind().dialect.name == "sqlite"
        else "UPDATE offer_eligibility SET proposed_person = SPLIT_PART(proposed_by, ':', 2) "
        "WHERE proposed_by IS NOT NULL"
    )
    _mark_labels_confirmed()


def _mark_labels_confirmed() -> None:
    connection = op.get_bind()
    providers = sa.table("providers", sa.column("id", sa.Uuid()), sa.column("content", JsonDocument))
    for provider_id, content in connection.execute(sa.select(providers.c.id, providers.c.content)).all():
        document: dict[str, Any] = content if isinstance(content, dict) else json.loads(content)
        labels = document.get("quality_labels") or []
        if not labels or all("status" in label for label in labels):
            continue
        for label in labels:
            label.setdefault("status", "confirmed")
            label.setdefault("decided_by", MIGRATED_BY)
        connection.execute(providers.update().where(providers.c.id == provider_id).values(content=document))


def downgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_column("person")
    with op.batch_alter_table("eligibility_events", schema=None) as batch_op:
        batch_op.drop_column("offer_version")
    with op.batch_alter_table("offer_eligibility", schema=None) as batch_op:
        batch_op.drop_column("published")
        batch_op.drop_column("approved_version")
        batch_op.drop_column("proposed_version")
        batch_op.drop_column("proposed_person")
    with op.batch_alter_table("offers", schema=None) as batch_op:
        batch_op.drop_column("published_at")
        batch_op.drop_column("published_content")
        batch_op.drop_column("published_version")
