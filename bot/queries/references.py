"""Finding what a reference from before Keel (`CAR-2023-014`) or a document's (`PR-012`) names."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Document, OriginalReference, Record


def record_number_for(*, session: Session, workspace_id: int, reference: str) -> int | None:
    """The Keel number of the record imported under `reference`, if any."""
    number = session.scalar(
        select(Record.number)
        .join(OriginalReference, OriginalReference.entity_id == Record.id)
        .where(
            OriginalReference.workspace_id == workspace_id,
            OriginalReference.entity == "record",
            OriginalReference.reference == reference.strip().upper(),
            Record.workspace_id == workspace_id,
        )
    )
    return None if number is None else int(number)


def document_id_for(*, session: Session, workspace_id: int, reference: str) -> int | None:
    found = session.scalar(
        select(Document.id).where(
            Document.workspace_id == workspace_id,
            func.upper(Document.reference) == reference.strip().upper(),
        )
    )
    return None if found is None else int(found)
