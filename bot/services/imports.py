"""Writing an imported register: checked rows resolved against what Keel holds, then written
in the caller's transaction, in bulk. Rows already imported (same original reference, or the
same person, competence and date) are left alone, so importing a file twice adds nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from bot.domain.import_columns import ImportKind
from bot.domain.records import parse_reference
from bot.forms.import_rows import ActionRow, CompletionRow, DocumentRow, ImportRow
from bot.queries import imports as known


@dataclass
class Resolution:
    new: list[ImportRow] = field(default_factory=list)
    already_imported: int = 0
    errors: dict[int, str] = field(default_factory=dict)  # row -> reason
    # Lookups the writing needs, filled while resolving.
    record_ids: dict[int, int] = field(default_factory=dict)  # row -> record id
    process_ids: dict[int, int] = field(default_factory=dict)  # row -> process id


def resolve(
    *, session: Session, workspace_id: int, kind: ImportKind, rows: Sequence[ImportRow]
) -> Resolution:
    """Split checked rows into new ones, ones imported before, and ones that cannot be
    written (an action on an unknown record, a document in an unknown process)."""
    resolution = Resolution()
    if kind is ImportKind.RECORDS:
        seen = known.original_references(
            session=session, workspace_id=workspace_id, entity="record"
        )
        for row in rows:
            _new_unless(resolution, row, row.reference.upper() in seen)  # type: ignore[union-attr]
    elif kind is ImportKind.ACTIONS:
        _resolve_actions(session, workspace_id, rows, resolution)
    elif kind is ImportKind.DOCUMENTS:
        _resolve_documents(session, workspace_id, rows, resolution)
    else:
        _resolve_completions(session, workspace_id, rows, resolution)
    return resolution


def _new_unless(resolution: Resolution, row: ImportRow, seen: bool) -> None:
    if seen:
        resolution.already_imported += 1
    else:
        resolution.new.append(row)


def _resolve_actions(
    session: Session, workspace_id: int, rows: Sequence[ImportRow], resolution: Resolution
) -> None:
    seen = known.original_references(session=session, workspace_id=workspace_id, entity="action")
    records = known.original_references(session=session, workspace_id=workspace_id, entity="record")
    by_reference = known.record_ids_by_reference(session=session, workspace_id=workspace_id)
    for row in rows:
        assert isinstance(row, ActionRow)
        if row.reference.upper() in seen:
            resolution.already_imported += 1
            continue
        reference = parse_reference(row.record)
        record_id = records.get(row.record.upper()) or (
            by_reference.get(reference) if reference else None
        )
        if record_id is None:
            resolution.errors[row.row] = (
                f"Record “{row.record}” is not in Keel: import the records first"
            )
            continue
        resolution.record_ids[row.row] = record_id
        resolution.new.append(row)


def _resolve_documents(
    session: Session, workspace_id: int, rows: Sequence[ImportRow], resolution: Resolution
) -> None:
    seen = known.document_references(session=session, workspace_id=workspace_id)
    processes = known.process_ids(session=session, workspace_id=workspace_id)
    for row in rows:
        assert isinstance(row, DocumentRow)
        if row.reference.upper() in seen:
            resolution.already_imported += 1
            continue
        if row.process is not None:
            process_id = processes.get(row.process.casefold())
            if process_id is None:
                resolution.errors[row.row] = (
                    f"Process “{row.process}” is not in Keel: add it with `/nc processes`"
                )
                continue
            resolution.process_ids[row.row] = process_id
        resolution.new.append(row)


def _resolve_completions(
    session: Session, workspace_id: int, rows: Sequence[ImportRow], resolution: Resolution
) -> None:
    competences = known.competences(session=session, workspace_id=workspace_id)
    done = known.completion_keys(session=session, workspace_id=workspace_id)
    for row in rows:
        assert isinstance(row, CompletionRow)
        found = competences.get(row.competence.casefold())
        seen = found is not None and (row.person, found[0], row.completed_date) in done
        _new_unless(resolution, row, seen)
