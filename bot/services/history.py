"""The append-only history: every change to anything is written here."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Action, History, Objective, Record


class Source(StrEnum):
    """Where a change came from, as an auditor would ask."""

    FORM = "form"
    COMMAND = "command"
    BUTTON = "button"
    THREAD = "thread"
    JOB = "job"
    SLACK = "slack"
    IMPORT = "import"  # `python -m bot import`


def record_change(
    *,
    session: Session,
    workspace_id: int,
    entity: str,
    entity_id: int,
    record_id: int | None,
    event: str,
    actor_id: str | None,
    source: Source,
    at: datetime,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> History:
    """Append one change; the caller commits it with the change itself."""
    entry = History(
        workspace_id=workspace_id,
        entity=entity,
        entity_id=entity_id,
        record_id=record_id,
        event=event,
        actor_id=actor_id,
        source=source.value,
        before=before,
        after=after,
        at=at,
    )
    session.add(entry)
    return entry


def record_change_to(
    row: Record | Action | Objective,
    *,
    session: Session,
    event: str,
    actor_id: str | None,
    source: Source,
    at: datetime,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> History:
    """`record_change` for a record, an action or an objective: the row says which entity it
    is and which record it belongs to."""
    if isinstance(row, Record):
        entity, record_id = "record", row.id
    elif isinstance(row, Action):
        entity, record_id = "action", row.record_id
    else:
        entity, record_id = "objective", None
    return record_change(
        session=session,
        workspace_id=row.workspace_id,
        entity=entity,
        entity_id=row.id,
        record_id=record_id,
        event=event,
        actor_id=actor_id,
        source=source,
        at=at,
        before=before,
        after=after,
    )


def for_record(*, session: Session, workspace_id: int, record_id: int) -> list[History]:
    """A record's history and that of everything on it, oldest first."""
    query = (
        select(History)
        .where(History.workspace_id == workspace_id, History.record_id == record_id)
        .order_by(History.at, History.id)
    )
    return list(session.scalars(query))
