"""Digests as they stand now: for editing a sent digest in place as its items change."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.actions import ActionStatus, action_reference
from bot.domain.objectives import current_period, value_logged, value_wanted
from bot.domain.objectives import format_reference as format_objective_reference
from bot.domain.schedule import NudgePolicy, urgency
from bot.queries.digest_items import DigestLine
from bot.queries.document_digest import document_lines
from bot.queries.objectives import usable
from bot.queries.refresher_digest import refresher_lines
from bot.queries.review_digest import review_lines
from storage.models import Action, DeliveryLedger, Measurement, Objective, Record, Workspace

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
    by_key = _action_lines(session, workspace, row, today, policy)
    by_key.update(_objective_lines(session, workspace, row, today, policy))
    by_key.update(refresher_lines(session, workspace, row.items))
    by_key.update(document_lines(session, workspace, row, today))
    by_key.update(review_lines(session, workspace, row.items))
    return [by_key[key] for key in row.items if key in by_key]


def _action_lines(
    session: Session, workspace: Workspace, row: DeliveryLedger, today: date, policy: NudgePolicy
) -> dict[str, DigestLine]:
    ids = {
        int(key.split(":", 1)[1]): key
        for key in row.items
        if key.startswith(("action:", "verification:"))
    }
    if not ids:
        return {}
    found = session.execute(
        select(Action, Record.reference)
        .join(Record, Record.id == Action.record_id)
        .where(Action.workspace_id == workspace.id, Action.id.in_(list(ids)))
    )
    by_key = {}
    for action, record_reference in found:
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
            reference=action_reference(record_reference, action.number),
            description=(action.effectiveness_criterion or action.description)
            if kind == "verification"
            else action.description,
            due=due,
            # Still listed even if no longer "due soon": the person saw it this morning.
            urgency=(urgency(due, today, policy) or urgency(today, today, policy))
            if still_due
            else None,
        )
    return by_key


def _objective_lines(
    session: Session, workspace: Workspace, row: DeliveryLedger, today: date, policy: NudgePolicy
) -> dict[str, DigestLine]:
    """Objective value lines ("objective:<id>:<period start>"), ticked off once logged."""
    wanted: dict[tuple[int, date], str] = {}
    for key in row.items:
        if key.startswith("objective:"):
            _, raw_id, raw_start = key.split(":", 2)
            wanted[(int(raw_id), date.fromisoformat(raw_start))] = key
    if not wanted:
        return {}
    ids = {objective_id for objective_id, _ in wanted}
    found = {
        objective.id: objective
        for objective in session.scalars(
            select(Objective).where(
                Objective.workspace_id == workspace.id,
                Objective.id.in_(ids),
                Objective.active.is_(True),  # a retired objective's lines leave the digest
                usable(),
            )
        )
    }
    logged = {
        (objective_id, start): value
        for objective_id, start, value in session.execute(
            select(Measurement.objective_id, Measurement.period_start, Measurement.value).where(
                Measurement.workspace_id == workspace.id, Measurement.objective_id.in_(ids)
            )
        )
    }
    lines = {}
    for (objective_id, start), key in wanted.items():
        objective = found.get(objective_id)
        if objective is None:
            continue
        period = current_period(objective.frequency, objective.start_date, start)
        if period is None:
            continue
        value = logged.get((objective_id, start))
        lines[key] = DigestLine(
            key=key,
            kind="objective",
            action_id=objective_id,
            reference=format_objective_reference(objective.number),
            description=value_wanted(objective.title, objective.frequency, period)
            if value is None
            else value_logged(objective, period, value),
            due=period.due,
            urgency=None
            if value is not None
            else (urgency(period.due, today, policy) or urgency(today, today, policy)),
        )
    return lines
