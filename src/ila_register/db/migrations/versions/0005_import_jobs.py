"""import jobs

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import ila_register.db.types

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_jobs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("provider_id", sa.Uuid(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("format", sa.String(length=8), nullable=False),
        sa.Column("mode", sa.String(length=8), nullable=False),
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("records_total", sa.Integer(), nullable=True),
        sa.Column("records_done", sa.Integer(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("withdrawn", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", ila_register.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("started_at", ila_register.db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", ila_register.db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("lease_owner", sa.String(length=64), nullable=True),
        sa.Column("lease_until", ila_register.db.types.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["provider_id"], ["providers.id"], name=op.f("fk_import_jobs_provider_id_providers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_jobs")),
    )
    with op.batch_alter_table("import_jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_jobs_provider_id"), ["provider_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_import_jobs_status"), ["status"], unique=False)

    op.create_table(
        "import_problems",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("job_id", sa.Uuid(), nullable=False),
        sa.Column("record", sa.Integer(), nullable=False),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=True),
        sa.Column("pointer", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("severity", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"], ["import_jobs.id"], name=op.f("fk_import_problems_job_id_import_jobs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_problems")),
    )
    with op.batch_alter_table("import_problems", schema=None) as batch_op:
        batch_op.create_index("ix_import_problems_job_record", ["job_id", "record"], unique=False)

    op.create_table(
        "import_seen",
        sa.Column("job_id", sa.Uuid(), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"], ["import_jobs.id"], name=op.f("fk_import_seen_job_id_import_jobs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("job_id", "reference", name=op.f("pk_import_seen")),
    )


def downgrade() -> None:
    op.drop_table("import_seen")
    with op.batch_alter_table("import_problems", schema=None) as batch_op:
        batch_op.drop_index("ix_import_problems_job_record")

    op.drop_table("import_problems")
    with op.batch_alter_table("import_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_jobs_status"))
        batch_op.drop_index(batch_op.f("ix_import_jobs_provider_id"))

    op.drop_table("import_jobs")
