"""The management review pack's figures (ISO 9001 9.3.2), read from live data for a period.

Actions are counted by the database and records streamed as columns (`yield_per`), never
loaded as objects; a long list keeps only its latest entries and a count. A large workspace's
pack is read in bounded memory and stays readable (the export lists everything)."""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import date, datetime
from statistics import median
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
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
T = TypeVar("T")
LISTED = 20  # the entries a long list in the pack shows: the latest
_BATCH = 5_000


@dataclass
class Latest(Generic[T]):
    """The latest `LISTED` entries of a list, in order, and how many there were in all."""

    entries: deque[T] = field(default_factory=lambda: deque(maxlen=LISTED))
    total: int = 0

    def add(self, entry: T) -> None:
        self.entries.append(entry)
        self.total += 1

    @property
    def earlier(self) -> int:
        """The entries not kept: those before the latest."""
        return self.total - len(self.entries)


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
    system_changes: Latest[tuple[date, str, str]] = field(default_factory=Latest)
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
    supplier_records: Latest[str] = field(default_factory=Latest)
    overdue_by_owner: Counter[str] = field(default_factory=Counter)
    preventive: Counter[str] = field(default_factory=Counter)
    improvements: Latest[str] = field(default_factory=Latest)
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
    records = session.execute(
        select(
            Record.created_at,
            Record.kind,
            Record.process_id,
            Record.repeat_of_id,
            Record.anonymous,
            Record.reporter_id,
            Record.cause_category,
            Record.reference,
            Record.title,
        )
        .where(
            Record.workspace_id == workspace.id,
            Record.kind != REVIEW_RECORD_KIND,
            Record.created_at >= before_low,
            Record.created_at < high,
        )
        .order_by(Record.number)
        .execution_options(yield_per=_BATCH)
    )
    processes: dict[int, str] = {
        row.id: row.name
        for row in session.execute(
            select(Process.id, Process.name).where(Process.workspace_id == workspace.id)
        )
    }
    for (
        created,
        kind,
        process_id,
        repeat_of_id,
        anonymous,
        reporter_id,
        cause,
        ref,
        title,
    ) in records:
        in_period = low is not None and created >= low
        if kind == RecordKind.CUSTOMER_COMPLAINT:
            figures.complaints += in_period
            figures.complaints_before += not in_period
        if kind in (RecordKind.INCIDENT, RecordKind.NEAR_MISS) and not in_period:
            figures.incidents_before += 1
        if not in_period:
            continue
        month = created.astimezone(tz).strftime("%Y-%m")
        figures.monthly.setdefault(kind, Counter())[month] += 1
        figures.by_process[processes.get(process_id or 0, "No process given")] += 1
        figures.nonconformities += kind == RecordKind.NONCONFORMITY
        figures.repeats += repeat_of_id is not None
        figures.incidents += kind == RecordKind.INCIDENT
        figures.near_misses += kind == RecordKind.NEAR_MISS
        figures.anonymous_near_misses += anonymous and kind == RecordKind.NEAR_MISS
        figures.raised_by_others += bool(reporter_id) and reporter_id not in lead_ids
        if "supplier" in (cause or "").lower():
            figures.supplier_records.add(f"{ref} {title}")
        if kind == RecordKind.IMPROVEMENT:
            figures.improvements.add(f"{ref} {title}")
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
    """Counted by the database: a large workspace's actions never cross into Python."""
    low, high = bounds
    mine = Action.workspace_id == workspace.id
    overdue = mine, Action.status == ActionStatus.OPEN, Action.due_date < figures.today
    for owner_id, count in session.execute(
        select(Action.owner_id, func.count()).where(*overdue).group_by(Action.owner_id)
    ):
        figures.overdue_actions += count
        figures.overdue_by_owner[owner_id] = count
    decided = session.execute(
        select(
            Record.reference,
            Action.number,
            Action.description,
            Action.owner_id,
            Action.due_date,
            Action.status,
        )
        .join(Record, Record.id == Action.record_id)
        .where(mine, Record.kind == REVIEW_RECORD_KIND)
        .order_by(Record.number, Action.number)
    )
    for reference, number, what, owner_id, due, status in decided:
        late = status == ActionStatus.OPEN and due < figures.today
        figures.review_actions.append(
            ActionLine(f"{reference}/A{number}", what, owner_id, due, status, late)
        )
    changed = [mine]
    changed += [Action.updated_at >= low] if low is not None else []
    changed += [Action.updated_at < high] if high is not None else []
    for status, kind, count in session.execute(
        select(Action.status, Action.kind, func.count())
        .where(*changed)
        .group_by(Action.status, Action.kind)
    ):
        figures.verified_effective += count * (status == ActionStatus.VERIFIED)
        figures.not_effective += count * (status == ActionStatus.NOT_EFFECTIVE)
        if kind == ActionKind.PREVENTIVE:
            figures.preventive[status] += count


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
        figures.system_changes.add((at.astimezone(tz).date(), entity, event.replace("_", " ")))
