"""The effectiveness review of a corrective action (ISO 9001 10.2.1 d)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from bot.domain.actions import ActionStatus
from bot.domain.dates import readable_date
from bot.domain.errors import KeelError, NotAllowed
from bot.domain.transitions import check_action_move
from bot.queries.actions import lock, reference
from bot.services import notify
from bot.services.action_messages import edit_in_place
from bot.services.history import Source, record_change_to
from bot.services.permissions import Actor, require_record_owner_or_lead
from bot.services.triage import follow_actions
from storage.models import Action, Record


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
    lock(session, action)
    target = ActionStatus.VERIFIED if effective else ActionStatus.NOT_EFFECTIVE
    check_action_move(ActionStatus(action.status), target)
    if not effective and (new_due_date is None or new_due_date < today):
        raise KeelError("Not effective reopens the action: give it a new due date, today or later.")
    action.status = target.value
    action.verifier_id = actor.user_id
    action.verified_at = now
    action.verification_note = note or None
    record_change_to(
        action,
        session=session,
        event="effectiveness_checked",
        actor_id=actor.user_id,
        source=Source.FORM,
        at=now,
        before={"status": ActionStatus.DONE.value},
        after={"status": target.value, "effective": effective, "note": note},
    )
    edit_in_place(session, action, now)
    if not effective:
        assert new_due_date is not None
        check_action_move(ActionStatus.NOT_EFFECTIVE, ActionStatus.OPEN)
        before_due = action.due_date.isoformat()
        action.status = ActionStatus.OPEN.value
        action.due_date = new_due_date
        action.done_at = None
        record_change_to(
            action,
            session=session,
            event="action_reopened",
            actor_id=actor.user_id,
            source=Source.FORM,
            at=now,
            before={"status": ActionStatus.NOT_EFFECTIVE.value, "due_date": before_due},
            after={"status": action.status, "due_date": new_due_date.isoformat()},
        )
        edit_in_place(session, action, now)
        notify.dm(
            session=session,
            workspace_id=action.workspace_id,
            users=[action.owner_id],
            now=now,
            text=f"{reference(action, record)} was checked and found not effective; it is open "
            f"again, due {readable_date(new_due_date, today)}.",
        )
    follow_actions(session=session, record=record, actor=actor, source=Source.FORM, now=now)
