"""Values that come back on Keel's buttons, pickers and menus, parsed before use.

Keel wrote them, but a message from an older Keel, or a forged request, can send anything:
a bad one becomes DamagedButton, whose message tells the person what to do instead."""

from __future__ import annotations

import json
from datetime import date
from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.domain.errors import KeelError
from bot.domain.records import RecordKind
from bot.domain.registers import StatusFilter
from bot.forms.ids import Number, RowId
from bot.forms.state import EARLIEST_DATE

PAGE_MAX = 10_000

DAMAGED = (
    "This button is out of date or damaged, so Keel did nothing. Open the record again with "
    "`/nc` and its reference (for example `/nc NC-0007`), or see what is open with `/nc list`."
)
DAMAGED_OBJECTIVE = (
    "That objective is not in Keel any more. This button is out of date or damaged, so Keel "
    "did nothing: open the objective again with `/nc` and its reference (for example "
    "`/nc OBJ-1`), or see them all with `/nc objectives`."
)
DAMAGED_PROCESS = (
    "This picker is out of date or damaged, so Keel did nothing. "
    "Open the list again with `/nc processes`."
)


class DamagedButton(KeelError):
    """A button, picker or menu whose value Keel cannot read; nothing was done."""


def _dict(raw: Any) -> dict[str, Any]:
    return raw if isinstance(raw, dict) else {}


def _after_colon(raw: Any) -> str | None:
    """`"snooze:12"` -> `"12"`: the part of an action or block id after its first colon."""
    return str(raw).partition(":")[2] if isinstance(raw, str) else None


class Button(BaseModel):
    """One clicked element, read from Bolt's `action` (one entry of the payload's actions)."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    damaged: ClassVar[str] = DAMAGED

    @classmethod
    def fields_of(cls, action: dict[str, Any]) -> dict[str, Any]:
        return {"value": action.get("value")}

    @classmethod
    def read(cls, action: Any) -> Self:
        try:
            return cls.model_validate(cls.fields_of(_dict(action)))
        except (ValidationError, ValueError, RecursionError):
            raise DamagedButton(cls.damaged) from None


class RecordButton(Button):
    """A record card button; its value is the record's id."""

    value: RowId

    @property
    def id(self) -> int:
        return self.value


class ActionButton(RecordButton):
    """A button on an action's message or an extension request; its value is the action's id."""


class MenuPick(Button):
    """An option picked in an overflow menu: `"<action id>:<value>"`, the button it stands for
    (bot/handlers/registry.py reads `value` with that button's own form)."""

    action_id: str = Field(min_length=1, max_length=255)
    value: str = Field(max_length=2000)

    @classmethod
    def fields_of(cls, action: dict[str, Any]) -> dict[str, Any]:
        picked = _dict(action.get("selected_option")).get("value")
        if not isinstance(picked, str) or ":" not in picked:
            return {}
        raw_action, _, raw_value = picked.partition(":")
        return {"action_id": raw_action, "value": raw_value}


class RecordNumberButton(Button):
    """The "View record and history" button; its value is the record's number (7: NC-0007)."""

    value: Number


class ListPageButton(Button):
    """`/nc list`'s pager: `{"mine": true, "page": 2}`, and the filter when there is one:
    `"status": "closed"`, `"kind": "near_miss"`, `"process": 3` (a process id). A button
    from before filters carries only mine and page, and means open records."""

    mine: bool = Field(strict=True)
    page: int = Field(strict=True, ge=1, le=PAGE_MAX)
    status: StatusFilter = StatusFilter.OPEN
    kind: RecordKind | None = None
    process: RowId | None = None

    @classmethod
    def fields_of(cls, action: dict[str, Any]) -> dict[str, Any]:
        return _json_value(action)


def _json_value(action: dict[str, Any]) -> dict[str, Any]:
    value = action.get("value")
    loaded = json.loads(value) if isinstance(value, str) else None  # ValueError: damaged
    return _dict(loaded)


class ActionsPageButton(Button):
    """`/nc actions`' pager: `{"mine": false, "page": 2}`."""

    mine: bool = Field(strict=True)
    page: int = Field(strict=True, ge=1, le=PAGE_MAX)
    damaged: ClassVar[str] = (
        "This button is out of date or damaged, so Keel did nothing. "
        "See the open actions again with `/nc actions` (or `/nc actions all`)."
    )

    @classmethod
    def fields_of(cls, action: dict[str, Any]) -> dict[str, Any]:
        return _json_value(action)


class SnoozePick(Button):
    """The digest's "Snooze until…" picker: action id `snooze:<action id>`, a picked day."""

    action_id: RowId
    until: date = Field(strict=False, ge=EARLIEST_DATE)

    @classmethod
    def fields_of(cls, action: dict[str, Any]) -> dict[str, Any]:
        return {
            "action_id": _after_colon(action.get("action_id")),
            "until": action.get("selected_date"),
        }


class ObjectiveButton(Button):
    """An objective's button: its id, with `:<period start>` from a daily digest line."""

    damaged: ClassVar[str] = DAMAGED_OBJECTIVE
    objective_id: RowId
    period: date | None = Field(default=None, ge=EARLIEST_DATE)

    @property
    def id(self) -> int:
        return self.objective_id

    @classmethod
    def fields_of(cls, action: dict[str, Any]) -> dict[str, Any]:
        value = action.get("value")
        raw_id, _, raw_period = value.partition(":") if isinstance(value, str) else ("", "", "")
        return {"objective_id": raw_id, "period": raw_period or None}


class ProcessOwnerPick(Button):
    """The processes form's owner picker: block id `<block>:<process id>`, a person or none."""

    damaged: ClassVar[str] = DAMAGED_PROCESS
    process_id: RowId
    owner_id: str | None = Field(default=None, min_length=1, max_length=40)

    @classmethod
    def fields_of(cls, action: dict[str, Any]) -> dict[str, Any]:
        block_id = action.get("block_id")
        raw_id = block_id.rpartition(":")[2] if isinstance(block_id, str) else None
        return {"process_id": raw_id, "owner_id": action.get("selected_user")}
