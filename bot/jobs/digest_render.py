"""Digests as they stand now: for editing a sent digest in place as its items change."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.actions import ActionStatus, action_reference
from bot.domain.records import format_reference
from bot.domain.schedule import NudgePolicy, urgency
from bot.views.digest import DigestLine
from storage.models import Action, DeliveryLedger, Record, Workspace

DIGEST = "digest"
SENT = "sent"


def recent_digests(session: Session, workspace_id: int, now: datetime) -> list[DeliveryLedger]:
    """Digests sent in the last two days: the ones still worth editing in place."""
    since = (now - timedelta(days=2)).date().isoformat()
    return list(
        session.scalars(
            select(DeliveryLedger).where(
                DeliveryLedger.workspace_id == workspace_id,
                DeliveryLedger.kind == DIGEST,
                DeliveryLedger.status == SENT,
                DeliveryLedger.period >= since,
            )
        )
    )


def digest_lines(session: Session, workspace: Workspace, row: DeliveryLedger) -> list[DigestLine]:
    """The digest's items with their state now; finished ones are shown done."""
    today = date.fromisoformat(row.period)
    policy = NudgePolicy(due_soon_days=workspace.due_soon_days)
    ids = {int(key.split(":", 1)[1]): key for key in row.items}
    found = session.execute(
        select(Action, Record.number)
        .join(Record, Record.id == Action.record_id)
        .where(Action.workspace_id == workspace.id, Action.id.in_(list(ids)))
    )
    by_key = {}
    for action, number in found:
        key = ids[action.id]
        kind = key.split(":", 1)[0]
        still_due = (
            action.status == ActionStatus.OPEN.value
            if kind == "action"
            else action.status == ActionStatus.DONE.value
        )
        due = action.effectiveness_check_date if kind == "verification" else action.due_date
        due = due or action.due_date
        by_key[key] = DigestLine(
            key=key,
            kind=kind,
            action_id=action.id,
            reference=action_reference(format_reference(number), action.number),
            description=(action.effectiveness_criterion or action.description)
            if kind == "verification"
            else action.description,
            due=due,
            # Still listed even if no longer "due soon": the person saw it this morning.
            urgency=(urgency(due, today, policy) or urgency(today, today, policy))
            if still_due
            else None,
        )
    return [by_key[key] for key in row.items if key in by_key]
