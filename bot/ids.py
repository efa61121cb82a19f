"""Every callback_id, block_id and action_id Keel uses, in one place."""

from __future__ import annotations

from enum import StrEnum


class View(StrEnum):
    RAISE_RECORD = "raise_record"
    RECORD_RAISED = "record_raised"


class Block(StrEnum):
    KIND = "kind"
    TITLE = "title"
    DESCRIPTION = "description"
    LOCATION = "location"
    OCCURRED = "occurred"
    SEVERITY = "severity"
    CONTAINMENT = "containment"
    ANONYMOUS = "anonymous"
    SOURCE = "source"
    CARD_ACTIONS = "card_actions"
    LIST_PAGER = "list_pager"


class Action(StrEnum):
    INPUT = "input"
    ANONYMOUS_YES = "anonymous"
    VIEW_RECORD = "view_record"
    LIST_PAGE = "list_page"


class Shortcut(StrEnum):
    RAISE_FROM_MESSAGE = "raise_from_message"


SLASH_COMMAND = "/nc"
