"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import ila_register.db.types

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "consumer_leases",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("owner", sa.String(length=100), nullable=False),
        sa.Column("expires_at", ila_register.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_consumer_leases")),
    )
    op.create_table(
        "outbox_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("offer_id", sa.Uuid(), nullable=False),
        sa.Column("event", sa.String(length=16), nullable=False),
        sa.Column("created_at", ila_register.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("search_synced_at", ila_register.db.types.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_events")),
    )
    with op.batch_alter_table("outbox_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_events_offer_id"), ["offer_id"], unique=False)
        batch_op.create_index(
            "ix_outbox_events_search_pending",
            ["id"],
            unique=False,
            sqlite_where=sa.text("search_synced_at IS NULL"),
            postgresql_where=sa.text("search_synced_at IS NULL"),
        )

    op.create_table(
        "providers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("legal_id_scheme", sa.String(length=8), nullable=False),
        sa.Column("legal_id", sa.String(length=64), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column(
            "content",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", ila_register.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", ila_register.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_providers")),
    )
    with op.batch_alter_table("providers", schema=None) as batch_op:
        batch_op.create_index("uq_providers_legal_id", ["legal_id_scheme", "legal_id"], unique=True)

    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("provider_id", sa.Uuid(), nullable=True),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("created_at", ila_register.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", ila_register.db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", ila_register.db.types.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["provider_id"], ["providers.id"], name=op.f("fk_api_tokens_provider_id_providers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_tokens_provider_id"), ["provider_id"], unique=False)

    op.create_table(
        "offers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("provider_id", sa.Uuid(), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "content",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("duration_hours", sa.Float(), nullable=True),
        sa.Column("price_amount", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("price_currency", sa.String(length=3), nullable=True),
        sa.Column("created_at", ila_register.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", ila_register.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", ila_register.db.types.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["provider_id"], ["providers.id"], name=op.f("fk_offers_provider_id_providers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offers")),
    )
    with op.batch_alter_table("offers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_offers_provider_id"), ["provider_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_offers_updated_at"), ["updated_at"], unique=False)
        batch_op.create_index("uq_offers_provider_reference", ["provider_id", "reference"], unique=True)

    op.create_table(
        "eligibility_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("offer_id", sa.Uuid(), nullable=False),
        sa.Column("scheme_id", sa.String(length=64), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("rules_version", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("at", ila_register.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["offer_id"],
            ["offers.id"],
            name=op.f("fk_eligibility_events_offer_id_offers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_eligibility_events")),
    )
    with op.batch_alter_table("eligibility_events", schema=None) as batch_op:
        batch_op.create_index("ix_eligibility_events_offer_scheme", ["offer_id", "scheme_id", "id"], unique=False)

    op.create_table(
        "offer_eligibility",
        sa.Column("offer_id", sa.Uuid(), nullable=False),
        sa.Column("scheme_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("rules_version", sa.Text(), nullable=False),
        sa.Column(
            "rule_results",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("submitted_at", ila_register.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("decided_at", ila_register.db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("updated_at", ila_register.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["offer_id"], ["offers.id"], name=op.f("fk_offer_eligibility_offer_id_offers"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("offer_id", "scheme_id", name=op.f("pk_offer_eligibility")),
    )
    with op.batch_alter_table("offer_eligibility", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_offer_eligibility_status"), ["status"], unique=False)

    op.create_table(
        "offer_sessions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("offer_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("enrolment_deadline", sa.Date(), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("online", sa.Boolean(), nullable=False),
        sa.Column("postcode", sa.String(length=16), nullable=True),
        sa.Column("municipality", sa.String(length=200), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("nuts3", sa.String(length=8), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["offer_id"], ["offers.id"], name=op.f("fk_offer_sessions_offer_id_offers"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offer_sessions")),
    )
    with op.batch_alter_table("offer_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_offer_sessions_nuts3"), ["nuts3"], unique=False)
        batch_op.create_index(batch_op.f("ix_offer_sessions_offer_id"), ["offer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_offer_sessions_start_date"), ["start_date"], unique=False)

    op.create_table(
        "offer_versions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("offer_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("change", sa.String(length=16), nullable=False),
        sa.Column(
            "changed_fields",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "content",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("at", ila_register.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["offer_id"], ["offers.id"], name=op.f("fk_offer_versions_offer_id_offers"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offer_versions")),
    )
    with op.batch_alter_table("offer_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_offer_versions_offer_id"), ["offer_id"], unique=False)
        batch_op.create_index("uq_offer_versions_offer_version", ["offer_id", "version"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("offer_versions", schema=None) as batch_op:
        batch_op.drop_index("uq_offer_versions_offer_version")
        batch_op.drop_index(batch_op.f("ix_offer_versions_offer_id"))

    op.drop_table("offer_versions")
    with op.batch_alter_table("offer_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_offer_sessions_start_date"))
        batch_op.drop_index(batch_op.f("ix_offer_sessions_offer_id"))
        batch_op.drop_index(batch_op.f("ix_offer_sessions_nuts3"))

    op.drop_table("offer_sessions")
    with op.batch_alter_table("offer_eligibility", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_offer_eligibility_status"))

    op.drop_table("offer_eligibility")
    with op.batch_alter_table("eligibility_events", schema=None) as batch_op:
        batch_op.drop_index("ix_eligibility_events_offer_scheme")

    op.drop_table("eligibility_events")
    with op.batch_alter_table("offers", schema=None) as batch_op:
        batch_op.drop_index("uq_offers_provider_reference")
        batch_op.drop_index(batch_op.f("ix_offers_updated_at"))
        batch_op.drop_index(batch_op.f("ix_offers_provider_id"))

    op.drop_table("offers")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_provider_id"))

    op.drop_table("api_tokens")
    with op.batch_alter_table("providers", schema=None) as batch_op:
        batch_op.drop_index("uq_providers_legal_id")

    op.drop_table("providers")
    with op.batch_alter_table("outbox_events", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_outbox_events_search_pending",
            sqlite_where=sa.text("search_synced_at IS NULL"),
            postgresql_where=sa.text("search_synced_at IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_outbox_events_offer_id"))

    op.drop_table("outbox_events")
    op.drop_table("consumer_leases")
