"""elm publication and feed

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import ila_register.db.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "consumer_positions",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("updated_at", ila_register.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column(
            "detail", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=True
        ),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_consumer_positions")),
    )
    op.create_table(
        "elm_feed",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("offer_id", sa.Uuid(), nullable=False),
        sa.Column("change", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("at", ila_register.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_elm_feed")),
    )
    with op.batch_alter_table("elm_feed", schema=None) as batch_op:
        batch_op.create_index("ix_elm_feed_offer_seq", ["offer_id", "seq"], unique=False)

    op.create_table(
        "elm_publication",
        sa.Column("offer_id", sa.Uuid(), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("graph_hash", sa.String(length=64), nullable=True),
        sa.Column("offer_version", sa.Integer(), nullable=False),
        sa.Column("provider_version", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column(
            "problems", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=True
        ),
        sa.Column("checked_at", ila_register.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("offer_id", name=op.f("pk_elm_publication")),
    )
    with op.batch_alter_table("elm_publication", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_elm_publication_published"), ["published"], unique=False)

    with op.batch_alter_table("outbox_events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("feed_synced_at", ila_register.db.types.UtcDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(
            "ix_outbox_events_feed_pending",
            ["id"],
            unique=False,
            sqlite_where=sa.text("feed_synced_at IS NULL"),
            postgresql_where=sa.text("feed_synced_at IS NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox_events", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_outbox_events_feed_pending",
            sqlite_where=sa.text("feed_synced_at IS NULL"),
            postgresql_where=sa.text("feed_synced_at IS NULL"),
        )
        batch_op.drop_column("feed_synced_at")

    with op.batch_alter_table("elm_publication", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_elm_publication_published"))

    op.drop_table("elm_publication")
    with op.batch_alter_table("elm_feed", schema=None) as batch_op:
        batch_op.drop_index("ix_elm_feed_offer_seq")

    op.drop_table("elm_feed")
    op.drop_table("consumer_positions")
