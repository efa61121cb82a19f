"""the name a workspace gives its management system ("HSEQ leads", "the HSEQ channel")

Revision ID: 0011_system_name
Revises: 0010_objective_plan_and_closing
Create Date: 2026-12-06

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0011_system_name"
down_revision: str | Sequence[str] | None = "0010_objective_plan_and_closing"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Optional: a workspace without a name keeps "quality leads" and "the quality channel"."""
    with op.batch_alter_table("workspace") as batch:
        batch.add_column(sa.Column("system_name", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("workspace") as batch:
        batch.drop_column("system_name")
