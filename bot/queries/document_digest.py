"""Documents in the daily digest. A review joins its owner's digest `review_reminder_days`
before it is due and every working day while it is overdue, and an overdue review climbs the
escalation ladder like an action. A revision that asks people to read it again joins the
digest of everyone who must know the document until they press *I have read it*."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.documents import review_reminder_due
from bot.domain.schedule import NudgePolicy, Urgency
from bot.queries.digest_items import Candidate, DigestLine, Scope
from bot.queries.documents import read_requests
from storage.models import Acknowledgement, DeliveryLedger, Document, DocumentRevision, Workspace

REVIEW = "document_review"
READ = "document_read"


def review_key(document_id: int, due: date) -> str:
    """One review cycle's digest line: a new due date is a new line."""
    return f"{REVIEW}:{document_id}:{due.isoformat()}"


def read_key(document_id: int, version: str) -> str:
    return f"{READ}:{document_id}:{version}"


def _reminder_days(session: Session, workspace_id: int) -> int:
    days = session.scalar(
        select(Workspace.review_reminder_days).where(Workspace.id == workspace_id)
    )
    return int(days or 0)


def document_candidates(session: Session, scope: Scope) -> list[Candidate]:
    """Reviews close enough to be reminded anywhere, and every unread read request."""
    horizon = scope.latest_today + timedelta(days=_reminder_days(session, scope.workspace_id))
    rows = session.execute(
        select(
            Document.id,
            Document.reference,
            Document.title,
            Document.version,
            Document.owner_id,
            Document.next_review_date,
        ).where(
            Document.workspace_id == scope.workspace_id,
            Document.active.is_(True),
            Document.next_review_date <= horizon,
        )
    )
    candidates = []
    for document_id, reference, title, version, owner, due in rows:
        if owner in scope.done and due > scope.escalating:
            continue
        candidates.append(
            Candidate(
                key=review_key(document_id, due),
                kind=REVIEW,
                action_id=document_id,
                reference=reference,
                description=f"Review {title} (version {version})",
                due=due,
                owner_id=owner,
                record_owner_id=None,
            )
        )
    for person, requests in read_requests(session=session, workspace_id=scope.workspace_id).items():
        if person in scope.done:
            continue
        for request in requests:
            candidates.append(
                Candidate(
                    key=read_key(request.document_id, request.version),
                    kind=READ,
                    action_id=request.document_id,
                    reference=request.reference,
                    description=request.what_changed,
                    due=request.requested_on or scope.latest_today,
                    owner_id=person,
                    record_owner_id=None,
                    escalates=False,
                )
            )
    return candidates


def review_urgency(due: date, today: date, policy: NudgePolicy) -> Urgency | None:
    if not review_reminder_due(
        due=due,
        today=today,
        reminder_days=policy.review_reminder_days,
        working_days=sorted(policy.working_days),
    ):
        return None
    if due < today:
        return Urgency.OVERDUE
    return Urgency.DUE_TODAY if due == today else Urgency.DUE_SOON


def document_urgency(candidate: Candidate, today: date, policy: NudgePolicy) -> Urgency | None:
    """Whether a document line belongs in a digest for `today`. A read request has no due
    date: it is asked for until it is read, never "overdue"."""
    if candidate.kind == READ:
        return Urgency.DUE_SOON
    return review_urgency(candidate.due, today, policy)


def document_lines(
    session: Session, workspace: Workspace, row: DeliveryLedger, today: date
) -> dict[str, DigestLine]:
    """A sent digest's document lines as they stand now: reviewed or read ones tick off."""
    reviews: dict[str, tuple[int, date]] = {}
    reads: dict[str, tuple[int, str]] = {}
    for key in row.items:
        kind, _, rest = key.partition(":")
        raw_id, _, tail = rest.partition(":")
        if kind == REVIEW:
            reviews[key] = (int(raw_id), date.fromisoformat(tail))
        elif kind == READ:
            reads[key] = (int(raw_id), tail)
    if not (reviews or reads):
        return {}
    ids = {document_id for document_id, _ in [*reviews.values(), *reads.values()]}
    documents = {
        document.id: document
        for document in session.scalars(
            select(Document).where(Document.workspace_id == workspace.id, Document.id.in_(ids))
        )
    }
    policy = NudgePolicy(
        working_days=frozenset(range(7)), review_reminder_days=workspace.review_reminder_days
    )
    lines = {}
    for key, (document_id, due) in reviews.items():
        document = documents.get(document_id)
        if document is None:
            continue
        still_due = document.active and document.next_review_date == due
        lines[key] = DigestLine(
            key=key,
            kind=REVIEW,
            action_id=document_id,
            reference=document.reference,
            description=f"Review {document.title} (version {document.version})",
            due=due,
            # Still listed even if no longer in the window: the owner saw it this morning.
            urgency=(review_urgency(due, today, policy) or Urgency.DUE_SOON) if still_due else None,
        )
    if reads:
        changed = {
            (document_id, version): what
            for document_id, version, what in session.execute(
                select(
                    DocumentRevision.document_id,
                    DocumentRevision.version,
                    DocumentRevision.what_changed,
                ).where(
                    DocumentRevision.workspace_id == workspace.id,
                    DocumentRevision.document_id.in_(ids),
                    DocumentRevision.version.in_({version for _, version in reads.values()}),
                )
            )
        }
        read = set(
            session.execute(
                select(Acknowledgement.document_id, Acknowledgement.version).where(
                    Acknowledgement.workspace_id == workspace.id,
                    Acknowledgement.user_id == row.user_id,
                    Acknowledgement.document_id.in_(ids),
                )
            ).all()
        )
        for key, (document_id, version) in reads.items():
            document = documents.get(document_id)
            if document is None:
                continue
            lines[key] = DigestLine(
                key=key,
                kind=READ,
                action_id=document_id,
                reference=document.reference,
                description=str(changed.get((document_id, version), "")),
                due=today,
                urgency=None if (document_id, version) in read else Urgency.DUE_SOON,
            )
    return lines
