"""What every step of one workspace's nudge run shares: the moment, the database, the
workspace's Slack client, and the report the steps add to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.domain.schedule import NudgePolicy
from bot.services import notify
from storage.db import Database
from storage.models import Workspace

DIGEST = "digest"
DIGEST_EVENT = "keel_digest"  # message metadata: {"ledger_id": ...}


@dataclass
class NudgeReport:
    workspaces: int = 0
    workspaces_failed: int = 0
    digests_sent: int = 0
    digests_unknown: int = 0
    digests_failed: int = 0
    digests_settled: int = 0  # unknown ones found in the DM, or found missing
    escalations: int = 0

    def __str__(self) -> str:
        return (
            f"{self.workspaces} workspaces, {self.digests_sent} digests sent, "
            f"{self.digests_failed} failed, {self.digests_unknown} unknown, "
            f"{self.escalations} escalation steps"
            + (f", {self.digests_settled} earlier digests settled" if self.digests_settled else "")
            + (f", {self.workspaces_failed} workspaces failed" if self.workspaces_failed else "")
        )


@dataclass(frozen=True)
class WorkspaceRun:
    """One workspace's pass, as if the clock read `now`."""

    now: datetime
    db: Database
    client: WebClient
    workspace: Workspace
    policy: NudgePolicy
    default_tz: str  # the workspace's own, else the deployment's
    report: NudgeReport

    def tell_leads_undeliverable(self, session: Session, person: str, code: str) -> None:
        notify.dm(
            session=session,
            workspace_id=self.workspace.id,
            users=[],
            to_leads=True,
            now=self.now,
            text=f"Keel could not send <@{person}> their daily digest (Slack said "
            f"`{code}`). If they have left, reassign their actions.",
        )
