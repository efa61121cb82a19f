"""Reading Slack view state: every input answers under the `input` action id, so each form
reads its fields the same way. Bad fields are collected as {block_id: message}."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.ids import ActionId, Block

# No record, action or objective date before this can be right (a picker left on year 1).
EARLIEST_DATE = date(1900, 1, 1)
TOO_EARLY = "That date is too far back: pick a day after 1900."


class FormErrors(Exception):
    """Input that cannot be saved: `errors` maps block ids to what the person should fix.
    Empty `errors` means the form itself no longer matches anything (stale or forged)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def _state_value(values: dict[str, Any], block: Block) -> dict[str, Any]:
    block_state = values.get(block.value) if isinstance(values, dict) else None
    element = block_state.get(ActionId.INPUT.value) if isinstance(block_state, dict) else None
    return element if isinstance(element, dict) else {}


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
    if not isinstance(option, dict) or option.get("value") is None:
        return None
    return str(option["value"])


def selected_date(values: dict[str, Any], block: Block) -> date | None:
    raw = _state_value(values, block).get("selected_date")
    if not raw:
        return None
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        return None


def selected_user(values: dict[str, Any], block: Block) -> str | None:
    user = _state_value(values, block).get("selected_user")
    return str(user) if user else None


def checked_values(values: dict[str, Any], block: Block) -> set[str]:
    options = _state_value(values, block).get("selected_options")
    if not isinstance(options, list):
        return set()
    return {str(o["value"]) for o in options if isinstance(o, dict) and "value" in o}


def state_of(view: Any) -> dict[str, Any]:
    """A submitted view's `state.values`; empty when the payload is not shaped as Slack's."""
    state = view.get("state") if isinstance(view, dict) else None
    values = state.get("values") if isinstance(state, dict) else None
    return values if isinstance(values, dict) else {}


class Collector:
    """Gathers every field's error so that the person sees them all at once."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values if isinstance(values, dict) else {}
        self.errors: dict[str, str] = {}

    def text(
        self, block: Block, message: str, *, required: bool = True, max_length: int | None = None
    ) -> str | None:
        """`max_length` checks what Slack's input should have refused: a forged or replayed
        form must not reach a column too short for it."""
        value = text_value(self.values, block)
        if value is None and required:
            self.errors[block.value] = message
        elif value is not None and max_length is not None and len(value) > max_length:
            self.errors[block.value] = f"Keep it under {max_length} characters."
        return value

    def user(self, block: Block, message: str) -> str:
        value = selected_user(self.values, block)
        if value is None:
            self.errors[block.value] = message
        return value or ""

    def date(
        self,
        block: Block,
        message: str | None,
        *,
        not_before: date | None = None,
        late_message: str = "Pick today or a later day.",
    ) -> date | None:
        value = selected_date(self.values, block)
        if value is None and message is not None:
            self.errors[block.value] = message
        elif value is not None and value < EARLIEST_DATE:
            self.errors[block.value] = TOO_EARLY
        elif value is not None and not_before is not None and value < not_before:
            self.errors[block.value] = late_message
        return value

    def choice(self, block: Block, message: str) -> str:
        value = selected_value(self.values, block)
        if value is None:
            self.errors[block.value] = message
        return value or ""

    def done(self) -> None:
        if self.errors:
            raise FormErrors(self.errors)
