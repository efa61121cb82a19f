"""the escalation ladder for overdue document reviews

Revision ID: 0009_document_escalation
Revises: 0008_auditor_competence
Create Date: 2026-12-05

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

# revision identifiers, used by Alembic.
revision: str = "0009_document_escalation"
down_revision: str | Sequence[str] | None = "0008_auditor_competence"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Each step of the ladder taken for one review cycle of a document, once."""
    op.create_table(
        "document_escalation",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "workspace_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "document_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("step", sa.String(length=16), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_document_escalation_document_id_document"),
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_document_escalation_workspace_id_workspace"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_escalation")),
        sa.UniqueConstraint(
            "document_id",
            "due_date",
            "step",
            name=op.f("uq_document_escalation_document_id_due_date_step"),
        ),
    )


def downgrade() -> None:
    """Drop the document review ladder."""
    op.drop_table("document_escalation")
