"""/nc settings: quality leads change the workspace's settings in one form."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.domain.errors import NotAllowed
from bot.domain.settings import standards_of
from bot.domain.terms import terms_for
from bot.forms.settings import parse_settings
from bot.handlers.common import save_from_modal, user_of, workspace_for
from bot.handlers.errors import reported_after_ack
from bot.ids import View
from bot.process.deps import Deps
from bot.services import settings_service
from bot.services.permissions import leads_only
from bot.views.settings import settings_modal
from storage.models import Workspace


def _refusal(workspace: Workspace) -> str:
    return leads_only(terms_for(workspace.system_name), "change Keel's settings")


def open_settings(deps: Deps, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    """Open the form for a quality lead; anyone else is told why not, and gets no form."""
    workspace = workspace_for(deps, body)
    if not deps.directory.is_lead(client, workspace, user_of(body)):
        ack(text=_refusal(workspace), response_type="ephemeral")
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
                raise NotAllowed(_refusal(workspace))
            changes = parse_settings(view["state"]["values"]).model_dump()
            if changes["timezone"] == deps.settings.timezone:
                changes["timezone"] = None  # follows KEEL_TIMEZONE, as before
            # The defaults, as stored: a form saved unchanged changes nothing.
            if not changes["reference_prefixes"] and not workspace.reference_prefixes:
                changes["reference_prefixes"] = workspace.reference_prefixes
            if standards_of(changes["standards"]) == standards_of(workspace.standards):
                changes["standards"] = workspace.standards
            settings_service.update_settings(
                session=session,
                workspace_id=workspace.id,
                changes=changes,
                actor_id=user_id,
                now=deps.clock.now(),
            )

        if save_from_modal(deps, ack, error_block=None, work=work):
            deps.cache.forget("workspace", workspace.team_id)
