"""The profiles Keel has stored, for the clock (time zones above all)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.people import Profile
from storage.models import SlackUser


def known(*, session: Session, workspace_id: int) -> dict[str, Profile]:
    rows = session.execute(
        select(
            SlackUser.user_id,
            SlackUser.tz,
            SlackUser.is_bot,
            SlackUser.deleted,
            SlackUser.is_admin,
            SlackUser.fetched_at,
        ).where(SlackUser.workspace_id == workspace_id)
    )
    return {row[0]: Profile(*row) for row in rows}
