"""/nc settings: quality leads change the workspace's settings in one form."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.domain.errors import NotAllowed
from bot.forms.settings import parse_settings
from bot.handlers.common import save_from_modal, user_of, workspace_for
from bot.handlers.errors import reported_after_ack
from bot.ids import View
from bot.process.deps import Deps
from bot.services import settings_service
from bot.views.settings import settings_modal

REFUSAL = (
    "Only quality leads can change Keel's settings. Leads are set with `/nc leads @name …` "
    "or KEEL_ADMINS; until then, the workspace's Slack admins and owners act as leads."
)


def open_settings(deps: Deps, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    """Open the form for a quality lead; anyone else is told why not, and gets no form."""
    workspace = workspace_for(deps, body)
    if not deps.directory.is_lead(client, workspace, user_of(body)):
        ack(text=REFUSAL, response_type="ephemeral")
        return
    ack()
    view = settings_modal(workspace, default_timezone=deps.settings.timezone)
    client.views_open(trigger_id=body["trigger_id"], view=view)


def register(app: App, deps: Deps) -> None:
    @app.view(View.SETTINGS)
    @reported_after_ack
    def save(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        workspace = workspace_for(deps, body)
        user_id = user_of(body)

        def work(session: Session) -> None:
            # Checked again on save: leads may have changed while the form was open.
            if not deps.directory.is_lead(client, workspace, user_id):
                raise NotAllowed(REFUSAL)
            changes = parse_settings(view["state"]["values"]).model_dump()
            if changes["timezone"] == deps.settings.timezone:
                changes["timezone"] = None  # follows KEEL_TIMEZONE, as before
            settings_service.update_settings(
                session=session,
                workspace_id=workspace.id,
                changes=changes,
                actor_id=user_id,
                now=deps.clock.now(),
            )

        if save_from_modal(deps, ack, error_block=None, work=work):
            deps.cache.forget("workspace", workspace.team_id)
