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


def menu_labels(node: Any) -> list[str]:
    """The options of every overflow menu, in order."""
    return [option["text"]["text"] for _, option in _menu_options(node)]


def find_option(node: Any, label: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The overflow menu holding the option labelled `label`, and that option."""
    for menu, option in _menu_options(node):
        if option["text"]["text"] == label:
            return menu, option
    raise LookupError(label)


def _menu_options(node: Any) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    found: list[tuple[dict[str, Any], dict[str, Any]]] = []
    if isinstance(node, dict):
        if node.get("type") == "overflow":
            found.extend((node, option) for option in node["options"])
        for value in node.values():
            found.extend(_menu_options(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_menu_options(item))
    return found
