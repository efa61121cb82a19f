"""Read and understood: a person confirms they have read one version of a document."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.errors import NotAllowed
from bot.queries.document_digest import read_key
from bot.queries.documents import required_readers
from bot.services.documents import digests_changed, get, history
from storage.models import Acknowledgement, DocumentRevision


def acknowledge(
    *,
    session: Session,
    workspace_id: int,
    document_id: int,
    version: str,
    user_id: str,
    now: datetime,
) -> bool:
    """Keep that `user_id` has read `version`; False when it was kept already. Only the
    people who must know the document confirm it."""
    document = get(session=session, workspace_id=workspace_id, document_id=document_id)
    readers = required_readers(session=session, workspace_id=workspace_id)
    if user_id not in readers.get(document.id, set()):
        raise NotAllowed(
            f"You are not among the people who must read {document.reference}, so there is "
            "nothing to confirm."
        )
    approved = session.scalars(
        select(DocumentRevision.version).where(
            DocumentRevision.document_id == document.id,
            DocumentRevision.approved_at.is_not(None),
        )
    ).all()
    if version != document.version and version not in approved:
        raise NotAllowed(
            f"{document.reference} is now at version {document.version}: please read that one."
        )
    known = session.scalar(
        select(Acknowledgement.id).where(
            Acknowledgement.document_id == document.id,
            Acknowledgement.version == version,
            Acknowledgement.user_id == user_id,
        )
    )
    if known is not None:
        return False
    session.add(
        Acknowledgement(
            workspace_id=workspace_id,
            document_id=document.id,
            version=version,
            user_id=user_id,
            at=now,
        )
    )
    history(session, document, "read_and_understood", user_id, now, after={"version": version})
    digests_changed(session, document, now, read_key(document.id, version))
    return True
