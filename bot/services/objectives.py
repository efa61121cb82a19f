"""Objectives and their measurements: set up by a quality lead, measured by their owner.

Every change writes history (entity "objective"); the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.domain import objectives as rules
from bot.domain.errors import KeelError, NotAllowed, NotFound
from bot.services import outbox
from bot.services.history import Source, record_change
from bot.services.permissions import Actor, require_lead
from storage.models import Measurement, Objective

ENTITY = "objective"
# Two leads saving objectives at the same moment both pick the next number; one retries.
NUMBER_ATTEMPTS = 3


def objective_key(objective_id: int, period_start: date) -> str:
    """How a daily digest names the item "log this period's value"."""
    return f"objective:{objective_id}:{period_start.isoformat()}"


@dataclass(frozen=True)
class NewObjective:
    title: str
    owner_id: str
    unit: str | None
    target: float
    direction: rules.Direction
    frequency: rules.Frequency
    start_date: date


@dataclass(frozen=True)
class ObjectiveTerms:
    """What an edit may change: what is measured, by whom, against what target."""

    title: str
    owner_id: str
    unit: str | None
    target: float
    direction: rules.Direction | None  # None only while a form is being checked


@dataclass(frozen=True)
class Overview:
    """An objective with what the digest and the list show of it."""

    objective: Objective
    values: list[float]  # newest period first
    latest: Measurement | None
    standing: rules.Standing
    trend: rules.Trend | None
    waiting_for: rules.Period | None  # the latest ended period with no value


def usable() -> ColumnElement[bool]:
    """Objectives Keel can follow: a frequency and direction it knows. Anything else (a hand
    edit of the table, say) is left out, never allowed to stop a job."""
    return and_(
        Objective.frequency.in_([f.value for f in rules.Frequency]),
        Objective.direction.in_([d.value for d in rules.Direction]),
    )


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
            created_at=now,
            updated_at=now,
        )
        if _inserted(session, objective):
            break
    else:
        raise KeelError("Another objective was being saved at the same moment: save again.")
    _history(
        session,
        objective,
        "objective_set",
        actor,
        now,
        after={
            "reference": rules.format_reference(number),
            "title": new.title,
            "owner": new.owner_id,
            "target": new.target,
            "direction": new.direction.value,
            "unit": new.unit,
            "frequency": new.frequency.value,
            "start_date": objective.start_date.isoformat(),
        },
    )
    return objective


def _history(
    session: Session,
    objective: Objective,
    event: str,
    actor: Actor,
    now: datetime,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """One change to the objective, from a form, in the history."""
    record_change(
        session=session,
        workspace_id=objective.workspace_id,
        entity=ENTITY,
        entity_id=objective.id,
        record_id=None,
        event=event,
        actor_id=actor.user_id,
        source=Source.FORM,
        at=now,
        before=before,
        after=after,
    )


def _inserted(session: Session, row: Objective | Measurement) -> bool:
    """Insert `row` in a savepoint; False when a unique key says a twin got there first (on
    PostgreSQL; SQLite runs one writer at a time)."""
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False
    return True


def get(*, session: Session, workspace_id: int, objective_id: int) -> Objective:
    return _one(
        session,
        workspace_id,
        Objective.id == objective_id,
        missing="That objective is not in Keel any more.",
    )


def get_by_number(*, session: Session, workspace_id: int, number: int) -> Objective:
    return _one(
        session,
        workspace_id,
        Objective.number == number,
        missing=f"There is no {rules.format_reference(number)}. `/nc objectives` lists them.",
    )


def _one(
    session: Session, workspace_id: int, which: ColumnElement[bool], *, missing: str
) -> Objective:
    objective = session.scalar(
        select(Objective).where(Objective.workspace_id == workspace_id, which, usable())
    )
    if objective is None:
        raise NotFound(missing)
    return objective


def require_owner_or_lead(actor: Actor, objective: Objective) -> None:
    if actor.is_lead or actor.user_id == objective.owner_id:
        return
    raise NotAllowed(
        f"Only the objective's owner (<@{objective.owner_id}>) or a quality lead can log its "
        "values."
    )


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
    }
    before = {key: getattr(objective, key) for key, value in wanted.items()}
    changed = {key: value for key, value in wanted.items() if before[key] != value}
    if not changed:
        return {}
    for key, value in changed.items():
        setattr(objective, key, value)
    objective.updated_at = now
    _history(
        session,
        objective,
        "objective_changed",
        actor,
        now,
        before={key: before[key] for key in changed},
        after=changed,
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
    _history(
        session,
        objective,
        "objective_retired",
        actor,
        now,
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
    require_owner_or_lead(actor, objective)
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
    _history(
        session,
        objective,
        "value_logged" if before is None else "value_corrected",
        actor,
        now,
        before=before,
        after={"period_start": period_start.isoformat(), "value": value, "note": note},
    )
    return measurement


def active(*, session: Session, workspace_id: int, owner_id: str | None = None) -> list[Objective]:
    """The workspace's objectives in use (those `owner_id` measures, if given)."""
    query = select(Objective).where(
        Objective.workspace_id == workspace_id, Objective.active.is_(True), usable()
    )
    if owner_id is not None:
        query = query.where(Objective.owner_id == owner_id)
    return list(session.scalars(query.order_by(Objective.number)))


def overviews(
    *,
    session: Session,
    workspace_id: int,
    today: date,
    objectives: list[Objective] | None = None,
    owner_id: str | None = None,
) -> list[Overview]:
    """Each active objective (or those `owner_id` measures) with its standing: two queries
    however many objectives."""
    chosen = (
        objectives
        if objectives is not None
        else active(session=session, workspace_id=workspace_id, owner_id=owner_id)
    )
    if not chosen:
        return []
    measured: dict[int, list[Measurement]] = {objective.id: [] for objective in chosen}
    for measurement in session.scalars(
        select(Measurement)
        .where(
            Measurement.workspace_id == workspace_id,
            Measurement.objective_id.in_(list(measured)),
        )
        .order_by(Measurement.period_start.desc())
    ):
        measured[measurement.objective_id].append(measurement)
    return [overview(objective, measured[objective.id], today) for objective in chosen]


def overview(objective: Objective, measurements: list[Measurement], today: date) -> Overview:
    """`measurements` newest period first."""
    direction = rules.Direction(objective.direction)
    values = [m.value for m in measurements]
    latest = measurements[0] if measurements else None
    ended = rules.ended_periods(objective.frequency, objective.start_date, today, limit=1)
    logged = {m.period_start for m in measurements}
    waiting = ended[0] if ended and ended[0].start not in logged else None
    return Overview(
        objective=objective,
        values=values,
        latest=latest,
        standing=rules.standing(latest.value if latest else None, objective.target, direction),
        trend=rules.trend(values, direction),
        waiting_for=waiting,
    )


def loggable_periods(objective: Objective, today: date, *, limit: int) -> list[rules.Period]:
    """The periods a value may be logged for, newest first: the current one (a value known
    early, such as a yearly figure) and those that have ended."""
    current = rules.current_period(objective.frequency, objective.start_date, today)
    ended = rules.ended_periods(objective.frequency, objective.start_date, today, limit=limit)
    return ([current] if current else []) + ended[: limit - 1 if current else limit]


def values_by_period(*, session: Session, objective: Objective, limit: int) -> list[Measurement]:
    """The objective's values, newest period first."""
    return list(
        session.scalars(
            select(Measurement)
            .where(
                Measurement.workspace_id == objective.workspace_id,
                Measurement.objective_id == objective.id,
            )
            .order_by(Measurement.period_start.desc())
            .limit(limit)
        )
    )
