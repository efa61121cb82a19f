"""Changes to objectives and their measurements: set up by a quality lead, measured by their
owner. Reading them is bot.queries.objectives.

Every change writes history (entity "objective"); the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.domain import objectives as rules
from bot.domain.errors import KeelError
from bot.queries.objectives import objective_key
from bot.services import outbox
from bot.services.history import Source, record_change_to
from bot.services.permissions import Actor, require_lead, require_objective_owner_or_lead
from storage.models import Measurement, Objective

# The reads (`x as x` above) and the owner rule are found here by bot/handlers/objectives.py
# until it imports bot.queries.objectives and bot.services.permissions itself.

# Two leads saving objectives at the same moment both pick the next number; one retries.
NUMBER_ATTEMPTS = 3


@dataclass(frozen=True)
class NewObjective:
    title: str
    owner_id: str
    unit: str | None
    target: float
    direction: rules.Direction
    frequency: rules.Frequency
    start_date: date
    plan: rules.ObjectivePlan = field(default_factory=rules.ObjectivePlan)


@dataclass(frozen=True)
class ObjectiveTerms:
    """What an edit may change: what is measured, by whom, against what target, and the
    plan to achieve it."""

    title: str
    owner_id: str
    unit: str | None
    target: float
    direction: rules.Direction | None  # None only while a form is being checked
    plan: rules.ObjectivePlan = field(default_factory=rules.ObjectivePlan)


def create(
    *, session: Session, workspace_id: int, new: NewObjective, actor: Actor, now: datetime
) -> Objective:
    require_lead(actor, "set objectives")
    for _ in range(NUMBER_ATTEMPTS):
        number = 1 + (
            session.scalar(
                select(func.max(Objective.number)).where(Objective.workspace_id == workspace_id)
            )
            or 0
        )
        objective = Objective(
            workspace_id=workspace_id,
            number=number,
            title=new.title,
            owner_id=new.owner_id,
            unit=new.unit,
            target=new.target,
            direction=new.direction.value,
            frequency=new.frequency.value,
            start_date=new.frequency.first_start(new.start_date),
            active=True,
            **new.plan.columns(),
            created_at=now,
            updated_at=now,
        )
        if _inserted(session, objective):
            break
    else:
        raise KeelError("Another objective was being saved at the same moment: save again.")
    record_change_to(
        objective,
        session=session,
        event="objective_set",
        actor_id=actor.user_id,
        source=Source.FORM,
        at=now,
        after={
            "reference": rules.format_reference(number),
            "title": new.title,
            "owner": new.owner_id,
            "target": new.target,
            "direction": new.direction.value,
            "unit": new.unit,
            "frequency": new.frequency.value,
            "start_date": objective.start_date.isoformat(),
            **_plan_history(new.plan.columns()),
        },
    )
    return objective


def _plan_history(columns: dict[str, Any]) -> dict[str, Any]:
    """The plan's parts that are set, as the history keeps them."""
    return _as_history({key: value for key, value in columns.items() if value is not None})


def _as_history(values: dict[str, Any]) -> dict[str, Any]:
    """Dates as ISO text: the history is JSON."""
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


def _inserted(session: Session, row: Objective | Measurement) -> bool:
    """Insert `row` in a savepoint; False when a unique key says a twin got there first (on
    PostgreSQL; SQLite runs one writer at a time)."""
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False
    return True


def update(
    *, session: Session, objective: Objective, terms: ObjectiveTerms, actor: Actor, now: datetime
) -> dict[str, Any]:
    """Change the objective's terms; the history gets what changed (before -> after), and
    the changes are returned (empty when nothing did)."""
    require_lead(actor, "change objectives")
    if not objective.active:
        raise KeelError(
            f"{rules.format_reference(objective.number)} is retired: it stays as it was."
        )
    wanted: dict[str, Any] = {
        "title": terms.title,
        "owner_id": terms.owner_id,
        "unit": terms.unit,
        "target": terms.target,
        "direction": (terms.direction or rules.Direction(objective.direction)).value,
        **terms.plan.columns(),
    }
    before = {key: getattr(objective, key) for key, value in wanted.items()}
    changed = {key: value for key, value in wanted.items() if before[key] != value}
    if not changed:
        return {}
    for key, value in changed.items():
        setattr(objective, key, value)
    objective.updated_at = now
    record_change_to(
        objective,
        session=session,
        event="objective_changed",
        actor_id=actor.user_id,
        source=Source.FORM,
        at=now,
        before=_as_history({key: before[key] for key in changed}),
        after=_as_history(changed),
    )
    return changed


def retire(
    *, session: Session, objective: Objective, reason: str, actor: Actor, now: datetime
) -> None:
    """No longer measured, listed or reminded; its values and history stay."""
    require_lead(actor, "retire objectives")
    if not objective.active:
        raise KeelError(f"{rules.format_reference(objective.number)} is retired already.")
    objective.active = False
    objective.updated_at = now
    # Today's digests that ask for its values are edited: the lines leave them.
    recent = rules.ended_periods(
        objective.frequency, objective.start_date, now.date() + timedelta(days=1), limit=3
    )
    outbox.enqueue(
        session=session,
        workspace_id=objective.workspace_id,
        kind=outbox.OutboxKind.UPDATE_DIGESTS,
        payload={"keys": [objective_key(objective.id, period.start) for period in recent]},
        now=now,
    )
    record_change_to(
        objective,
        session=session,
        event="objective_retired",
        actor_id=actor.user_id,
        source=Source.FORM,
        at=now,
        before={"active": True},
        after={"active": False, "reason": reason},
    )


def log_value(
    *,
    session: Session,
    objective: Objective,
    period_start: date,
    value: float,
    note: str | None,
    actor: Actor,
    now: datetime,
) -> Measurement:
    """The value for one period; a second value for the same period replaces the first and
    the history keeps both."""
    require_objective_owner_or_lead(actor, objective)
    if not objective.active:
        raise KeelError(
            f"{rules.format_reference(objective.number)} is retired: no more values are logged."
        )
    existing = session.scalar(
        select(Measurement).where(
            Measurement.objective_id == objective.id, Measurement.period_start == period_start
        )
    )
    before = None
    if existing is None:
        measurement = Measurement(
            workspace_id=objective.workspace_id,
            objective_id=objective.id,
            period_start=period_start,
            value=value,
            note=note,
            recorded_by=actor.user_id,
            recorded_at=now,
        )
        if not _inserted(session, measurement):
            # The same value saved twice at once (a double click): the first one won.
            existing = session.scalars(
                select(Measurement).where(
                    Measurement.objective_id == objective.id,
                    Measurement.period_start == period_start,
                )
            ).one()
    if existing is not None:
        measurement = existing
        before = {"value": existing.value, "note": existing.note, "by": existing.recorded_by}
        existing.value, existing.note = value, note
        existing.recorded_by, existing.recorded_at = actor.user_id, now
    objective.updated_at = now
    session.flush()
    outbox.enqueue(
        session=session,
        workspace_id=objective.workspace_id,
        kind=outbox.OutboxKind.UPDATE_DIGESTS,
        payload={"keys": [objective_key(objective.id, period_start)]},
        now=now,
    )
    record_change_to(
        objective,
        session=session,
        event="value_logged" if before is None else "value_corrected",
        actor_id=actor.user_id,
        source=Source.FORM,
        at=now,
        before=before,
        after={"period_start": period_start.isoformat(), "value": value, "note": note},
    )
    return measurement
