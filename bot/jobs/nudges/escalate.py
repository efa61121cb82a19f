"""The escalation ladder: each step is taken once per item, with its history; the channel
step tells the quality channel (or, without one, the quality leads)."""

from __future__ import annotations

from sqlalchemy import insert
from sqlalchemy.orm import Session

from bot.domain.schedule import Step
from bot.jobs.nudges.context import WorkspaceRun
from bot.queries.digest_items import Candidate, record_ids
from bot.services import notify, outbox
from bot.services.history import Source
from storage import upsert
from storage.models import Escalation, History


def escalate(session: Session, run: WorkspaceRun, steps: list[tuple[Candidate, Step, int]]) -> None:
    """Take the steps not taken before (in one statement, whoever else is running)."""
    if not steps:
        return
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
        return
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
    to_channel = [(c, days) for c, step, days in taken if step is Step.CHANNEL]
    if to_channel:
        _tell_channel(session, run, to_channel)


def _tell_channel(session: Session, run: WorkspaceRun, items: list[tuple[Candidate, int]]) -> None:
    lines = "\n".join(
        f"• *{c.reference}* owned by <@{c.owner_id}>: {days} days overdue" for c, days in items
    )
    days = run.policy.escalate_to_channel_days
    text = f":rotating_light: Overdue for {days} days or more:\n{lines}"
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
