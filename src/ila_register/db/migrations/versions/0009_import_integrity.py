"""import integrity: unreadable records, withdrawals named per job, reasons in offer history, persons compared alike

- import_jobs.unreadable / first_unreadable: records whose reference could not be read (a file
  cut off, an unclosed CSV quote); a replace import with any withdraws nothing;
- import_withdrawals: the references a replace import withdrew (a dry run: would withdraw);
- offer_versions.reason: why a version came about when it is not the actor's own edit (a
  withdrawal by a replace import);
- offer_eligibility.proposed_person: stored in the one normal form four eyes compare
  (trimmed, NFKC, case-folded), so "Alice" proposing and "alice" confirming is one person.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from ila_register.kernel.persons import person_key

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("import_jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unreadable", sa.Integer(), server_default=sa.text("0"), nullable=False))
        batch_op.add_column(sa.Column("first_unreadable", sa.Text(), nullable=True))
    op.create_table(
        "import_withdrawals",
        sa.Column("job_id", sa.Uuid(), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["import_jobs.id"],
            name=op.f("fk_import_withdrawals_job_id_import_jobs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("job_id", "reference", name=op.f("pk_import_withdrawals")),
    )
    with op.batch_alter_table("offer_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reason", sa.Text(), nullable=True))

    connection = op.get_bind()
    rows = connection.execute(
        sa.text("SELECT offer_id, scheme_id, proposed_person FROM offer_eligibility WHERE proposed_person IS NOT NULL")
    ).all()
    for offer_id, scheme_id, person in rows:
        if person_key(person) != person:
            connection.execute(
                sa.text(
                    "UPDATE offer_eligibility SET proposed_person = :person "
                    "WHERE offer_id = :offer_id AND scheme_id = :scheme_id"
                ),
                {"person": person_key(person), "offer_id": offer_id, "scheme_id": scheme_id},
            )


def downgrade() -> None:
    with op.batch_alter_table("offer_versions", schema=None) as batch_op:
        batch_op.drop_column("reason")
    op.drop_table("import_withdrawals")
    with op.batch_alter_table("import_jobs", schema=None) as batch_op:
        batch_op.drop_column("first_unreadable")
        batch_op.drop_column("unreadable")
