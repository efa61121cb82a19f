"""the competence that qualifies an internal auditor

Revision ID: 0008_auditor_competence
Revises: 0007_documents
Create Date: 2026-12-05

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0008_auditor_competence"
down_revision: str | Sequence[str] | None = "0007_documents"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """workspace.auditor_competence_id: a competence id, checked by the service (no foreign
    key: SQLite cannot add one to a table without rebuilding it, and the workspace table is
    referenced by every other table)."""
    op.add_column("workspace", sa.Column("auditor_competence_id", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    """Drop workspace.auditor_competence_id."""
    with op.batch_alter_table("workspace", schema=None) as batch_op:
        batch_op.drop_column("auditor_competence_id")
