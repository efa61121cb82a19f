"""The buttons under "Did you mean `/nc list`?": run the subcommand, or raise the record."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.domain.commands import OpenForm, parse_command
from bot.domain.records import known_prefixes
from bot.domain.text import truncate
from bot.forms.record import RecordMetadata
from bot.handlers.commands import answer
from bot.handlers.common import known_processes, local_today, user_of, workspace_for
from bot.handlers.errors import reported_after_ack
from bot.ids import ActionId
from bot.process.deps import Deps
from bot.views.record_form import record_form_payload

TITLE_MAX = 200


def register(app: App, deps: Deps) -> None:
    @app.action(ActionId.RUN_SUGGESTED)
    @reported_after_ack
    def run_suggested(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, client: WebClient
    ) -> None:
        ack()
        workspace = workspace_for(deps, body)
        parsed = parse_command(
            str(action.get("value") or "help"), known_prefixes(workspace.reference_prefixes)
        )
        if isinstance(parsed, OpenForm):
            parsed = parse_command("help")
        text, blocks = answer(deps, parsed, body, client)
        respond(text=text, blocks=blocks, replace_original=True, response_type="ephemeral")

    @app.action(ActionId.RAISE_TITLED)
    @reported_after_ack
    def raise_titled(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        workspace = workspace_for(deps, body)
        user_id = user_of(body)
        channel = body.get("channel")
        form = record_form_payload(
            today=local_today(deps, workspace, user_id, deps.clock.now()),
            metadata=RecordMetadata(
                channel_id=channel.get("id") if isinstance(channel, dict) else None
            ),
            title=truncate(str(action.get("value") or ""), TITLE_MAX),
            processes=known_processes(deps, workspace),
        )
        client.views_open(trigger_id=body["trigger_id"], view=form)
