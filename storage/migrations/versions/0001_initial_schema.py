"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

# revision identifiers, used by Alembic.
revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Keel's first schema: workspaces, people, processes, records, actions, history,
    outbox, delivery ledger, escalations and event ids."""
    op.create_table(
        "slack_event",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_slack_event")),
    )
    with op.batch_alter_table("slack_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_slack_event_received_at"), ["received_at"], unique=False
        )

    op.create_table(
        "workspace",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("enterprise_id", sa.String(length=32), nullable=True),
        sa.Column("quality_channel", sa.String(length=32), nullable=True),
        sa.Column("digest_channel", sa.String(length=32), nullable=True),
        sa.Column("lead_ids", sa.JSON(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("cause_categories", sa.JSON(), nullable=True),
        sa.Column("extension_limit", sa.Integer(), nullable=False),
        sa.Column("nudge_hour", sa.Integer(), nullable=False),
        sa.Column("quiet_hour", sa.Integer(), nullable=False),
        sa.Column("working_days", sa.JSON(), nullable=False),
        sa.Column("due_soon_days", sa.Integer(), nullable=False),
        sa.Column("escalate_to_owner_days", sa.Integer(), nullable=False),
        sa.Column("escalate_to_channel_days", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workspace")),
        sa.UniqueConstraint("team_id", name=op.f("uq_workspace_team_id")),
    )
    op.create_table(
        "delivery_ledger",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "workspace_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("period", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=True),
        sa.Column("ts", sa.String(length=32), nullable=True),
        sa.Column("error", sa.String(length=200), nullable=True),
        sa.Column("claimed_at", UTCDateTime(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_delivery_ledger_workspace_id_workspace"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_ledger")),
        sa.UniqueConstraint(
            "workspace_id",
            "user_id",
            "kind",
            "period",
            name=op.f("uq_delivery_ledger_workspace_id_user_id_kind_period"),
        ),
    )
    op.create_table(
        "process",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "workspace_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("owner_id", sa.String(length=32), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspace.id"], name=op.f("fk_process_workspace_id_workspace")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_process")),
        sa.UniqueConstraint("workspace_id", "name", name=op.f("uq_process_workspace_id_name")),
    )
    op.create_table(
        "reference_counter",
        sa.Column(
            "workspace_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_reference_counter_workspace_id_workspace"),
        ),
        sa.PrimaryKeyConstraint("workspace_id", name=op.f("pk_reference_counter")),
    )
    op.create_table(
        "slack_user",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "workspace_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("tz", sa.String(length=64), nullable=True),
        sa.Column("is_bot", sa.Boolean(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("is_admin", sa.Boolean(), nullable=False),
        sa.Column("fetched_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspace.id"], name=op.f("fk_slack_user_workspace_id_workspace")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slack_user")),
        sa.UniqueConstraint(
            "workspace_id", "user_id", name=op.f("uq_slack_user_workspace_id_user_id")
        ),
    )
    op.create_table(
        "record",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "workspace_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("occurred_date", sa.Date(), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("containment", sa.Text(), nullable=True),
        sa.Column("reporter_id", sa.String(length=32), nullable=True),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("owner_id", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("rejection_reason", sa.Text(), nullable=True),
        sa.Column("source_permalink", sa.String(length=500), nullable=True),
        sa.Column("source_view_id", sa.String(length=64), nullable=True),
        sa.Column("card_channel", sa.String(length=32), nullable=True),
        sa.Column("card_ts", sa.String(length=32), nullable=True),
        sa.Column(
            "process_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("whys", sa.JSON(), nullable=True),
        sa.Column("root_cause", sa.Text(), nullable=True),
        sa.Column("cause_category", sa.String(length=64), nullable=True),
        sa.Column("elsewhere", sa.Text(), nullable=True),
        sa.Column(
            "repeat_of_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["process_id"], ["process.id"], name=op.f("fk_record_process_id_process")
        ),
        sa.ForeignKeyConstraint(
            ["repeat_of_id"], ["record.id"], name=op.f("fk_record_repeat_of_id_record")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspace.id"], name=op.f("fk_record_workspace_id_workspace")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record")),
        sa.UniqueConstraint("workspace_id", "number", name=op.f("uq_record_workspace_id_number")),
        sa.UniqueConstraint(
            "workspace_id", "source_view_id", name=op.f("uq_record_workspace_id_source_view_id")
        ),
    )
    with op.batch_alter_table("record", schema=None) as batch_op:
        batch_op.create_index(
            "ix_record_workspace_status", ["workspace_id", "status"], unique=False
        )

    op.create_table(
        "action",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "workspace_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "record_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.String(length=32), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("blocked_reason", sa.Text(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("done_at", UTCDateTime(), nullable=True),
        sa.Column("effectiveness_check_date", sa.Date(), nullable=True),
        sa.Column("effectiveness_criterion", sa.Text(), nullable=True),
        sa.Column("verifier_id", sa.String(length=32), nullable=True),
        sa.Column("verified_at", UTCDateTime(), nullable=True),
        sa.Column("verification_note", sa.Text(), nullable=True),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.Column("extension_count", sa.Integer(), nullable=False),
        sa.Column("pending_extension", sa.JSON(), nullable=True),
        sa.Column("thread_channel", sa.String(length=32), nullable=True),
        sa.Column("thread_ts", sa.String(length=32), nullable=True),
        sa.Column("dm_channel", sa.String(length=32), nullable=True),
        sa.Column("dm_ts", sa.String(length=32), nullable=True),
        sa.Column("snoozed_until", sa.Date(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"], ["record.id"], name=op.f("fk_action_record_id_record")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspace.id"], name=op.f("fk_action_workspace_id_workspace")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action")),
        sa.UniqueConstraint("record_id", "number", name=op.f("uq_action_record_id_number")),
    )
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.create_index(
            "ix_action_workspace_owner", ["workspace_id", "owner_id"], unique=False
        )
        batch_op.create_index(
            "ix_action_workspace_status_due", ["workspace_id", "status", "due_date"], unique=False
        )

    op.create_table(
        "history",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "workspace_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.BigInteger(), nullable=False),
        sa.Column("record_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("event", sa.String(length=64), nullable=False),
        sa.Column("actor_id", sa.String(length=32), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"], ["record.id"], name=op.f("fk_history_record_id_record")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspace.id"], name=op.f("fk_history_workspace_id_workspace")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_history")),
    )
    with op.batch_alter_table("history", schema=None) as batch_op:
        batch_op.create_index(
            "ix_history_entity", ["workspace_id", "entity", "entity_id"], unique=False
        )

    op.create_table(
        "escalation",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "workspace_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "action_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("step", sa.String(length=16), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"], ["action.id"], name=op.f("fk_escalation_action_id_action")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspace.id"], name=op.f("fk_escalation_workspace_id_workspace")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escalation")),
        sa.UniqueConstraint("action_id", "step", name=op.f("uq_escalation_action_id_step")),
    )
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "workspace_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("action_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=False),
        sa.Column("locked_until", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["action_id"], ["action.id"], name=op.f("fk_outbox_message_action_id_action")
        ),
        sa.ForeignKeyConstraint(
            ["record_id"], ["record.id"], name=op.f("fk_outbox_message_record_id_record")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_outbox_message_workspace_id_workspace"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_message")),
    )
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_message_due", ["status", "next_attempt_at"], unique=False)

    _make_history_append_only()


def _make_history_append_only() -> None:
    """Records are evidence (ISO 9001 7.5.3): the database refuses to edit or delete history."""
    if op.get_context().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER history_no_{verb.lower()} BEFORE {verb} ON history "
                "BEGIN SELECT RAISE(ABORT, 'history is append-only'); END"
            )
        return
    op.execute(
        "CREATE FUNCTION keel_history_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'history is append-only'; END $$"
    )
    op.execute(
        "CREATE TRIGGER history_append_only BEFORE UPDATE OR DELETE ON history "
        "FOR EACH ROW EXECUTE FUNCTION keel_history_append_only()"
    )


def downgrade() -> None:
    """Drop everything (history's triggers go with its table)."""
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS history_append_only ON history")
        op.execute("DROP FUNCTION IF EXISTS keel_history_append_only()")
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_message_due")

    op.drop_table("outbox_message")
    op.drop_table("escalation")
    with op.batch_alter_table("history", schema=None) as batch_op:
        batch_op.drop_index("ix_history_entity")

    op.drop_table("history")
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.drop_index("ix_action_workspace_status_due")
        batch_op.drop_index("ix_action_workspace_owner")

    op.drop_table("action")
    with op.batch_alter_table("record", schema=None) as batch_op:
        batch_op.drop_index("ix_record_workspace_status")

    op.drop_table("record")
    op.drop_table("slack_user")
    op.drop_table("reference_counter")
    op.drop_table("process")
    op.drop_table("delivery_ledger")
    op.drop_table("workspace")
    with op.batch_alter_table("slack_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_slack_event_received_at"))

    op.drop_table("slack_event")
