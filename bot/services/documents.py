"""The documents register: entries, reviews, revisions and who has read them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.domain.documents import first_review, next_review
from bot.domain.errors import NotAllowed, NotFound
from bot.domain.terms import DEFAULT_TERMS, Terms
from bot.domain.text import escape
from bot.forms.documents import DocumentFields, RevisionFields
from bot.queries.document_digest import review_key
from bot.services import notify, outbox
from bot.services.history import Source, record_change
from storage.models import Document, DocumentRevision, Workspace


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


def _check(document: Document, user_id: str, is_lead: bool, doing: str, terms: Terms) -> None:
    if not may_edit(document, user_id, is_lead=is_lead):
        raise NotAllowed(f"Only {document.reference}'s owner or {terms.a_lead} can {doing}.")


def _reference_taken(session: Session, workspace_id: int, reference: str) -> bool:
    return (
        session.scalar(
            select(Document.id).where(
                Document.workspace_id == workspace_id,
                func.upper(Document.reference) == reference.upper(),
            )
        )
        is not None
    )


def add(
    *,
    session: Session,
    workspace_id: int,
    fields: DocumentFields,
    actor_id: str,
    now: datetime,
    is_lead: bool = True,
    terms: Terms = DEFAULT_TERMS,
) -> Document:
    """A new entry: quality leads add any; anyone else only a document they own."""
    if not is_lead and fields.owner_id != actor_id:
        raise NotAllowed(f"Only {terms.a_lead} can add a document someone else owns.")
    if _reference_taken(session, workspace_id, fields.reference):
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
    history(session, document, "added", actor_id, now, after=snapshot(document))
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
    terms: Terms = DEFAULT_TERMS,
) -> Document:
    """Correct an entry. A changed last review date, or interval, moves the next review: from
    the last review given, else from when the current cycle started."""
    document = get(session=session, workspace_id=workspace_id, document_id=document_id)
    _check(document, actor_id, is_lead, "edit it", terms)
    if fields.reference.upper() != document.reference.upper() and _reference_taken(
        session, workspace_id, fields.reference
    ):
        raise NotAllowed(f"{fields.reference} is already in the register.")
    before = snapshot(document)
    if fields.last_reviewed is not None and fields.last_reviewed != document.last_reviewed_date:
        document.last_reviewed_date = fields.last_reviewed
        document.next_review_date = next_review(fields.last_reviewed, fields.review_months)
    elif fields.review_months != document.review_months:
        cycle_start = document.next_review_date - relativedelta(months=document.review_months)
        document.next_review_date = next_review(cycle_start, fields.review_months)
    document.reference = fields.reference
    document.version = fields.version
    document.title = fields.title
    document.owner_id = fields.owner_id
    document.link = fields.link
    document.process_id = fields.process_id
    document.review_months = fields.review_months
    document.updated_at = now
    history(session, document, "edited", actor_id, now, before=before, after=snapshot(document))
    return document


@dataclass(frozen=True)
class Reviewed:
    document: Document
    recorded: bool  # False: that review was recorded already (a second click, an old digest)


def reviewed_no_change(
    *,
    session: Session,
    workspace_id: int,
    document_id: int,
    due: date,
    actor_id: str,
    is_lead: bool,
    now: datetime,
    terms: Terms = DEFAULT_TERMS,
) -> Reviewed:
    """Record the review due on `due` as changing nothing: the next review follows the
    interval from that due date, not from today."""
    document = get(session=session, workspace_id=workspace_id, document_id=document_id)
    _check(document, actor_id, is_lead, "record its review", terms)
    if document.next_review_date != due:
        return Reviewed(document, recorded=False)
    digests_changed(session, document, now, review_key(document.id, due))
    before = snapshot(document)
    document.last_reviewed_date = now.date()
    document.next_review_date = next_review(document.next_review_date, document.review_months)
    document.updated_at = now
    history(
        session,
        document,
        "reviewed_no_change",
        actor_id,
        now,
        before=before,
        after=snapshot(document),
    )
    return Reviewed(document, recorded=True)


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
    terms: Terms = DEFAULT_TERMS,
) -> Revised:
    """A new version. Where the workspace asks for it, someone other than the author approves
    it before it becomes current; until then the register keeps the old version."""
    document = get(session=session, workspace_id=workspace.id, document_id=document_id)
    _check(document, actor_id, is_lead, "revise it", terms)
    if fields.version == document.version:
        raise NotAllowed(f"{document.reference} is already at version {document.version}.")
    earlier = session.execute(
        select(DocumentRevision.version, DocumentRevision.approved_at).where(
            DocumentRevision.document_id == document.id
        )
    ).all()
    if any(approved is None for _, approved in earlier):
        raise NotAllowed(
            f"A revision of {document.reference} is waiting for approval: approve it first."
        )
    if any(version == fields.version for version, _ in earlier):
        raise NotAllowed(f"{document.reference} had a version {fields.version} already.")
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
        history(
            session,
            document,
            "revision_proposed",
            actor_id,
            now,
            after={"version": fields.version, "what_changed": fields.what_changed},
        )
        others = [document.owner_id] if document.owner_id != actor_id else []
        notify.dm(
            session=session,
            workspace_id=workspace.id,
            users=others,
            to_leads=True,
            now=now,
            text=(
                f"<@{actor_id}> revised *{escape(document.reference)}* to version "
                f"{escape(fields.version)}. It waits for approval by someone other than its "
                f"author: `/nc {document.reference}` shows it with *Approve revision*."
            ),
        )
        return Revised(revision, waiting_for_approval=True)
    _make_current(session, document, revision, actor_id, now)
    return Revised(revision, waiting_for_approval=False)


def approve(
    *,
    session: Session,
    workspace_id: int,
    revision_id: int,
    approver_id: str,
    is_lead: bool,
    now: datetime,
    terms: Terms = DEFAULT_TERMS,
) -> DocumentRevision:
    """A quality lead or the document's owner, never the revision's author, makes it
    current."""
    revision = session.scalar(
        select(DocumentRevision).where(
            DocumentRevision.workspace_id == workspace_id, DocumentRevision.id == revision_id
        )
    )
    if revision is None:
        raise NotFound("That revision is not in this workspace.")
    if revision.author_id == approver_id:
        raise NotAllowed("A revision is approved by someone other than its author.")
    document = get(session=session, workspace_id=workspace_id, document_id=revision.document_id)
    _check(document, approver_id, is_lead, "approve its revisions", terms)
    if revision.approved_at is not None:
        return revision  # approved already (a second click): the handler says by whom
    revision.approver_id = approver_id
    _make_current(session, document, revision, approver_id, now)
    notify.dm(
        session=session,
        workspace_id=workspace_id,
        users=[revision.author_id],
        now=now,
        text=(
            f"<@{approver_id}> approved your revision of *{escape(document.reference)}*: "
            f"version {escape(revision.version)} is now current."
        ),
    )
    return revision


def _make_current(
    session: Session, document: Document, revision: DocumentRevision, actor_id: str, now: datetime
) -> None:
    """A revision counts as the document's review: when it was due (or overdue) the next one
    follows from the due date, as for "Reviewed, no change"; an early revision starts the
    interval again from today."""
    before = snapshot(document)
    digests_changed(session, document, now, review_key(document.id, document.next_review_date))
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
    history(session, document, "revised", actor_id, now, before=before, after=after)


def digests_changed(session: Session, document: Document, now: datetime, key: str) -> None:
    """Today's digests that list this line are edited in place: it ticks off."""
    outbox.enqueue(
        session=session,
        workspace_id=document.workspace_id,
        kind=outbox.OutboxKind.UPDATE_DIGESTS,
        payload={"keys": [key]},
        now=now,
    )


def history(
    session: Session,
    document: Document,
    event: str,
    actor_id: str | None,
    now: datetime,
    *,
    before: dict[str, object] | None = None,
    after: dict[str, object] | None = None,
) -> None:
    """One entry of the document's history (append-only, ISO 9001 7.5.3)."""
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
