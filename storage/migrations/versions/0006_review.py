"""management reviews, their decisions, and the standards a workspace is certified to

Revision ID: 0006_review
Revises: 0005_audits
Create Date: 2026-11-25

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

# revision identifiers, used by Alembic.
revision: str = "0006_review"
down_revision: str | Sequence[str] | None = "0005_audits"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Management reviews (ISO 9001 9.3) and their outputs (9.3.3)."""
    op.create_table(
        "management_review",
        sa.Column("id", ID, nullable=False),
        sa.Column("workspace_id", ID, nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("planned_date", sa.Date(), nullable=False),
        sa.Column("attendee_ids", sa.JSON(), nullable=False),
        sa.Column("period_start_date", sa.Date(), nullable=False),
        sa.Column("next_review_date", sa.Date(), nullable=True),
        sa.Column("record_id", ID, nullable=True),
        sa.Column("held_at", UTCDateTime(), nullable=True),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_management_review_workspace_id_workspace"),
        ),
        sa.ForeignKeyConstraint(
            ["record_id"], ["record.id"], name=op.f("fk_management_review_record_id_record")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_management_review")),
        sa.UniqueConstraint(
            "workspace_id", "number", name=op.f("uq_management_review_workspace_id_number")
        ),
    )
    op.create_table(
        "review_decision",
        sa.Column("id", ID, nullable=False),
        sa.Column("workspace_id", ID, nullable=False),
        sa.Column("review_id", ID, nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("action_id", ID, nullable=True),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_review_decision_workspace_id_workspace"),
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["management_review.id"],
            name=op.f("fk_review_decision_review_id_management_review"),
        ),
        sa.ForeignKeyConstraint(
            ["action_id"], ["action.id"], name=op.f("fk_review_decision_action_id_action")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_decision")),
    )


def downgrade() -> None:
    op.drop_table("review_decision")
    op.drop_table("management_review")
