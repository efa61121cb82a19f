"""The export's support tables (ISO 9001 clause 7): documented information (7.5) and
competence (7.2). Column names are stable and documented in README "Exports for the auditor"."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from bot.domain import evidence
from bot.queries import competence as matrix_queries
from bot.queries import export_support as q
from bot.queries.export import ExportWorkspace, Period
from bot.reports.table import Rows, Table, text, yes_no

DOCUMENTS = evidence.ISO_9001_DOCUMENTED_INFORMATION


def _day(value: date | None) -> str:
    return "" if value is None else value.isoformat()


def _months(value: int | None) -> str | int:
    return "" if value is None else value  # empty: valid for good


DOCUMENT_COLUMNS = (
    "team_id", "reference", "iso_clause", "title", "version", "owner", "process", "link",
    "review_months", "last_reviewed_date", "next_review_date", "active", "created_at_utc",
    "created_at_local", "updated_at_utc", "updated_at_local",
)  # fmt: skip


def _documents(session: Session, ws: ExportWorkspace, period: Period) -> Rows:
    tz = ws.tz
    for document, process_name in q.documents(session=session, workspace=ws):
        yield (
            ws.team_id, document.reference, DOCUMENTS, document.title, document.version,
            document.owner_id, text(process_name), text(document.link), document.review_months,
            _day(document.last_reviewed_date), document.next_review_date.isoformat(),
            yes_no(document.active), evidence.utc_iso(document.created_at),
            evidence.local_iso(document.created_at, tz), evidence.utc_iso(document.updated_at),
            evidence.local_iso(document.updated_at, tz),
        )  # fmt: skip


REVISION_COLUMNS = (
    "team_id", "document_reference", "document_title", "version", "iso_clause", "what_changed",
    "reread_required", "author", "approver", "approved_at_utc", "approved_at_local",
    "created_at_utc", "created_at_local",
)  # fmt: skip


def _revisions(session: Session, ws: ExportWorkspace, period: Period) -> Rows:
    tz = ws.tz
    for revision, reference, title in q.document_revisions(
        session=session, workspace=ws, period=period
    ):
        yield (
            ws.team_id, reference, title, revision.version, DOCUMENTS, revision.what_changed,
            yes_no(revision.reread_required), revision.author_id, text(revision.approver_id),
            evidence.utc_iso(revision.approved_at), evidence.local_iso(revision.approved_at, tz),
            evidence.utc_iso(revision.created_at), evidence.local_iso(revision.created_at, tz),
        )  # fmt: skip


ACKNOWLEDGEMENT_COLUMNS = (
    "team_id", "person", "document_reference", "document_title", "version", "iso_clause",
    "read_at_utc", "read_at_local",
)  # fmt: skip


def _acknowledgements(session: Session, ws: ExportWorkspace, period: Period) -> Rows:
    for ack, reference, title in q.acknowledgements(session=session, workspace=ws, period=period):
        yield (
            ws.team_id, ack.user_id, reference, title, ack.version, DOCUMENTS,
            evidence.utc_iso(ack.at), evidence.local_iso(ack.at, ws.tz),
        )  # fmt: skip


COMPETENCE_COLUMNS = (
    "team_id", "competence", "iso_clause", "kind", "validity_months", "document_reference",
    "created_at_utc", "created_at_local",
)  # fmt: skip


def _competences(session: Session, ws: ExportWorkspace, period: Period) -> Rows:
    clause = evidence.competence_clause(ws.safety_certified)
    for competence, document_reference in q.competences(session=session, workspace=ws):
        yield (
            ws.team_id, competence.name, clause, competence.kind,
            _months(competence.validity_months), text(document_reference),
            evidence.utc_iso(competence.created_at),
            evidence.local_iso(competence.created_at, ws.tz),
        )  # fmt: skip


ROLE_COLUMNS = (
    "team_id", "role", "iso_clause", "member_count", "members", "required_competences",
    "created_at_utc", "created_at_local",
)  # fmt: skip


def _roles(session: Session, ws: ExportWorkspace, period: Period) -> Rows:
    clause = evidence.competence_clause(ws.safety_certified)
    for role in q.roles(session=session, workspace=ws):
        yield (
            ws.team_id, role.name, clause, len(role.members), ", ".join(role.members),
            "; ".join(role.required), evidence.utc_iso(role.created_at),
            evidence.local_iso(role.created_at, ws.tz),
        )  # fmt: skip


COMPLETION_COLUMNS = (
    "team_id", "person", "competence", "iso_clause", "completed_date", "expiry_date",
    "evidence", "confirmed_by", "created_at_utc", "created_at_local",
)  # fmt: skip


def _completions(session: Session, ws: ExportWorkspace, period: Period) -> Rows:
    clause = evidence.competence_clause(ws.safety_certified)
    for completion, name in q.completions(session=session, workspace=ws, period=period):
        yield (
            ws.team_id, completion.user_id, name, clause,
            completion.completed_date.isoformat(), _day(completion.expiry_date),
            text(completion.evidence), text(completion.confirmed_by),
            evidence.utc_iso(completion.created_at),
            evidence.local_iso(completion.created_at, ws.tz),
        )  # fmt: skip


MATRIX_COLUMNS = (
    "team_id", "person", "competence", "iso_clause", "required_by", "state", "completed_date",
    "expiry_date", "as_of_date",
)  # fmt: skip


def _matrix(session: Session, ws: ExportWorkspace, period: Period) -> Rows:
    """Every person x required competence, in the state `/nc training` gives it on the day of
    the export (the same query and rule); competences held without a requirement are left out."""
    clause = evidence.competence_clause(ws.safety_certified)
    reasons = q.required_by(session=session, workspace=ws)
    names = matrix_queries.names(session=session, workspace_id=ws.id)
    cells = matrix_queries.matrix(session=session, workspace_id=ws.id, today=ws.today)
    for cell in cells:
        why = reasons.get((cell.user_id, cell.competence_id))
        if not why:
            continue
        yield (
            ws.team_id, cell.user_id, names[cell.competence_id], clause, "; ".join(why),
            cell.standing.value, _day(cell.completed_date), _day(cell.expiry_date),
            ws.today.isoformat(),
        )  # fmt: skip


SUPPORT_TABLES = (
    Table("documents", DOCUMENT_COLUMNS, _documents),
    Table("document_revisions", REVISION_COLUMNS, _revisions),
    Table("acknowledgements", ACKNOWLEDGEMENT_COLUMNS, _acknowledgements),
    Table("competences", COMPETENCE_COLUMNS, _competences),
    Table("roles", ROLE_COLUMNS, _roles),
    Table("completions", COMPLETION_COLUMNS, _completions),
    Table("training_matrix", MATRIX_COLUMNS, _matrix),
)
