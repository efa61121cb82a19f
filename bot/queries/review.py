"""The management review pack's figures (ISO 9001 9.3.2), read from live data for a period."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from statistics import median
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain import objectives as objective_rules
from bot.domain.actions import ActionKind, ActionStatus
from bot.domain.evidence import REVIEW_RECORD_KIND
from bot.domain.records import RecordKind
from bot.domain.settings import standards_of
from bot.queries.export import Period
from bot.queries.review_audits import AuditResults, audit_results
from storage.models import Action, History, Measurement, Objective, Process, Record, Workspace

# Entities whose changes count as "changes in external and internal issues" (9.3.2 b).
_SYSTEM_ENTITIES = ("process", "objective", "workspace")


@dataclass(frozen=True)
class ActionLine:
    reference: str
    description: str
    owner_id: str
    due_date: date
    status: str
    overdue: bool


@dataclass(frozen=True)
class ObjectiveLine:
    reference: str
    title: str
    target: str
    latest: str
    standing: str
    logged: int
    on_time: int
    expected: int


@dataclass
class ReviewFigures:
    team_id: str
    period: Period
    today: date
    standards: tuple[str, ...]
    review_actions: list[ActionLine] = field(default_factory=list)
    system_changes: list[tuple[date, str, str]] = field(default_factory=list)
    monthly: dict[str, Counter[str]] = field(default_factory=dict)  # kind -> "2026-11" -> n
    complaints: int = 0
    complaints_before: int = 0
    objectives: list[ObjectiveLine] = field(default_factory=list)
    by_process: Counter[str] = field(default_factory=Counter)
    nonconformities: int = 0
    open_records: int = 0
    median_open_age_days: float | None = None
    overdue_actions: int = 0
    verified_effective: int = 0
    not_effective: int = 0
    repeats: int = 0
    audits: int = 0  # held in the period
    audit_results: AuditResults = field(default_factory=AuditResults)
    supplier_records: list[str] = field(default_factory=list)
    overdue_by_owner: Counter[str] = field(default_factory=Counter)
    preventive: Counter[str] = field(default_factory=Counter)
    improvements: list[str] = field(default_factory=list)
    incidents: int = 0
    near_misses: int = 0
    incidents_before: int = 0
    raised_by_others: int = 0
    anonymous_near_misses: int = 0


def review_figures(
    *,
    session: Session,
    workspace: Workspace,
    tz: ZoneInfo,
    period: Period,
    today: date,
    lead_ids: frozenset[str],
) -> ReviewFigures:
    """Every 9.3.2 input Keel can count for `period` (inclusive local dates)."""
    assert period.start is not None and period.end is not None
    standards = tuple(standard.short for standard in standards_of(workspace.standards))
    figures = ReviewFigures(workspace.team_id, period, today, standards)
    low, high = period.bounds(tz)
    length = period.end - period.start
    before_low, _ = Period(period.start - length, period.start).bounds(tz)
    records = list(
        session.scalars(
            select(Record).where(
                Record.workspace_id == workspace.id,
                Record.kind != REVIEW_RECORD_KIND,
                Record.created_at >= before_low,
                Record.created_at < high,
            )
        )
    )
    processes: dict[int, str] = {
        row.id: row.name
        for row in session.execute(
            select(Process.id, Process.name).where(Process.workspace_id == workspace.id)
        )
    }
    for record in records:
        in_period = low is not None and record.created_at >= low
        if record.kind == RecordKind.CUSTOMER_COMPLAINT:
            figures.complaints += in_period
            figures.complaints_before += not in_period
        if record.kind in (RecordKind.INCIDENT, RecordKind.NEAR_MISS) and not in_period:
            figures.incidents_before += 1
        if not in_period:
            continue
        month = record.created_at.astimezone(tz).strftime("%Y-%m")
        figures.monthly.setdefault(record.kind, Counter())[month] += 1
        figures.by_process[processes.get(record.process_id or 0, "No process given")] += 1
        figures.nonconformities += record.kind == RecordKind.NONCONFORMITY
        figures.repeats += record.repeat_of_id is not None
        figures.incidents += record.kind == RecordKind.INCIDENT
        figures.near_misses += record.kind == RecordKind.NEAR_MISS
        figures.anonymous_near_misses += record.anonymous
        figures.raised_by_others += bool(record.reporter_id) and record.reporter_id not in lead_ids
        if "supplier" in (record.cause_category or "").lower():
            figures.supplier_records.append(f"{record.reference} {record.title}")
        if record.kind == RecordKind.IMPROVEMENT:
            figures.improvements.append(f"{record.reference} {record.title}")
    _open_records(session, workspace, figures, tz)
    _actions(session, workspace, figures, (low, high))
    _objectives(session, workspace, figures, tz)
    _changes(session, workspace, figures, tz, (low, high))
    results = audit_results(session=session, workspace_id=workspace.id, period=period, today=today)
    figures.audits = results.held
    figures.audit_results = results
    return figures


def _open_records(
    session: Session, workspace: Workspace, figures: ReviewFigures, tz: ZoneInfo
) -> None:
    created = session.scalars(
        select(Record.created_at).where(
            Record.workspace_id == workspace.id,
            Record.kind != REVIEW_RECORD_KIND,
            Record.status.not_in(["closed", "rejected"]),
        )
    ).all()
    figures.open_records = len(created)
    if created:
        figures.median_open_age_days = median(
            (figures.today - moment.astimezone(tz).date()).days for moment in created
        )


def _actions(
    session: Session,
    workspace: Workspace,
    figures: ReviewFigures,
    bounds: tuple[datetime | None, datetime | None],
) -> None:
    low, high = bounds
    rows = session.execute(
        select(Action, Record.reference, Record.kind)
        .join(Record, Record.id == Action.record_id)
        .where(Action.workspace_id == workspace.id)
        .order_by(Record.number, Action.number)
    )
    for action, record_reference, record_kind in rows:
        overdue = action.status == ActionStatus.OPEN and action.due_date < figures.today
        if overdue:
            figures.overdue_actions += 1
            figures.overdue_by_owner[action.owner_id] += 1
        if record_kind == REVIEW_RECORD_KIND:
            figures.review_actions.append(
                ActionLine(
                    f"{record_reference}/A{action.number}",
                    action.description,
                    action.owner_id,
                    action.due_date,
                    action.status,
                    overdue,
                )
            )
        in_period = (low is None or action.updated_at >= low) and (
            high is None or action.updated_at < high
        )
        if not in_period:
            continue
        figures.verified_effective += action.status == ActionStatus.VERIFIED
        figures.not_effective += action.status == ActionStatus.NOT_EFFECTIVE
        if action.kind == ActionKind.PREVENTIVE:
            figures.preventive[action.status] += 1


def _objectives(
    session: Session, workspace: Workspace, figures: ReviewFigures, tz: ZoneInfo
) -> None:
    period = figures.period
    assert period.start is not None and period.end is not None
    for objective in session.scalars(
        select(Objective)
        .where(Objective.workspace_id == workspace.id, Objective.active.is_(True))
        .order_by(Objective.number)
    ):
        values = session.scalars(
            select(Measurement)
            .where(Measurement.objective_id == objective.id)
            .order_by(Measurement.period_start.desc())
        ).all()
        expected = [
            p
            for p in objective_rules.ended_periods(
                objective.frequency, objective.start_date, period.end, limit=400
            )
            if p.start >= period.start
        ]
        logged = {m.period_start: m for m in values}
        on_time = sum(
            1
            for p in expected
            if p.start in logged and logged[p.start].recorded_at.astimezone(tz).date() <= p.due
        )
        direction = objective_rules.Direction(objective.direction)
        target = objective_rules.format_value(objective.target, objective.unit)
        latest = values[0].value if values else None
        figures.objectives.append(
            ObjectiveLine(
                objective_rules.format_reference(objective.number),
                objective.title,
                f"{direction.symbol} {target}",
                "no value yet"
                if latest is None
                else objective_rules.format_value(latest, objective.unit),
                objective_rules.standing(latest, objective.target, direction).value.replace(
                    "_", " "
                ),
                sum(1 for p in expected if p.start in logged),
                on_time,
                len(expected),
            )
        )


def _changes(
    session: Session,
    workspace: Workspace,
    figures: ReviewFigures,
    tz: ZoneInfo,
    bounds: tuple[datetime | None, datetime | None],
) -> None:
    low, high = bounds
    rows = session.execute(
        select(History.at, History.entity, History.event)
        .where(
            History.workspace_id == workspace.id,
            History.entity.in_(_SYSTEM_ENTITIES),
            History.at >= low,
            History.at < high,
        )
        .order_by(History.id)
    )
    for at, entity, event in rows:
        figures.system_changes.append((at.astimezone(tz).date(), entity, event.replace("_", " ")))
