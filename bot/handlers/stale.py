"""Answers for what no other listener takes: buttons, forms and shortcuts from an older Keel
(or a message Slack still shows long after), slash commands Keel does not have, and event
envelopes it does not know. Registered last: Bolt runs the first listener that matches.

Bolt answers anything unmatched with 404, which Slack shows the person as an error and, for
events, retries three times; here each gets a 200 and, where a person pressed something,
a private note saying what to do instead.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltResponse, Respond
from slack_sdk import WebClient

from bot.handlers.errors import tell_privately, typed_text
from bot.ids import SLASH_COMMAND, ActionId
from bot.views.notices import notice_view

log = logging.getLogger(__name__)

ANYTHING = re.compile(".*", re.S)
# Any kind's reference: NC-0007, OFI-0012, …
_REFERENCE = re.compile(r"\b[A-Z]{2,4}-[0-9]{4,}\b")
# Kinds of request some listener of Keel's takes (once the catch-alls below are in).
_ROUTED_TYPES = frozenset(
    {
        "block_actions",
        "view_submission",
        "view_closed",
        "shortcut",
        "message_action",
        "interactive_message",
        "dialog_submission",
        "dialog_cancellation",
        "workflow_step_edit",
    }
)
_KNOWN_ACTIONS = frozenset(action.value for action in ActionId)

OLD_BUTTON = "This button is from an older version of Keel, so it no longer does anything."
OLD_SHORTCUT = "That shortcut is from an older version of Keel, so it no longer does anything."
OLD_FORM = "This form is from an older version of Keel, so it cannot be saved."
SEE_RECORD = "Type `/nc {reference}` to see the record as it is now."
SEE_ALL = "Type `/nc list` to see the open records, or `/nc help` for what Keel can do now."


def register(app: App) -> None:
    app.use(_answer_unknown_envelopes)

    @app.command(ANYTHING)
    def other_command(ack: Ack, command: dict[str, Any]) -> None:
        ack(
            response_type="ephemeral",
            text=f"Keel answers `{SLASH_COMMAND}` only. Type `{SLASH_COMMAND} help` to see "
            "what it can do.",
        )
        log.info("answered a slash command Keel does not have: %.40r", command.get("command"))

    @app.action(ANYTHING)
    def old_button(
        ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond | None
    ) -> None:
        ack()
        action_id = _first_action_id(body)
        if action_id.split(":")[0] in _KNOWN_ACTIONS:
            return  # a menu or picker Keel draws that needs no answer
        log.info("answered a button from an older Keel: %.60r", action_id)
        tell_privately(body, client, respond, f"{OLD_BUTTON} {_what_to_do(body)}")

    @app.view(ANYTHING)
    def old_form(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        typed = typed_text(body)
        keep = " Keel has sent you what you typed, so nothing is lost." if typed else ""
        ack(
            response_action="update",
            view=notice_view("Form out of date", f"{OLD_FORM}{keep} {SEE_ALL}"),
        )
        log.info("answered a form from an older Keel: %.60r", body["view"]["callback_id"])
        if typed:
            tell_privately(body, client, None, f"{OLD_FORM} {SEE_ALL}")

    @app.view_closed(ANYTHING)
    def closed_form(ack: Ack) -> None:
        ack()

    @app.shortcut(ANYTHING)
    def old_shortcut(
        ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond | None
    ) -> None:
        ack()
        log.info("answered a shortcut from an older Keel: %.60r", body.get("callback_id"))
        tell_privately(body, client, respond, f"{OLD_SHORTCUT} {SEE_ALL}")


def _answer_unknown_envelopes(
    body: dict[str, Any], next: Callable[[], None]
) -> BoltResponse | None:
    """A 200 for any kind of request no listener can take (an event envelope without an event,
    a type Slack adds later): Slack retries anything else."""
    if "command" in body or body.get("type") in _ROUTED_TYPES or _is_event(body):
        next()
        return None
    log.info("answered a request Keel does not understand: type %.40r", body.get("type"))
    return BoltResponse(status=200, body="")


def _is_event(body: dict[str, Any]) -> bool:
    event = body.get("event")
    return body.get("type") == "event_callback" and isinstance(event, dict) and "type" in event


def _first_action_id(body: dict[str, Any]) -> str:
    actions = body.get("actions")
    if isinstance(actions, list) and actions and isinstance(actions[0], dict):
        return str(actions[0].get("action_id", ""))
    return str(body.get("callback_id", ""))


def _what_to_do(body: dict[str, Any]) -> str:
    """Point at the record the old message was about, when it names one."""
    shown = body.get("message") or body.get("view") or {}
    found = _REFERENCE.search(json.dumps(shown)[:50_000])
    return SEE_RECORD.format(reference=found.group(0)) if found else SEE_ALL
