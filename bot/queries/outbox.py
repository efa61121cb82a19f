"""What the relay reads to send an outbox row: the row with its workspace and record, the
action it is about, and whether a record's card is still on its way."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.outbox import OutboxKind, OutboxStatus
from storage.models import Action, OutboxMessage, Record, Workspace


def delivery(session: Session, message_id: int) -> tuple[OutboxMessage, Workspace, Record | None]:
    """The row, its workspace, and its record (if it is about one), in one query."""
    message, workspace, record = session.execute(
        select(OutboxMessage, Workspace, Record)
        .join(Workspace, Workspace.id == OutboxMessage.workspace_id)
        .outerjoin(Record, Record.id == OutboxMessage.record_id)
        .where(OutboxMessage.id == message_id)
    ).one()
    return message, workspace, record


def action(session: Session, action_id: int | None) -> Action:
    """The action a row is about (from the session's identity map when already read)."""
    return session.get_one(Action, action_id)


def pending_card(session: Session, *, record_id: int) -> bool:
    """Whether the record's card is still queued (a retry after a transient failure)."""
    return (
        session.scalar(
            select(OutboxMessage.id).where(
                OutboxMessage.record_id == record_id,
                OutboxMessage.kind == OutboxKind.POST_RECORD_CARD.value,
                OutboxMessage.status == OutboxStatus.PENDING.value,
            )
        )
        is not None
    )
