"""The documents register: entries, reviews, revisions and who has read them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.documents import first_review, next_review
from bot.domain.errors import NotAllowed, NotFound
from bot.forms.documents import DocumentFields, RevisionFields
from bot.services.history import Source, record_change
from storage.models import Acknowledgement, Document, DocumentRevision, Workspace


def snapshot(document: Document) -> dict[str, object]:
    return {
        "reference": document.reference,
        "title": document.title,
        "version": document.version,
        "owner": document.owner_id,
        "link": document.link,
        "process_id": document.process_id,
        "review_months": document.review_months,
        "next_review_date": document.next_review_date.isoformat(),
    }


def get(*, session: Session, workspace_id: int, document_id: int) -> Document:
    document = session.scalar(
        select(Document).where(Document.workspace_id == workspace_id, Document.id == document_id)
    )
    if document is None:
        raise NotFound("That document is not in this workspace's register.")
    return document


def may_edit(document: Document, user_id: str, *, is_lead: bool) -> bool:
    """Quality leads and the document's owner keep an entry up to date."""
    return is_lead or document.owner_id == user_id


def _check(document: Document, user_id: str, is_lead: bool, doing: str) -> None:
    if not may_edit(document, user_id, is_lead=is_lead):
        raise NotAllowed(f"Only {document.reference}'s owner or a quality lead can {doing}.")


def add(
    *, session: Session, workspace_id: int, fields: DocumentFields, actor_id: str, now: datetime
) -> Document:
    taken = session.scalar(
        select(Document.id).where(
            Document.workspace_id == workspace_id, Document.reference == fields.reference
        )
    )
    if taken is not None:
        raise NotAllowed(f"{fields.reference} is already in the register.")
    document = Document(
        workspace_id=workspace_id,
        reference=fields.reference,
        title=fields.title,
        version=fields.version,
        owner_id=fields.owner_id,
        link=fields.link,
        process_id=fields.process_id,
        review_months=fields.review_months,
        last_reviewed_date=fields.last_reviewed,
        next_review_date=first_review(
            last_reviewed=fields.last_reviewed, today=now.date(), months=fields.review_months
        ),
        active=True,
        created_at=now,
        updated_at=now,
    )
    session.add(document)
    session.flush()
    _history(session, document, "added", actor_id, now, after=snapshot(document))
    return document


def edit(
    *,
    session: Session,
    workspace_id: int,
    document_id: int,
    fields: DocumentFields,
    actor_id: str,
    is_lead: bool,
    now: datetime,
) -> Document:
    document = get(session=session, workspace_id=workspace_id, document_id=document_id)
    _check(document, actor_id, is_lead, "edit it")
    before = snapshot(document)
    if fields.review_months != document.review_months:
        anchor = document.last_reviewed_date or document.created_at.date()
        document.next_review_date = next_review(anchor, fields.review_months)
    document.title = fields.title
    document.owner_id = fields.owner_id
    document.link = fields.link
    document.process_id = fields.process_id
    document.review_months = fields.review_months
    document.updated_at = now
    _history(session, document, "edited", actor_id, now, before=before, after=snapshot(document))
    return document


def reviewed_no_change(
    *,
    session: Session,
    workspace_id: int,
    document_id: int,
    actor_id: str,
    is_lead: bool,
    now: datetime,
) -> Document:
    """Record a review that changed nothing: the next review follows the interval from the
    date this one was due, not from today."""
    document = get(session=session, workspace_id=workspace_id, document_id=document_id)
    _check(document, actor_id, is_lead, "record its review")
    before = snapshot(document)
    document.last_reviewed_date = now.date()
    document.next_review_date = next_review(document.next_review_date, document.review_months)
    document.updated_at = now
    _history(
        session,
        document,
        "reviewed_no_change",
        actor_id,
        now,
        before=before,
        after=snapshot(document),
    )
    return document


@dataclass(frozen=True)
class Revised:
    revision: DocumentRevision
    waiting_for_approval: bool


def revise(
    *,
    session: Session,
    workspace: Workspace,
    document_id: int,
    fields: RevisionFields,
    actor_id: str,
    is_lead: bool,
    now: datetime,
) -> Revised:
    """A new version. Where the workspace asks for it, someone other than the author approves
    it before it becomes current; until then the register keeps the old version."""
    document = get(session=session, workspace_id=workspace.id, document_id=document_id)
    _check(document, actor_id, is_lead, "revise it")
    if fields.version == document.version:
        raise NotAllowed(f"{document.reference} is already at version {document.version}.")
    revision = DocumentRevision(
        workspace_id=workspace.id,
        document_id=document.id,
        version=fields.version,
        what_changed=fields.what_changed,
        reread_required=fields.reread_required,
        author_id=actor_id,
        approver_id=None,
        approved_at=None,
        created_at=now,
    )
    session.add(revision)
    session.flush()
    if workspace.revision_approval:
        _history(
            session,
            document,
            "revision_proposed",
            actor_id,
            now,
            after={"version": fields.version, "what_changed": fields.what_changed},
        )
        return Revised(revision, waiting_for_approval=True)
    _make_current(session, document, revision, actor_id, now)
    return Revised(revision, waiting_for_approval=False)


def approve(
    *, session: Session, workspace_id: int, revision_id: int, approver_id: str, now: datetime
) -> DocumentRevision:
    revision = session.scalar(
        select(DocumentRevision).where(
            DocumentRevision.workspace_id == workspace_id, DocumentRevision.id == revision_id
        )
    )
    if revision is None:
        raise NotFound("That revision is not in this workspace.")
    if revision.author_id == approver_id:
        raise NotAllowed("A revision is approved by someone other than its author.")
    if revision.approved_at is not None:
        return revision
    document = get(session=session, workspace_id=workspace_id, document_id=revision.document_id)
    revision.approver_id = approver_id
    _make_current(session, document, revision, approver_id, now)
    return revision


def _make_current(
    session: Session, document: Document, revision: DocumentRevision, actor_id: str, now: datetime
) -> None:
    """A revision counts as the document's review: when it was due (or overdue) the next one
    follows from the due date, as for "Reviewed, no change"; an early revision starts the
    interval again from today."""
    before = snapshot(document)
    revision.approved_at = now
    today = now.date()
    anchor = document.next_review_date if today >= document.next_review_date else today
    document.version = revision.version
    document.last_reviewed_date = today
    document.next_review_date = next_review(anchor, document.review_months)
    document.updated_at = now
    after = {
        **snapshot(document),
        "what_changed": revision.what_changed,
        "reread_required": revision.reread_required,
    }
    _history(session, document, "revised", actor_id, now, before=before, after=after)


def acknowledge(
    *,
    session: Session,
    workspace_id: int,
    document_id: int,
    version: str,
    user_id: str,
    now: datetime,
) -> bool:
    """Keep that `user_id` has read `version`; False when it was kept already."""
    document = get(session=session, workspace_id=workspace_id, document_id=document_id)
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
    _history(session, document, "read_and_understood", user_id, now, after={"version": version})
    return True


def _history(
    session: Session,
    document: Document,
    event: str,
    actor_id: str | None,
    now: datetime,
    *,
    before: dict[str, object] | None = None,
    after: dict[str, object] | None = None,
) -> None:
    record_change(
        session=session,
        workspace_id=document.workspace_id,
        entity="document",
        entity_id=document.id,
        record_id=None,
        event=event,
        actor_id=actor_id,
        source=Source.BUTTON,
        at=now,
        before=before,
        after=after,
    )
