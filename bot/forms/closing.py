"""The questions asked on closing a record (ISO 9001 10.2.1 e, f): view state -> answers."""

from __future__ import annotations

from typing import Any, NamedTuple

from bot.domain.records import ClosingAnswers
from bot.forms.state import Collector, selected_value
from bot.ids import Block

YES = "yes"
NO = "no"
_ANSWERS = {YES: True, NO: False}
CHANGES_NEEDED = "Say what will change: it is kept with the record."
CHANGES_MAX = 1000


def _answer(form: Collector, block: Block) -> bool | None:
    raw = selected_value(form.values, block)
    if raw is None:
        return None
    if raw not in _ANSWERS:
        form.errors[block.value] = "Choose Yes or No."
        return None
    return _ANSWERS[raw]


class CloseForm(NamedTuple):
    override_reason: str | None  # None: the form closes a record with nothing open
    answers: ClosingAnswers


def parse_close_form(values: dict[str, Any]) -> CloseForm:
    """The Close record form; it has the reason field only when a lead closes a record with
    open points. Every field's problem is shown at once."""
    form = Collector(values)
    reason = None
    if isinstance(values, dict) and Block.REASON.value in values:
        reason = form.text(Block.REASON, "Give the reason.") or ""
    answers = _answers(form)
    form.done()
    return CloseForm(reason, answers)


def _answers(form: Collector) -> ClosingAnswers:
    """Both questions may be left unanswered (the history says so); a Yes needs its change."""
    risks = _answer(form, Block.RISKS_UPDATE)
    system = _answer(form, Block.SYSTEM_CHANGE)
    changes = form.text(
        Block.CLOSING_CHANGES,
        CHANGES_NEEDED,
        required=bool(risks or system),
        max_length=CHANGES_MAX,
    )
    return ClosingAnswers(risks_update_needed=risks, system_change_needed=system, changes=changes)
