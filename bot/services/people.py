"""People as Slack knows them, stored in the database for the clock (time zones above all)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from bot.domain.people import Profile
from storage import upsert
from storage.models import SlackUser


def unlisted(wanted: set[str], members: Sequence[Profile]) -> list[Profile]:
    """Profiles for wanted people users.list does not return (people of another
    organisation, ids that no longer exist): no time zone, so the workspace's applies, as
    for anyone unknown. Stored, they stop every run from fetching the directory again."""
    listed = {member.user_id for member in members}
    return [
        Profile(user_id=user_id, tz=None, is_bot=False, deleted=False, is_admin=False)
        for user_id in sorted(wanted - listed)
    ]


def store(
    *, session: Session, workspace_id: int, members: Sequence[Profile], now: datetime
) -> None:
    """Insert or refresh profiles in one statement."""
    if not members:
        return
    statement = upsert.insert(session, SlackUser).values(
        [dict(member._asdict(), workspace_id=workspace_id, fetched_at=now) for member in members]
    )
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["workspace_id", "user_id"],
            set_={
                "tz": statement.excluded.tz,
                "is_bot": statement.excluded.is_bot,
                "deleted": statement.excluded.deleted,
                "is_admin": statement.excluded.is_admin,
                "fetched_at": statement.excluded.fetched_at,
            },
        )
    )
