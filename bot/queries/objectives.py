"""Objectives as the rest of Keel reads them: one by id or number, the active ones, each with
its standing (the `Overview` the list, the Home tab and the digests show)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from bot.domain import objectives as rules
from bot.domain.errors import NotFound
from storage.models import Measurement, Objective


def objective_key(objective_id: int, period_start: date) -> str:
    """How a daily digest names the item "log this period's value"."""
    return f"objective:{objective_id}:{period_start.isoformat()}"


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
