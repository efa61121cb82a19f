"""Which management review is next, the last one held, and a review's decisions."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.errors import NotFound
from storage.models import ManagementReview, ReviewDecision


def next_review(*, session: Session, workspace_id: int) -> ManagementReview | None:
    """The planned review not yet held (there is at most one), else None."""
    return session.scalar(
        select(ManagementReview)
        .where(ManagementReview.workspace_id == workspace_id, ManagementReview.held_at.is_(None))
        .order_by(ManagementReview.number.desc())
        .limit(1)
    )


def last_held(*, session: Session, workspace_id: int) -> ManagementReview | None:
    """The latest review that was held."""
    return session.scalar(
        select(ManagementReview)
        .where(ManagementReview.workspace_id == workspace_id, ManagementReview.held_at.is_not(None))
        .order_by(ManagementReview.number.desc())
        .limit(1)
    )


def get(
    *, session: Session, workspace_id: int, review_id: int, for_update: bool = False
) -> ManagementReview:
    query = select(ManagementReview).where(
        ManagementReview.workspace_id == workspace_id, ManagementReview.id == review_id
    )
    review = session.scalar(query.with_for_update() if for_update else query)
    if review is None:
        raise NotFound("That management review is not in Keel any more: see `/nc review`.")
    return review


def decisions(*, session: Session, workspace_id: int, review_id: int) -> list[ReviewDecision]:
    return list(
        session.scalars(
            select(ReviewDecision)
            .where(
                ReviewDecision.workspace_id == workspace_id,
                ReviewDecision.review_id == review_id,
            )
            .order_by(ReviewDecision.id)
        )
    )
