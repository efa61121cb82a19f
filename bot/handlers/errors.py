"""The one error handler: domain errors become a plain message, everything else is logged.

Nothing a person typed is lost: when saving a form fails unexpectedly, their text is sent back
to them in a DM so they can raise it again.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

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
        if response is None:  # Slack has its answer already: tell the person another way
            report(error, body, client, respond)
            return None
        _log(error)
        message = user_message(error)
        if "command" in body:
            # The answer itself carries the message, shown to them only.
            return BoltResponse(status=200, body={"response_type": "ephemeral", "text": message})
        if body.get("type") == "view_submission":
            _return_form_text(client, body, message)
        elif body.get("type") in ("block_actions", "message_action", "shortcut"):
            _respond_or_tell(respond, client, body, message)
        return BoltResponse(status=200, body="")


def report(
    error: BaseException, body: dict[str, Any], client: WebClient, respond: Respond | None
) -> None:
    """Tell the person what went wrong once Slack has had its answer."""
    _log(error)
    message = user_message(error)
    if body.get("type") == "view_submission":
        _return_form_text(client, body, message)
    elif "command" in body or body.get("type") in ("block_actions", "message_action", "shortcut"):
        _respond_or_tell(respond, client, body, message)


def _log(error: BaseException) -> None:
    if not isinstance(error, KeelError):
        log.error("unhandled error in a listener", exc_info=error)


Listener = TypeVar("Listener", bound=Callable[..., None])


def reported_after_ack(listener: Listener) -> Listener:
    """For listeners that ack() first and then work. Bolt loses the ack when such a listener
    raises (its thread runner replaces the answer it already had with none, and Slack waits
    in vain), so errors after ack() are reported here, as @app.error reports the others.
    The listener must take `ack`, `body` and `client`."""

    @functools.wraps(listener)
    def run(**kwargs: Any) -> None:
        try:
            listener(**kwargs)
        except Exception as error:
            if getattr(kwargs.get("ack"), "response", None) is None:
                raise  # not acknowledged: @app.error answers Slack
            body = kwargs.get("body") or {}
            respond = kwargs.get("respond")
            if respond is None and body.get("response_url"):
                respond = Respond(response_url=body["response_url"])
            report(error, body, kwargs["client"], respond)

    return run  # type: ignore[return-value]


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
