"""The documents register as people read it: who must read what, who has, what review is due."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.documents import review_reminder_due
from storage.models import (
    Acknowledgement,
    Competence,
    Document,
    DocumentRevision,
    Requirement,
    RoleMember,
)


@dataclass(frozen=True)
class RegisterLine:
    document: Document
    read_version: str | None  # the version people must have read; None: nobody is asked
    what_changed: str | None
    readers: frozenset[str]  # who must read it
    have_read: frozenset[str]
    requested_at: datetime | None = None  # when the revision asking for it became current
    pending: DocumentRevision | None = None  # a revision waiting for approval

    @property
    def not_read(self) -> list[str]:
        return sorted(self.readers - self.have_read)


def required_readers(*, session: Session, workspace_id: int) -> dict[int, set[str]]:
    """Document id -> everyone who holds it as a required competence, through a role or
    directly."""
    direct = session.execute(
        select(Competence.document_id, Requirement.user_id)
        .join(Requirement, Requirement.competence_id == Competence.id)
        .where(
            Competence.workspace_id == workspace_id,
            Competence.document_id.is_not(None),
            Requirement.user_id.is_not(None),
        )
    )
    by_role = session.execute(
        select(Competence.document_id, RoleMember.user_id)
        .join(Requirement, Requirement.competence_id == Competence.id)
        .join(RoleMember, RoleMember.role_id == Requirement.role_id)
        .where(Competence.workspace_id == workspace_id, Competence.document_id.is_not(None))
    )
    readers: dict[int, set[str]] = defaultdict(set)
    for document_id, user_id in [*direct, *by_role]:
        readers[int(document_id)].add(str(user_id))
    return readers


def _read_versions(
    session: Session, workspace_id: int
) -> dict[int, tuple[str, str, datetime | None]]:
    """Document id -> (version, what changed, when) of its latest current revision that asks
    people to read it again. A minor revision (no re-read) leaves the earlier one in force."""
    rows = session.execute(
        select(
            DocumentRevision.document_id,
            DocumentRevision.version,
            DocumentRevision.what_changed,
            DocumentRevision.approved_at,
        )
        .where(
            DocumentRevision.workspace_id == workspace_id,
            DocumentRevision.reread_required.is_(True),
            DocumentRevision.approved_at.is_not(None),
        )
        .order_by(DocumentRevision.approved_at, DocumentRevision.id)
    )
    return {int(document_id): (version, changed, at) for document_id, version, changed, at in rows}


def pending_revisions(*, session: Session, workspace_id: int) -> dict[int, DocumentRevision]:
    """Document id -> its revision waiting for approval (one at a time)."""
    return {
        revision.document_id: revision
        for revision in session.scalars(
            select(DocumentRevision).where(
                DocumentRevision.workspace_id == workspace_id,
                DocumentRevision.approved_at.is_(None),
            )
        )
    }


def register(*, session: Session, workspace_id: int) -> list[RegisterLine]:
    documents = session.scalars(
        select(Document)
        .where(Document.workspace_id == workspace_id, Document.active.is_(True))
        .order_by(Document.reference)
    ).all()
    readers = required_readers(session=session, workspace_id=workspace_id)
    versions = _read_versions(session, workspace_id)
    acknowledged: dict[tuple[int, str], set[str]] = defaultdict(set)
    for document_id, version, user_id in session.execute(
        select(Acknowledgement.document_id, Acknowledgement.version, Acknowledgement.user_id).where(
            Acknowledgement.workspace_id == workspace_id
        )
    ):
        acknowledged[(int(document_id), version)].add(user_id)
    pending = pending_revisions(session=session, workspace_id=workspace_id)
    lines = []
    for document in documents:
        read_version, changed, at = versions.get(document.id, (None, None, None))
        have_read = acknowledged.get((document.id, read_version), set()) if read_version else set()
        must = frozenset(readers.get(document.id, set()))
        lines.append(
            RegisterLine(
                document,
                read_version,
                changed,
                must,
                frozenset(have_read & must),
                requested_at=at,
                pending=pending.get(document.id),
            )
        )
    return lines


@dataclass(frozen=True)
class ReadRequest:
    document_id: int
    reference: str
    title: str
    version: str
    what_changed: str
    link: str | None
    requested_on: date | None = None


def read_requests(*, session: Session, workspace_id: int) -> dict[str, list[ReadRequest]]:
    """Person -> the revised documents they are asked to read and have not yet."""
    requests: dict[str, list[ReadRequest]] = defaultdict(list)
    for line in register(session=session, workspace_id=workspace_id):
        if line.read_version is None:
            continue
        for user_id in line.not_read:
            requests[user_id].append(
                ReadRequest(
                    line.document.id,
                    line.document.reference,
                    line.document.title,
                    line.read_version,
                    line.what_changed or "",
                    line.document.link,
                    line.requested_at.date() if line.requested_at else None,
                )
            )
    return requests


def reviews_due(
    *, session: Session, workspace_id: int, today: date, reminder_days: int, working_days: list[int]
) -> dict[str, list[Document]]:
    """Owner -> documents whose review joins their digest today."""
    documents = session.scalars(
        select(Document).where(Document.workspace_id == workspace_id, Document.active.is_(True))
    )
    due: dict[str, list[Document]] = defaultdict(list)
    for document in documents:
        if review_reminder_due(
            due=document.next_review_date,
            today=today,
            reminder_days=reminder_days,
            working_days=working_days,
        ):
            due[document.owner_id].append(document)
    return due
