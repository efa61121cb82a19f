"""The escalation ladder: each step is taken once per item, with its history; the channel
step tells the quality channel (or, without one, the quality leads)."""

from __future__ import annotations

from sqlalchemy import insert
from sqlalchemy.orm import Session

from bot.domain.dates import readable_date
from bot.domain.schedule import Step
from bot.domain.text import plural
from bot.jobs.nudges.context import WorkspaceRun
from bot.queries.digest_items import Candidate, record_ids
from bot.queries.document_digest import REVIEW
from bot.services import notify, outbox
from bot.services.history import Source
from storage import upsert
from storage.models import DocumentEscalation, Escalation, History

Steps = list[tuple[Candidate, Step, int]]


def escalate(session: Session, run: WorkspaceRun, steps: Steps) -> None:
    """Take the steps not taken before (in one statement, whoever else is running)."""
    reviews = [item for item in steps if item[0].kind == REVIEW]
    actions = [item for item in steps if item[0].kind != REVIEW]
    taken = _take_action_steps(session, run, actions) + _take_review_steps(session, run, reviews)
    to_channel = [(c, days) for c, step, days in taken if step is Step.CHANNEL]
    if to_channel:
        _tell_channel(session, run, to_channel)


def _take_action_steps(session: Session, run: WorkspaceRun, steps: Steps) -> Steps:
    if not steps:
        return []
    won = set(
        session.execute(
            upsert.insert(session, Escalation)
            .on_conflict_do_nothing(index_elements=["action_id", "step"])
            .returning(Escalation.action_id, Escalation.step),
            [
                {
                    "workspace_id": run.workspace.id,
                    "action_id": c.action_id,
                    "step": step.value,
                    "at": run.now,
                }
                for c, step, _ in steps
            ],
        ).all()
    )
    taken = [(c, step, days) for c, step, days in steps if (c.action_id, step.value) in won]
    if not taken:
        return []
    run.report.escalations += len(taken)
    records = record_ids(session, [c.action_id for c, _, _ in taken])
    # One statement for them all: `record_change` adds one row at a time, and the ORM
    # flushes such rows one INSERT each on SQLite, so a run's statements would grow with
    # the escalations it takes. The rows are the ones `record_change` writes.
    session.execute(
        insert(History),
        [
            {
                "workspace_id": run.workspace.id,
                "entity": "action",
                "entity_id": c.action_id,
                "record_id": records.get(c.action_id),
                "event": f"escalated_to_{step.value}",
                "actor_id": None,
                "source": Source.JOB.value,
                "before": None,
                "after": {"overdue_days": days, "owner": c.owner_id},
                "at": run.now,
            }
            for c, step, days in taken
        ],
    )
    return taken


def _take_review_steps(session: Session, run: WorkspaceRun, steps: Steps) -> Steps:
    """Overdue document reviews: once per step and review cycle, with the document's
    history."""
    if not steps:
        return []
    won = set(
        session.execute(
            upsert.insert(session, DocumentEscalation)
            .on_conflict_do_nothing(index_elements=["document_id", "due_date", "step"])
            .returning(DocumentEscalation.document_id, DocumentEscalation.step),
            [
                {
                    "workspace_id": run.workspace.id,
                    "document_id": c.action_id,
                    "due_date": c.due,
                    "step": step.value,
                    "at": run.now,
                }
                for c, step, _ in steps
            ],
        ).all()
    )
    taken = [(c, step, days) for c, step, days in steps if (c.action_id, step.value) in won]
    if not taken:
        return []
    run.report.escalations += len(taken)
    session.execute(
        insert(History),
        [
            {
                "workspace_id": run.workspace.id,
                "entity": "document",
                "entity_id": c.action_id,
                "record_id": None,
                "event": f"review_escalated_to_{step.value}",
                "actor_id": None,
                "source": Source.JOB.value,
                "before": None,
                "after": {"overdue_days": days, "owner": c.owner_id, "due": c.due.isoformat()},
                "at": run.now,
            }
            for c, step, days in taken
        ],
    )
    return taken


def _tell_channel(session: Session, run: WorkspaceRun, items: list[tuple[Candidate, int]]) -> None:
    limit = run.policy.escalate_to_channel_days
    today = run.now.date()
    # The heading says "for N days or more": a line adds its own days only beyond that.
    lines = "\n".join(
        f"• *{c.reference}*{' review' if c.kind == REVIEW else ''} owned by <@{c.owner_id}>, "
        f"due {readable_date(c.due, today)}"
        + (f": overdue by {plural(days, 'day')}" if days > limit else "")
        for c, days in items
    )
    text = f":rotating_light: Still open and overdue by {plural(limit, 'day')} or more:\n{lines}"
    if run.workspace.quality_channel:
        outbox.enqueue(
            session=session,
            workspace_id=run.workspace.id,
            kind=outbox.OutboxKind.CHANNEL_POST,
            payload={"channel": run.workspace.quality_channel, "text": text},
            now=run.now,
        )
    else:
        notify.dm(
            session=session,
            workspace_id=run.workspace.id,
            users=[],
            to_leads=True,
            text=text,
            now=run.now,
        )
