"""Form input parsed at the edge: Slack view state -> validated models, or {block_id: message}."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.domain.records import ANONYMOUS_KINDS, RecordKind, Severity
from bot.ids import ActionId, Block

TITLE_MAX = 150
DESCRIPTION_MAX = 3000
LOCATION_MAX = 200
CONTAINMENT_MAX = 3000


class FormErrors(Exception):
    """Input that cannot be saved: `errors` maps block ids to what the person should fix."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def _state_value(values: dict[str, Any], block: Block) -> dict[str, Any]:
    return dict(values.get(block.value, {}).get(ActionId.INPUT.value, {}) or {})


def text_value(values: dict[str, Any], block: Block) -> str | None:
    """A plain_text_input's value, stripped; None when empty."""
    raw = _state_value(values, block).get("value")
    if raw is None:
        return None
    # NUL cannot be stored in PostgreSQL text and means nothing to a reader.
    stripped = str(raw).replace("\x00", "").strip()
    return stripped or None


def selected_value(values: dict[str, Any], block: Block) -> str | None:
    option = _state_value(values, block).get("selected_option")
    return str(option["value"]) if option else None


def selected_date(values: dict[str, Any], block: Block) -> date | None:
    raw = _state_value(values, block).get("selected_date")
    if not raw:
        return None
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        return None


def checked_values(values: dict[str, Any], block: Block) -> set[str]:
    options = _state_value(values, block).get("selected_options") or []
    return {str(option["value"]) for option in options}


class RecordMetadata(BaseModel):
    """What the record form carries in `private_metadata` between opening and submission."""

    model_config = ConfigDict(extra="ignore")

    channel_id: str | None = None
    permalink: str | None = None

    def dump(self) -> str:
        return self.model_dump_json(exclude_none=True)

    @classmethod
    def load(cls, raw: str | None) -> RecordMetadata:
        if not raw:
            return cls()
        try:
            return cls.model_validate(json.loads(raw))
        except (ValueError, ValidationError):
            # Slack sends back exactly what we stored; anything else is not worth failing on.
            return cls()


class RecordForm(BaseModel):
    """A record as the reporter submitted it, validated."""

    kind: RecordKind
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    description: str = Field(min_length=1, max_length=DESCRIPTION_MAX)
    location: str | None = Field(default=None, max_length=LOCATION_MAX)
    occurred_date: date
    severity: Severity = Severity.MEDIUM
    containment: str | None = Field(default=None, max_length=CONTAINMENT_MAX)
    anonymous: bool = False
    permalink: str | None = None
    process_id: int | None = None

    @field_validator("title", "description")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()


_FIELD_BLOCKS = {
    "kind": Block.KIND,
    "title": Block.TITLE,
    "description": Block.DESCRIPTION,
    "location": Block.LOCATION,
    "occurred_date": Block.OCCURRED,
    "severity": Block.SEVERITY,
    "containment": Block.CONTAINMENT,
}

_FIELD_MESSAGES = {
    "kind": "Choose what kind of record this is.",
    "title": f"Give it a short title (up to {TITLE_MAX} characters).",
    "description": f"Say what happened (up to {DESCRIPTION_MAX} characters).",
    "location": f"Keep it under {LOCATION_MAX} characters.",
    "occurred_date": "Pick the date it happened.",
    "severity": "Choose a severity.",
    "containment": f"Keep it under {CONTAINMENT_MAX} characters.",
}


def parse_record_form(values: dict[str, Any], metadata: RecordMetadata, today: date) -> RecordForm:
    """Turn the submitted record form into a RecordForm, or raise FormErrors.

    `today` is the reporter's local date: a record cannot have happened in the future.
    """
    raw = {
        "kind": selected_value(values, Block.KIND),
        "title": text_value(values, Block.TITLE),
        "description": text_value(values, Block.DESCRIPTION),
        "location": text_value(values, Block.LOCATION),
        "occurred_date": selected_date(values, Block.OCCURRED),
        "severity": selected_value(values, Block.SEVERITY) or Severity.MEDIUM.value,
        "containment": text_value(values, Block.CONTAINMENT),
        "anonymous": ActionId.ANONYMOUS_YES.value in checked_values(values, Block.ANONYMOUS),
        "permalink": metadata.permalink,
        "process_id": _int_or_none(selected_value(values, Block.PROCESS)),
    }
    errors = _cross_field_errors(raw, today)
    try:
        form = RecordForm.model_validate(raw)
    except ValidationError as error:
        for issue in error.errors():
            field = str(issue["loc"][0]) if issue["loc"] else ""
            block = _FIELD_BLOCKS.get(field)
            if block is not None:
                errors.setdefault(block.value, _FIELD_MESSAGES[field])
        raise FormErrors(errors or {Block.TITLE.value: "Please check the form."}) from None
    if errors:
        raise FormErrors(errors)
    return form


def _int_or_none(raw: str | None) -> int | None:
    return int(raw) if raw is not None and raw.isdigit() else None


def _cross_field_errors(raw: dict[str, Any], today: date) -> dict[str, str]:
    """Rules across fields, checked even when single fields fail, so all errors show at once."""
    errors: dict[str, str] = {}
    occurred = raw["occurred_date"]
    if isinstance(occurred, date) and occurred > today:
        errors[Block.OCCURRED.value] = "That date is in the future: pick the day it happened."
    if raw["anonymous"] and raw["kind"] not in {kind.value for kind in ANONYMOUS_KINDS}:
        errors[Block.ANONYMOUS.value] = (
            "Only near misses can be reported anonymously: choose Near miss, or untick this."
        )
    return errors
