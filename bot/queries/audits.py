"""The audit programme as people read it: what is coming, what is late, what is running,
which processes have gone unaudited; one audit with its findings and history."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Text, cast, func, or_, select
from sqlalchemy.orm import Session

from bot.domain import audits as rules
from bot.domain.errors import NotFound
from bot.queries.training import valid_holders
from storage.models import (
    Action,
    Audit,
    AuditFinding,
    AuditorQualification,
    Competence,
    History,
    Process,
    Record,
    Workspace,
)

ENTITY = "audit"
UPCOMING_DAYS = 90
WAITING = [status.value for status in rules.AuditStatus if status.awaits_report]


def held_on(audit: Audit) -> date:
    """The day an audit is (or was) held: when it started early, that day."""
    return audit.held_date or audit.planned_date


@dataclass(frozen=True)
class Coverage:
    process: Process
    last_audited: date | None  # None: never


@dataclass(frozen=True)
class Programme:
    upcoming: list[Audit]  # planned in the next 90 days
    overdue: list[Audit]  # the date has passed, no report
    in_progress: list[Audit]  # started, date not passed
    uncovered: list[Coverage]  # active processes not audited in the last 12 months
    process_names: dict[int, str]


def programme(*, session: Session, workspace_id: int, today: date) -> Programme:
    """The programme `/nc audits` shows, as of the asker's `today`."""
    waiting = list(
        session.scalars(
            select(Audit)
            .where(
                Audit.workspace_id == workspace_id,
                Audit.status.in_(WAITING),
                Audit.planned_date <= today + timedelta(days=UPCOMING_DAYS),
            )
            .order_by(Audit.planned_date, Audit.number)
        )
    )
    overdue = [a for a in waiting if held_on(a) < today]
    in_progress = [
        a
        for a in waiting
        if a.status == rules.AuditStatus.IN_PROGRESS.value and held_on(a) >= today
    ]
    upcoming = [
        a for a in waiting if a.status == rules.AuditStatus.PLANNED.value and held_on(a) >= today
    ]
    processes = list(
        session.scalars(
            select(Process)
            .where(Process.workspace_id == workspace_id, Process.active.is_(True))
            .order_by(Process.name)
        )
    )
    last = dict(
        session.execute(
            select(Audit.process_id, func.max(func.coalesce(Audit.held_date, Audit.planned_date)))
            .where(
                Audit.workspace_id == workspace_id,
                Audit.process_id.is_not(None),
                Audit.status.in_(
                    [rules.AuditStatus.REPORTED.value, rules.AuditStatus.CLOSED.value]
                ),
            )
            .group_by(Audit.process_id)
        ).all()
    )
    since = today - timedelta(days=rules.LOOKBACK_DAYS)
    uncovered = [
        Coverage(process, last.get(process.id))
        for process in processes
        if last.get(process.id) is None or last[process.id] < since
    ]
    return Programme(
        upcoming=upcoming,
        overdue=overdue,
        in_progress=in_progress,
        uncovered=uncovered,
        process_names={p.id: p.name for p in processes} | _names(session, workspace_id, waiting),
    )


def _names(session: Session, workspace_id: int, audits: list[Audit]) -> dict[int, str]:
    ids = {a.process_id for a in audits if a.process_id is not None}
    if not ids:
        return {}
    rows = session.execute(
        select(Process.id, Process.name).where(
            Process.workspace_id == workspace_id, Process.id.in_(ids)
        )
    )
    return {process_id: name for process_id, name in rows}


def subject(audit: Audit, process_names: dict[int, str]) -> str:
    """What is audited: the process's name, or the named area."""
    if audit.process_id is not None:
        return process_names.get(audit.process_id, "a retired process")
    return audit.area or "an area"


@dataclass(frozen=True)
class FindingLine:
    finding: AuditFinding
    record_reference: str | None
    record_status: str | None
    record_owner: str | None
    planned_actions: int


@dataclass(frozen=True)
class AuditDetail:
    audit: Audit
    subject: str
    process_owner: str | None
    findings: list[FindingLine]
    history: list[History]


def get(*, session: Session, workspace_id: int, audit_id: int) -> Audit:
    audit = session.scalar(
        select(Audit).where(Audit.workspace_id == workspace_id, Audit.id == audit_id)
    )
    if audit is None:
        raise NotFound("That audit is not in Keel any more.")
    return audit


def get_by_number(*, session: Session, workspace_id: int, number: int) -> Audit:
    audit = session.scalar(
        select(Audit).where(Audit.workspace_id == workspace_id, Audit.number == number)
    )
    if audit is None:
        raise NotFound(
            f"There is no {rules.format_reference(number)}. `/nc audits` shows the programme."
        )
    return audit


def detail(*, session: Session, workspace_id: int, audit: Audit) -> AuditDetail:
    """One audit with its findings (and their records' status) and its history."""
    process = (
        session.scalar(
            select(Process).where(
                Process.workspace_id == workspace_id, Process.id == audit.process_id
            )
        )
        if audit.process_id is not None
        else None
    )
    return AuditDetail(
        audit=audit,
        subject=process.name if process else (audit.area or "an area"),
        process_owner=process.owner_id if process else None,
        findings=findings(session=session, workspace_id=workspace_id, audit_id=audit.id),
        history=list(
            session.scalars(
                select(History)
                .where(
                    History.workspace_id == workspace_id,
                    History.entity == ENTITY,
                    History.entity_id == audit.id,
                )
                .order_by(History.at, History.id)
            )
        ),
    )


def findings(*, session: Session, workspace_id: int, audit_id: int) -> list[FindingLine]:
    actions = (
        select(func.count())
        .select_from(Action)
        .where(Action.record_id == Record.id)
        .scalar_subquery()
    )
    rows = session.execute(
        select(AuditFinding, Record.reference, Record.status, Record.owner_id, actions)
        .outerjoin(Record, Record.id == AuditFinding.record_id)
        .where(AuditFinding.workspace_id == workspace_id, AuditFinding.audit_id == audit_id)
        .order_by(AuditFinding.number)
    )
    return [
        FindingLine(
            finding=finding,
            record_reference=reference,
            record_status=status,
            record_owner=owner,
            planned_actions=int(count or 0) if reference is not None else 0,
        )
        for finding, reference, status, owner, count in rows
    ]


def qualified_auditors(*, session: Session, workspace_id: int) -> list[str]:
    """The workspace's list of qualified internal auditors; empty when it keeps none."""
    return list(
        session.scalars(
            select(AuditorQualification.user_id)
            .where(AuditorQualification.workspace_id == workspace_id)
            .order_by(AuditorQualification.id)
        )
    )


@dataclass(frozen=True)
class Qualified:
    """Who may lead an audit on a day: those on the list (`/nc auditors`) and, when the
    workspace names a qualifying competence, those holding a valid completion of it then."""

    listed: list[str]
    holders: set[str]
    competence: str | None  # the qualifying competence's name, when one is named

    @property
    def people(self) -> list[str]:
        return [*self.listed, *sorted(self.holders - set(self.listed))]

    @property
    def kept(self) -> bool:
        """Whether the workspace keeps any rule; with none, anyone may lead."""
        return bool(self.listed) or self.competence is not None


def qualified(*, session: Session, workspace_id: int, on: date) -> Qualified:
    listed = qualified_auditors(session=session, workspace_id=workspace_id)
    row = session.execute(
        select(Competence.id, Competence.name)
        .join(Workspace, Workspace.auditor_competence_id == Competence.id)
        .where(Workspace.id == workspace_id, Competence.workspace_id == workspace_id)
    ).first()
    if row is None:
        return Qualified(listed, set(), None)
    holders = valid_holders(
        session=session, workspace_id=workspace_id, competence_id=row.id, today=on
    )
    return Qualified(listed, holders, row.name)


def previous_lead(
    *, session: Session, workspace_id: int, process_id: int | None, before: date
) -> str | None:
    """Who led the latest audit of the process held before `before` (cancelled ones aside)."""
    if process_id is None:
        return None
    return session.scalar(
        select(Audit.lead_auditor_id)
        .where(
            Audit.workspace_id == workspace_id,
            Audit.process_id == process_id,
            Audit.status != rules.AuditStatus.CANCELLED.value,
            func.coalesce(Audit.held_date, Audit.planned_date) < before,
        )
        .order_by(func.coalesce(Audit.held_date, Audit.planned_date).desc(), Audit.id.desc())
        .limit(1)
    )


def participation(*, session: Session, workspace_id: int, since: date) -> list[str]:
    """One entry per person per audit they audited (lead or not) since `since`."""
    rows = session.execute(
        select(Audit.lead_auditor_id, Audit.auditor_ids).where(
            Audit.workspace_id == workspace_id,
            Audit.status != rules.AuditStatus.CANCELLED.value,
            Audit.planned_date >= since,
        )
    )
    taken: list[str] = []
    for lead, others in rows:
        taken.extend(dict.fromkeys([lead, *(others or [])]))
    return taken


MINE = [*WAITING, rules.AuditStatus.REPORTED.value]


@dataclass(frozen=True)
class MyAudits:
    audits: list[Audit]  # the first `limit`, soonest first
    total: int
    process_names: dict[int, str]


def mine(*, session: Session, workspace_id: int, user_id: str, limit: int = 10) -> MyAudits:
    """Audits not yet closed (planned, in progress, reported) where the person is the lead
    auditor, another auditor or the auditee (Home tab)."""
    # `auditor_ids` is a JSON list of ids: its text holds the id in quotes, exactly once.
    listed = cast(Audit.auditor_ids, Text).contains(json.dumps(user_id), autoescape=True)
    where = (
        Audit.workspace_id == workspace_id,
        Audit.status.in_(MINE),
        or_(Audit.lead_auditor_id == user_id, Audit.auditee_id == user_id, listed),
    )
    audits = list(
        session.scalars(
            select(Audit).where(*where).order_by(Audit.planned_date, Audit.number).limit(limit)
        )
    )
    total = session.scalar(select(func.count()).select_from(Audit).where(*where)) or 0
    return MyAudits(
        audits=audits, total=int(total), process_names=_names(session, workspace_id, audits)
    )


@dataclass(frozen=True)
class MonthLine:
    planned: int
    overdue: list[tuple[str, date]]  # subject, date


def this_month(*, session: Session, workspace_id: int, today: date) -> MonthLine:
    """For the weekly objectives digest: audits this month, and the overdue ones."""
    first = today.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    audits = list(
        session.scalars(
            select(Audit)
            .where(
                Audit.workspace_id == workspace_id,
                Audit.status != rules.AuditStatus.CANCELLED.value,
                or_(
                    Audit.planned_date.between(first, following - timedelta(days=1)),
                    Audit.status.in_(WAITING),
                ),
            )
            .order_by(Audit.planned_date)
        )
    )
    names = _names(session, workspace_id, audits)
    in_month = [a for a in audits if first <= a.planned_date < following]
    overdue = [
        (subject(a, names), held_on(a))
        for a in audits
        if a.status in WAITING and held_on(a) < today
    ]
    return MonthLine(planned=len(in_month), overdue=overdue)


def due_to_start(*, session: Session, workspace_id: int, today: date) -> list[Audit]:
    """Planned audits whose day has come, locked until commit: of two clocks, the second
    finds them started."""
    query = (
        select(Audit)
        .where(
            Audit.workspace_id == workspace_id,
            Audit.status == rules.AuditStatus.PLANNED.value,
            Audit.planned_date <= today,
        )
        .order_by(Audit.id)
        .with_for_update()
    )
    return list(session.scalars(query))
