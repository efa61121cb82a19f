"""The outbox: Slack writes queued in the same transaction as the change that caused them.

A record is committed before anything is sent, so a Slack outage loses nothing; the relay
(bot/slack/relay.py) sends each row after commit and again until Slack takes it, and
bot/services/deliveries.py writes what a sent (or refused) row changes.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from bot.domain.outbox import OutboxKind as OutboxKind
from bot.domain.outbox import OutboxStatus as OutboxStatus
from storage.models import OutboxMessage

# How long a sender holds the rows it claims. A live sender renews the lease of the rows it
# has yet to send for as long as it sends them (bot/slack/relay.py); so this is how long the
# rows of a sender that died wait before another sender takes them over.
LEASE = timedelta(seconds=10)


def enqueue(
    *,
    session: Session,
    workspace_id: int,
    kind: OutboxKind,
    now: datetime,
    record_id: int | None = None,
    action_id: int | None = None,
    payload: dict[str, Any] | None = None,
) -> OutboxMessage:
    """Queue one Slack write; it is sent once the caller's transaction commits."""
    message = OutboxMessage(
        workspace_id=workspace_id,
        kind=kind.value,
        record_id=record_id,
        action_id=action_id,
        payload=payload or {},
        status=OutboxStatus.PENDING.value,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(message)
    return message


def enqueue_action_update(
    *, session: Session, workspace_id: int, action_id: int, record_id: int, now: datetime
) -> None:
    """Ask for the action's messages to be edited in place (one pending edit is enough)."""
    _enqueue_unless_pending(
        session=session,
        workspace_id=workspace_id,
        kind=OutboxKind.UPDATE_ACTION,
        record_id=record_id,
        action_id=action_id,
        now=now,
    )
    enqueue_card_update(session=session, workspace_id=workspace_id, record_id=record_id, now=now)


def enqueue_card_update(
    *, session: Session, workspace_id: int, record_id: int, now: datetime
) -> None:
    """Ask for the record's card to be edited in place; one pending edit covers many changes,
    since the card is rendered from the record as it is when the edit is sent."""
    _enqueue_unless_pending(
        session=session,
        workspace_id=workspace_id,
        kind=OutboxKind.UPDATE_RECORD_CARD,
        record_id=record_id,
        now=now,
    )


def _enqueue_unless_pending(
    *,
    session: Session,
    workspace_id: int,
    kind: OutboxKind,
    record_id: int,
    now: datetime,
    action_id: int | None = None,
) -> None:
    """Queue an edit in place unless one is queued and not yet tried: it will render what is
    true when it is sent. An action's edit is found by its action, a card's by its record."""
    about = (
        OutboxMessage.action_id == action_id
        if action_id is not None
        else OutboxMessage.record_id == record_id
    )
    pending = session.scalar(
        select(OutboxMessage.id).where(
            OutboxMessage.workspace_id == workspace_id,
            about,
            OutboxMessage.kind == kind.value,
            OutboxMessage.status == OutboxStatus.PENDING.value,
            OutboxMessage.attempts == 0,
        )
    )
    if pending is None:
        enqueue(
            session=session,
            workspace_id=workspace_id,
            kind=kind,
            record_id=record_id,
            action_id=action_id,
            now=now,
        )


def claim_due(*, session: Session, now: datetime, limit: int) -> list[int]:
    """Lease up to `limit` due rows in one statement. The lease conditions are checked again
    on each row as it is updated, so of two senders racing for a row only one gets it."""
    due = (
        select(OutboxMessage.id)
        .where(
            OutboxMessage.status == OutboxStatus.PENDING.value,
            OutboxMessage.next_attempt_at <= now,
            or_(OutboxMessage.locked_until.is_(None), OutboxMessage.locked_until < now),
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    claimed = session.scalars(
        update(OutboxMessage)
        .where(
            OutboxMessage.id.in_(due.scalar_subquery()),
            OutboxMessage.status == OutboxStatus.PENDING.value,
            or_(OutboxMessage.locked_until.is_(None), OutboxMessage.locked_until < now),
        )
        .values(locked_until=now + LEASE, attempts=OutboxMessage.attempts + 1)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    )
    return sorted(claimed)


def extend_lease(
    *, session: Session, ids: list[int], held_until: datetime, until: datetime
) -> list[int]:
    """Hold these rows until `until`: those still pending and held until `held_until` (by the
    caller: a row it has finished, or lost to another sender, is left alone). Returns them."""
    if not ids:
        return []
    held = session.scalars(
        update(OutboxMessage)
        .where(
            OutboxMessage.id.in_(ids),
            OutboxMessage.status == OutboxStatus.PENDING.value,
            OutboxMessage.locked_until == held_until,
        )
        .values(locked_until=until)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    )
    return sorted(held)


def mark_sent(*, message: OutboxMessage, now: datetime) -> None:
    message.status = OutboxStatus.SENT.value
    message.sent_at = now
    message.locked_until = None
    message.last_error = None


def mark_retry(*, message: OutboxMessage, at: datetime, error: str) -> None:
    message.next_attempt_at = at
    message.locked_until = None
    message.last_error = error[:200]


def mark_failed(*, message: OutboxMessage, error: str) -> None:
    message.status = OutboxStatus.FAILED.value
    message.locked_until = None
    message.last_error = error[:200]
