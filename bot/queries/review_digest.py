"""The next management review in the quality leads' daily digest (ISO 9001 9.3.1: reviews
at planned intervals).

Rule: the leads are reminded once when the review is `REVIEW_NOTICE_DAYS` (14) days away (in
the first digest from then on, so a weekend does not lose it), then in every digest from the
review's day on (on the day: "today"; after it: overdue, each working day) until a lead
records the review as held in `/nc review`. Digests go out on working days only, one a day
per person, so "every digest" is once each working day.

A line's key is `management_review:<review id>:soon` or `management_review:<review id>:due`.
The "soon" reminder is claimed in the ledger with the digest it goes in (kind
"review_reminder", period "<review id>:soon", as refreshers are): a second clock or a re-run
lists it in no other digest; one whose digest Slack certainly did not take is listed again."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.review import review_reference
from bot.domain.schedule import Urgency
from bot.queries.digest_items import Candidate, DigestLine, Scope
from bot.queries.refresher_digest import given
from storage.models import ManagementReview, Workspace

KIND = "management_review"
LEDGER_KIND = "review_reminder"
REVIEW_NOTICE_DAYS = 14
SOON = "soon"
DUE = "due"
DESCRIPTION = "Management review: the pack is ready in `/nc review`."


def review_key(review_id: int, which: str) -> str:
    return f"{KIND}:{review_id}:{which}"


def review_urgency(candidate: Candidate, today: date) -> Urgency | None:
    """The soon reminder from 14 days before until the day before; from the day on, the
    review's own line (due today, then overdue)."""
    which = candidate.key.rsplit(":", 1)[1]
    days_left = (candidate.due - today).days
    if which == SOON:
        return Urgency.DUE_SOON if 0 < days_left <= REVIEW_NOTICE_DAYS else None
    if days_left > 0:
        return None
    return Urgency.DUE_TODAY if days_left == 0 else Urgency.OVERDUE


def review_candidates(session: Session, scope: Scope) -> list[Candidate]:
    """The planned review not yet held, when it is 14 days away or nearer; for the leads
    (no owner). The soon reminder is left out once a digest took it."""
    review = session.scalar(
        select(ManagementReview)
        .where(
            ManagementReview.workspace_id == scope.workspace_id,
            ManagementReview.held_at.is_(None),
            ManagementReview.planned_date
            <= scope.latest_today + timedelta(days=REVIEW_NOTICE_DAYS),
        )
        .order_by(ManagementReview.number)
        .limit(1)
    )
    if review is None:
        return []
    keys = [review_key(review.id, SOON), review_key(review.id, DUE)]
    taken = given(session, scope.workspace_id, [keys[0]], ledger_kind=LEDGER_KIND)
    return [
        Candidate(
            key=key,
            kind=KIND,
            action_id=review.id,
            reference=review_reference(review.number),
            description=DESCRIPTION,
            due=review.planned_date,
            owner_id=None,  # the quality leads
            record_owner_id=None,
            escalates=False,
        )
        for key in keys
        if key not in taken
    ]


def review_lines(session: Session, workspace: Workspace, items: list[str]) -> dict[str, DigestLine]:
    """A sent digest's review lines as they stand now: ticked off once the review is held."""
    wanted = {int(key.split(":")[1]): key for key in items if key.startswith(f"{KIND}:")}
    if not wanted:
        return {}
    rows = session.execute(
        select(
            ManagementReview.id,
            ManagementReview.number,
            ManagementReview.planned_date,
            ManagementReview.held_at,
        ).where(ManagementReview.workspace_id == workspace.id, ManagementReview.id.in_(wanted))
    ).all()
    lines = {}
    for review_id, number, planned, held_at in rows:
        key = wanted[review_id]
        which = Urgency.DUE_SOON if key.endswith(f":{SOON}") else Urgency.DUE_TODAY
        lines[key] = DigestLine(
            key=key,
            kind=KIND,
            action_id=review_id,
            reference=review_reference(number),
            description=DESCRIPTION,
            due=planned,
            urgency=None if held_at is not None else which,
        )
    return lines
