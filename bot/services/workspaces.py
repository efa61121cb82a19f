"""Workspaces: found by Slack team, created on first contact with the operator's defaults."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import upsert
from storage.models import Workspace


@dataclass(frozen=True)
class WorkspaceDefaults:
    """What a new workspace starts with (KEEL_QUALITY_CHANNEL, KEEL_ADMINS, ...)."""

    quality_channel: str | None = None
    digest_channel: str | None = None
    lead_ids: list[str] = field(default_factory=list)


def ensure_workspace(
    *,
    session: Session,
    team_id: str,
    enterprise_id: str | None,
    defaults: WorkspaceDefaults,
    now: datetime,
) -> Workspace:
    """The workspace for `team_id`, created from `defaults` if this is its first request.

    Two first requests may race; INSERT ... ON CONFLICT DO NOTHING lets both succeed.
    """
    existing = session.scalar(select(Workspace).where(Workspace.team_id == team_id))
    if existing is not None:
        return existing
    session.execute(
        upsert.insert(session, Workspace)
        .values(
            team_id=team_id,
            enterprise_id=enterprise_id,
            quality_channel=defaults.quality_channel,
            digest_channel=defaults.digest_channel,
            lead_ids=list(defaults.lead_ids),
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["team_id"])
    )
    return session.scalars(select(Workspace).where(Workspace.team_id == team_id)).one()


def get_workspace(*, session: Session, workspace_id: int) -> Workspace:
    return session.get_one(Workspace, workspace_id)


def find_workspace(*, session: Session, team_id: str) -> Workspace | None:
    """The workspace for a Slack team, if Keel has met it."""
    return session.scalar(select(Workspace).where(Workspace.team_id == team_id))
