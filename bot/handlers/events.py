"""Events API listeners: every event the manifest subscribes to gets a 2xx answer.

Bolt answers 404 to an event no listener matches, and Slack retries a 404, so each
subscribed event has a listener even where Keel has nothing to do with it yet.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.forms.events import HomeOpened, MessageEvent
from bot.handlers.common import local_today, workspace_for
from bot.handlers.home import publish_home
from bot.process.deps import Deps
from bot.services import replies, threads

log = logging.getLogger(__name__)


def register(app: App, deps: Deps) -> None:
    @app.event("message")
    def on_message(
        event: dict[str, Any], body: dict[str, Any], context: dict[str, Any], client: WebClient
    ) -> None:
        if not MessageEvent.well_formed(event):
            log.info("ignoring a message event that is not shaped as Slack's")
            return
        reply = threads.parse_thread_message(event, bot_user_id=context.get("bot_user_id"))
        if reply is None:
            return
        workspace = workspace_for(deps, body)
        now = deps.clock.now()
        today = local_today(deps, workspace, reply.user_id or "", now)
        with deps.db.transaction() as session:
            handled = replies.handle_reply(
                session=session,
                workspace=workspace,
                reply=reply,
                is_lead=lambda user_id: deps.directory.is_lead(client, workspace, user_id),
                today=today,
                now=now,
            )
        if handled:
            deps.wake_relay()

    @app.event("app_home_opened")
    def on_home_opened(event: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        opened = HomeOpened.read(event)
        if opened is None or opened.tab != "home":
            return
        publish_home(deps, client, workspace_for(deps, body), opened.user)

    @app.event("app_uninstalled")
    @app.event("tokens_revoked")
    def on_uninstalled(event: dict[str, Any], body: dict[str, Any]) -> None:
        # Records are evidence and are kept; Slack has already revoked the token.
        log.warning("Keel was uninstalled or its tokens revoked in team %s", body.get("team_id"))

    # Registered last: any other event (a subscription added in the Slack UI, say) is answered
    # 200 rather than 404, which Slack would retry three times.
    @app.event(re.compile(".*"))
    def on_other_event(event: dict[str, Any]) -> None:
        log.debug("ignoring event of type %s", event.get("type"))
