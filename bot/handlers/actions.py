"""Buttons on Keel's messages."""

from __future__ import annotations

import json
import re
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.handlers.commands import list_records, show_record
from bot.handlers.common import user_of
from bot.handlers.errors import reported_after_ack
from bot.ids import ActionId
from bot.process.deps import Deps


def register(app: App, deps: Deps) -> None:
    @app.action(ActionId.VIEW_RECORD)
    @reported_after_ack
    def view_record(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        text, blocks = show_record(deps, body, client, int(action["value"]))
        client.chat_postEphemeral(
            channel=body["channel"]["id"], user=user_of(body), text=text, blocks=blocks
        )

    @app.action(re.compile(rf"^{ActionId.LIST_PAGE}:"))
    @reported_after_ack
    def list_page(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, client: WebClient
    ) -> None:
        ack()
        wanted = json.loads(action["value"])
        text, blocks = list_records(deps, body, mine=bool(wanted["mine"]), page=int(wanted["page"]))
        respond(text=text, blocks=blocks, replace_original=True, response_type="ephemeral")
