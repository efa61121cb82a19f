"""Finding a message Keel posted earlier by the metadata it carries: when Slack's answer to a
post was lost (a timeout, a 5xx after Slack acted), this tells a retry whether the message
exists, so that it is neither posted twice nor lost."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_sdk import WebClient

PAGES = 5  # of 200 messages: a busy channel's two days of retries
CLOCK_SLACK_SECONDS = 60  # clocks differ: look a little before the message was queued


def metadata(event_type: str, **payload: Any) -> dict[str, Any]:
    """Message metadata naming what a message is, for `find_posted` to find it by."""
    return {"event_type": event_type, "event_payload": payload}


class CannotSay(Exception):
    """Slack's history was searched as far as Keel looks, and the message was not in it."""


def find_posted(
    client: WebClient, channel: str, *, event_type: str, key: str, value: Any, since: datetime
) -> dict[str, Any] | None:
    """The message in `channel` posted since `since` whose metadata has `event_type` and
    `key` = `value`, with the channel it is in; None when there is none. Raises SlackApiError
    when Slack cannot say, and CannotSay when there are more messages than Keel reads."""
    oldest = f"{since.timestamp() - CLOCK_SLACK_SECONDS:.6f}"
    cursor = None
    for _ in range(PAGES):
        page = client.conversations_history(
            channel=channel, oldest=oldest, limit=200, include_all_metadata=True, cursor=cursor
        )
        for found in page.get("messages") or []:
            about = found.get("metadata") or {}
            if (
                about.get("event_type") == event_type
                and (about.get("event_payload") or {}).get(key) == value
            ):
                return {**found, "channel": str(page.get("channel") or channel)}
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return None
    raise CannotSay(f"more than {PAGES} pages of history in {channel}")
