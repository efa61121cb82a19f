"""Checking Block Kit output against Slack's limits, the way Slack would refuse it."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

MESSAGE_BLOCKS_MAX = 50
SURFACE_BLOCKS_MAX = 100  # modals and the Home tab
SECTION_TEXT_MAX = 3000
SECTION_FIELD_MAX = 2000
BUTTON_TEXT_MAX = 75
OPTION_TEXT_MAX = 75
INPUT_MAX_LENGTH_MAX = 3000

# A label that reads like an id (`view_record`, `list_page:next`) is not a human label.
_ID_LIKE = re.compile(r"[a-z0-9_:.-]+")


def walk(node: Any) -> Iterator[dict[str, Any]]:
    """Every dict anywhere in `node`, depth first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item)


def is_human_label(text: str) -> bool:
    return bool(text.strip()) and any(c.isalpha() for c in text) and not _ID_LIKE.fullmatch(text)


def check_surface_rules(node: Any) -> None:
    """Limits slack_sdk does not check itself, and labels a person can read."""
    for part in walk(node):
        kind = part.get("type")
        if kind == "input":
            assert is_human_label(part["label"]["text"]), part
        if kind == "button":
            label = part["text"]["text"]
            assert is_human_label(label), part
            assert len(label) <= BUTTON_TEXT_MAX, label
        if kind == "plain_text_input" and "max_length" in part:
            assert part["max_length"] <= INPUT_MAX_LENGTH_MAX, part
        if kind == "section":
            if "text" in part:
                assert len(part["text"]["text"]) <= SECTION_TEXT_MAX
            for field in part.get("fields", []):
                assert len(field["text"]) <= SECTION_FIELD_MAX
        for option in [*part.get("options", []), part.get("initial_option") or {}]:
            if option:
                assert len(option["text"]["text"]) <= OPTION_TEXT_MAX, option


def message_blocks(blocks: Sequence[Block | dict[str, Any]]) -> list[dict[str, Any]]:
    """Blocks of a message as Slack receives them, after checking they would be accepted.
    Views build slack_sdk models or plain dicts (bot/views/raw.py); a dict must parse into
    slack_sdk's model and come back unchanged, so no field Slack does not know slips by."""
    assert len(blocks) <= MESSAGE_BLOCKS_MAX
    dicts = [block if isinstance(block, dict) else block.to_dict() for block in blocks]
    for raw in dicts:
        parsed = Block.parse(raw)
        assert parsed is not None, raw
        assert parsed.to_dict() == raw  # validates lengths and required fields, drops nothing
    check_surface_rules(dicts)
    return dicts


def surface(view: View | dict[str, Any]) -> dict[str, Any]:
    """A modal or Home tab as Slack receives it, after checking it would be accepted (a view
    built as plain dicts must come back unchanged through slack_sdk's model)."""
    raw = view if isinstance(view, dict) else view.to_dict()
    assert View(**raw).to_dict() == raw
    assert len(raw["blocks"]) <= SURFACE_BLOCKS_MAX
    check_surface_rules(raw)
    return raw


def without(text: str, *allowed: str) -> str:
    """`text` with Keel's own mentions and links taken out, leaving what came from users."""
    for token in allowed:
        text = text.replace(token, "")
    return text
