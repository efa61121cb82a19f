"""The message shortcut "Raise as a record"."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.domain.text import first_line
from bot.forms.record import RecordMetadata
from bot.handlers.common import known_processes, local_today, user_of, workspace_for
from bot.handlers.errors import reported_after_ack
from bot.ids import Shortcut
from bot.process.deps import Deps
from bot.views.record_form import record_form_payload


def message_permalink(body: dict[str, Any]) -> str | None:
    """Slack's permalink for the message, built without an API call: the trigger_id expires
    in 3 seconds and views.open must come first."""
    domain = (body.get("team") or {}).get("domain")
    channel = (body.get("channel") or {}).get("id")
    ts = (body.get("message") or {}).get("ts") or body.get("message_ts")
    if not (domain and channel and ts):
        return None
    link = f"https://{domain}.slack.com/archives/{channel}/p{ts.replace('.', '')}"
    thread_ts = (body.get("message") or {}).get("thread_ts")
    if thread_ts and thread_ts != ts:
        link += f"?thread_ts={thread_ts}&cid={channel}"
    return link


def register(app: App, deps: Deps) -> None:
    @app.shortcut(Shortcut.RAISE_FROM_MESSAGE)
    @reported_after_ack
    def raise_from_message(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        workspace = workspace_for(deps, body)
        text = str((body.get("message") or {}).get("text") or "")
        metadata = RecordMetadata(
            channel_id=(body.get("channel") or {}).get("id"), permalink=message_permalink(body)
        )
        known = known_processes(deps, workspace)
        view = record_form_payload(
            processes=known,
            today=local_today(deps, workspace, user_of(body), deps.clock.now()),
            metadata=metadata,
            title=first_line(text),
            description=text,
        )
        client.views_open(trigger_id=body["trigger_id"], view=view)
