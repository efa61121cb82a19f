"""Block Kit as plain dicts, for what Keel sends most: record cards, confirmations and daily
digests. slack_sdk's models validate every object as they are turned into JSON, which
costs about a millisecond a card and more than the rest of the work of sending it; the pure
tests parse and validate these dicts with slack_sdk instead (tests/pure/blockkit.py)."""

from __future__ import annotations

from typing import Any

from bot.domain.text import truncate

RawBlock = dict[str, Any]

SECTION_TEXT_MAX = 3000
HEADER_TEXT_MAX = 150


def plain(text: str) -> RawBlock:
    return {"type": "plain_text", "text": text, "emoji": True}


def mrkdwn(text: str) -> RawBlock:
    return {"type": "mrkdwn", "text": text}


def header(text: str) -> RawBlock:
    return {"type": "header", "text": plain(truncate(text, HEADER_TEXT_MAX))}


def section(text: str) -> RawBlock:
    """A section of mrkdwn; callers escape user text before it gets here."""
    return {"type": "section", "text": mrkdwn(truncate(text, SECTION_TEXT_MAX))}


def fields(texts: list[str]) -> RawBlock:
    """A section of mrkdwn fields, shown two to a row."""
    return {"type": "section", "fields": [mrkdwn(text) for text in texts]}


def context(text: str) -> RawBlock:
    return {"type": "context", "elements": [mrkdwn(truncate(text, SECTION_TEXT_MAX))]}


def divider() -> RawBlock:
    return {"type": "divider"}


def button(label: str, action_id: str, value: str, *, primary: bool = False) -> RawBlock:
    element: RawBlock = {
        "type": "button",
        "text": plain(label),
        "action_id": str(action_id),
        "value": value,
    }
    if primary:
        element["style"] = "primary"
    return element


def actions(elements: list[RawBlock], *, block_id: str | None = None) -> RawBlock:
    block: RawBlock = {"type": "actions", "elements": elements}
    if block_id is not None:
        block["block_id"] = str(block_id)
    return block


def modal(callback_id: str, title: str, blocks: list[RawBlock], *, close: str) -> RawBlock:
    """A modal with no submit button, such as the one a saved form turns into."""
    return {
        "type": "modal",
        "callback_id": str(callback_id),
        "title": plain(title),
        "close": plain(close),
        "blocks": blocks,
    }
