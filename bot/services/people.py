"""People as Slack knows them, cached in the database for the clock (time zones above all)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from slack_sdk import WebClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import upsert
from storage.models import SlackUser

# Profiles change rarely; time zones change when people travel. Refreshed twice a day.
PROFILE_MAX_AGE = timedelta(hours=12)


class Profile(NamedTuple):
    """What the clock needs to know of a person; a plain tuple, read for whole workspaces."""

    user_id: str
    tz: str | None
    is_bot: bool
    deleted: bool
    is_admin: bool
    fetched_at: datetime


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


def stale(profiles: dict[str, Profile], wanted: set[str], now: datetime) -> bool:
    """Whether any wanted person is unknown or was looked up too long ago."""
    return any(
        user_id not in profiles or now - profiles[user_id].fetched_at > PROFILE_MAX_AGE
        for user_id in wanted
    )


def fetch_all(client: WebClient) -> list[dict[str, object]]:
    """Every member of the workspace, from users.list (one call per 200 people)."""
    members: list[dict[str, object]] = []
    for page in client.users_list(limit=200):
        for member in page.get("members", []):
            members.append(
                {
                    "user_id": member["id"],
                    "tz": member.get("tz"),
                    "is_bot": bool(member.get("is_bot")) or member["id"] == "USLACKBOT",
                    "deleted": bool(member.get("deleted")),
                    "is_admin": bool(member.get("is_admin") or member.get("is_owner")),
                }
            )
    return members


def unlisted(wanted: set[str], members: list[dict[str, object]]) -> list[dict[str, object]]:
    """Profiles for wanted people users.list does not return (people of another
    organisation, ids that no longer exist): no time zone, so the workspace's applies, as
    for anyone unknown. Stored, they stop every run from fetching the directory again."""
    listed = {member["user_id"] for member in members}
    return [
        {"user_id": user_id, "tz": None, "is_bot": False, "deleted": False, "is_admin": False}
        for user_id in sorted(wanted - listed)
    ]


def store(
    *, session: Session, workspace_id: int, members: list[dict[str, object]], now: datetime
) -> None:
    """Insert or refresh profiles in one statement."""
    if not members:
        return
    statement = upsert.insert(session, SlackUser).values(
        [dict(member, workspace_id=workspace_id, fetched_at=now) for member in members]
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
