"""Requests to Keel exactly as Slack sends them: form-encoded or JSON, signed with v0."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import itertools
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from tests.fake_slack import TEAM_ID

SIGNING_SECRET = "test-signing-secret"
_counter = itertools.count(1)


# Every word the framework's request parsing looks for (slack_bolt/request/internals.py,
# payload_utils.py, its ssl_check and url_verification middleware, its listener matchers):
# field names and values it routes on, and the characters its body sniffing keys on. A body
# once taken for an interactivity payload merely because it contained "payload" (404).
FRAMEWORK_WORDS = (
    "payload",
    "payload=",
    '{"type": "url_verification"}',
    "{",
    "ssl_check",
    "ssl_check=1",
    "token",
    "type",
    "type=url_verification",
    "url_verification",
    "challenge",
    "event",
    "event_callback",
    "event_id",
    "command",
    "command=/nc",
    "text",
    "actions",
    "action_id",
    "block_id",
    "callback_id",
    "view",
    "view_submission",
    "view_closed",
    "block_actions",
    "block_suggestion",
    "shortcut",
    "message_action",
    "interactive_message",
    "dialog_submission",
    "dialog_cancellation",
    "dialog_suggestion",
    "workflow_step",
    "workflow_step_edit",
    "workflow_step_execute",
    "function_executed",
    "function_execution_id",
    "function_data",
    "bot_access_token",
    "inputs",
    "enterprise",
    "enterprise_id",
    "is_enterprise_install",
    "is_enterprise_install=true",
    "team",
    "team_id",
    "app_installed_team_id",
    "authorizations",
    "user",
    "user_id",
    "user_team",
    "channel",
    "channel_id",
    "channel_type",
    "message",
    "previous_message",
    "item",
    "assistant_thread",
    "thread_ts",
    "response_url",
    "response_urls",
    "is_ext_shared_channel",
    "context_team_id",
    "context_enterprise_id",
    "subtype",
    "bot_id",
    "app_home_opened",
    "&",
    "=",
    "%",
    "+",
)


def sign(body: str | bytes, timestamp: int, secret: str = SIGNING_SECRET) -> str:
    raw = body.encode() if isinstance(body, str) else body
    base = f"v0:{timestamp}:".encode() + raw
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass
class Answer:
    status: int
    body: str
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


class SlackSender:
    """Posts to a running Keel at `url` (…/slack/events) the way Slack does."""

    def __init__(
        self,
        url: str,
        *,
        secret: str = SIGNING_SECRET,
        response_url: str = "https://hooks.slack.com/commands/T0KEEL/1/x",
    ) -> None:
        self.url = url
        self.secret = secret
        self.response_url = response_url

    def post(
        self,
        body: str | bytes,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        ts = int(time.time()) if timestamp is None else timestamp
        all_headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(ts),
            "X-Slack-Signature": signature
            if signature is not None
            else sign(body, ts, self.secret),
            "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
        }
        all_headers.update(headers or {})
        parts = urlsplit(self.url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=15)
        try:
            raw = body.encode() if isinstance(body, str) else body
            connection.request("POST", parts.path, body=raw, headers=all_headers)
            response = connection.getresponse()
            return Answer(response.status, response.read().decode(), dict(response.getheaders()))
        finally:
            connection.close()

    def command(
        self,
        text: str = "",
        *,
        user: str = "UALICE",
        channel: str = "CGENERAL",
        response_url: str | None = None,
        fields: dict[str, str] | None = None,
    ) -> Answer:
        """`fields` replace or add to the ones Slack sends."""
        sent = {
            "token": "legacy-verification-token",
            "team_id": TEAM_ID,
            "team_domain": "keel-test",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": user.lower(),
            "command": "/nc",
            "text": text,
            "api_app_id": "AKEEL",
            "response_url": response_url or self.response_url,
            "trigger_id": f"{next(_counter)}.{TEAM_ID}.trigger",
        }
        sent.update(fields or {})
        return self.post(urlencode(sent), "application/x-www-form-urlencoded")

    def interaction(self, payload: dict[str, Any], **kwargs: Any) -> Answer:
        return self.post(
            urlencode({"payload": json.dumps(payload)}),
            "application/x-www-form-urlencoded",
            **kwargs,
        )

    def event(
        self, event: dict[str, Any], *, event_id: str | None = None, retry: int | None = None
    ) -> Answer:
        envelope = {
            "token": "legacy-verification-token",
            "team_id": TEAM_ID,
            "api_app_id": "AKEEL",
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(_counter):08d}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM_ID, "user_id": "UKEELBOT", "is_bot": True}],
        }
        headers = (
            {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
            if retry
            else None
        )
        return self.post(json.dumps(envelope), "application/json", headers=headers)


def view_submission(
    view: dict[str, Any],
    values: dict[str, Any],
    *,
    user: str = "UALICE",
    view_id: str = "VFORM0001",
) -> dict[str, Any]:
    """A view_submission payload for `view` (as Keel opened it) with the person's input."""
    return {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "keel-test"},
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM_ID},
        "api_app_id": "AKEEL",
        "token": "legacy-verification-token",
        "trigger_id": f"{next(_counter)}.{TEAM_ID}.trigger",
        "view": dict(view, id=view_id, team_id=TEAM_ID, state={"values": values}, hash="h1"),
        "response_urls": [],
        "is_enterprise_install": False,
    }


def block_action(
    action_id: str,
    value: str,
    *,
    user: str = "UALICE",
    channel: str | None = None,
    message_ts: str | None = None,
    response_url: str | None = None,
    block_id: str = "b",
    selected_option: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A button's click; with `selected_option`, an overflow menu's pick (no `value` then)."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "keel-test"},
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM_ID},
        "api_app_id": "AKEEL",
        "token": "legacy-verification-token",
        "trigger_id": f"{next(_counter)}.{TEAM_ID}.trigger",
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": block_id,
                "value": value,
                "action_ts": str(time.time()),
            }
        ],
    }
    if selected_option is not None:
        clicked = payload["actions"][0]
        del clicked["value"]
        clicked.update(type="overflow", selected_option=selected_option)
    if channel:
        payload["channel"] = {"id": channel, "name": "quality"}
        payload["container"] = {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel,
            "is_ephemeral": False,
        }
        payload["message"] = {"type": "message", "ts": message_ts, "text": "card"}
    if response_url:
        payload["response_url"] = response_url
    return payload


def form_values(
    *,
    kind: str = "nonconformity",
    title: str = "Wrong label on batch 2231",
    description: str = "Batch 2231 left with the label of 2213.",
    occurred: str | None = "2026-11-20",
    location: str | None = None,
    severity: str | None = "medium",
    containment: str | None = None,
    anonymous: bool = False,
) -> dict[str, Any]:
    """view.state.values for the record form, as Slack sends them."""

    def text(value: str | None) -> dict[str, Any]:
        return {"input": {"type": "plain_text_input", "value": value}}

    def select(value: str | None) -> dict[str, Any]:
        option = {"text": {"type": "plain_text", "text": value}, "value": value} if value else None
        return {"input": {"type": "static_select", "selected_option": option}}

    return {
        "kind": select(kind),
        "title": text(title),
        "description": text(description),
        "occurred": {"input": {"type": "datepicker", "selected_date": occurred}},
        "location": text(location),
        "severity": select(severity),
        "containment": text(containment),
        "anonymous": {
            "input": {
                "type": "checkboxes",
                "selected_options": (
                    [
                        {
                            "text": {"type": "plain_text", "text": "Report anonymously"},
                            "value": "anonymous",
                        }
                    ]
                    if anonymous
                    else []
                ),
            }
        },
    }
