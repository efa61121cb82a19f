"""Row ids and reference numbers read from Slack: within the database's integer range."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field

# The database's integer columns: ids are 64-bit on PostgreSQL, numbers (NC-0007) 32-bit.
ROW_ID_MAX = 2**63 - 1
NUMBER_MAX = 2**31 - 1


def _whole_number(raw: Any) -> int:
    """An int, or its decimal digits as text (Slack values are strings); no bool, no float."""
    if type(raw) is int:
        return raw
    if isinstance(raw, str) and 0 < len(raw) <= 20 and raw.isascii() and raw.isdigit():
        return int(raw)
    raise ValueError("not a whole number")


RowId = Annotated[int, BeforeValidator(_whole_number), Field(ge=1, le=ROW_ID_MAX)]
Number = Annotated[int, BeforeValidator(_whole_number), Field(ge=1, le=NUMBER_MAX)]


# Slack's view ids are short ASCII ("V0123ABC"); the column holds 64 characters.
VIEW_ID_MAX = 64


def view_id_of(view: Any) -> str | None:
    """The id Slack gave a modal, which a resubmission of it repeats; None if not one."""
    raw = view.get("id") if isinstance(view, dict) else None
    if isinstance(raw, str) and 0 < len(raw) <= VIEW_ID_MAX and raw.isascii() and raw.isalnum():
        return raw
    return None
