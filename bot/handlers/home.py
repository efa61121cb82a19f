"""The App Home tab, built for one person: published when they open it (Slack sends
`app_home_opened` each time), and again when a button pressed on it changes what it shows."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.domain.terms import terms_for
from bot.handlers.common import local_today
from bot.process.deps import Deps
from bot.queries.home import load_home
from bot.views.home import ACTIONS_SHOWN, RAISED_SHOWN, HomeAudits, home_view
from storage.models import Workspace


def publish_home(deps: Deps, client: WebClient, workspace: Workspace, user_id: str) -> None:
    today = local_today(deps, workspace, user_id, deps.clock.now())
    is_lead = deps.directory.is_lead(client, workspace, user_id)
    with deps.db.reading() as session:
        data = load_home(
            session=session,
            workspace_id=workspace.id,
            user_id=user_id,
            today=today,
            is_lead=is_lead,
            actions_shown=ACTIONS_SHOWN,
            raised_shown=RAISED_SHOWN,
        )
        view = home_view(
            data.open_records,
            data.measured,
            HomeAudits(data.audits, user_id, today, is_lead),
            actions=data.actions,
            raised=data.raised,
            overview=data.overview,
            today=today,
            terms=terms_for(workspace.system_name),
        )
    client.views_publish(user_id=user_id, view=view)
