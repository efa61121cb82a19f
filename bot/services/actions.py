"""Actions on records: planned, done, reassigned, blocked, snoozed, noted, cancelled. Due
dates that move are bot.services.due_dates; the effectiveness review bot.services.effectiveness."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.domain.actions import ActionKind, ActionStatus
from bot.domain.errors import KeelError
from bot.domain.records import RecordStatus
from bot.domain.transitions import check_action_move
from bot.queries.actions import lock, reference
from bot.services import notify, outbox
from bot.services.action_messages import edit_in_place
from bot.services.history import Source, record_change_to
from bot.services.ownership import owner_on_triage
from bot.services.permissions import Actor, require_action_party, require_record_owner_or_lead
from bot.services.triage import follow_actions
from storage.models import Action, Record

# The handlers find every change to an action here, with the lookup `get`: the names
# imported `x as x` above are those of bot.queries.actions, due_dates and effectiveness.


@dataclass(frozen=True)
class NewAction:
    kind: ActionKind
    description: str
    owner_id: str
    due_date: date
    check_date: date | None = None
    criterion: str | None = None


def snapshot(action: Action) -> dict[str, Any]:
    return {
        "kind": action.kind,
        "description": action.description,
        "owner": action.owner_id,
        "due_date": action.due_date.isoformat(),
        "status": action.status,
        "check_date": action.effectiveness_check_date.isoformat()
        if action.effectiveness_check_date
        else None,
        "criterion": action.effectiveness_criterion,
    }


def add(
    *,
    session: Session,
    record: Record,
    new: NewAction,
    actor: Actor,
    today: date,
    now: datetime,
) -> Action:
    """Plan an action; it is posted in the record's thread and sent to its owner."""
    require_record_owner_or_lead(actor, record, "add actions to it")
    if not RecordStatus(record.status).is_open:
        raise KeelError(f"{record.reference} is {record.status}: reopen it first.")
    if new.due_date < today:
        raise KeelError("The due date is in the past: pick today or a later day.")
    if new.kind.needs_effectiveness_check and new.check_date is None:
        raise KeelError("A corrective action needs a date to check its effectiveness.")
    if (
        new.kind.needs_effectiveness_check
        and new.check_date is not None
        and new.check_date < new.due_date
    ):
        raise KeelError("The effectiveness check comes after the action is due: pick a later date.")
    owner_on_triage(session=session, record=record, actor=actor, now=now)
    number = (
        session.scalar(select(func.max(Action.number)).where(Action.record_id == record.id)) or 0
    ) + 1
    action = Action(
        workspace_id=record.workspace_id,
        record_id=record.id,
        number=number,
        kind=new.kind.value,
        description=new.description,
        owner_id=new.owner_id,
        due_date=new.due_date,
        status=ActionStatus.OPEN.value,
        effectiveness_check_date=new.check_date if new.kind.needs_effectiveness_check else None,
        effectiveness_criterion=new.criterion if new.kind.needs_effectiveness_check else None,
        extension_count=0,
        created_at=now,
        updated_at=now,
    )
    session.add(action)
    session.flush()
    record_change_to(
        action,
        session=session,
        event="action_added",
        actor_id=actor.user_id,
        source=Source.FORM,
        at=now,
        after={"reference": reference(action, record), **snapshot(action)},
    )
    for kind in (outbox.OutboxKind.POST_ACTION, outbox.OutboxKind.DM_ACTION):
        outbox.enqueue(
            session=session,
            workspace_id=record.workspace_id,
            kind=kind,
            record_id=record.id,
            action_id=action.id,
            now=now,
        )
    follow_actions(session=session, record=record, actor=actor, source=Source.FORM, now=now)
    outbox.enqueue_card_update(
        session=session, workspace_id=record.workspace_id, record_id=record.id, now=now
    )
    return action


def complete(
    *,
    session: Session,
    action: Action,
    record: Record,
    evidence: str,
    actor: Actor,
    source: Source,
    now: datetime,
) -> None:
    """Mark an action done, with its evidence; corrective actions then await their check."""
    require_action_party(actor, action, record, "mark it done")
    lock(session, action)
    check_action_move(ActionStatus(action.status), ActionStatus.DONE)
    action.status = ActionStatus.DONE.value
    action.evidence = evidence or None
    action.done_at = now
    action.blocked_reason = None
    record_change_to(
        action,
        session=session,
        event="action_done",
        actor_id=actor.user_id,
        source=source,
        at=now,
        before={"status": ActionStatus.OPEN.value},
        after={"status": action.status, "evidence": evidence},
    )
    edit_in_place(session, action, now)
    follow_actions(session=session, record=record, actor=actor, source=source, now=now)


def reassign(
    *,
    session: Session,
    action: Action,
    record: Record,
    new_owner: str,
    actor: Actor,
    source: Source,
    now: datetime,
) -> None:
    """Give the action to someone else; both people are told, and the new owner gets it."""
    require_action_party(actor, action, record, "reassign it")
    if new_owner == action.owner_id:
        raise KeelError(f"<@{new_owner}> already owns {reference(action, record)}.")
    before = action.owner_id
    action.owner_id = new_owner
    old_dm = (action.dm_channel, action.dm_ts)
    action.dm_channel = None
    action.dm_ts = None
    record_change_to(
        action,
        session=session,
        event="action_reassigned",
        actor_id=actor.user_id,
        source=source,
        at=now,
        before={"owner": before},
        after={"owner": new_owner},
    )
    edit_in_place(session, action, now)
    if old_dm[0] and old_dm[1]:
        # The former owner's DM is edited once more, to show who owns it now.
        outbox.enqueue(
            session=session,
            workspace_id=action.workspace_id,
            kind=outbox.OutboxKind.EDIT_FORMER_DM,
            record_id=record.id,
            action_id=action.id,
            payload={"channel": old_dm[0], "ts": old_dm[1]},
            now=now,
        )
    outbox.enqueue(
        session=session,
        workspace_id=action.workspace_id,
        kind=outbox.OutboxKind.DM_ACTION,
        record_id=record.id,
        action_id=action.id,
        now=now,
    )
    notify.dm(
        session=session,
        workspace_id=action.workspace_id,
        users=[before],
        now=now,
        text=f"<@{actor.user_id}> reassigned {reference(action, record)} "
        f"from you to <@{new_owner}>.",
    )


def set_blocked(
    *,
    session: Session,
    action: Action,
    record: Record,
    reason: str,
    actor: Actor,
    source: Source,
    now: datetime,
) -> None:
    """Flag an open action as blocked, with what it waits for; it stays open and dated."""
    require_action_party(actor, action, record, "mark it blocked")
    if ActionStatus(action.status) is not ActionStatus.OPEN:
        raise KeelError("Only an open action can be blocked.")
    before = action.blocked_reason
    action.blocked_reason = reason or "no reason given"
    record_change_to(
        action,
        session=session,
        event="action_blocked",
        actor_id=actor.user_id,
        source=source,
        at=now,
        before={"blocked": before},
        after={"blocked": action.blocked_reason},
    )
    edit_in_place(session, action, now)
    if record.owner_id and record.owner_id != actor.user_id:
        notify.dm(
            session=session,
            workspace_id=action.workspace_id,
            users=[record.owner_id],
            now=now,
            text=f"{reference(action, record)} is blocked: {action.blocked_reason}",
        )


def cancel(
    *, session: Session, action: Action, record: Record, reason: str, actor: Actor, now: datetime
) -> None:
    require_record_owner_or_lead(actor, record, "cancel its actions")
    if not reason.strip():
        raise KeelError("Say why the action is cancelled: the reason is kept as evidence.")
    check_action_move(ActionStatus(action.status), ActionStatus.CANCELLED)
    before = action.status
    action.status = ActionStatus.CANCELLED.value
    action.cancel_reason = reason
    record_change_to(
        action,
        session=session,
        event="action_cancelled",
        actor_id=actor.user_id,
        source=Source.FORM,
        at=now,
        before={"status": before},
        after={"status": action.status, "reason": reason},
    )
    edit_in_place(session, action, now)
    follow_actions(session=session, record=record, actor=actor, source=Source.FORM, now=now)


def note(
    *, session: Session, action: Action, text: str, actor: Actor, source: Source, now: datetime
) -> None:
    """A progress note: kept in history, changes nothing else."""
    record_change_to(
        action,
        session=session,
        event="progress_note",
        actor_id=actor.user_id,
        source=source,
        at=now,
        after={"text": text},
    )


def snooze(
    *,
    session: Session,
    action: Action,
    record: Record,
    until: date,
    actor: Actor,
    today: date,
    now: datetime,
) -> None:
    """Leave the action out of its owner's digest until `until` (its due date does not move)."""
    require_action_party(actor, action, record, "snooze it")
    if until <= today:
        raise KeelError("Pick a day after today to snooze until.")
    before = action.snoozed_until.isoformat() if action.snoozed_until else None
    action.snoozed_until = until
    record_change_to(
        action,
        session=session,
        event="action_snoozed",
        actor_id=actor.user_id,
        source=Source.BUTTON,
        at=now,
        before={"snoozed_until": before},
        after={"snoozed_until": until.isoformat()},
    )
    edit_in_place(session, action, now)
