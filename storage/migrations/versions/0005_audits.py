"""internal audits: the programme, findings, qualified auditors; records link to audits

Revision ID: 0005_audits
Revises: 0004_job_run
Create Date: 2026-11-25

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

# revision identifiers, used by Alembic.
revision: str = "0005_audits"
down_revision: str | Sequence[str] | None = "0004_job_run"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Audits (ISO 9001 9.2), their findings, the qualified auditors, and record.audit_id."""
    op.create_table(
        "audit_counter",
        sa.Column("workspace_id", ID, nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspace.id"], name=op.f("fk_audit_counter_workspace_id_workspace")
        ),
        sa.PrimaryKeyConstraint("workspace_id", name=op.f("pk_audit_counter")),
    )
    op.create_table(
        "auditor_qualification",
        sa.Column("id", ID, nullable=False),
        sa.Column("workspace_id", ID, nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("added_by", sa.String(length=32), nullable=False),
        sa.Column("added_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_auditor_qualification_workspace_id_workspace"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auditor_qualification")),
        sa.UniqueConstraint(
            "workspace_id", "user_id", name=op.f("uq_auditor_qualification_workspace_id_user_id")
        ),
    )
    op.create_table(
        "audit",
        sa.Column("id", ID, nullable=False),
        sa.Column("workspace_id", ID, nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("process_id", ID, nullable=True),
        sa.Column("area", sa.String(length=80), nullable=True),
        sa.Column("planned_date", sa.Date(), nullable=False),
        sa.Column("held_date", sa.Date(), nullable=True),
        sa.Column("lead_auditor_id", sa.String(length=32), nullable=False),
        sa.Column("auditor_ids", sa.JSON(), nullable=False),
        sa.Column("auditee_id", sa.String(length=32), nullable=True),
        sa.Column("scope", sa.Text(), nullable=True),
        sa.Column("standards", sa.JSON(), nullable=False),
        sa.Column("clauses", sa.JSON(), nullable=False),
        sa.Column("recurrence", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("postponements", sa.Integer(), nullable=False),
        sa.Column("impartiality_override", sa.Text(), nullable=True),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.Column("close_reason", sa.Text(), nullable=True),
        sa.Column("report_summary", sa.Text(), nullable=True),
        sa.Column("report_strengths", sa.Text(), nullable=True),
        sa.Column("report_conclusion", sa.Text(), nullable=True),
        sa.Column("clauses_covered", sa.JSON(), nullable=True),
        sa.Column("reported_by", sa.String(length=32), nullable=True),
        sa.Column("reported_at", UTCDateTime(), nullable=True),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.Column("previous_id", ID, nullable=True),
        sa.Column("created_by", sa.String(length=32), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["previous_id"], ["audit.id"], name=op.f("fk_audit_previous_id_audit")
        ),
        sa.ForeignKeyConstraint(
            ["process_id"], ["process.id"], name=op.f("fk_audit_process_id_process")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspace.id"], name=op.f("fk_audit_workspace_id_workspace")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit")),
        sa.UniqueConstraint("previous_id", name=op.f("uq_audit_previous_id")),
        sa.UniqueConstraint("workspace_id", "number", name=op.f("uq_audit_workspace_id_number")),
    )
    op.create_index(
        "ix_audit_workspace_status_planned",
        "audit",
        ["workspace_id", "status", "planned_date"],
        unique=False,
    )
    op.create_table(
        "audit_finding",
        sa.Column("id", ID, nullable=False),
        sa.Column("workspace_id", ID, nullable=False),
        sa.Column("audit_id", ID, nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("grade", sa.String(length=16), nullable=False),
        sa.Column("clause", sa.String(length=40), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("spoken_to", sa.String(length=200), nullable=True),
        sa.Column("record_id", ID, nullable=True),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["audit_id"], ["audit.id"], name=op.f("fk_audit_finding_audit_id_audit")
        ),
        sa.ForeignKeyConstraint(
            ["record_id"], ["record.id"], name=op.f("fk_audit_finding_record_id_record")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspace.id"], name=op.f("fk_audit_finding_workspace_id_workspace")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_finding")),
        sa.UniqueConstraint("audit_id", "number", name=op.f("uq_audit_finding_audit_id_number")),
    )
    # SQLite can add a nullable column that references another table in place, so the
    # record table (and everything pointing at it) is not rebuilt; Alembic's batch mode would.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE record ADD COLUMN audit_id INTEGER "
            "CONSTRAINT fk_record_audit_id_audit REFERENCES audit (id)"
        )
    else:
        op.add_column("record", sa.Column("audit_id", ID, nullable=True))
        op.create_foreign_key(
            op.f("fk_record_audit_id_audit"), "record", "audit", ["audit_id"], ["id"]
        )


def downgrade() -> None:
    """Drop the audit tables and record.audit_id."""
    with op.batch_alter_table("record", schema=None) as batch_op:
        batch_op.drop_column("audit_id")
    op.drop_table("audit_finding")
    op.drop_index("ix_audit_workspace_status_planned", table_name="audit")
    op.drop_table("audit")
    op.drop_table("auditor_qualification")
    op.drop_table("audit_counter")
