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
        """Bolt loses Slack's answer if this raises, so nothing here reads the input that
        broke the listener beyond what it checks first, and telling the person is guarded."""
        if response is None:  # Slack has its answer already: tell the person another way
            report(error, body, client, respond)
            return None
        _log(error)
        message = user_message(error)
        if isinstance(body.get("command"), str):
            # The answer itself carries the message, shown to them only.
            return BoltResponse(status=200, body={"response_type": "ephemeral", "text": message})
        _tell_safely(body, client, respond, message)
        return BoltResponse(status=200, body="")


def report(
    error: BaseException, body: dict[str, Any], client: WebClient, respond: Respond | None
) -> None:
    """Tell the person what went wrong once Slack has had its answer."""
    _log(error)
    _tell_safely(body, client, respond, user_message(error))


def _log(error: BaseException) -> None:
    if isinstance(error, KeelError):
        return
    if isinstance(error, SlackApiError):  # Slack refused a call: its answer says why
        log.error("Slack refused a call from a listener: %s", str(error).replace("\n", " "))
        return
    log.error("unhandled error in a listener", exc_info=error)


def _tell_safely(
    body: dict[str, Any], client: WebClient, respond: Respond | None, message: str
) -> None:
    try:
        tell_privately(body, client, respond, message)
    except Exception as failure:  # noqa: BLE001 - the error path itself must not fail
        log.warning("could not tell the person about an error: %r", failure)


def tell_privately(
    body: dict[str, Any], client: WebClient, respond: Respond | None, message: str
) -> None:
    """Tell whoever sent `body` (a command, a button, a form, a shortcut) `message`, seen by
    them only; a form's typed text comes with it so nothing is lost."""
    if body.get("type") in ("view_submission", "view_closed"):
        _return_form_text(client, body, message)
    elif "command" in body or body.get("type") in ("block_actions", "message_action", "shortcut"):
        _respond_or_tell(respond, client, body, message)


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
            if respond is None and isinstance(body.get("response_url"), str):
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


def _sender(body: dict[str, Any]) -> str | None:
    user = body.get("user")
    user_id = body.get("user_id") or (user.get("id") if isinstance(user, dict) else user)
    return user_id if isinstance(user_id, str) and user_id else None


def _tell(client: WebClient, body: dict[str, Any], message: str) -> None:
    """An ephemeral note where they clicked, or a DM when there is no channel."""
    user_id = _sender(body)
    if user_id is None:
        log.warning("could not tell anyone about an error: the request names no user")
        return
    channel = body.get("channel")
    channel_id = channel.get("id") if isinstance(channel, dict) else body.get("channel_id")
    try:
        if isinstance(channel_id, str) and channel_id:
            client.chat_postEphemeral(channel=channel_id, user=user_id, text=message)
        else:
            client.chat_postMessage(channel=user_id, text=message)
    except SlackApiError as slack_error:
        log.warning(
            "could not tell %s about an error: %s", user_id, slack_error.response.get("error")
        )


def typed_text(body: dict[str, Any]) -> list[str]:
    """The text a person typed into a form, whatever shape its state has."""
    view = body.get("view")
    state = view.get("state") if isinstance(view, dict) else None
    values = state.get("values") if isinstance(state, dict) else None
    if not isinstance(values, dict):
        return []
    typed = []
    for block in values.values():
        for element in block.values() if isinstance(block, dict) else ():
            value = element.get("value") if isinstance(element, dict) else None
            if isinstance(value, str) and value.strip():
                typed.append(escape(truncate(value, 2500)))
    return typed


def _return_form_text(client: WebClient, body: dict[str, Any], message: str) -> None:
    user_id = _sender(body)
    if user_id is None:
        log.warning("could not return form text: the request names no user")
        return
    text = message
    typed = typed_text(body)
    if typed:
        text += "\nHere is what you typed, so nothing is lost:\n>>>" + "\n\n".join(typed)
    try:
        client.chat_postMessage(
            channel=user_id, text=truncate(message, 3000), blocks=[section(truncate(text, 3000))]
        )
    except SlackApiError as slack_error:
        log.warning(
            "could not return form text to %s: %s", user_id, slack_error.response.get("error")
        )
