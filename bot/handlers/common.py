"""Helpers every handler uses: which workspace a request is from, and local dates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_bolt import Ack
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.domain.errors import KeelError
from bot.domain.terms import terms_for
from bot.forms.state import FormErrors
from bot.process.deps import Deps
from bot.services import processes
from bot.services.permissions import Actor
from bot.services.workspaces import ensure_workspace, find_workspace
from bot.views.notices import notice_view
from storage.models import Process, Workspace

# The furthest-ahead time zone on Earth (Line Islands, UTC+14): a date that is not yet
# today anywhere is certainly in the future for whoever picked it.
_LATEST_ZONE = timezone(timedelta(hours=14))


def team_of(body: dict[str, Any]) -> tuple[str, str | None]:
    """(team_id, enterprise_id) of any Slack payload: commands, interactions or events."""
    team = body.get("team")
    team_id = (
        body.get("team_id")
        or (team.get("id") if isinstance(team, dict) else None)
        or body.get("user", {}).get("team_id")
        or body.get("view", {}).get("team_id")
    )
    enterprise = body.get("enterprise")
    enterprise_id = body.get("enterprise_id") or (
        enterprise.get("id") if isinstance(enterprise, dict) else None
    )
    if not team_id:
        raise ValueError("Slack payload without a team")
    return str(team_id), enterprise_id


def user_of(body: dict[str, Any]) -> str:
    user = body.get("user")
    return str(body.get("user_id") or (user.get("id") if isinstance(user, dict) else user))


def workspace_for(deps: Deps, body: dict[str, Any]) -> Workspace:
    """The request's workspace, created on first contact (detached, for reading; cached for
    a few seconds: changes go through services that write their own fresh copy)."""
    team_id, enterprise_id = team_of(body)
    known = deps.cache.get(("workspace", team_id), lambda: _read_workspace(deps, team_id))
    if known is not None:
        return known
    with deps.db.transaction() as session:
        return ensure_workspace(
            session=session,
            team_id=team_id,
            enterprise_id=enterprise_id,
            defaults=deps.workspace_defaults,
            now=deps.clock.now(),
        )


def _read_workspace(deps: Deps, team_id: str) -> Workspace | None:
    with deps.db.reading() as session:
        return find_workspace(session=session, team_id=team_id)


def known_processes(deps: Deps, workspace: Workspace) -> list[Process]:
    """The workspace's active processes, for forms (cached like the workspace)."""

    def load() -> list[Process]:
        with deps.db.reading() as session:
            return processes.active(session=session, workspace_id=workspace.id)

    return deps.cache.get(("processes", workspace.id), load)


def local_today(deps: Deps, workspace: Workspace, user_id: str, now: datetime) -> date:
    """Today for this person: their Slack time zone if Keel already knows it (no call is
    made: a form must open within the trigger's 3 seconds), else the workspace's."""
    profile = deps.directory.cached_profile(workspace.team_id, user_id)
    if profile is not None and profile.tz:
        try:
            return now.astimezone(ZoneInfo(profile.tz)).date()
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass  # an unknown zone name from Slack: fall back to the workspace's
    return now.astimezone(deps.timezone_of(workspace)).date()


def latest_today(now: datetime) -> date:
    """Today's date where it is latest: no one anywhere can have seen a later day."""
    return now.astimezone(_LATEST_ZONE).date()


def actor_for(deps: Deps, client: WebClient, workspace: Workspace, user_id: str) -> Actor:
    """The person, and whether they are a quality lead (may ask Slack, cached for an hour)."""
    return Actor(
        user_id=user_id,
        is_lead=deps.directory.is_lead(client, workspace, user_id),
        terms=terms_for(workspace.system_name),
    )


@dataclass(frozen=True)
class Submitted:
    """A submitted form with what every change behind it needs."""

    session: Session
    workspace: Workspace
    actor: Actor
    values: dict[str, Any]
    now: datetime
    today: date  # the person's own date, for due dates


def save_from_modal(
    deps: Deps,
    ack: Ack,
    *,
    error_block: str | None,
    work: Callable[[Session], None],
) -> bool:
    """Run a modal's change in one transaction and answer Slack: inline errors for bad input
    or a refusal, the modal closed on success. Returns whether it was saved."""
    try:
        with deps.db.transaction() as session:
            work(session)
    except FormErrors as invalid:
        if invalid.errors:
            ack(response_action="errors", errors=invalid.errors)
        else:
            stale = "This form no longer matches anything in Keel: close it and start again."
            ack(response_action="update", view=notice_view("Not saved", stale))
        return False
    except KeelError as refused:
        if error_block is not None:
            ack(response_action="errors", errors={error_block: str(refused)})
        else:
            ack(response_action="update", view=notice_view("Not done", str(refused)))
        return False
    ack()
    deps.wake_relay()
    return True
