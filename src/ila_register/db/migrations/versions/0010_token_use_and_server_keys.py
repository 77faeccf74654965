"""token use and server keys: when each token was last used; keys the register signs with

- api_tokens.last_used_at: refreshed at most once a minute per token (``ila-register tokens list``);
- server_keys: secrets generated once by the register itself and shared by all its instances
  (the dashboard's sign-in form carries values signed with one), never configured by hand.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from ila_register.db.types import UtcDateTime

revision = "0010"
# The chain at merge time is 0008 -> 0009 -> 0010; 0009 is another branch's.
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_used_at", UtcDateTime(), nullable=True))
    op.create_table(
        "server_keys",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("secret", sa.String(length=128), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_server_keys")),
    )


def downgrade() -> None:
    op.drop_table("server_keys")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_column("last_used_at")
