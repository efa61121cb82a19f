"""Who people are in Slack: profiles (time zone, admin, deactivated) and the quality leads.

`users.info` is rate limited (Tier 4) and profiles change rarely, so answers are cached for an
hour in memory; a wrong answer is at worst an hour stale.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.directory import Person
from bot.domain.people import Profile, quality_leads
from bot.process.cache import TtlCache
from storage.models import Workspace

PROFILE_TTL_SECONDS = 3600.0
logger = logging.getLogger(__name__)


def _members(client: WebClient) -> Iterator[dict[str, Any]]:
    """Every member of the workspace as users.list gives it (one call per 200 people)."""
    for page in client.users_list(limit=200):
        yield from page.get("members", [])


def fetch_all(client: WebClient) -> list[Profile]:
    """Every member's profile: time zone, admin, bot, deactivated."""
    return [_profile(member) for member in _members(client)]


def fetch_people(client: WebClient) -> list[Person]:
    """Every person, with the names and email an import matches a register's people by.
    Email addresses need the `users:read.email` scope; without it people are still found by
    name or member ID."""
    people = []
    for member in _members(client):
        if member.get("is_bot") or member.get("id") == "USLACKBOT":
            continue
        profile = member.get("profile") or {}
        people.append(
            Person(
                user_id=str(member["id"]),
                email=profile.get("email"),
                real_name=profile.get("real_name") or member.get("real_name"),
                display_name=profile.get("display_name") or None,
                deleted=bool(member.get("deleted")),
            )
        )
    return people


def _profile(user: dict[str, object]) -> Profile:
    user_id, tz = str(user["id"]), user.get("tz")
    return Profile(
        user_id=user_id,
        tz=tz if isinstance(tz, str) else None,
        is_bot=bool(user.get("is_bot")) or user_id == "USLACKBOT",
        deleted=bool(user.get("deleted")),
        is_admin=bool(user.get("is_admin") or user.get("is_owner")),
    )


class Directory:
    """Cached Slack user lookups, keyed by workspace."""

    def __init__(self, ttl_seconds: float = PROFILE_TTL_SECONDS) -> None:
        self._cache = TtlCache(ttl_seconds)

    def _user(self, client: WebClient, team_id: str, user_id: str) -> dict[str, Any]:
        """The member as `users.info` gives it: one call an hour per person, whatever is read."""
        return self._cache.get(
            ("user", team_id, user_id), lambda: dict(client.users_info(user=user_id)["user"])
        )

    def profile(self, client: WebClient, team_id: str, user_id: str) -> Profile:
        return _profile(self._user(client, team_id, user_id))

    def cached_profile(self, team_id: str, user_id: str) -> Profile | None:
        """The profile if it is cached and fresh; never calls Slack."""
        user = self._cache.peek(("user", team_id, user_id))
        return _profile(user) if isinstance(user, dict) else None

    def names(self, client: WebClient, team_id: str, user_ids: Iterable[str]) -> dict[str, str]:
        """How Slack names each person (full name, else display name), for files read outside
        Slack. Someone Slack cannot tell about keeps their member ID: a file is still sent."""
        names = {}
        for user_id in dict.fromkeys(user_ids):
            try:
                user = self._user(client, team_id, user_id)
            except SlackApiError as error:
                logger.warning("users.info %s failed: %s", user_id, error.response.get("error"))
                continue
            profile = user.get("profile") or {}
            name = profile.get("real_name") or user.get("real_name") or profile.get("display_name")
            if isinstance(name, str) and name.strip():
                names[user_id] = name.strip()
        return names

    def is_lead(self, client: WebClient, workspace: Workspace, user_id: str) -> bool:
        return user_id in quality_leads(
            workspace.lead_ids, lambda: [self.profile(client, workspace.team_id, user_id)]
        )

    def leads(self, client: WebClient, workspace: Workspace) -> list[str]:
        """The people to tell about the quality system itself."""
        return quality_leads(
            workspace.lead_ids,
            lambda: self._cache.get(("everyone", workspace.team_id), lambda: fetch_all(client)),
        )
