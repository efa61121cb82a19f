"""The management review's audit results (ISO 9001 9.3.2 c 6): the internal audits of the
period and what they found, read from the audit programme."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.audits import AuditStatus, FindingGrade
from bot.domain.audits import format_reference as audit_reference
from bot.domain.text import plural
from bot.queries.export import Period, audit_day
from storage.models import Audit, AuditFinding, Process

LINES_SHOWN = 20


@dataclass
class AuditResults:
    held: int = 0  # reported or closed
    cancelled: int = 0
    not_reported: int = 0  # its day has passed and no report is recorded
    findings: Counter[FindingGrade] = field(default_factory=Counter)
    lines: list[str] = field(default_factory=list)  # "AUD-3 Purchasing: 2 findings"
    not_listed: int = 0  # held audits beyond LINES_SHOWN


def audit_results(
    *, session: Session, workspace_id: int, period: Period, today: date
) -> AuditResults:
    """Audits whose day (held, else planned) falls in the period; at most LINES_SHOWN lines."""
    day = audit_day()
    query = (
        select(Audit.id, Audit.number, Audit.status, Audit.area, Process.name, day)
        .outerjoin(Process, Process.id == Audit.process_id)
        .where(Audit.workspace_id == workspace_id)
        .order_by(day, Audit.number)
    )
    if period.start is not None:
        query = query.where(day >= period.start)
    if period.end is not None:
        query = query.where(day <= period.end)
    audits = session.execute(query).all()
    found: dict[int, Counter[FindingGrade]] = {}
    grades = set(FindingGrade)
    if audits:
        for audit_id, grade in session.execute(
            select(AuditFinding.audit_id, AuditFinding.grade).where(
                AuditFinding.workspace_id == workspace_id,
                AuditFinding.audit_id.in_([row[0] for row in audits]),
            )
        ):
            if grade in grades:
                found.setdefault(audit_id, Counter())[FindingGrade(grade)] += 1
    results = AuditResults()
    for audit_id, number, status, area, process_name, held_on in audits:
        state = AuditStatus(status)
        if state is AuditStatus.CANCELLED:
            results.cancelled += 1
            continue
        if state.awaits_report:
            results.not_reported += held_on < today
            continue
        results.held += 1
        findings = found.get(audit_id, Counter())
        results.findings.update(findings)
        if len(results.lines) >= LINES_SHOWN:
            results.not_listed += 1
            continue
        total = sum(findings.values())
        counted = plural(total, "finding") if total else "no findings"
        what = process_name or area or "an area"
        results.lines.append(f"{audit_reference(number)} {what}: {counted}")
    return results
