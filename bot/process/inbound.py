"""A request from Slack, checked and parsed before the framework sees it.

Bolt's own body parsing guesses the format from the text: a body that merely contains the
word "payload" (a slash command saying "payload bay door jammed", a channel called
#payload-team) is taken for an interactivity payload, parsed as nothing, and answered 404.
A body starting with "{" is taken for JSON whatever its content type, and malformed JSON or
bytes that are not UTF-8 raise before the signature is checked. Here the order is the safe
one: signature on the raw bytes first, then strict UTF-8, then parsing by content type
(form fields are fields; only a form whose field is `payload` carries JSON), then a check
that the fields the framework routes on have the shape Slack gives them. The framework gets
the parsed body and, for its own signature check, the raw text.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl

from slack_bolt import BoltContext
from slack_bolt.request import BoltRequest
from slack_bolt.request.internals import build_context

# Slack's limit on a request's age (SLACK.md): older ones are replays.
MAX_AGE_SECONDS = 300
# Slack's largest payloads (a full modal's state) are far below this.
MAX_BODY_BYTES = 1 << 20
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


class Refused(Exception):
    """The request is answered with `status` and never reaches Keel's listeners."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def signature_is_valid(
    *, secret: str, raw: bytes, timestamp: str | None, signature: str | None, now: float
) -> bool:
    """Slack's v0 signature over the raw bytes, in constant time; never raises."""
    if not timestamp or not signature or len(timestamp) > 20:
        return False
    if not (timestamp.isascii() and timestamp.isdigit()):
        return False
    if abs(now - int(timestamp)) > MAX_AGE_SECONDS:
        return False
    base = b"v0:" + timestamp.encode() + b":" + raw
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace"))


def media_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    return content_type.split(";")[0].strip().lower() or None


def parse_body(raw: bytes, content_type: str | None) -> dict[str, Any]:
    """The body as Slack meant it. Raises Refused(400/415) for anything else."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "body is not UTF-8") from None
    kind = media_type(content_type)
    if kind is None:  # Slack always names it; guess only from the first character
        kind = JSON if text.lstrip().startswith("{") else FORM
    if kind == JSON:
        return _json_object(text, "body")
    if kind == FORM:
        fields = dict(parse_qsl(text, keep_blank_values=True))
        if "payload" in fields:  # interactivity: the one field is JSON
            return _json_object(fields["payload"], "payload field")
        return fields
    raise Refused(415, f"content type {kind!r} is not one Slack sends")


def _json_object(text: str, what: str) -> dict[str, Any]:
    try:
        parsed = json.loads(text)
    except (ValueError, RecursionError):
        raise Refused(400, f"{what} is not JSON") from None
    if not isinstance(parsed, dict):
        raise Refused(400, f"{what} is not a JSON object")
    return parsed


def shape_problem(body: Mapping[str, Any]) -> str | None:
    """What is wrong with the fields Bolt and Keel route on, or None when they have the shape
    Slack gives them. Only shapes are checked: values are each listener's to judge."""
    problem = _level_problem(body, "")
    if problem:
        return problem
    kind = body.get("type")
    # Every command, press and event names its workspace (an event's envelope: `team_id`).
    named = "command" in body or kind in _PEOPLE_PRESS or kind == "event_callback"
    if named and not _names_a_team(body):
        return "no team"
    if "command" in body:
        return _strings(body, ("command", "team_id", "user_id", "trigger_id"), required=True)
    if kind == "event_callback":
        event_id = body.get("event_id")
        if event_id is not None and not (
            isinstance(event_id, str) and _EVENT_ID.fullmatch(event_id)
        ):
            return "event_id is not an event id"
        # One without an event type is answered 200 and ignored (bot/handlers/stale.py).
        event = body.get("event")
        return _strings(event, ("type", "subtype"), False) if isinstance(event, dict) else None
    if (
        kind in _PEOPLE_PRESS
        and body.get("team") is not None
        and not isinstance(body["team"], dict)
    ):
        return "team is not an object"
    user = body.get("user")
    if kind in _PEOPLE_PRESS and not (isinstance(user, dict) and isinstance(user.get("id"), str)):
        return f"{kind} without a user"
    if kind in _PEOPLE_PRESS and kind != "view_closed":
        problem = _strings(body, ("trigger_id",), required=True)
        if problem:
            return problem
    if kind == "block_actions":
        actions = body.get("actions")
        if not isinstance(actions, list) or not actions:
            return "block_actions without actions"
        for action in actions:
            if not isinstance(action, dict) or not isinstance(action.get("action_id"), str):
                return "an action without an action_id"
            if _strings(action, ("block_id",), required=False):
                return "an action with a block_id that is not text"
    if kind in ("view_submission", "view_closed"):
        view = body.get("view")
        if not isinstance(view, dict):
            return f"{kind} without a view"
        return _strings(view, ("id", "callback_id"), required=True) or _strings(
            view, ("private_metadata", "type"), required=False
        )
    if kind in ("shortcut", "message_action"):
        return _strings(body, ("callback_id",), required=True)
    return None


_SLACK_ID = re.compile(r"[A-Z0-9]{1,40}")
_EVENT_ID = re.compile(r"[A-Za-z0-9]{1,64}")  # Ev08MFMKH6…: Keel keeps it to drop retries


def _is_slack_id(value: Any) -> bool:
    """Slack's ids (T…, E…, U…, W…, C…, G…, D…) are upper-case letters and digits."""
    return isinstance(value, str) and _SLACK_ID.fullmatch(value) is not None


def _names_a_team(body: Mapping[str, Any]) -> bool:
    """Whether the workspace can be told, where Slack puts it (an org-wide install's
    interactions name it only on the user or the view)."""
    team = body.get("team")
    candidates = [body.get("team_id"), team.get("id") if isinstance(team, dict) else None]
    for holder in (body.get("user"), body.get("view")):
        if isinstance(holder, dict):
            candidates.append(holder.get("team_id"))
    return any(isinstance(each, str) and each for each in candidates)


# Kinds of request a person's click or submit sends: each names the person.
_PEOPLE_PRESS = ("block_actions", "view_submission", "view_closed", "shortcut", "message_action")
# Fields Bolt reads as "a string, or an object with an id" at the top level, and in the
# nested objects it searches for a team, user or channel.
_ID_HOLDERS = ("team", "enterprise", "user", "channel")
_NESTED = ("event", "message", "previous_message", "item", "assistant_thread", "function_data")


def _level_problem(level: Mapping[str, Any], where: str) -> str | None:
    for key in _ID_HOLDERS:
        value = level.get(key)
        if value is None:
            continue
        if not isinstance(value, (str, dict)):
            return f"{where}{key} is neither text nor an object"
        held = value if isinstance(value, str) else value.get("id")
        if held is not None and not _is_slack_id(held):
            return f"{where}{key} is not a Slack id"
    for key in ("team_id", "user_id", "channel_id"):
        if level.get(key) is not None and not _is_slack_id(level[key]):
            return f"{where}{key} is not a Slack id"
    for key in _NESTED:
        if key not in level:
            continue
        value = level[key]
        if not isinstance(value, dict):  # Bolt reads some as .get(key, {}): null is no object
            return f"{where}{key} is not an object"
        problem = _level_problem(value, f"{where}{key}.")
        if problem:
            return problem
    for key in ("view", "container"):
        if level.get(key) is not None and not isinstance(level[key], dict):
            return f"{where}{key} is not an object"
    for key in ("authorizations", "response_urls"):
        value = level.get(key)
        if value is None:
            continue
        if not isinstance(value, list) or not all(isinstance(each, dict) for each in value):
            return f"{where}{key} is not a list of objects"
        for each in value:
            problem = _level_problem(each, f"{where}{key}[].")
            if problem:
                return problem
    return _strings(
        level,
        ("type", "team_id", "user_id", "channel_id", "response_url", "callback_id", "action_id"),
        False,
    )


def _strings(level: Mapping[str, Any], keys: Sequence[str], required: bool) -> str | None:
    for key in keys:
        value = level.get(key)
        if value is None and not required:
            continue
        if not isinstance(value, str):
            return f"{key} is missing or not text"
    return None


class ParsedRequest(BoltRequest):
    """A BoltRequest built from a body Keel has already parsed (HTTP mode: Bolt still checks
    the signature over `raw_body`, and never parses it again)."""

    def __init__(
        self,
        *,
        raw_body: str,
        body: dict[str, Any],
        headers: dict[str, str | Sequence[str]],
        query: str | dict[str, Sequence[str]] = "",
        context: BoltContext | None = None,
    ) -> None:
        super().__init__(body="", query=query, headers=headers, mode="http")
        self.raw_body = raw_body
        self.body = body
        self.context = context if context is not None else build_context(BoltContext(), body)

    def to_copyable(self) -> BoltRequest:
        """Bolt copies the request for lazy listeners by parsing `raw_body` again: copy the
        parsed body instead."""
        return ParsedRequest(
            raw_body=self.raw_body,
            body=copy.deepcopy(self.body),
            headers=dict(self.headers),
            query=self.query,
            context=self.context.to_copyable(),
        )
