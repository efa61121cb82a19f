"""The App Home tab, built for one person: published when they open it, and again when a
button pressed on it changes what it shows."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.handlers.common import local_today
from bot.process.deps import Deps
from bot.queries import audits as audit_queries
from bot.queries import objectives as objective_queries
from bot.queries import records
from bot.views.home import HomeAudits, home_view
from storage.models import Workspace


def publish_home(deps: Deps, client: WebClient, workspace: Workspace, user_id: str) -> None:
    today = local_today(deps, workspace, user_id, deps.clock.now())
    is_lead = deps.directory.is_lead(client, workspace, user_id)
    with deps.db.reading() as session:
        mine = records.list_open(
            session=session, workspace_id=workspace.id, user_id=user_id, page=1
        )
        measured = objective_queries.overviews(
            session=session, workspace_id=workspace.id, today=today, owner_id=user_id
        )
        audits = audit_queries.mine(session=session, workspace_id=workspace.id, user_id=user_id)
        view = home_view(mine, measured, HomeAudits(audits, user_id, today, is_lead))
    client.views_publish(user_id=user_id, view=view)
