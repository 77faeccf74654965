"""drop ix_offers_provider_id: uq_offers_provider_reference already starts with provider_id

With both, PostgreSQL without fresh statistics (a new provider's first bulk import) picked the
single-column index and read every offer of the provider to find 250 references.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("offers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_offers_provider_id"))


def downgrade() -> None:
    with op.batch_alter_table("offers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_offers_provider_id"), ["provider_id"], unique=False)
