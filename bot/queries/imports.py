"""What an import needs to know of the workspace already: references it has seen, records
to hang actions on, processes, documents, competences and completions."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import (
    Action,
    Competence,
    Completion,
    Document,
    OriginalReference,
    Process,
    Record,
    Workspace,
)


def original_references(*, session: Session, workspace_id: int, entity: str) -> dict[str, int]:
    """Original reference (upper case) -> the id of what was imported under it."""
    rows = session.execute(
        select(OriginalReference.reference, OriginalReference.entity_id).where(
            OriginalReference.workspace_id == workspace_id, OriginalReference.entity == entity
        )
    )
    return {reference: int(entity_id) for reference, entity_id in rows}


def record_ids_by_reference(*, session: Session, workspace_id: int) -> dict[str, int]:
    rows = session.execute(
        select(Record.reference, Record.id).where(Record.workspace_id == workspace_id)
    )
    return {str(reference): int(record_id) for reference, record_id in rows}


def last_action_numbers(*, session: Session, workspace_id: int) -> dict[int, int]:
    rows = session.execute(
        select(Action.record_id, func.max(Action.number))
        .where(Action.workspace_id == workspace_id)
        .group_by(Action.record_id)
    )
    return {int(record_id): int(number) for record_id, number in rows}


def process_ids(*, session: Session, workspace_id: int) -> dict[str, int]:
    rows = session.execute(
        select(Process.name, Process.id).where(
            Process.workspace_id == workspace_id, Process.active.is_(True)
        )
    )
    return {name.casefold(): int(process_id) for name, process_id in rows}


def document_references(*, session: Session, workspace_id: int) -> set[str]:
    rows = session.scalars(select(Document.reference).where(Document.workspace_id == workspace_id))
    return {reference.upper() for reference in rows}


def competences(*, session: Session, workspace_id: int) -> dict[str, tuple[int, int | None]]:
    """Competence name (case-folded) -> (id, validity in months)."""
    rows = session.execute(
        select(Competence.name, Competence.id, Competence.validity_months).where(
            Competence.workspace_id == workspace_id
        )
    )
    return {name.casefold(): (int(cid), months) for name, cid, months in rows}


def completion_keys(*, session: Session, workspace_id: int) -> set[tuple[str, int, date]]:
    rows = session.execute(
        select(Completion.user_id, Completion.competence_id, Completion.completed_date).where(
            Completion.workspace_id == workspace_id
        )
    )
    return {(user_id, int(cid), day) for user_id, cid, day in rows}


def workspaces(*, session: Session, team_id: str | None) -> list[tuple[int, str]]:
    """(id, team id) of the workspaces an import could go to: the one named, or all."""
    query = select(Workspace.id, Workspace.team_id).order_by(Workspace.id)
    if team_id is not None:
        query = query.where(Workspace.team_id == team_id)
    return [(int(workspace_id), team) for workspace_id, team in session.execute(query)]
