"""The read side of the export's support tables (ISO 9001 clause 7): the documents register,
its revisions and read confirmations (7.5), and competence (7.2): the catalogue, the roles,
the completions and who needs what. Registers are small; the long ones stream (`yield_per`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.queries.export import ExportWorkspace, Period, _stream, _within, day_bounds
from storage.models import (
    Acknowledgement,
    Competence,
    Completion,
    Document,
    DocumentRevision,
    Process,
    Requirement,
    Role,
    RoleMember,
)

DIRECTLY = "directly"  # a requirement set on the person rather than through a role


def documents(*, session: Session, workspace: ExportWorkspace) -> Iterator[Any]:
    """The whole register, withdrawn documents included, with each one's process name."""
    query = (
        select(Document, Process.name.label("process_name"))
        .outerjoin(Process, Process.id == Document.process_id)
        .where(Document.workspace_id == workspace.id)
        .order_by(Document.reference, Document.id)
    )
    return _stream(session, query)


def document_revisions(
    *, session: Session, workspace: ExportWorkspace, period: Period
) -> Iterator[Any]:
    """Revisions made in the period, with their document's reference and title."""
    query = (
        select(DocumentRevision, Document.reference, Document.title)
        .join(Document, Document.id == DocumentRevision.document_id)
        .where(DocumentRevision.workspace_id == workspace.id)
        .order_by(Document.reference, DocumentRevision.id)
    )
    return _stream(
        session, _within(query, DocumentRevision.created_at, period.bounds(workspace.tz))
    )


def acknowledgements(
    *, session: Session, workspace: ExportWorkspace, period: Period
) -> Iterator[Any]:
    """Read confirmations given in the period, by document and in the order they came."""
    query = (
        select(Acknowledgement, Document.reference, Document.title)
        .join(Document, Document.id == Acknowledgement.document_id)
        .where(Acknowledgement.workspace_id == workspace.id)
        .order_by(Document.reference, Acknowledgement.at, Acknowledgement.id)
    )
    return _stream(session, _within(query, Acknowledgement.at, period.bounds(workspace.tz)))


def competences(*, session: Session, workspace: ExportWorkspace) -> Iterator[Any]:
    """The whole catalogue, with the reference of the document a "document to have read" is."""
    query = (
        select(Competence, Document.reference.label("document_reference"))
        .outerjoin(Document, Document.id == Competence.document_id)
        .where(Competence.workspace_id == workspace.id)
        .order_by(func.lower(Competence.name), Competence.id)
    )
    return _stream(session, query)


@dataclass(frozen=True)
class RoleRow:
    name: str
    members: tuple[str, ...]
    required: tuple[str, ...]  # competence names
    created_at: datetime


def roles(*, session: Session, workspace: ExportWorkspace) -> list[RoleRow]:
    """Every role with its members and the competences it requires, by name."""
    members: dict[int, list[str]] = defaultdict(list)
    for role_id, user_id in session.execute(
        select(RoleMember.role_id, RoleMember.user_id)
        .where(RoleMember.workspace_id == workspace.id)
        .order_by(RoleMember.user_id)
    ):
        members[role_id].append(user_id)
    required: dict[int | None, list[str]] = defaultdict(list)
    for requiring_role, name in session.execute(
        select(Requirement.role_id, Competence.name)
        .join(Competence, Competence.id == Requirement.competence_id)
        .where(Requirement.workspace_id == workspace.id, Requirement.role_id.is_not(None))
        .order_by(func.lower(Competence.name))
    ):
        required[requiring_role].append(name)
    return [
        RoleRow(role.name, tuple(members[role.id]), tuple(required[role.id]), role.created_at)
        for role in session.scalars(
            select(Role)
            .where(Role.workspace_id == workspace.id)
            .order_by(func.lower(Role.name), Role.id)
        )
    ]


def completions(*, session: Session, workspace: ExportWorkspace, period: Period) -> Iterator[Any]:
    """Completions dated within the period (their completion day), with the competence's name."""
    query = (
        select(Completion, Competence.name.label("competence_name"))
        .join(Competence, Competence.id == Completion.competence_id)
        .where(Completion.workspace_id == workspace.id)
        .order_by(Completion.completed_date, Completion.id)
    )
    return _stream(session, _within(query, Completion.completed_date, day_bounds(period)))


def required_by(
    *, session: Session, workspace: ExportWorkspace
) -> dict[tuple[str, int], list[str]]:
    """(person, competence) -> why they need it: the roles' names, or "directly"."""
    reasons: dict[tuple[str, int], list[str]] = defaultdict(list)
    for user_id, competence_id, role in session.execute(
        select(RoleMember.user_id, Requirement.competence_id, Role.name)
        .join(Requirement, Requirement.role_id == RoleMember.role_id)
        .join(Role, Role.id == RoleMember.role_id)
        .where(Requirement.workspace_id == workspace.id)
        .order_by(func.lower(Role.name))
    ):
        reasons[(user_id, competence_id)].append(role)
    for person, needed in session.execute(
        select(Requirement.user_id, Requirement.competence_id).where(
            Requirement.workspace_id == workspace.id, Requirement.user_id.is_not(None)
        )
    ):
        reasons[(str(person), needed)].append(DIRECTLY)
    return reasons


def count_rows(*, session: Session, workspace: ExportWorkspace, period: Period) -> dict[str, int]:
    """How many rows the long support tables will have: for the progress bar."""
    bounds = period.bounds(workspace.tz)
    counts: dict[str, int] = {}
    for name, model, column, limits in (
        ("document_revisions", DocumentRevision, DocumentRevision.created_at, bounds),
        ("acknowledgements", Acknowledgement, Acknowledgement.at, bounds),
        ("completions", Completion, Completion.completed_date, day_bounds(period)),
    ):
        query = select(func.count()).select_from(model).where(model.workspace_id == workspace.id)
        counts[name] = session.scalar(_within(query, column, limits)) or 0
    return counts
