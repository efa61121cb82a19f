"""a reference prefix per record kind; the standards a workspace is certified to

Revision ID: 0003_reference
Revises: 0002
Create Date: 2026-12-01

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_reference"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Records carry their reference (NM-0003); each prefix has its own gapless sequence.

    Records made before this keep the reference they had: NC- and their number. The NC
    sequence goes on from the highest of those, so no reference is ever issued twice."""
    op.add_column("workspace", sa.Column("reference_prefixes", sa.JSON(), nullable=True))
    op.add_column("workspace", sa.Column("standards", sa.JSON(), nullable=True))
    op.create_table(
        "reference_sequence",
        sa.Column("workspace_id", _ID, nullable=False),
        sa.Column("prefix", sa.String(length=8), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_reference_sequence_workspace_id_workspace"),
        ),
        sa.PrimaryKeyConstraint("workspace_id", "prefix", name=op.f("pk_reference_sequence")),
    )
    # Added nullable and indexed rather than constrained: SQLite adds both without rebuilding
    # the record table, which its foreign keys would refuse inside a transaction.
    op.add_column("record", sa.Column("reference", sa.String(length=16), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "UPDATE record SET reference = 'NC-' || "
            "CASE WHEN number < 10000 THEN lpad(number::text, 4, '0') ELSE number::text END"
        )
    else:
        op.execute(
            "UPDATE record SET reference = 'NC-' || "
            "CASE WHEN number < 10000 THEN substr('0000' || number, -4) ELSE number END"
        )
    op.create_index(
        "uq_record_workspace_id_reference", "record", ["workspace_id", "reference"], unique=True
    )
    op.execute(
        "INSERT INTO reference_sequence (workspace_id, prefix, last_number) "
        "SELECT workspace_id, 'NC', last_number FROM reference_counter"
    )


def downgrade() -> None:
    op.drop_index("uq_record_workspace_id_reference", table_name="record")
    op.drop_column("record", "reference")
    op.drop_table("reference_sequence")
    op.drop_column("workspace", "standards")
    op.drop_column("workspace", "reference_prefixes")
