"""Reading Block Kit in tests: the texts Slack would render as mrkdwn, and labels."""

from __future__ import annotations

from typing import Any


def mrkdwn_texts(node: Any) -> list[str]:
    """Every mrkdwn text object's text, anywhere in blocks or a view."""
    found: list[str] = []
    if isinstance(node, dict):
        if node.get("type") == "mrkdwn" and isinstance(node.get("text"), str):
            found.append(node["text"])
        for value in node.values():
            found.extend(mrkdwn_texts(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(mrkdwn_texts(item))
    return found


def button_labels(node: Any) -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        if node.get("type") == "button":
            found.append(node["text"]["text"])
        for value in node.values():
            found.extend(button_labels(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(button_labels(item))
    return found


def find_button(node: Any, label: str) -> dict[str, Any]:
    if isinstance(node, dict):
        if node.get("type") == "button" and node["text"]["text"] == label:
            return node
        for value in node.values():
            try:
                return find_button(value, label)
            except LookupError:
                continue
    elif isinstance(node, list):
        for item in node:
            try:
                return find_button(item, label)
            except LookupError:
                continue
    raise LookupError(label)
