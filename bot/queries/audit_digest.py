"""Audits in the daily digest: the lead auditor and the auditee are reminded before, on the
day, and the lead auditor is asked for the report until it is in; the quality leads hear of
an audit still without a report `escalate_to_owner_days` after its date. Which of these is
due today is decided per person by bot.domain.audits.reminder."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.domain import audits as rules
from bot.domain.schedule import NudgePolicy, Urgency
from bot.queries.audits import WAITING
from bot.queries.digest_items import Candidate, Scope
from storage.models import Audit, Process

# Digest line kinds, one per role (see bot.jobs.nudges._add_line).
KIND_OF_ROLE = {
    rules.Role.LEAD_AUDITOR: "audit",
    rules.Role.AUDITEE: "audit_auditee",
    rules.Role.QUALITY_LEAD: "audit_escalated",
}
ROLE_OF_KIND = {kind: role for role, kind in KIND_OF_ROLE.items()}


def audit_candidates(session: Session, scope: Scope) -> list[Candidate]:
    """Audits awaiting their report whose date is close enough for a reminder anywhere."""
    held = func.coalesce(Audit.held_date, Audit.planned_date)
    rows = session.execute(
        select(
            Audit.id,
            Audit.number,
            held,
            Audit.lead_auditor_id,
            Audit.auditee_id,
            Audit.area,
            Process.name,
        )
        .outerjoin(Process, Process.id == Audit.process_id)
        .where(
            Audit.workspace_id == scope.workspace_id,
            Audit.status.in_(WAITING),
            held <= rules.latest_reminder_horizon(scope.latest_today),
        )
    )
    candidates = []
    for audit_id, number, day, lead_auditor, auditee, area, process in rows:
        what = f"Internal audit of {process or area or 'an area'}"
        people = {
            rules.Role.LEAD_AUDITOR: lead_auditor,
            rules.Role.AUDITEE: auditee if auditee != lead_auditor else None,
            rules.Role.QUALITY_LEAD: None,  # no owner: the quality leads
        }
        for role, person in people.items():
            if role is not rules.Role.QUALITY_LEAD and (person is None or person in scope.done):
                continue
            candidates.append(
                Candidate(
                    key=f"audit:{audit_id}:{day.isoformat()}",
                    kind=KIND_OF_ROLE[role],
                    action_id=audit_id,
                    reference=rules.format_reference(number),
                    description=what,
                    due=day,
                    owner_id=person,
                    record_owner_id=None,
                    escalates=False,
                )
            )
    return candidates


_URGENCY = {
    rules.Reminder.BEFORE: Urgency.DUE_SOON,
    rules.Reminder.ON_THE_DAY: Urgency.DUE_TODAY,
    rules.Reminder.REPORT_DUE: Urgency.OVERDUE,
    rules.Reminder.ESCALATED: Urgency.OVERDUE,
}


def audit_urgency(candidate: Candidate, today: date, policy: NudgePolicy) -> Urgency | None:
    """Whether an audit line belongs in a digest for `today`, and how urgent it is."""
    status = rules.AuditStatus.PLANNED if today < candidate.due else rules.AuditStatus.IN_PROGRESS
    due = rules.reminder(
        held=candidate.due,
        status=status,
        role=ROLE_OF_KIND[candidate.kind],
        today=today,
        working_days=policy.working_days,
        escalate_after_days=policy.escalate_to_owner_days,
    )
    return None if due is None else _URGENCY[due]
