"""An audit's findings and report: findings raised as records, the report recorded, the
next audit of a recurring plan put on its cycle date, and the audit closed once its
nonconformities are owned and have actions. The caller commits."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.domain import audits as rules
from bot.domain.errors import KeelError, NotAllowed
from bot.domain.records import RecordKind, Severity
from bot.forms.audits import Finding, Report
from bot.forms.record import RecordForm
from bot.queries import audits as queries
from bot.services import records
from bot.services.audits import (
    apply_move,
    close_now,
    next_number,
    snapshot,
    start_if_due,
    write_history,
)
from bot.services.history import Source
from bot.services.permissions import Actor
from storage.models import Audit, AuditFinding, Workspace

_SEVERITY = {
    rules.FindingGrade.MAJOR_NC: Severity.HIGH,
    rules.FindingGrade.MINOR_NC: Severity.MEDIUM,
    rules.FindingGrade.OFI: Severity.LOW,
}


# -- findings and the report -----------------------------------------------------------------


def add_finding(
    *,
    session: Session,
    workspace: Workspace,
    audit: Audit,
    finding: Finding,
    actor: Actor,
    today: date,
    now: datetime,
) -> AuditFinding:
    """One finding. A nonconformity becomes an audit finding record, an opportunity for
    improvement an improvement record: owned by the process owner (or the auditee), posted to
    the quality channel naming the audit. Observations stay in the report."""
    if not (actor.is_lead or actor.user_id in (audit.lead_auditor_id, *audit.auditor_ids)):
        raise NotAllowed(f"Only the audit's auditors or {actor.terms.a_lead} can add findings.")
    start_if_due(session, audit, actor.user_id, today, now)
    if audit.status != rules.AuditStatus.IN_PROGRESS.value:
        raise KeelError(
            f"{rules.format_reference(audit.number)} is "
            f"{rules.AuditStatus(audit.status).label.lower()}: findings are added while it is in "
            "progress."
        )
    number = 1 + (
        session.scalar(
            select(func.max(AuditFinding.number)).where(AuditFinding.audit_id == audit.id)
        )
        or 0
    )
    row = AuditFinding(
        workspace_id=audit.workspace_id,
        audit_id=audit.id,
        number=number,
        grade=finding.grade.value,
        clause=finding.clause,
        evidence=finding.evidence,
        spoken_to=finding.spoken_to,
        created_by=actor.user_id,
        created_at=now,
    )
    if finding.grade.becomes_record:
        row.record_id = _raise_record(session, workspace, audit, finding, actor.user_id, now)
    session.add(row)
    session.flush()
    write_history(
        session,
        audit,
        "finding_added",
        actor.user_id,
        now,
        after={
            "finding": number,
            "grade": finding.grade.value,
            "clause": finding.clause,
            "record_id": row.record_id,
        },
    )
    return row


def _raise_record(
    session: Session,
    workspace: Workspace,
    audit: Audit,
    finding: Finding,
    actor_id: str,
    now: datetime,
) -> int:
    reference = rules.format_reference(audit.number)
    clause = f" (clause {finding.clause})" if finding.clause else ""
    kind = RecordKind.AUDIT_FINDING if finding.grade.is_nonconformity else RecordKind.IMPROVEMENT
    form = RecordForm(
        kind=kind,
        title=f"{reference}: {finding.grade.label}{clause}",
        description=finding.evidence,
        location=f"Internal audit {reference}",
        occurred_date=audit.held_date or audit.planned_date,
        severity=_SEVERITY[finding.grade],
        process_id=audit.process_id,
    )
    raised = records.raise_record(
        session=session,
        workspace=workspace,
        form=form,
        reporter_id=actor_id,
        view_id=None,
        now=now,
    )
    record = raised.record
    record.audit_id = audit.id
    if record.owner_id is None and audit.process_id is None:
        record.owner_id = audit.auditee_id
    return record.id


def record_report(
    *,
    session: Session,
    audit: Audit,
    report: Report,
    actor: Actor,
    today: date,
    now: datetime,
) -> Audit | None:
    """The report: the audit is reported; a recurring audit's next one is planned on its
    cycle; the audit closes itself when every nonconformity is owned and has actions.
    Returns the next audit, if one was planned."""
    if not (actor.is_lead or actor.user_id == audit.lead_auditor_id):
        raise NotAllowed(f"Only the lead auditor or {actor.terms.a_lead} can record the report.")
    if audit.status in (rules.AuditStatus.REPORTED.value, rules.AuditStatus.CLOSED.value):
        raise KeelError(f"{rules.format_reference(audit.number)} already has its report.")
    start_if_due(session, audit, actor.user_id, today, now)
    before = {"status": audit.status}
    apply_move(audit, rules.AuditMove.REPORT)
    audit.report_summary = report.summary
    audit.report_strengths = report.strengths
    audit.report_conclusion = report.conclusion
    audit.clauses_covered = list(report.clauses_covered)
    audit.reported_by = actor.user_id
    audit.reported_at = now
    audit.updated_at = now
    after = {
        "status": audit.status,
        "summary": report.summary,
        "strengths": report.strengths,
        "clauses_covered": list(report.clauses_covered),
        "conclusion": report.conclusion,
    }
    write_history(session, audit, "reported", actor.user_id, now, before=before, after=after)
    following = _plan_next(session, audit, now)
    close_if_complete(session=session, audit=audit, now=now)
    return following


def _plan_next(session: Session, audit: Audit, now: datetime) -> Audit | None:
    """The next audit of a recurring plan, on its cycle date from the planned date."""
    following_date = rules.next_cycle_date(rules.Recurrence(audit.recurrence), audit.planned_date)
    if following_date is None:
        return None
    following = Audit(
        workspace_id=audit.workspace_id,
        number=next_number(session=session, workspace_id=audit.workspace_id),
        process_id=audit.process_id,
        area=audit.area,
        planned_date=following_date,
        lead_auditor_id=audit.lead_auditor_id,
        auditor_ids=list(audit.auditor_ids),
        auditee_id=audit.auditee_id,
        scope=audit.scope,
        standards=list(audit.standards),
        clauses=list(audit.clauses),
        recurrence=audit.recurrence,
        status=rules.AuditStatus.PLANNED.value,
        postponements=0,
        impartiality_override=audit.impartiality_override,
        previous_id=audit.id,
        created_by=None,
        created_at=now,
        updated_at=now,
    )
    session.add(following)
    session.flush()
    after = snapshot(following) | {"follows": rules.format_reference(audit.number)}
    write_history(session, following, "planned", None, now, source=Source.JOB, after=after)
    return following


def close_if_complete(*, session: Session, audit: Audit, now: datetime) -> bool:
    """Close a reported audit once every nonconformity has an owner and planned actions."""
    if audit.status != rules.AuditStatus.REPORTED.value:
        return False
    lines = queries.findings(session=session, workspace_id=audit.workspace_id, audit_id=audit.id)
    nonconformities = [
        (line.record_owner, line.planned_actions)
        for line in lines
        if rules.FindingGrade(line.finding.grade).is_nonconformity
    ]
    if not rules.can_close(True, nonconformities):
        return False
    close_now(session, audit, None, None, now)
    return True
