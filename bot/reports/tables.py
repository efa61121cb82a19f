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
    tz = ws.tz
    for record in q.records(session=session, workspace=ws, period=period):
        yield (
            ws.team_id, _text(record.reference), record.kind,
            evidence.record_clause(record.kind), record.title, record.description,
            _text(record.location), record.occurred_date.isoformat(), record.severity,
            record.status, "anonymous" if record.anonymous else _text(record.reporter_id),
            "yes" if record.anonymous else "no", _text(record.owner_id), _text(record.process_name),
            _text(record.cause_category), _text(record.root_cause), _text(record.repeat_reference),
            _text(record.rejection_reason), evidence.utc_iso(record.created_at),
            evidence.local_iso(record.created_at, tz), evidence.utc_iso(record.closed_at),
            evidence.local_iso(record.closed_at, tz), evidence.utc_iso(record.updated_at),
            evidence.local_iso(record.updated_at, tz), _answer(record.risks_update_needed),
            _answer(record.system_change_needed), _text(record.closing_changes),
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
    tz = ws.tz
    for action in q.actions(session=session, workspace=ws, period=period):
        reference, record_kind = action.record_reference, action.record_kind
        from_review = record_kind == evidence.REVIEW_RECORD_KIND
        yield (
            ws.team_id, f"{reference}/A{action.number}", reference,
            "management review" if from_review else "record", action.kind,
            evidence.action_clause(action.kind, None if from_review else record_kind),
            action.description, action.owner_id, action.due_date.isoformat(), action.status,
            action.extension_count, evidence.utc_iso(action.done_at),
            evidence.local_iso(action.done_at, tz), _text(action.evidence),
            _text(action.effectiveness_check_date and action.effectiveness_check_date.isoformat()),
            _text(action.effectiveness_criterion), _text(action.verifier_id),
            evidence.utc_iso(action.verified_at), evidence.local_iso(action.verified_at, tz),
            _text(action.verification_note), _text(action.cancel_reason),
            evidence.utc_iso(action.created_at), evidence.local_iso(action.created_at, tz),
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
    tz = ws.tz
    for row in q.history(session=session, workspace=ws, period=period):
        before, after = _parsed(row.before), _parsed(row.after)
        if row.record_kind is not None:
            clause = evidence.record_clause(row.record_kind)
        elif row.entity in ("objective", "measurement"):
            clause = evidence.ISO_9001_OBJECTIVES
        else:
            clause = ""
        yield (
            ws.team_id, evidence.utc_iso(row.at), evidence.local_iso(row.at, tz),
            _text(row.record_reference), row.entity, row.entity_id, clause, row.event,
            _text(row.actor_id), row.source, describe_change(before, after), _json(before),
            _json(after),
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
