"""Due dates that move: extended with a reason, and past the workspace's limit of extensions
approved or declined by a quality lead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.domain.actions import ActionStatus
from bot.domain.dates import readable_date
from bot.domain.errors import KeelError
from bot.queries.actions import lock, reference
from bot.services import notify, outbox
from bot.services.action_messages import edit_in_place
from bot.services.history import Source, record_change_to
from bot.services.permissions import Actor, require_action_party, require_lead
from storage.models import Action, Record, Workspace


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
        shown = readable_date(new_date, today)
        raise KeelError(f"{shown} is in the past: pick today or a later day.")
    if new_date == action.due_date:
        raise KeelError(f"It is already due on {readable_date(new_date, today)}.")
    if action.extension_count >= workspace.extension_limit and not actor.is_lead:
        action.pending_extension = {
            "due_date": new_date.isoformat(),
            "reason": reason,
            "requested_by": actor.user_id,
        }
        record_change_to(
            action,
            session=session,
            event="extension_requested",
            actor_id=actor.user_id,
            source=source,
            at=now,
            after=dict(action.pending_extension),
        )
        edit_in_place(session, action, now)
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
    actor: Actor,
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
    record_change_to(
        action,
        session=session,
        event="due_date_moved",
        actor_id=actor.user_id,
        source=source,
        at=now,
        before={"due_date": before},
        after=after,
    )
    edit_in_place(session, action, now)


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
    lock(session, action)
    pending = action.pending_extension
    if not pending:
        raise KeelError(f"{reference(action, record)} has no extension waiting for a decision.")
    requester = str(pending["requested_by"])
    ref = reference(action, record)
    if approve:
        requested = date.fromisoformat(str(pending["due_date"]))
        if requested < today:
            raise KeelError(
                f"The requested date, {readable_date(requested, today)}, has passed: decline it "
                "and ask "
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
        outcome = f"<@{actor.user_id}> approved moving {ref} to {readable_date(requested, today)}."
    else:
        action.pending_extension = None
        record_change_to(
            action,
            session=session,
            event="extension_declined",
            actor_id=actor.user_id,
            source=Source.BUTTON,
            at=now,
            before={"pending_extension": pending},
        )
        edit_in_place(session, action, now)
        stays = readable_date(action.due_date, today)
        outcome = f"<@{actor.user_id}> declined moving {ref}; it stays due {stays}."
    notify.dm(
        session=session, workspace_id=action.workspace_id, users=[requester], text=outcome, now=now
    )
    return outcome
