"""The export's tables: stable column names (documented in README "Exports for the auditor")
and how each row of the read side becomes cells. Renaming a column breaks auditors' sheets."""

from __future__ import annotations

import json
from typing import Any

import orjson
from sqlalchemy.orm import Session

from bot.domain import evidence
from bot.domain.audits import format_reference as audit_reference
from bot.domain.objectives import format_reference as objective_reference
from bot.queries import export as q
from bot.queries.export import ExportWorkspace, Period
from bot.reports.table import Cell, Rows, Table
from bot.reports.table import text as _text
from bot.reports.tables_support import SUPPORT_TABLES

__all__ = ["TABLES", "Cell", "Table"]


RECORD_COLUMNS = (
    "team_id", "reference", "kind", "iso_clause", "title", "description", "location",
    "occurred_date", "severity", "status", "reporter", "anonymous", "owner", "process",
    "cause_category", "root_cause", "repeat_of", "rejection_reason", "created_at_utc",
    "created_at_local", "closed_at_utc", "closed_at_local", "updated_at_utc", "updated_at_local",
    "risks_update_needed", "system_change_needed", "closing_changes",
)  # fmt: skip


def _records(session: Session, ws: ExportWorkspace, period: Period) -> Rows:
    tz, team_id, clause = ws.tz, ws.team_id, evidence.record_clause
    utc, local = evidence.utc_iso, evidence.local_iso
    for (
        reference, kind, title, description, location, occurred_date, severity, status,
        anonymous, reporter_id, owner_id, process_name, cause_category, root_cause,
        repeat_reference, rejection_reason, created_at, closed_at, updated_at, risks_update,
        system_change, closing_changes,
    ) in q.records(session=session, workspace=ws, period=period):  # fmt: skip
        yield (
            team_id, _text(reference), kind, clause(kind), title, description, _text(location),
            occurred_date.isoformat(), severity, status,
            "anonymous" if anonymous else _text(reporter_id), "yes" if anonymous else "no",
            _text(owner_id), _text(process_name), _text(cause_category), _text(root_cause),
            _text(repeat_reference), _text(rejection_reason), utc(created_at),
            local(created_at, tz), utc(closed_at), local(closed_at, tz), utc(updated_at),
            local(updated_at, tz), _answer(risks_update), _answer(system_change),
            _text(closing_changes),
        )  # fmt: skip


def _answer(value: bool | None) -> str:
    """A question asked on closing: yes, no, or empty when it was not answered or asked."""
    return "" if value is None else ("yes" if value else "no")


ACTION_COLUMNS = (
    "team_id", "reference", "record_reference", "source", "kind", "iso_clause", "description",
    "owner", "due_date", "status", "extension_count", "done_at_utc", "done_at_local",
    "evidence", "effectiveness_check_date", "effectiveness_criterion", "verifier",
    "verified_at_utc", "verified_at_local", "verification_note", "cancel_reason",
    "created_at_utc", "created_at_local",
)  # fmt: skip


def _actions(session: Session, ws: ExportWorkspace, period: Period) -> Rows:
    tz, team_id = ws.tz, ws.team_id
    utc, local = evidence.utc_iso, evidence.local_iso
    for (
        reference, record_kind, number, kind, description, owner_id, due_date, status,
        extension_count, done_at, done_evidence, check_date, criterion, verifier_id,
        verified_at, verification_note, cancel_reason, created_at,
    ) in q.actions(session=session, workspace=ws, period=period):  # fmt: skip
        from_review = record_kind == evidence.REVIEW_RECORD_KIND
        yield (
            team_id, f"{reference}/A{number}", reference,
            "management review" if from_review else "record", kind,
            evidence.action_clause(kind, None if from_review else record_kind), description,
            owner_id, due_date.isoformat(), status, extension_count, utc(done_at),
            local(done_at, tz), _text(done_evidence),
            _text(check_date and check_date.isoformat()), _text(criterion), _text(verifier_id),
            utc(verified_at), local(verified_at, tz), _text(verification_note),
            _text(cancel_reason), utc(created_at), local(created_at, tz),
        )  # fmt: skip


HISTORY_COLUMNS = (
    "team_id", "at_utc", "at_local", "record_reference", "entity", "entity_id", "iso_clause",
    "event", "actor", "source", "change", "before", "after",
)  # fmt: skip


def describe_change(before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    """`status: new → investigating; owner_id: (none) → U1`: what changed, field by field."""
    before, after = before or {}, after or {}
    parts = []
    for key in dict.fromkeys([*before, *after]):
        old, new = before.get(key), after.get(key)
        if old != new:
            parts.append(f"{key}: {_shown(old)} → {_shown(new)}")
    return "; ".join(parts)


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _json(value: dict[str, Any] | None) -> str:
    """Compact JSON with sorted keys; orjson, as the standard library costs ten times more a
    history row."""
    return "" if value is None else orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


def _parsed(stored: str | None) -> dict[str, Any] | None:
    """A history value as the database keeps it (JSON text; SQL null or JSON null for none)."""
    value = None if stored is None else orjson.loads(stored)
    return value if isinstance(value, dict) else None


def _history(session: Session, ws: ExportWorkspace, period: Period) -> Rows:
    tz, team_id = ws.tz, ws.team_id
    for (
        at, record_reference, entity, entity_id, record_kind, event, actor_id, source,
        stored_before, stored_after,
    ) in q.history(session=session, workspace=ws, period=period):  # fmt: skip
        before, after = _parsed(stored_before), _parsed(stored_after)
        if record_kind is not None:
            clause = evidence.record_clause(record_kind)
        elif entity in ("objective", "measurement"):
            clause = evidence.ISO_9001_OBJECTIVES
        else:
            clause = ""
        yield (
            team_id, evidence.utc_iso(at), evidence.local_iso(at, tz), _text(record_reference),
            entity, entity_id, clause, event, _text(actor_id), source,
            describe_change(before, after), _json(before), _json(after),
        )  # fmt: skip


OBJECTIVE_COLUMNS = (
    "team_id", "reference", "iso_clause", "title", "owner", "target", "unit", "direction",
    "frequency", "start_date", "active", "created_at_utc", "created_at_local", "plan_actions",
    "plan_resources", "plan_responsible", "plan_due", "plan_evaluation",
)  # fmt: skip


def _objectives(session: Session, ws: ExportWorkspace, period: Period) -> Rows:
    for objective in q.objectives(session=session, workspace=ws):
        yield (
            ws.team_id, objective_reference(objective.number), evidence.ISO_9001_OBJECTIVES,
            objective.title, objective.owner_id, objective.target, _text(objective.unit),
            objective.direction, objective.frequency, objective.start_date.isoformat(),
            "yes" if objective.active else "no", evidence.utc_iso(objective.created_at),
            evidence.local_iso(objective.created_at, ws.tz), _text(objective.plan_actions),
            _text(objective.plan_resources), _text(objective.plan_responsible),
            _text(objective.plan_due and objective.plan_due.isoformat()),
            _text(objective.plan_evaluation),
        )  # fmt: skip


MEASUREMENT_COLUMNS = (
    "team_id", "objective_reference", "iso_clause", "period_start", "value", "note",
    "recorded_by", "recorded_at_utc", "recorded_at_local",
)  # fmt: skip


def _measurements(session: Session, ws: ExportWorkspace, period: Period) -> Rows:
    for measurement, objective_number in q.measurements(
        session=session, workspace=ws, period=period
    ):
        yield (
            ws.team_id, objective_reference(objective_number), evidence.ISO_9001_OBJECTIVES,
            measurement.period_start.isoformat(), measurement.value, _text(measurement.note),
            measurement.recorded_by, evidence.utc_iso(measurement.recorded_at),
            evidence.local_iso(measurement.recorded_at, ws.tz),
        )  # fmt: skip


AUDIT_COLUMNS = (
    "team_id", "reference", "iso_clause", "title", "scope", "lead_auditor", "planned_date",
    "status", "completed_at_utc", "completed_at_local", "held_date", "auditors", "auditee",
    "standards", "clauses", "impartiality_override", "report_summary", "report_strengths",
    "report_conclusion", "clauses_covered", "reported_by", "cancel_reason", "close_reason",
)  # fmt: skip
FINDING_COLUMNS = (
    "team_id", "audit_reference", "record_reference", "iso_clause", "grade", "clause_audited",
    "reference", "evidence", "spoken_to", "raised_by", "created_at_utc", "created_at_local",
)  # fmt: skip


def _listed(values: list[str] | None) -> str:
    return _text(", ".join(values or []))


def _audits(session: Session, ws: ExportWorkspace, period: Period) -> Rows:
    """`completed_at` is when the report was recorded: the audit was carried out by then."""
    tz = ws.tz
    for audit, process_name in q.audits(session=session, workspace=ws, period=period):
        yield (
            ws.team_id, audit_reference(audit.number), evidence.ISO_9001_AUDIT,
            _text(process_name or audit.area), _text(audit.scope), audit.lead_auditor_id,
            audit.planned_date.isoformat(), audit.status, evidence.utc_iso(audit.reported_at),
            evidence.local_iso(audit.reported_at, tz),
            _text(audit.held_date and audit.held_date.isoformat()), _listed(audit.auditor_ids),
            _text(audit.auditee_id), _listed(audit.standards), _listed(audit.clauses),
            _text(audit.impartiality_override), _text(audit.report_summary),
            _text(audit.report_strengths), _text(audit.report_conclusion),
            _listed(audit.clauses_covered), _text(audit.reported_by), _text(audit.cancel_reason),
            _text(audit.close_reason),
        )  # fmt: skip


def _findings(session: Session, ws: ExportWorkspace, period: Period) -> Rows:
    for finding, audit_number, record_ref in q.audit_findings(
        session=session, workspace=ws, period=period
    ):
        audit_ref = audit_reference(audit_number)
        yield (
            ws.team_id, audit_ref, _text(record_ref), evidence.ISO_9001_AUDIT, finding.grade,
            _text(finding.clause), f"{audit_ref}/F{finding.number}", _text(finding.evidence),
            _text(finding.spoken_to), finding.created_by, evidence.utc_iso(finding.created_at),
            evidence.local_iso(finding.created_at, ws.tz),
        )  # fmt: skip


TABLES = (
    Table("records", RECORD_COLUMNS, _records),
    Table("actions", ACTION_COLUMNS, _actions),
    Table("history", HISTORY_COLUMNS, _history),
    Table("objectives", OBJECTIVE_COLUMNS, _objectives),
    Table("measurements", MEASUREMENT_COLUMNS, _measurements),
    Table("audits", AUDIT_COLUMNS, _audits),
    Table("audit_findings", FINDING_COLUMNS, _findings),
    *SUPPORT_TABLES,
)
