"""Writing resolved import rows in bulk, each with an "imported from FILE, row N" history
entry; records and actions also keep their original reference as an alias."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from bot.domain.competence import CompetenceKind, expiry
from bot.domain.documents import first_review
from bot.domain.import_columns import ImportKind
from bot.domain.records import RecordKind, RecordStatus
from bot.forms.import_rows import ActionRow, CompletionRow, DocumentRow, RecordRow
from bot.queries import imports as known
from bot.services.history import Source
from bot.services.imports import Resolution
from bot.services.records import next_references
from storage import upsert
from storage.models import (
    Action,
    Competence,
    Completion,
    Document,
    History,
    OriginalReference,
    Record,
    ReferenceCounter,
    Workspace,
)


@dataclass(frozen=True)
class Origin:
    """Where imported rows came from, for their history."""

    file_name: str
    actor_id: str | None
    now: datetime


def write(
    *, session: Session, workspace_id: int, kind: ImportKind, resolution: Resolution, origin: Origin
) -> int:
    """Write the new rows with their history; returns how many were written."""
    if not resolution.new:
        return 0
    writer = {
        ImportKind.RECORDS: _write_records,
        ImportKind.ACTIONS: _write_actions,
        ImportKind.DOCUMENTS: _write_documents,
        ImportKind.TRAINING: _write_completions,
    }[kind]
    return writer(session, workspace_id, resolution, origin)


def _inserted_ids(
    session: Session, model: Any, values: list[dict[str, Any]], key: tuple[str, ...]
) -> list[int]:
    """Insert in one executemany (RETURNING would cost a statement per row on SQLite), then
    read the new ids back by each row's unique `key`: all rows share `created_at`."""
    session.execute(insert(model.__table__), values)
    columns = [getattr(model, name) for name in key]
    found = session.execute(
        select(model.id, *columns).where(
            model.workspace_id == values[0]["workspace_id"],
            model.created_at == values[0]["created_at"],
        )
    )
    ids = {tuple(row[1:]): int(row[0]) for row in found}
    return [ids[tuple(value[name] for name in key)] for value in values]


def _history(
    session: Session,
    workspace_id: int,
    entity: str,
    entries: list[tuple[int, int | None, int, dict[str, Any]]],
    origin: Origin,
) -> None:
    """One "imported" entry per row: (entity id, record id, row number, what was written)."""
    session.execute(
        insert(History),
        [
            {
                "workspace_id": workspace_id,
                "entity": entity,
                "entity_id": entity_id,
                "record_id": record_id,
                "event": "imported",
                "actor_id": origin.actor_id,
                "source": Source.IMPORT.value,
                "before": None,
                "after": {**after, "imported_from": f"{origin.file_name}, row {row}"},
                "at": origin.now,
            }
            for entity_id, record_id, row, after in entries
        ],
    )


def _aliases(
    session: Session, workspace_id: int, entity: str, pairs: list[tuple[str, int]], now: datetime
) -> None:
    session.execute(
        insert(OriginalReference),
        [
            {
                "workspace_id": workspace_id,
                "entity": entity,
                "reference": reference.upper(),
                "entity_id": entity_id,
                "created_at": now,
            }
            for reference, entity_id in pairs
        ],
    )


def next_numbers(*, session: Session, workspace_id: int, count: int) -> range:
    """Issue `count` record numbers at once, gapless, as `records.next_number` issues one."""
    bumped = session.execute(
        upsert.insert(session, ReferenceCounter)
        .values(workspace_id=workspace_id, last_number=count)
        .on_conflict_do_update(
            index_elements=["workspace_id"],
            set_={"last_number": ReferenceCounter.last_number + count},
        )
        .returning(ReferenceCounter.last_number)
    )
    last = int(bumped.scalar_one())
    return range(last - count + 1, last + 1)


def _write_records(
    session: Session, workspace_id: int, resolution: Resolution, origin: Origin
) -> int:
    rows = [row for row in resolution.new if isinstance(row, RecordRow)]
    numbers = next_numbers(session=session, workspace_id=workspace_id, count=len(rows))
    references = _references(session, workspace_id, rows)
    values = [
        {
            "workspace_id": workspace_id,
            "number": number,
            "reference": reference,
            "kind": row.kind,
            "title": row.title,
            "description": row.description or row.title,
            "location": row.location,
            "occurred_date": row.occurred_date,
            "severity": row.severity,
            "reporter_id": None,
            "anonymous": False,
            "owner_id": row.owner,
            "status": row.status,
            "root_cause": row.root_cause,
            "closed_at": _closed_at(row, origin.now),
            "created_at": origin.now,
            "updated_at": origin.now,
        }
        for row, number, reference in zip(rows, numbers, references, strict=True)
    ]
    ids = _inserted_ids(session, Record, values, ("number",))
    _aliases(
        session,
        workspace_id,
        "record",
        [(r.reference, i) for r, i in zip(rows, ids, strict=True)],
        origin.now,
    )
    _history(
        session,
        workspace_id,
        "record",
        [
            (
                record_id,
                record_id,
                row.row,
                {
                    "reference": reference,
                    "original_reference": row.reference,
                    "status": row.status,
                    "owner": row.owner,
                },
            )
            for row, record_id, reference in zip(rows, ids, references, strict=True)
        ],
        origin,
    )
    return len(rows)


def _references(session: Session, workspace_id: int, rows: list[RecordRow]) -> list[str]:
    """Each row's Keel reference, under its kind's prefix, in the order of the rows."""
    workspace = session.get_one(Workspace, workspace_id)
    by_kind: dict[RecordKind, list[int]] = defaultdict(list)
    for index, row in enumerate(rows):
        by_kind[RecordKind(row.kind)].append(index)
    references = [""] * len(rows)
    for kind, indexes in by_kind.items():
        issued = next_references(
            session=session, workspace=workspace, kind=kind, count=len(indexes)
        )
        for index, reference in zip(indexes, issued, strict=True):
            references[index] = reference
    return references


def _closed_at(row: RecordRow, now: datetime) -> datetime | None:
    if row.status not in (RecordStatus.CLOSED, RecordStatus.REJECTED):
        return None
    if row.closed_date is None:
        return now
    return datetime.combine(row.closed_date, datetime.min.time(), tzinfo=now.tzinfo)


def _write_actions(
    session: Session, workspace_id: int, resolution: Resolution, origin: Origin
) -> int:
    rows = [row for row in resolution.new if isinstance(row, ActionRow)]
    last = known.last_action_numbers(session=session, workspace_id=workspace_id)
    values = []
    for row in rows:
        record_id = resolution.record_ids[row.row]
        last[record_id] = last.get(record_id, 0) + 1
        done_at = (
            datetime.combine(row.done_date, datetime.min.time(), tzinfo=origin.now.tzinfo)
            if row.done_date and row.status != "open"
            else (origin.now if row.status != "open" else None)
        )
        values.append(
            {
                "workspace_id": workspace_id,
                "record_id": record_id,
                "number": last[record_id],
                "kind": row.kind,
                "description": row.description,
                "owner_id": row.owner,
                "due_date": row.due_date,
                "status": row.status,
                "done_at": done_at,
                "extension_count": 0,
                "created_at": origin.now,
                "updated_at": origin.now,
            }
        )
    ids = _inserted_ids(session, Action, values, ("record_id", "number"))
    _aliases(
        session,
        workspace_id,
        "action",
        [(r.reference, i) for r, i in zip(rows, ids, strict=True)],
        origin.now,
    )
    _history(
        session,
        workspace_id,
        "action",
        [
            (
                action_id,
                resolution.record_ids[row.row],
                row.row,
                {
                    "original_reference": row.reference,
                    "owner": row.owner,
                    "due_date": row.due_date.isoformat(),
                    "status": row.status,
                },
            )
            for row, action_id in zip(rows, ids, strict=True)
        ],
        origin,
    )
    return len(rows)


def _write_documents(
    session: Session, workspace_id: int, resolution: Resolution, origin: Origin
) -> int:
    rows = [row for row in resolution.new if isinstance(row, DocumentRow)]
    today = origin.now.date()
    values = [
        {
            "workspace_id": workspace_id,
            "reference": row.reference,
            "title": row.title,
            "version": row.version,
            "owner_id": row.owner,
            "link": row.link,
            "process_id": resolution.process_ids.get(row.row),
            "review_months": row.review_months,
            "last_reviewed_date": row.last_reviewed,
            "next_review_date": row.next_review
            or first_review(last_reviewed=row.last_reviewed, today=today, months=row.review_months),
            "active": True,
            "created_at": origin.now,
            "updated_at": origin.now,
        }
        for row in rows
    ]
    ids = _inserted_ids(session, Document, values, ("reference",))
    _history(
        session,
        workspace_id,
        "document",
        [
            (document_id, None, row.row, {"reference": row.reference, "version": row.version})
            for row, document_id in zip(rows, ids, strict=True)
        ],
        origin,
    )
    return len(rows)


def _write_completions(
    session: Session, workspace_id: int, resolution: Resolution, origin: Origin
) -> int:
    rows = [row for row in resolution.new if isinstance(row, CompletionRow)]
    competences = known.competences(session=session, workspace_id=workspace_id)
    for row in rows:
        name = row.competence.casefold()
        if name not in competences:
            (competence_id,) = _inserted_ids(
                session,
                Competence,
                [
                    {
                        "workspace_id": workspace_id,
                        "name": row.competence,
                        "kind": CompetenceKind.COURSE.value,
                        "validity_months": row.validity_months,
                        "created_at": origin.now,
                    }
                ],
                ("name",),
            )
            competences[name] = (competence_id, row.validity_months)
    values = []
    for row in rows:
        competence_id, months = competences[row.competence.casefold()]
        values.append(
            {
                "workspace_id": workspace_id,
                "user_id": row.person,
                "competence_id": competence_id,
                "completed_date": row.completed_date,
                "expiry_date": row.expiry_date
                or expiry(row.completed_date, row.validity_months or months),
                "evidence": row.evidence,
                "confirmed_by": row.confirmed_by,
                "created_at": origin.now,
            }
        )
    ids = _inserted_ids(session, Completion, values, ("user_id", "competence_id", "completed_date"))
    _history(
        session,
        workspace_id,
        "completion",
        [
            (
                completion_id,
                None,
                row.row,
                {
                    "person": row.person,
                    "competence": row.competence,
                    "completed_date": row.completed_date.isoformat(),
                },
            )
            for row, completion_id in zip(rows, ids, strict=True)
        ],
        origin,
    )
    return len(rows)
