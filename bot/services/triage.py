"""Triage of a record: owner, status, severity, root cause, rejection and closure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.actions import (
    DEFAULT_CAUSE_CATEGORIES,
    ActionFacts,
    ActionKind,
    ActionStatus,
    closure_blockers,
)
from bot.domain.errors import KeelError
from bot.domain.records import (
    ClosingAnswers,
    RecordStatus,
    Severity,
    asks_closing_questions,
)
from bot.domain.transitions import check_record_move
from bot.queries.records import actions_of
from bot.services import notify, outbox
from bot.services.history import Source, record_change_to
from bot.services.ownership import owner_on_triage
from bot.services.permissions import Actor, require_lead, require_record_owner_or_lead
from storage.models import Record, Workspace

# A closed record with the same process and cause category this recent is a possible repeat.
REPEAT_WINDOW = timedelta(days=365)


class ClosureRefused(KeelError):
    """The record cannot close yet; `blockers` says why, one reason each."""

    def __init__(self, reference: str, blockers: list[str]) -> None:
        self.blockers = blockers
        super().__init__(f"{reference} cannot close yet: " + "; ".join(blockers) + ".")


def _card_changed(session: Session, record: Record, now: datetime) -> None:
    """The record changed: stamp it and ask for its card to be edited in place."""
    record.updated_at = now
    outbox.enqueue_card_update(
        session=session, workspace_id=record.workspace_id, record_id=record.id, now=now
    )


def move_status(
    session: Session,
    record: Record,
    target: RecordStatus,
    *,
    actor: Actor | None,
    source: Source,
    now: datetime,
) -> None:
    """Move a record to `target` if the state machine allows it."""
    check_record_move(RecordStatus(record.status), target)
    before = record.status
    record.status = target.value
    record_change_to(
        record,
        session=session,
        event="status_changed",
        actor_id=actor.user_id if actor else None,
        source=source,
        at=now,
        before={"status": before},
        after={"status": target.value},
    )
    _card_changed(session, record, now)


def assign_owner(
    *,
    session: Session,
    record: Record,
    owner_id: str,
    actor: Actor,
    now: datetime,
    source: Source = Source.FORM,
) -> None:
    """Give the record an owner, who is told; a new record moves to investigating."""
    if record.owner_id is not None:
        require_record_owner_or_lead(actor, record, "change the owner")
    elif not actor.is_lead and actor.user_id != owner_id:
        raise KeelError(
            f"Only {actor.terms.a_lead} can give someone else a record; you can take it yourself."
        )
    if owner_id == record.owner_id:
        raise KeelError(f"<@{owner_id}> already owns {record.reference}.")
    before = record.owner_id
    record.owner_id = owner_id
    record_change_to(
        record,
        session=session,
        event="owner_assigned",
        actor_id=actor.user_id,
        source=source,
        at=now,
        before={"owner": before},
        after={"owner": owner_id},
    )
    _card_changed(session, record, now)
    if RecordStatus(record.status) is RecordStatus.NEW:
        move_status(
            session, record, RecordStatus.INVESTIGATING, actor=actor, source=source, now=now
        )
    if owner_id != actor.user_id:
        notify.dm(
            session=session,
            workspace_id=record.workspace_id,
            users=[owner_id],
            now=now,
            record_id=record.id,
            text=f"<@{actor.user_id}> made you the owner of {record.reference}. "
            f"See it with `/nc {record.reference}`.",
        )


def change_status(
    *, session: Session, record: Record, target: RecordStatus, actor: Actor, now: datetime
) -> None:
    """A manual status change; closing and rejecting have their own rules and reasons."""
    require_record_owner_or_lead(actor, record, "change its status")
    current = RecordStatus(record.status)
    if not current.is_open:
        # The form was opened before someone closed or rejected the record.
        raise KeelError(
            f"{record.reference} is {current.label.lower()}: use “Reopen record” "
            "on its card, so that the reason is recorded."
        )
    if target is RecordStatus.CLOSED:
        raise KeelError("Use “Close record”: closing checks the root cause and actions first.")
    if target is RecordStatus.REJECTED:
        raise KeelError("Use “Reject” so that the reason is recorded.")
    owner_on_triage(session=session, record=record, actor=actor, now=now)
    move_status(session, record, target, actor=actor, source=Source.FORM, now=now)


def change_severity(
    *, session: Session, record: Record, severity: Severity, actor: Actor, now: datetime
) -> None:
    require_record_owner_or_lead(actor, record, "change its severity")
    owner_on_triage(session=session, record=record, actor=actor, now=now)
    if severity.value == record.severity:
        return
    before = record.severity
    record.severity = severity.value
    record_change_to(
        record,
        session=session,
        event="severity_changed",
        actor_id=actor.user_id,
        source=Source.FORM,
        at=now,
        before={"severity": before},
        after={"severity": severity.value},
    )
    _card_changed(session, record, now)


def reject(*, session: Session, record: Record, reason: str, actor: Actor, now: datetime) -> None:
    """Reject a record (not a nonconformity, a duplicate...) with its reason on record."""
    require_record_owner_or_lead(actor, record, "reject it")
    if not reason.strip():
        raise KeelError("Say why it is rejected: the reason is kept as evidence.")
    check_record_move(RecordStatus(record.status), RecordStatus.REJECTED)
    before = record.status
    record.status = RecordStatus.REJECTED.value
    record.rejection_reason = reason
    record_change_to(
        record,
        session=session,
        event="rejected",
        actor_id=actor.user_id,
        source=Source.FORM,
        at=now,
        before={"status": before},
        after={"status": record.status, "reason": reason},
    )
    _card_changed(session, record, now)


def reopen(*, session: Session, record: Record, reason: str, actor: Actor, now: datetime) -> None:
    """Reopen a closed record (back to investigating) or a rejected one (back to new), with
    the reason on record; its earlier closing or rejection stays in the history."""
    require_record_owner_or_lead(actor, record, "reopen it")
    if not reason.strip():
        raise KeelError("Say why it is reopened: the reason is kept as evidence.")
    current = RecordStatus(record.status)
    if current.is_open:
        raise KeelError(f"{record.reference} is open already.")
    target = RecordStatus.INVESTIGATING if current is RecordStatus.CLOSED else RecordStatus.NEW
    check_record_move(current, target)
    record.status = target.value
    record.closed_at = None
    record.rejection_reason = None
    # Asked again when it closes again; the history keeps the earlier answers.
    _keep_answers(record, ClosingAnswers())
    record_change_to(
        record,
        session=session,
        event="reopened",
        actor_id=actor.user_id,
        source=Source.FORM,
        at=now,
        before={"status": current.value},
        after={"status": target.value, "reason": reason},
    )
    _card_changed(session, record, now)


@dataclass(frozen=True)
class RootCause:
    whys: list[str]
    statement: str
    category: str
    elsewhere: str | None


def cause_categories(workspace: Workspace) -> list[str]:
    return list(workspace.cause_categories or DEFAULT_CAUSE_CATEGORIES)


def record_root_cause(
    *, session: Session, record: Record, cause: RootCause, actor: Actor, now: datetime
) -> Record | None:
    """Keep the five whys; returns an earlier closed record this may repeat, now linked."""
    require_record_owner_or_lead(actor, record, "record its root cause")
    owner_on_triage(session=session, record=record, actor=actor, now=now)
    before = {
        "whys": record.whys,
        "root_cause": record.root_cause,
        "cause_category": record.cause_category,
        "elsewhere": record.elsewhere,
    }
    record.whys = list(cause.whys)
    record.root_cause = cause.statement
    record.cause_category = cause.category
    record.elsewhere = cause.elsewhere
    after = {
        "whys": record.whys,
        "root_cause": record.root_cause,
        "cause_category": record.cause_category,
        "elsewhere": record.elsewhere,
    }
    repeat = find_repeat(session=session, record=record, now=now)
    if repeat is not None and record.repeat_of_id != repeat.id:
        record.repeat_of_id = repeat.id
        after["possible_repeat_of"] = repeat.reference
    elif repeat is None and record.repeat_of_id is not None:
        # A corrected cause category no longer matches: the link goes, and history says so.
        record.repeat_of_id = None
        after["possible_repeat_of"] = None
    record_change_to(
        record,
        session=session,
        event="root_cause_recorded",
        actor_id=actor.user_id,
        source=Source.FORM,
        at=now,
        before=before,
        after=after,
    )
    _card_changed(session, record, now)
    if RecordStatus(record.status) is RecordStatus.NEW:
        move_status(
            session, record, RecordStatus.INVESTIGATING, actor=actor, source=Source.FORM, now=now
        )
    return repeat


def find_repeat(*, session: Session, record: Record, now: datetime) -> Record | None:
    """The latest record closed in the last year with the same process and cause category."""
    if record.process_id is None or record.cause_category is None:
        return None
    return session.scalar(
        select(Record)
        .where(
            Record.workspace_id == record.workspace_id,
            Record.id != record.id,
            Record.process_id == record.process_id,
            Record.cause_category == record.cause_category,
            Record.status == RecordStatus.CLOSED.value,
            Record.closed_at >= now - REPEAT_WINDOW,
        )
        .order_by(Record.closed_at.desc())
        .limit(1)
    )


def blockers_for(session: Session, record: Record) -> list[str]:
    facts = [
        ActionFacts(kind=ActionKind(a.kind), status=ActionStatus(a.status))
        for a in actions_of(session, record)
    ]
    return closure_blockers(has_root_cause=bool(record.root_cause), actions=facts)


def close(
    *,
    session: Session,
    record: Record,
    actor: Actor,
    now: datetime,
    override_reason: str | None = None,
    answers: ClosingAnswers | None = None,
) -> None:
    """Close a record once its root cause is known and every action is verified or
    cancelled; a quality lead may close anyway, with a reason that is kept. The answers to
    ISO 9001 10.2.1 e) and f) are kept on the record and in the history."""
    require_record_owner_or_lead(actor, record, "close it")
    current = RecordStatus(record.status)
    if not current.is_open:
        raise KeelError(f"{record.reference} is already {current.label.lower()}.")
    blockers = blockers_for(session, record)
    if override_reason is not None and not override_reason.strip():
        raise KeelError("Say why it closes with open points: the reason is kept as evidence.")
    if blockers and override_reason is None:
        raise ClosureRefused(record.reference, blockers)
    if blockers:
        require_lead(actor, "close a record whose actions are not finished")
    before = record.status
    record.status = RecordStatus.CLOSED.value
    record.closed_at = now
    after: dict[str, object] = {"status": record.status}
    if blockers:
        after.update(override_reason=override_reason, open_points=blockers)
    if asks_closing_questions(record.kind):
        after.update(_keep_answers(record, answers or ClosingAnswers()))
    record_change_to(
        record,
        session=session,
        event="closed",
        actor_id=actor.user_id,
        source=Source.FORM,
        at=now,
        before={"status": before},
        after=after,
    )
    _card_changed(session, record, now)


def _keep_answers(record: Record, answers: ClosingAnswers) -> dict[str, object]:
    record.risks_update_needed = answers.risks_update_needed
    record.system_change_needed = answers.system_change_needed
    record.closing_changes = answers.changes
    return {
        "risks_update_needed": answers.risks_update_needed,
        "system_change_needed": answers.system_change_needed,
        "closing_changes": answers.changes,
    }


def follow_actions(
    *, session: Session, record: Record, actor: Actor | None, source: Source, now: datetime
) -> None:
    """Keep the record's status in step with its actions: planned while any is open,
    verifying once all are done and effectiveness checks remain."""
    status = RecordStatus(record.status)
    if status not in (
        RecordStatus.NEW,
        RecordStatus.INVESTIGATING,
        RecordStatus.ACTIONS_PLANNED,
        RecordStatus.VERIFYING,
    ):
        return
    actions = [a for a in actions_of(session, record) if a.status != ActionStatus.CANCELLED.value]
    if not actions:
        return
    all_done = all(
        a.status in (ActionStatus.DONE.value, ActionStatus.VERIFIED.value) for a in actions
    )
    target = RecordStatus.VERIFYING if all_done else RecordStatus.ACTIONS_PLANNED
    for step in _steps(status, target):
        move_status(session, record, step, actor=actor, source=source, now=now)


_FORWARD = (
    RecordStatus.NEW,
    RecordStatus.INVESTIGATING,
    RecordStatus.ACTIONS_PLANNED,
    RecordStatus.VERIFYING,
)


def _steps(current: RecordStatus, target: RecordStatus) -> list[RecordStatus]:
    """The statuses to pass through, so that every step is an allowed move in history."""
    if current is target:
        return []
    here, there = _FORWARD.index(current), _FORWARD.index(target)
    return list(_FORWARD[here + 1 : there + 1]) if there > here else [target]
