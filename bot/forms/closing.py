"""The questions asked on closing a record (ISO 9001 10.2.1 e, f): view state -> answers."""

from __future__ import annotations

from typing import Any

from bot.domain.records import ClosingAnswers
from bot.forms.state import Collector, selected_value
from bot.ids import Block

YES = "yes"
NO = "no"
_ANSWERS = {YES: True, NO: False}
CHANGES_NEEDED = "Say what will change: it is kept with the record."


def _answer(form: Collector, block: Block) -> bool | None:
    raw = selected_value(form.values, block)
    if raw is None:
        return None
    if raw not in _ANSWERS:
        form.errors[block.value] = "Choose Yes or No."
        return None
    return _ANSWERS[raw]


def parse_closing(values: dict[str, Any]) -> ClosingAnswers:
    """Both questions may be left unanswered (the history says so); a Yes needs its change."""
    form = Collector(values)
    risks = _answer(form, Block.RISKS_UPDATE)
    system = _answer(form, Block.SYSTEM_CHANGE)
    changes = form.text(Block.CLOSING_CHANGES, CHANGES_NEEDED, required=bool(risks or system))
    form.done()
    return ClosingAnswers(risks_update_needed=risks, system_change_needed=system, changes=changes)
