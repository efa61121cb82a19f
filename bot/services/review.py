"""Management review (ISO 9001 9.3): plan it, record its decisions (9.3.3) and mark it held.

A decision with an owner and a due date becomes an action on the review's own record (kind
"management_review", reference MR-0001 for review 1), so that it is nudged, escalated and
closed like any other action and its owner gets the usual action DM."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.domain.actions import ActionKind
from bot.domain.dates import readable_date
from bot.domain.errors import KeelError
from bot.domain.records import REVIEW_RECORD_KIND, RecordStatus, Severity
from bot.domain.review import period_start, review_reference
from bot.forms.review import DecisionFields, PlanFields
from bot.queries import review_plan
from bot.services import actions
from bot.services.history import Source, record_change
from bot.services.permissions import Actor, require_lead
from bot.services.records import next_number
from storage.models import Action, ManagementReview, Record, ReviewDecision, Workspace


def _snapshot(review: ManagementReview) -> dict[str, object]:
    return {
        "reference": review_reference(review.number),
        "planned_date": review.planned_date.isoformat(),
        "attendees": list(review.attendee_ids),
        "period_start": review.period_start_date.isoformat(),
        "next_review_date": review.next_review_date.isoformat()
        if review.next_review_date
        else None,
        "held": review.held_at is not None,
    }


def _history(
    session: Session,
    review: ManagementReview,
    event: str,
    actor: Actor,
    now: datetime,
    **kw: object,
) -> None:
    record_change(
        session=session,
        workspace_id=review.workspace_id,
        entity="management_review",
        entity_id=review.id,
        record_id=review.record_id,
        event=event,
        actor_id=actor.user_id,
        source=Source.FORM,
        at=now,
        **kw,  # type: ignore[arg-type]
    )


def plan(
    *, session: Session, workspace: Workspace, actor: Actor, fields: PlanFields, now: datetime
) -> ManagementReview:
    """Plan the next review, or move the one already planned (date, attendees)."""
    require_lead(actor, "plan the management review")
    review = review_plan.next_review(session=session, workspace_id=workspace.id)
    held = review_plan.last_held(session=session, workspace_id=workspace.id)
    start = period_start(held.planned_date if held else None, fields.planned_date)
    if review is not None:
        before = _snapshot(review)
        review.planned_date = fields.planned_date
        review.attendee_ids = list(fields.attendee_ids)
        review.period_start_date = start
        review.updated_at = now
        session.flush()
        _history(
            session, review, "review_planned", actor, now, before=before, after=_snapshot(review)
        )
        return review
    number = (
        session.scalar(
            select(func.max(ManagementReview.number)).where(
                ManagementReview.workspace_id == workspace.id
            )
        )
        or 0
    ) + 1
    review = ManagementReview(
        workspace_id=workspace.id,
        number=number,
        planned_date=fields.planned_date,
        attendee_ids=list(fields.attendee_ids),
        period_start_date=start,
        created_by=actor.user_id,
        created_at=now,
        updated_at=now,
    )
    session.add(review)
    session.flush()
    _history(session, review, "review_planned", actor, now, after=_snapshot(review))
    return review


def _review_record(
    session: Session, workspace: Workspace, review: ManagementReview, actor: Actor, now: datetime
) -> Record:
    """The record the review's actions hang on, made with the first action."""
    if review.record_id is not None:
        found = session.get(Record, review.record_id)
        assert found is not None
        return found
    reference = review_reference(review.number)
    record = Record(
        workspace_id=workspace.id,
        number=next_number(session=session, workspace_id=workspace.id),
        reference=reference,
        kind=REVIEW_RECORD_KIND,
        title=f"Management review of {review.planned_date.isoformat()}",
        description="Actions decided by the management review (ISO 9001 9.3.3).",
        occurred_date=review.planned_date,
        severity=Severity.LOW.value,
        reporter_id=actor.user_id,
        anonymous=False,
        owner_id=actor.user_id,
        status=RecordStatus.INVESTIGATING.value,
        created_at=now,
        updated_at=now,
    )
    session.add(record)
    session.flush()
    review.record_id = record.id
    record_change(
        session=session,
        workspace_id=workspace.id,
        entity="record",
        entity_id=record.id,
        record_id=record.id,
        event="raised",
        actor_id=actor.user_id,
        source=Source.FORM,
        at=now,
        after={"reference": reference, "kind": REVIEW_RECORD_KIND},
    )
    return record


def record_decision(
    *,
    session: Session,
    workspace: Workspace,
    review: ManagementReview,
    actor: Actor,
    fields: DecisionFields,
    today: date,
    now: datetime,
    view_id: str | None = None,
) -> ReviewDecision:
    """Record one output; with an owner and due date it becomes a tracked action. A next
    review date marks this review held and plans the next one with the same attendees.
    The form Slack delivers again (`view_id`) gives back the decision it recorded first: the
    caller holds the review's row lock, so two deliveries cannot both miss it."""
    require_lead(actor, "record the management review's decisions")
    if view_id is not None:
        earlier = session.scalars(
            select(ReviewDecision).where(
                ReviewDecision.workspace_id == workspace.id,
                ReviewDecision.source_view_id == view_id,
            )
        ).first()
        if earlier is not None:
            return earlier
    if review.held_at is not None and fields.next_review_date is not None:
        raise KeelError("This review is already marked held: plan the next one in `/nc review`.")
    if review.planned_date > today:
        raise KeelError(
            f"The review is planned for {readable_date(review.planned_date, today)}: record "
            "its decisions on or after that day."
        )
    action: Action | None = None
    if fields.is_action:
        assert fields.owner_id is not None and fields.due_date is not None
        record = _review_record(session, workspace, review, actor, now)
        action = actions.add(
            session=session,
            record=record,
            new=actions.NewAction(
                kind=ActionKind.IMPROVEMENT,
                description=fields.text,
                owner_id=fields.owner_id,
                due_date=fields.due_date,
            ),
            actor=actor,
            today=today,
            now=now,
        )
    decision = ReviewDecision(
        workspace_id=workspace.id,
        review_id=review.id,
        category=fields.category.value,
        text=fields.text,
        action_id=action.id if action else None,
        source_view_id=view_id,
        created_by=actor.user_id,
        created_at=now,
    )
    session.add(decision)
    session.flush()
    _history(
        session,
        review,
        "review_decision",
        actor,
        now,
        after={
            "category": fields.category.value,
            "text": fields.text,
            "action_id": action.id if action else None,
        },
    )
    if fields.next_review_date is not None:
        mark_held(
            session=session, review=review, actor=actor, next_date=fields.next_review_date, now=now
        )
    return decision


def mark_held(
    *, session: Session, review: ManagementReview, actor: Actor, next_date: date, now: datetime
) -> ManagementReview:
    """The review was held: its next date is set and the next review planned for it."""
    require_lead(actor, "mark the management review held")
    if next_date <= review.planned_date:
        raise KeelError("The next review comes after this one: pick a later day.")
    before = _snapshot(review)
    review.held_at = now
    review.next_review_date = next_date
    review.updated_at = now
    session.flush()
    _history(session, review, "review_held", actor, now, before=before, after=_snapshot(review))
    upcoming = ManagementReview(
        workspace_id=review.workspace_id,
        number=review.number + 1,
        planned_date=next_date,
        attendee_ids=list(review.attendee_ids),
        period_start_date=review.planned_date,
        created_by=actor.user_id,
        created_at=now,
        updated_at=now,
    )
    session.add(upcoming)
    session.flush()
    _history(session, upcoming, "review_planned", actor, now, after=_snapshot(upcoming))
    return upcoming
