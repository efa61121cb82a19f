"""What handlers and jobs need from the outside world, built once and passed in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from bot.clock import Clock
from bot.process.cache import TtlCache
from bot.services.workspaces import WorkspaceDefaults
from bot.settings import Settings
from bot.slack.client import make_client
from bot.slack.directory import Directory
from storage.db import Database
from storage.models import Workspace


class SingleWorkspaceClients:
    """One bot token for every call: the single-workspace install (SLACK_BOT_TOKEN)."""

    def __init__(self, *, token: str, base_url: str) -> None:
        self._client = make_client(token=token, base_url=base_url)

    def for_team(self, team_id: str) -> WebClient:
        return self._client


@dataclass
class Deps:
    settings: Settings
    db: Database
    clock: Clock
    clients: SingleWorkspaceClients
    directory: Directory = field(default_factory=Directory)
    # Workspace rows and process lists, read by nearly every request.
    cache: TtlCache = field(default_factory=TtlCache)
    # Called after a transaction that queued Slack writes has committed.
    wake_relay: Callable[[], None] = lambda: None

    def timezone_of(self, workspace: Workspace) -> ZoneInfo:
        """The workspace's time zone: its own setting, else KEEL_TIMEZONE."""
        return ZoneInfo(workspace.timezone or self.settings.timezone)

    @property
    def workspace_defaults(self) -> WorkspaceDefaults:
        return WorkspaceDefaults(
            quality_channel=self.settings.quality_channel,
            digest_channel=self.settings.digest_channel,
            lead_ids=self.settings.admin_ids,
        )
