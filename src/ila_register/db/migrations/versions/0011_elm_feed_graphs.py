"""elm feed: each event keeps the offer's ELM graph of that moment (the event stream's immutable members)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("elm_feed") as batch:
        batch.add_column(sa.Column("graph", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("elm_feed") as batch:
        batch.drop_column("graph")
