"""an objective's plan (ISO 9001 6.2.2), the questions asked on closing (10.2.1 e, f), and
the form a management review's decision came from

Revision ID: 0010_objective_plan_and_closing
Revises: 0009_document_escalation
Create Date: 2026-12-06

"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0010_objective_plan_and_closing"
down_revision: str | Sequence[str] | None = "0009_document_escalation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PLAN: tuple[sa.Column[Any], ...] = (
    sa.Column("plan_actions", sa.Text(), nullable=True),
    sa.Column("plan_resources", sa.Text(), nullable=True),
    sa.Column("plan_responsible", sa.String(length=200), nullable=True),
    sa.Column("plan_due", sa.Date(), nullable=True),
    sa.Column("plan_evaluation", sa.Text(), nullable=True),
)
_CLOSING: tuple[sa.Column[Any], ...] = (
    sa.Column("risks_update_needed", sa.Boolean(), nullable=True),
    sa.Column("system_change_needed", sa.Boolean(), nullable=True),
    sa.Column("closing_changes", sa.Text(), nullable=True),
)


def upgrade() -> None:
    """Optional columns: existing objectives have no plan, closed records were not asked."""
    with op.batch_alter_table("objective") as batch:
        for column in _PLAN:
            batch.add_column(column)
    with op.batch_alter_table("record") as batch:
        for column in _CLOSING:
            batch.add_column(column)
    with op.batch_alter_table("review_decision") as batch:
        batch.add_column(sa.Column("source_view_id", sa.String(length=64), nullable=True))
        batch.create_unique_constraint(
            "uq_review_decision_workspace_id_source_view_id", ["workspace_id", "source_view_id"]
        )


def downgrade() -> None:
    """Drop the plan, the closing answers and the decisions' forms."""
    with op.batch_alter_table("review_decision") as batch:
        batch.drop_constraint("uq_review_decision_workspace_id_source_view_id", type_="unique")
        batch.drop_column("source_view_id")
    with op.batch_alter_table("record") as batch:
        for column in reversed(_CLOSING):
            batch.drop_column(column.name)
    with op.batch_alter_table("objective") as batch:
        for column in reversed(_PLAN):
            batch.drop_column(column.name)
