"""The read side of exports: every row the auditor gets, streamed in batches (`yield_per`) so a
large workspace never sits in memory at once."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import Select, Text, cast, func, select
from sqlalchemy.orm import Session, aliased

from bot.domain.settings import Standard, standards_of
from storage.models import (
    Action,
    Audit,
    AuditFinding,
    History,
    Measurement,
    Objective,
    Process,
    Record,
    Workspace,
)

BATCH = 2_000
Q = TypeVar("Q", bound=Select[*tuple[Any, ...]])


@dataclass(frozen=True)
class ExportWorkspace:
    id: int
    team_id: str
    tz: ZoneInfo
    today: date  # the export's day where the workspace is: the training matrix's "as of"
    safety_certified: bool = False  # ISO 45001: competence also answers to its 7.2


@dataclass(frozen=True)
class Period:
    """Inclusive local dates; None leaves that end open. Compared in UTC at the edges of the
    day in `tz`, so "to 31 Dec" includes all of 31 December where the workspace is."""

    start: date | None = None
    end: date | None = None

    def bounds(self, tz: ZoneInfo) -> tuple[datetime | None, datetime | None]:
        low = datetime.combine(self.start, time(), tz).astimezone(UTC) if self.start else None
        high = (
            datetime.combine(self.end + timedelta(days=1), time(), tz).astimezone(UTC)
            if self.end
            else None
        )
        return low, high


def workspaces(
    *, session: Session, team_ids: Sequence[str] | None, default_tz: str, now: datetime
) -> list[ExportWorkspace]:
    """The workspaces to export (all, or those named), each with its time zone and the
    export's day there."""
    query = select(Workspace).order_by(Workspace.id)
    if team_ids:
        query = query.where(Workspace.team_id.in_(list(team_ids)))
    found = []
    for w in session.scalars(query):
        tz = ZoneInfo(w.timezone or default_tz)
        safety = Standard.ISO_45001 in standards_of(w.standards)
        found.append(ExportWorkspace(w.id, w.team_id, tz, now.astimezone(tz).date(), safety))
    return found


def _stream(session: Session, query: Select[*tuple[Any, ...]]) -> Iterator[Any]:
    yield from session.execute(query.execution_options(yield_per=BATCH))


def _within(query: Q, column: Any, bounds: tuple[Any, Any]) -> Q:
    low, high = bounds
    if low is not None:
        query = query.where(column >= low)
    if high is not None:
        query = query.where(column < high)
    return query


def audit_day() -> Any:
    """An audit's day: the day it was held, else its planned day."""
    return func.coalesce(Audit.held_date, Audit.planned_date)


def count_rows(*, session: Session, workspace: ExportWorkspace, period: Period) -> dict[str, int]:
    """How many rows each table will have: for the progress bar."""
    bounds = period.bounds(workspace.tz)
    dates = day_bounds(period)
    counts: dict[str, int] = {}
    for name, model, column, limits in (
        ("records", Record, Record.created_at, bounds),
        ("actions", Action, Action.created_at, bounds),
        ("history", History, History.at, bounds),
        ("objectives", Objective, None, (None, None)),
        ("measurements", Measurement, Measurement.period_start, dates),
        ("audits", Audit, audit_day(), dates),
    ):
        query = select(func.count()).select_from(model).where(model.workspace_id == workspace.id)
        if column is not None:
            query = _within(query, column, limits)
        counts[name] = session.scalar(query) or 0
    findings = (
        select(func.count())
        .select_from(AuditFinding)
        .join(Audit, Audit.id == AuditFinding.audit_id)
        .where(AuditFinding.workspace_id == workspace.id)
    )
    held = audit_day()
    counts["audit_findings"] = session.scalar(_within(findings, held, dates)) or 0
    return counts


_REPEAT = aliased(Record)
# The export's columns, read by position: by name costs a quarter of a microsecond a field,
# seconds over a million rows.
RECORD_FIELDS = (
    Record.reference, Record.kind, Record.title, Record.description, Record.location,
    Record.occurred_date, Record.severity, Record.status, Record.anonymous,
    Record.reporter_id, Record.owner_id, Process.name, Record.cause_category,
    Record.root_cause, _REPEAT.reference, Record.rejection_reason, Record.created_at,
    Record.closed_at, Record.updated_at, Record.risks_update_needed,
    Record.system_change_needed, Record.closing_changes,
)  # fmt: skip
ACTION_FIELDS = (
    Record.reference, Record.kind, Action.number, Action.kind, Action.description,
    Action.owner_id, Action.due_date, Action.status, Action.extension_count,
    Action.done_at, Action.evidence, Action.effectiveness_check_date,
    Action.effectiveness_criterion, Action.verifier_id, Action.verified_at,
    Action.verification_note, Action.cancel_reason, Action.created_at,
)  # fmt: skip


def records(*, session: Session, workspace: ExportWorkspace, period: Period) -> Iterator[Any]:
    """Records raised in the period, oldest first, with their process name and repeat's
    reference, as tuples in the order of `RECORD_FIELDS`."""
    query = (
        select(*RECORD_FIELDS)
        .outerjoin(Process, Process.id == Record.process_id)
        .outerjoin(_REPEAT, _REPEAT.id == Record.repeat_of_id)
        .where(Record.workspace_id == workspace.id)
        .order_by(Record.number)
    )
    return _stream(session, _within(query, Record.created_at, period.bounds(workspace.tz)))


def actions(*, session: Session, workspace: ExportWorkspace, period: Period) -> Iterator[Any]:
    """Actions created in the period, with their record's reference and kind, as tuples in
    the order of `ACTION_FIELDS`."""
    query = (
        select(*ACTION_FIELDS)
        .join(Record, Record.id == Action.record_id)
        .where(Action.workspace_id == workspace.id)
        .order_by(Record.number, Action.number)
    )
    return _stream(session, _within(query, Action.created_at, period.bounds(workspace.tz)))


def history(*, session: Session, workspace: ExportWorkspace, period: Period) -> Iterator[Any]:
    """Every change in the period, in the order it happened, with its record's reference and
    kind, as tuples in the order of the select (read by position, as `RECORD_FIELDS`)."""
    query = (
        select(
            History.at,
            Record.reference,
            History.entity,
            History.entity_id,
            Record.kind,
            History.event,
            History.actor_id,
            History.source,
            # The stored JSON text, parsed by the caller with orjson: SQLAlchemy's JSON type
            # decodes with the standard library, six times slower on a long history.
            cast(History.before, Text),
            cast(History.after, Text),
        )
        .outerjoin(Record, Record.id == History.record_id)
        .where(History.workspace_id == workspace.id)
        .order_by(History.id)
    )
    return _stream(session, _within(query, History.at, period.bounds(workspace.tz)))


def objectives(*, session: Session, workspace: ExportWorkspace) -> Iterator[Objective]:
    """Every objective, retired ones included: the period does not hide an objective."""
    query = select(Objective).where(Objective.workspace_id == workspace.id)
    yield from session.scalars(query.order_by(Objective.number).execution_options(yield_per=BATCH))


def measurements(*, session: Session, workspace: ExportWorkspace, period: Period) -> Iterator[Any]:
    """Values logged for periods that start within the export's period."""
    query = (
        select(Measurement, Objective.number.label("objective_number"))
        .join(Objective, Objective.id == Measurement.objective_id)
        .where(Measurement.workspace_id == workspace.id)
        .order_by(Objective.number, Measurement.period_start)
    )
    return _stream(session, _within(query, Measurement.period_start, day_bounds(period)))


def audits(*, session: Session, workspace: ExportWorkspace, period: Period) -> Iterator[Any]:
    """Internal audits (ISO 9001 9.2) held or planned in the period (cancelled ones too: the
    programme's record), by reference, with the audited process's name."""
    held = audit_day()
    query = (
        select(Audit, Process.name.label("process_name"))
        .outerjoin(Process, Process.id == Audit.process_id)
        .where(Audit.workspace_id == workspace.id)
        .order_by(Audit.number)
    )
    return _stream(session, _within(query, held, day_bounds(period)))


def audit_findings(
    *, session: Session, workspace: ExportWorkspace, period: Period
) -> Iterator[Any]:
    """The findings of the audits `audits` lists, with their audit's number and the record each
    nonconformity or opportunity for improvement became."""
    held = audit_day()
    query = (
        select(
            AuditFinding,
            Audit.number.label("audit_number"),
            Record.reference.label("record_reference"),
        )
        .join(Audit, Audit.id == AuditFinding.audit_id)
        .outerjoin(Record, Record.id == AuditFinding.record_id)
        .where(AuditFinding.workspace_id == workspace.id)
        .order_by(Audit.number, AuditFinding.number)
    )
    return _stream(session, _within(query, held, day_bounds(period)))


def day_bounds(period: Period) -> tuple[date | None, date | None]:
    """The period's inclusive dates as `_within`'s half-open bounds (its last day included)."""
    return period.start, period.end + timedelta(days=1) if period.end else None
