"""The one error handler: domain errors become a plain message, everything else is logged.

Nothing a person typed is lost: when saving a form fails unexpectedly, their text is sent back
to them in a DM so they can raise it again.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltResponse, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.errors import KeelError
from bot.domain.text import escape, truncate
from bot.handlers.common import user_of
from bot.views.common import section

log = logging.getLogger(__name__)

GENERIC = (
    "Sorry, something went wrong inside Keel and it could not finish that. The problem is "
    "logged for your administrator. Please try again in a minute."
)


def user_message(error: BaseException) -> str:
    return str(error) if isinstance(error, KeelError) else GENERIC


def register(app: App) -> None:
    @app.error
    def on_error(
        error: BaseException,
        body: dict[str, Any],
        response: BoltResponse | None,
        client: WebClient,
        respond: Respond | None,
    ) -> BoltResponse | None:
        if not isinstance(error, KeelError):
            log.error("unhandled error in a listener", exc_info=error)
        message = user_message(error)
        kind = body.get("type") or ("slash_command" if "command" in body else None)
        if "command" in body:
            if response is not None:
                # Not acknowledged yet: the answer itself carries the message, to them only.
                return BoltResponse(
                    status=200, body={"response_type": "ephemeral", "text": message}
                )
            _respond_or_tell(respond, client, body, message)
            return None
        if kind == "view_submission":
            _return_form_text(client, body, message)
            if response is not None:
                return BoltResponse(status=200, body="")
            return None
        if kind in ("block_actions", "message_action", "shortcut"):
            _respond_or_tell(respond, client, body, message)
            if response is not None:
                return BoltResponse(status=200, body="")
        return None


def _respond_or_tell(
    respond: Respond | None, client: WebClient, body: dict[str, Any], message: str
) -> None:
    """Answer through the response_url when Slack gave one (works in any channel), else
    an ephemeral note or a DM."""
    if respond is not None and body.get("response_url"):
        try:
            respond(text=message, response_type="ephemeral", replace_original=False)
            return
        except (OSError, SlackApiError) as failure:
            log.warning("response_url did not take the error message: %s", failure)
    _tell(client, body, message)


def _tell(client: WebClient, body: dict[str, Any], message: str) -> None:
    """An ephemeral note where they clicked, or a DM when there is no channel."""
    user_id = user_of(body)
    channel = (body.get("channel") or {}).get("id")
    try:
        if channel:
            client.chat_postEphemeral(channel=channel, user=user_id, text=message)
        else:
            client.chat_postMessage(channel=user_id, text=message)
    except SlackApiError as slack_error:
        log.warning(
            "could not tell %s about an error: %s", user_id, slack_error.response.get("error")
        )


def _return_form_text(client: WebClient, body: dict[str, Any], message: str) -> None:
    values = (body.get("view") or {}).get("state", {}).get("values", {})
    typed = []
    for block in values.values():
        for element in block.values():
            if isinstance(element, dict) and element.get("value"):
                typed.append(escape(truncate(str(element["value"]), 2500)))
    text = message
    if typed:
        text += "\nHere is what you typed, so nothing is lost:\n>>>" + "\n\n".join(typed)
    user_id = user_of(body)
    try:
        client.chat_postMessage(
            channel=user_id, text=truncate(message, 3000), blocks=[section(text)]
        )
    except SlackApiError as slack_error:
        log.warning(
            "could not return form text to %s: %s", user_id, slack_error.response.get("error")
        )
