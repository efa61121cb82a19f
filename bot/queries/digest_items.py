"""What can appear in someone's digest. Each source finds candidates for a workspace in one
or two queries; more sources (audits, document reviews, training) plug in by being added to
SOURCES."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlalchemy import ColumnElement, String, all_, bindparam, or_, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from bot.domain import objectives as objective_rules
from bot.domain.actions import ActionKind, ActionStatus, action_reference
from bot.domain.schedule import Urgency
from bot.queries.objectives import objective_key, usable
from storage import upsert
from storage.models import Action, Measurement, Objective, Record


class DigestLine(NamedTuple):
    """One item of a digest; `kind` decides its buttons ("action", "verification" or
    "objective", whose `action_id` is the objective's id).
    A tuple: a run builds one per item of every digest."""

    key: str
    kind: str
    action_id: int
    reference: str
    description: str
    due: date
    urgency: Urgency | None  # None: no longer due (done since the digest went out)
    note: str = ""  # e.g. "escalated: owned by <@U1>, 9 days overdue"


class Candidate(NamedTuple):
    """Something dated that someone must do; `owner_id` None means the quality leads.
    A tuple rather than a frozen dataclass: a run builds one per open item, and a frozen
    dataclass costs three times as much to build."""

    key: str
    kind: str  # "action" | "verification" | "objective"
    action_id: int  # the action's id; an objective's id for "objective"
    reference: str
    description: str
    due: date
    owner_id: str | None
    record_owner_id: str | None
    snoozed_until: date | None = None
    escalates: bool = True  # overdue actions climb the ladder; checks are the verifier's own


@dataclass(frozen=True)
class Scope:
    """Which candidates a run needs: due by `horizon`; none for people who already had
    today's digest (`done`), unless old enough to escalate (due on or before `escalating`)."""

    workspace_id: int
    horizon: date
    done: frozenset[str]
    escalating: date
    latest_today: date  # today where it is latest (UTC+14): no one is past it


Source = Callable[[Session, Scope], list[Candidate]]

# Plain columns, not ORM objects: a run may read a hundred thousand actions.
_COLUMNS = (
    Action.id,
    Action.number,
    Action.description,
    Action.due_date,
    Action.owner_id,
    Action.snoozed_until,
    Action.effectiveness_check_date,
    Action.effectiveness_criterion,
    Record.reference,
    Record.owner_id,
)


def open_actions(session: Session, scope: Scope) -> list[Candidate]:
    query = (
        select(*_COLUMNS)
        .join(Record, Record.id == Action.record_id)
        .where(
            Action.workspace_id == scope.workspace_id,
            Action.status == ActionStatus.OPEN.value,
            Action.due_date <= scope.horizon,
        )
    )
    if scope.done:
        query = query.where(or_(_none_of(session, scope.done), Action.due_date <= scope.escalating))
    return [
        Candidate(
            key=f"action:{action_id}",
            kind="action",
            action_id=action_id,
            reference=action_reference(record_reference, number),
            description=description,
            due=due,
            owner_id=owner,
            record_owner_id=record_owner,
            snoozed_until=snoozed,
        )
        for (
            action_id,
            number,
            description,
            due,
            owner,
            snoozed,
            _check,
            _criterion,
            record_reference,
            record_owner,
        ) in session.execute(query)
    ]


def _none_of(session: Session, owners: frozenset[str]) -> ColumnElement[bool]:
    """The action's owner is none of `owners`. On PostgreSQL as `<> ALL(array)`: one
    parameter however many people, so psycopg and the server reuse the parsed statement,
    where NOT IN renders a placeholder per person."""
    if upsert.on_postgresql(session):
        return Action.owner_id != all_(bindparam("owners", sorted(owners), type_=ARRAY(String)))
    return Action.owner_id.not_in(owners)


def effectiveness_checks(session: Session, scope: Scope) -> list[Candidate]:
    """Done corrective actions whose check falls due: for the record's owner, or the quality
    leads when the record owner owns the action too (nobody checks their own work)."""
    rows = session.execute(
        select(*_COLUMNS)
        .join(Record, Record.id == Action.record_id)
        .where(
            Action.workspace_id == scope.workspace_id,
            Action.status == ActionStatus.DONE.value,
            Action.kind == ActionKind.CORRECTIVE.value,
            or_(
                Action.effectiveness_check_date.is_(None),
                Action.effectiveness_check_date <= scope.horizon,
            ),
        )
    )
    candidates = []
    for (
        action_id,
        number,
        description,
        due,
        owner,
        _snoozed,
        check,
        criterion,
        record_reference,
        record_owner,
    ) in rows:
        verifier = record_owner if record_owner and record_owner != owner else None
        candidates.append(
            Candidate(
                key=f"verification:{action_id}",
                kind="verification",
                action_id=action_id,
                reference=action_reference(record_reference, number),
                description=criterion or description,
                due=check or due,
                owner_id=verifier,
                record_owner_id=record_owner,
                escalates=False,
            )
        )
    return candidates


def objective_measurements(session: Session, scope: Scope) -> list[Candidate]:
    """Objectives whose last periods have no value yet, for their owner from the day each
    period ends. Objectives are few: their periods are worked out here, not in SQL."""
    rows = session.execute(
        select(
            Objective.id,
            Objective.number,
            Objective.title,
            Objective.owner_id,
            Objective.frequency,
            Objective.start_date,
        ).where(Objective.workspace_id == scope.workspace_id, Objective.active.is_(True), usable())
    ).all()
    wanted = [row for row in rows if row.owner_id not in scope.done]
    if not wanted:
        return []
    logged = {
        (objective_id, start)
        for objective_id, start in session.execute(
            select(Measurement.objective_id, Measurement.period_start).where(
                Measurement.workspace_id == scope.workspace_id,
                Measurement.objective_id.in_([row.id for row in wanted]),
            )
        )
    }
    candidates = []
    for objective_id, number, title, owner, frequency, start in wanted:
        # The last two periods that have ended somewhere on Earth: where the owner is, the
        # latest may not have ended yet (the digest leaves it out until it has).
        ended = objective_rules.ended_periods(frequency, start, scope.latest_today, limit=2)
        for period in ended:
            if (objective_id, period.start) in logged:
                continue
            candidates.append(
                Candidate(
                    key=objective_key(objective_id, period.start),
                    kind="objective",
                    action_id=objective_id,
                    reference=objective_rules.format_reference(number),
                    description=objective_rules.value_wanted(title, frequency, period),
                    due=period.due,
                    owner_id=owner,
                    record_owner_id=None,
                    escalates=False,
                )
            )
    return candidates


SOURCES: tuple[Source, ...] = (open_actions, effectiveness_checks, objective_measurements)


def record_ids(session: Session, action_ids: Iterable[int]) -> dict[int, int]:
    """The record each of these actions belongs to (for the history of an escalation)."""
    rows = session.execute(
        select(Action.id, Action.record_id).where(Action.id.in_(list(action_ids)))
    )
    return {action_id: record_id for action_id, record_id in rows}
