"""The /nc settings form's state as Slack would send it back, from the form Keel opened."""

from __future__ import annotations

from typing import Any


def state_from_modal(view: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """Each input block's initial value as view state; `changes` replace a block's state."""
    values: dict[str, Any] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        element = block["element"]
        kind = element["type"]
        if kind == "conversations_select":
            state = {"type": kind, "selected_conversation": element.get("initial_conversation")}
        elif kind == "multi_users_select":
            state = {"type": kind, "selected_users": element.get("initial_users", [])}
        elif kind == "checkboxes":
            state = {"type": kind, "selected_options": element.get("initial_options", [])}
        elif kind == "static_select":
            state = {"type": kind, "selected_option": element.get("initial_option")}
        else:
            state = {"type": kind, "value": element.get("initial_value")}
        values[block["block_id"]] = {element["action_id"]: state}
    for block_id, state in changes.items():
        values[block_id] = {"input": state}
    return values


def checked(*values: str) -> dict[str, Any]:
    return {
        "type": "checkboxes",
        "selected_options": [
            {"text": {"type": "plain_text", "text": v}, "value": v} for v in values
        ],
    }


def typed(value: str | None) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}
