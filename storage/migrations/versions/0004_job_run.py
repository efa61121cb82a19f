"""job_run: when each scheduled job last finished

Revision ID: 0004_job_run
Revises: 0003_reference
Create Date: 2026-11-25

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

# revision identifiers, used by Alembic.
revision: str = "0004_job_run"
down_revision: str | Sequence[str] | None = "0003_reference"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """One row per scheduled job: its last outcome and when it finished."""
    op.create_table(
        "job_run",
        sa.Column("job", sa.String(length=64), nullable=False),
        sa.Column("outcome", sa.String(length=200), nullable=False),
        sa.Column("finished_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("job", name=op.f("pk_job_run")),
    )


def downgrade() -> None:
    """Drop the job runs."""
    op.drop_table("job_run")
