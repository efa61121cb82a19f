"""Workspace settings changed from Slack, with their history."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from sqlalchemy.orm import Session

from bot.services.history import Source, record_change
from storage.models import Workspace


def set_leads(
    *, session: Session, workspace_id: int, lead_ids: list[str], actor_id: str, now: datetime
) -> None:
    workspace = session.get_one(Workspace, workspace_id)
    before = list(workspace.lead_ids)
    workspace.lead_ids = list(lead_ids)
    _changed(
        session,
        workspace_id,
        "quality_leads_set",
        Source.COMMAND,
        actor_id,
        now,
        before={"lead_ids": before},
        after={"lead_ids": list(lead_ids)},
    )


# Where new records' cards go, and where the weekly objectives digest goes.
ChannelSetting = Literal["quality_channel", "digest_channel"]


def set_channel(
    *,
    session: Session,
    workspace_id: int,
    setting: ChannelSetting,
    channel_id: str,
    actor_id: str,
    now: datetime,
) -> None:
    workspace = session.get_one(Workspace, workspace_id)
    before = getattr(workspace, setting)
    setattr(workspace, setting, channel_id)
    _changed(
        session,
        workspace_id,
        f"{setting}_set",
        Source.COMMAND,
        actor_id,
        now,
        before={setting: before},
        after={setting: channel_id},
    )


def update_settings(
    *, session: Session, workspace_id: int, changes: dict[str, Any], actor_id: str, now: datetime
) -> dict[str, Any]:
    """Apply the settings that differ from today's, with one history entry naming each one
    before -> after. Returns what changed (empty when nothing did)."""
    workspace = session.get_one(Workspace, workspace_id)
    before = {name: getattr(workspace, name) for name in changes}
    changed = {name: value for name, value in changes.items() if before[name] != value}
    if not changed:
        return {}
    for name, value in changed.items():
        setattr(workspace, name, value)
    _changed(
        session,
        workspace_id,
        "settings_changed",
        Source.FORM,
        actor_id,
        now,
        before={name: before[name] for name in changed},
        after=changed,
    )
    return changed


def _changed(
    session: Session,
    workspace_id: int,
    event: str,
    source: Source,
    actor_id: str,
    now: datetime,
    *,
    before: dict[str, Any],
    after: dict[str, Any],
) -> None:
    record_change(
        session=session,
        workspace_id=workspace_id,
        entity="workspace",
        entity_id=workspace_id,
        record_id=None,
        event=event,
        actor_id=actor_id,
        source=source,
        at=now,
        before=before,
        after=after,
    )
