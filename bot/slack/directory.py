"""Who people are in Slack: profiles (time zone, admin, deactivated) and the quality leads.

`users.info` is rate limited (Tier 4) and profiles change rarely, so answers are cached for an
hour in memory; a wrong answer is at worst an hour stale.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from slack_sdk import WebClient

from storage.models import Workspace

PROFILE_TTL_SECONDS = 3600.0


@dataclass(frozen=True)
class Profile:
    user_id: str
    tz: str | None
    is_admin: bool
    is_bot: bool
    deleted: bool


class Directory:
    """Cached Slack user lookups, keyed by workspace."""

    def __init__(self, ttl_seconds: float = PROFILE_TTL_SECONDS) -> None:
        self._ttl = ttl_seconds
        self._profiles: dict[tuple[str, str], tuple[float, Profile]] = {}
        self._admins: dict[str, tuple[float, list[str]]] = {}
        self._lock = threading.Lock()

    def profile(self, client: WebClient, team_id: str, user_id: str) -> Profile:
        key = (team_id, user_id)
        with self._lock:
            cached = self._profiles.get(key)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        user = client.users_info(user=user_id)["user"]
        profile = Profile(
            user_id=user_id,
            tz=user.get("tz"),
            is_admin=bool(user.get("is_admin") or user.get("is_owner")),
            is_bot=bool(user.get("is_bot")),
            deleted=bool(user.get("deleted")),
        )
        with self._lock:
            self._profiles[key] = (time.monotonic() + self._ttl, profile)
        return profile

    def cached_profile(self, team_id: str, user_id: str) -> Profile | None:
        """The profile if it is cached and fresh; never calls Slack."""
        with self._lock:
            cached = self._profiles.get((team_id, user_id))
        return cached[1] if cached and cached[0] > time.monotonic() else None

    def is_lead(self, client: WebClient, workspace: Workspace, user_id: str) -> bool:
        """Quality leads are KEEL_ADMINS / `/nc leads`; until some are set, Slack admins act."""
        if workspace.lead_ids:
            return user_id in workspace.lead_ids
        return self.profile(client, workspace.team_id, user_id).is_admin

    def leads(self, client: WebClient, workspace: Workspace) -> list[str]:
        """The people to tell about the quality system itself."""
        if workspace.lead_ids:
            return list(workspace.lead_ids)
        with self._lock:
            cached = self._admins.get(workspace.team_id)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        admins: list[str] = []
        for page in client.users_list(limit=200):
            for member in page.get("members", []):
                active = not member.get("deleted") and not member.get("is_bot")
                if active and (member.get("is_admin") or member.get("is_owner")):
                    admins.append(member["id"])
        with self._lock:
            self._admins[workspace.team_id] = (time.monotonic() + self._ttl, admins)
        return admins
