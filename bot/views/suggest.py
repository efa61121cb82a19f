""" "Did you mean `/nc list`?": the answer to a short text that looks like a mistyped
subcommand, so that a typo never becomes a record."""

from __future__ import annotations

from typing import Any

from bot.domain.text import escape, truncate
from bot.ids import ActionId

# Subcommands that need more than their name: the answer says how to use them instead.
USAGE = {
    "channel": "`/nc channel #channel` chooses the channel where new records are posted.",
    "digest": "`/nc digest #channel` chooses the channel for the weekly objectives digest.",
    "leads": "`/nc leads @name @name` chooses the leads, who triage records and run Keel.",
    "auditors": "`/nc auditors @name @name` keeps the list of qualified internal auditors.",
}
BUTTON_VALUE_MAX = 2000
BUTTON_TEXT_MAX = 75


def suggestion_blocks(suggestion: str, title: str) -> tuple[str, list[dict[str, Any]]]:
    """The private answer: what they probably meant, and a way to raise the record after all."""
    raise_label = truncate(f"Raise a record titled “{title}”", BUTTON_TEXT_MAX)
    raise_button = {
        "type": "button",
        "text": {"type": "plain_text", "text": raise_label, "emoji": True},
        "action_id": ActionId.RAISE_TITLED.value,
        "value": truncate(title, BUTTON_VALUE_MAX),
    }
    if suggestion in USAGE:
        text = USAGE[suggestion]
        buttons = [raise_button]
    else:
        text = f"Did you mean `/nc {suggestion}`?"
        buttons = [
            {
                "type": "button",
                "text": {"type": "plain_text", "text": f"/nc {suggestion}", "emoji": True},
                "action_id": ActionId.RUN_SUGGESTED.value,
                "value": suggestion,
                "style": "primary",
            },
            raise_button,
        ]
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": text}},
        {"type": "actions", "elements": buttons},
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": f"You typed `/nc {escape(truncate(title, 200))}`. "
                    "`/nc help` lists every command.",
                }
            ],
        },
    ]
    return text, blocks
