"""Form input parsed at the edge: Slack view state -> validated models, or {block_id: message}."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from pydantic import BaseModel, Field, ValidationError, field_validator

from bot.domain.records import ANONYMOUS_KINDS, RecordKind, Severity
from bot.forms.ids import RowId
from bot.forms.metadata import RecordMetadata, slack_permalink
from bot.forms.state import (
    EARLIEST_DATE,
    FormErrors,
    checked_values,
    selected_date,
    selected_value,
    text_value,
)
from bot.ids import ActionId, Block

__all__ = ["FormErrors", "RecordForm", "RecordMetadata", "parse_record_form"]

TITLE_MAX = 150
DESCRIPTION_MAX = 3000
LOCATION_MAX = 200
CONTAINMENT_MAX = 3000


class RecordForm(BaseModel):
    """A record as the reporter submitted it, validated."""

    kind: RecordKind
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    description: str = Field(min_length=1, max_length=DESCRIPTION_MAX)
    location: str | None = Field(default=None, max_length=LOCATION_MAX)
    occurred_date: date
    severity: Severity  # the form asks for it and preselects none
    containment: str | None = Field(default=None, max_length=CONTAINMENT_MAX)
    anonymous: bool = False
    permalink: str | None = None
    process_id: RowId | None = None

    @field_validator("title", "description")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()

    @field_validator("permalink", mode="after")
    @classmethod
    def _only_a_permalink(cls, value: str | None) -> str | None:
        return slack_permalink(value)


_FIELD_BLOCKS = {
    "kind": Block.KIND,
    "title": Block.TITLE,
    "description": Block.DESCRIPTION,
    "location": Block.LOCATION,
    "occurred_date": Block.OCCURRED,
    "severity": Block.SEVERITY,
    "containment": Block.CONTAINMENT,
    "process_id": Block.PROCESS,
}

_FIELD_MESSAGES = {
    "kind": "Choose what kind of record this is.",
    "title": f"Give it a short title (up to {TITLE_MAX} characters).",
    "description": f"Say what happened (up to {DESCRIPTION_MAX} characters).",
    "location": f"Keep it under {LOCATION_MAX} characters.",
    "occurred_date": "Pick the date it happened.",
    "severity": "Choose a severity.",
    "containment": f"Keep it under {CONTAINMENT_MAX} characters.",
    "process_id": "That process is not in Keel any more: choose another.",
}


def parse_record_form(
    values: dict[str, Any],
    metadata: RecordMetadata,
    today: date,
    *,
    process_ids: Collection[int] = (),
) -> RecordForm:
    """Turn the submitted record form into a RecordForm, or raise FormErrors.

    `today` is the latest date anywhere: a record cannot have happened after it.
    `process_ids` are the processes the form may name.
    """
    raw = {
        "kind": selected_value(values, Block.KIND),
        "title": text_value(values, Block.TITLE),
        "description": text_value(values, Block.DESCRIPTION),
        "location": text_value(values, Block.LOCATION),
        "occurred_date": selected_date(values, Block.OCCURRED),
        "severity": selected_value(values, Block.SEVERITY),  # required: None is refused
        "containment": text_value(values, Block.CONTAINMENT),
        "anonymous": ActionId.ANONYMOUS_YES.value in checked_values(values, Block.ANONYMOUS),
        "permalink": metadata.permalink,
        "process_id": selected_value(values, Block.PROCESS),
    }
    errors = _cross_field_errors(raw, today, process_ids)
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


def _cross_field_errors(
    raw: dict[str, Any], today: date, process_ids: Collection[int]
) -> dict[str, str]:
    """Rules across fields, checked even when single fields fail, so all errors show at once."""
    errors: dict[str, str] = {}
    occurred = raw["occurred_date"]
    if isinstance(occurred, date) and occurred > today:
        errors[Block.OCCURRED.value] = "That date is in the future: pick the day it happened."
    elif isinstance(occurred, date) and occurred < EARLIEST_DATE:
        errors[Block.OCCURRED.value] = "That date is too far back: pick the day it happened."
    process = raw["process_id"]
    if process is not None and process not in {str(known) for known in process_ids}:
        errors[Block.PROCESS.value] = "That process is not in Keel any more: choose another."
    if raw["anonymous"] and raw["kind"] not in {kind.value for kind in ANONYMOUS_KINDS}:
        errors[Block.ANONYMOUS.value] = (
            "Only near misses can be reported anonymously: choose Near miss, or untick this."
        )
    return errors
