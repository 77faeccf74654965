"""four-eyes proposals

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("eligibility_events", schema=None) as batch_op:
        batch_op.alter_column(
            "from_status", existing_type=sa.VARCHAR(length=16), type_=sa.String(length=32), existing_nullable=True
        )
        batch_op.alter_column(
            "to_status", existing_type=sa.VARCHAR(length=16), type_=sa.String(length=32), existing_nullable=False
        )

    with op.batch_alter_table("offer_eligibility", schema=None) as batch_op:
        batch_op.add_column(sa.Column("proposed_status", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("proposed_by", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("proposed_reason", sa.Text(), nullable=True))
        batch_op.alter_column(
            "status", existing_type=sa.VARCHAR(length=16), type_=sa.String(length=32), existing_nullable=False
        )
        batch_op.create_index("ix_offer_eligibility_scheme_status", ["scheme_id", "status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("offer_eligibility", schema=None) as batch_op:
        batch_op.drop_index("ix_offer_eligibility_scheme_status")
        batch_op.alter_column(
            "status", existing_type=sa.String(length=32), type_=sa.VARCHAR(length=16), existing_nullable=False
        )
        batch_op.drop_column("proposed_reason")
        batch_op.drop_column("proposed_by")
        batch_op.drop_column("proposed_status")

    with op.batch_alter_table("eligibility_events", schema=None) as batch_op:
        batch_op.alter_column(
            "to_status", existing_type=sa.String(length=32), type_=sa.VARCHAR(length=16), existing_nullable=False
        )
        batch_op.alter_column(
            "from_status", existing_type=sa.String(length=32), type_=sa.VARCHAR(length=16), existing_nullable=True
        )
