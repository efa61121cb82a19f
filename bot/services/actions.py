"""Actions on records: planned, done, extended, reassigned, blocked, verified, cancelled."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.domain.actions import ActionKind, ActionStatus, action_reference
from bot.domain.errors import KeelError, NotAllowed
from bot.domain.records import RecordStatus, format_reference
from bot.domain.transitions import check_action_move

# `get` is the read side's; handlers find it here beside the changes they make.
from bot.queries.actions import get as get
from bot.services import notify, outbox
from bot.services.history import Source, record_change
from bot.services.permissions import (
    Actor,
    require_action_party,
    require_lead,
    require_record_owner_or_lead,
)
from bot.services.triage import follow_actions
from storage.models import Action, Record, Workspace


@dataclass(frozen=True)
class NewAction:
    kind: ActionKind
    description: str
    owner_id: str
    due_date: date
    check_date: date | None = None
    criterion: str | None = None


def reference(action: Action, record: Record) -> str:
    return action_reference(format_reference(record.number), action.number)


def _lock(session: Session, action: Action) -> None:
    """Read the action again, locked until commit: of two clicks at once (a double click, two
    leads), the second sees what the first did. (SQLite serialises writers anyway.)"""
    session.refresh(action, with_for_update=True)


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


def _log(
    session: Session,
    action: Action,
    *,
    event: str,
    actor: Actor | None,
    source: Source,
    now: datetime,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """History for the change, and both of the action's messages edited in place."""
    action.updated_at = now
    record_change(
        session=session,
        workspace_id=action.workspace_id,
        entity="action",
        entity_id=action.id,
        record_id=action.record_id,
        event=event,
        actor_id=actor.user_id if actor else None,
        source=source,
        at=now,
        before=before,
        after=after,
    )
    outbox.enqueue_action_update(
        session=session,
        workspace_id=action.workspace_id,
        action_id=action.id,
        record_id=action.record_id,
        now=now,
    )


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
        raise KeelError(f"{format_reference(record.number)} is {record.status}: reopen it first.")
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
    record_change(
        session=session,
        workspace_id=record.workspace_id,
        entity="action",
        entity_id=action.id,
        record_id=record.id,
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
    _lock(session, action)
    check_action_move(ActionStatus(action.status), ActionStatus.DONE)
    action.status = ActionStatus.DONE.value
    action.evidence = evidence or None
    action.done_at = now
    action.blocked_reason = None
    _log(
        session,
        action,
        event="action_done",
        actor=actor,
        source=source,
        now=now,
        before={"status": ActionStatus.OPEN.value},
        after={"status": action.status, "evidence": evidence},
    )
    follow_actions(session=session, record=record, actor=actor, source=source, now=now)


@dataclass(frozen=True)
class ExtensionOutcome:
    applied: bool  # False: waiting for a quality lead's approval


def extend(
    *,
    session: Session,
    action: Action,
    record: Record,
    workspace: Workspace,
    new_date: date,
    reason: str,
    actor: Actor,
    source: Source,
    today: date,
    now: datetime,
) -> ExtensionOutcome:
    """Move the due date, with a reason. Past the workspace's limit of extensions, a quality
    lead must approve; they are asked with Approve / Decline buttons."""
    require_action_party(actor, action, record, "change its due date")
    if ActionStatus(action.status) is not ActionStatus.OPEN:
        raise KeelError("Only an open action's due date can move.")
    if not reason.strip():
        raise KeelError("Say why the due date moves: the reason is kept as evidence.")
    if new_date < today:
        raise KeelError(f"{new_date.isoformat()} is in the past: pick today or a later day.")
    if new_date == action.due_date:
        raise KeelError(f"It is already due on {new_date.isoformat()}.")
    if action.extension_count >= workspace.extension_limit and not actor.is_lead:
        action.pending_extension = {
            "due_date": new_date.isoformat(),
            "reason": reason,
            "requested_by": actor.user_id,
        }
        _log(
            session,
            action,
            event="extension_requested",
            actor=actor,
            source=source,
            now=now,
            after=dict(action.pending_extension),
        )
        outbox.enqueue(
            session=session,
            workspace_id=action.workspace_id,
            kind=outbox.OutboxKind.DIRECT_MESSAGE,
            record_id=record.id,
            action_id=action.id,
            payload={"to_leads": True, "users": [], "approval_for": action.id},
            now=now,
        )
        return ExtensionOutcome(applied=False)
    _move_due(session, action, new_date, reason, actor=actor, source=source, now=now)
    return ExtensionOutcome(applied=True)


def _move_due(
    session: Session,
    action: Action,
    new_date: date,
    reason: str,
    *,
    actor: Actor | None,
    source: Source,
    now: datetime,
    approved_by: str | None = None,
) -> None:
    before = action.due_date.isoformat()
    action.due_date = new_date
    action.extension_count += 1
    action.pending_extension = None
    after: dict[str, Any] = {"due_date": new_date.isoformat(), "reason": reason}
    if approved_by:
        after["approved_by"] = approved_by
    _log(
        session,
        action,
        event="due_date_moved",
        actor=actor,
        source=source,
        now=now,
        before={"due_date": before},
        after=after,
    )


def decide_extension(
    *,
    session: Session,
    action: Action,
    record: Record,
    approve: bool,
    actor: Actor,
    today: date,
    now: datetime,
) -> str:
    """A quality lead approves or declines a pending extension; the requester is told."""
    require_lead(actor, "approve due-date extensions")
    _lock(session, action)
    pending = action.pending_extension
    if not pending:
        raise KeelError(f"{reference(action, record)} has no extension waiting for a decision.")
    requester = str(pending["requested_by"])
    ref = reference(action, record)
    if approve:
        requested = date.fromisoformat(str(pending["due_date"]))
        if requested < today:
            raise KeelError(
                f"The requested date, {requested.isoformat()}, has passed: decline it and ask "
                f"<@{requester}> for a new date."
            )
        requester_actor = Actor(user_id=requester)
        _move_due(
            session,
            action,
            requested,
            str(pending["reason"]),
            actor=requester_actor,
            source=Source.BUTTON,
            now=now,
            approved_by=actor.user_id,
        )
        outcome = f"<@{actor.user_id}> approved moving {ref} to {requested.isoformat()}."
    else:
        action.pending_extension = None
        _log(
            session,
            action,
            event="extension_declined",
            actor=actor,
            source=Source.BUTTON,
            now=now,
            before={"pending_extension": pending},
        )
        outcome = (
            f"<@{actor.user_id}> declined moving {ref}; it stays due {action.due_date.isoformat()}."
        )
    notify.dm(
        session=session, workspace_id=action.workspace_id, users=[requester], text=outcome, now=now
    )
    return outcome


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
    _log(
        session,
        action,
        event="action_reassigned",
        actor=actor,
        source=source,
        now=now,
        before={"owner": before},
        after={"owner": new_owner},
    )
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
    _log(
        session,
        action,
        event="action_blocked",
        actor=actor,
        source=source,
        now=now,
        before={"blocked": before},
        after={"blocked": action.blocked_reason},
    )
    if record.owner_id and record.owner_id != actor.user_id:
        notify.dm(
            session=session,
            workspace_id=action.workspace_id,
            users=[record.owner_id],
            now=now,
            text=f"{reference(action, record)} is blocked: {action.blocked_reason}",
        )


def verify(
    *,
    session: Session,
    action: Action,
    record: Record,
    effective: bool,
    note: str,
    new_due_date: date | None,
    actor: Actor,
    today: date,
    now: datetime,
) -> None:
    """The effectiveness review (ISO 9001 10.2.1 d), by someone other than the action's owner.
    Not effective reopens the action with a new due date; history keeps both steps."""
    if actor.user_id == action.owner_id:
        raise NotAllowed("Someone other than the action's owner has to check its effectiveness.")
    require_record_owner_or_lead(actor, record, "check effectiveness")
    _lock(session, action)
    target = ActionStatus.VERIFIED if effective else ActionStatus.NOT_EFFECTIVE
    check_action_move(ActionStatus(action.status), target)
    if not effective and (new_due_date is None or new_due_date < today):
        raise KeelError("Not effective reopens the action: give it a new due date, today or later.")
    action.status = target.value
    action.verifier_id = actor.user_id
    action.verified_at = now
    action.verification_note = note or None
    _log(
        session,
        action,
        event="effectiveness_checked",
        actor=actor,
        source=Source.FORM,
        now=now,
        before={"status": ActionStatus.DONE.value},
        after={"status": target.value, "effective": effective, "note": note},
    )
    if not effective:
        assert new_due_date is not None
        check_action_move(ActionStatus.NOT_EFFECTIVE, ActionStatus.OPEN)
        before_due = action.due_date.isoformat()
        action.status = ActionStatus.OPEN.value
        action.due_date = new_due_date
        action.done_at = None
        _log(
            session,
            action,
            event="action_reopened",
            actor=actor,
            source=Source.FORM,
            now=now,
            before={"status": ActionStatus.NOT_EFFECTIVE.value, "due_date": before_due},
            after={"status": action.status, "due_date": new_due_date.isoformat()},
        )
        notify.dm(
            session=session,
            workspace_id=action.workspace_id,
            users=[action.owner_id],
            now=now,
            text=f"{reference(action, record)} was checked and found not effective; it is open "
            f"again, due {new_due_date.isoformat()}.",
        )
    follow_actions(session=session, record=record, actor=actor, source=Source.FORM, now=now)


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
    _log(
        session,
        action,
        event="action_cancelled",
        actor=actor,
        source=Source.FORM,
        now=now,
        before={"status": before},
        after={"status": action.status, "reason": reason},
    )
    follow_actions(session=session, record=record, actor=actor, source=Source.FORM, now=now)


def note(
    *, session: Session, action: Action, text: str, actor: Actor, source: Source, now: datetime
) -> None:
    """A progress note: kept in history, changes nothing else."""
    record_change(
        session=session,
        workspace_id=action.workspace_id,
        entity="action",
        entity_id=action.id,
        record_id=action.record_id,
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
    _log(
        session,
        action,
        event="action_snoozed",
        actor=actor,
        source=Source.BUTTON,
        now=now,
        before={"snoozed_until": before},
        after={"snoozed_until": until.isoformat()},
    )
