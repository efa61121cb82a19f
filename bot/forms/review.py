"""The management review's forms and buttons (bot/handlers/review.py), parsed and checked."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from bot.domain.review import DecisionCategory
from bot.forms.buttons import Button
from bot.forms.ids import RowId
from bot.forms.metadata import _Ref
from bot.forms.state import Collector, FormErrors, selected_user
from bot.ids import ActionId, Block

ATTENDEES_MAX = 50
DECISION_MAX = 3000
_USER = re.compile(r"^[UW][A-Z0-9]{2,31}$")
DAMAGED_REVIEW = (
    "That management review is not in Keel any more, or this button is out of date, so Keel "
    "did nothing. See the review again with `/nc review`."
)


class ReviewRef(_Ref):
    """A form about one review: `{"review": 3}`; a new review's plan has none."""

    review: RowId | None = None


class ReviewButton(Button):
    """Plan review, Share the pack, Record decisions: the value is the review id or "new"."""

    damaged: ClassVar[str] = DAMAGED_REVIEW
    value: RowId | None

    @classmethod
    def fields_of(cls, action: dict[str, Any]) -> dict[str, Any]:
        value = action.get("value")
        return {"value": None if value == "new" else value}


class PlanFields(BaseModel):
    model_config = ConfigDict(frozen=True)

    planned_date: date
    attendee_ids: tuple[str, ...] = Field(min_length=1, max_length=ATTENDEES_MAX)


class DecisionFields(BaseModel):
    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    category: DecisionCategory
    text: str = Field(min_length=1, max_length=DECISION_MAX)
    owner_id: str | None = None
    due_date: date | None = None
    next_review_date: date | None = None

    @property
    def is_action(self) -> bool:
        return self.owner_id is not None and self.due_date is not None


def _selected_users(values: dict[str, Any], block: Block) -> list[str]:
    state = values.get(block.value) if isinstance(values, dict) else None
    element = state.get(ActionId.INPUT.value) if isinstance(state, dict) else None
    users = element.get("selected_users") if isinstance(element, dict) else None
    if not isinstance(users, list):
        return []
    return [str(u) for u in users if isinstance(u, str) and _USER.match(u)]


def parse_plan(values: dict[str, Any], *, today: date) -> PlanFields:
    """The planned date (today or later) and who attends (at least one person)."""
    fields = Collector(values)
    planned = fields.date(
        Block.REVIEW_DATE,
        "Pick the day of the review.",
        not_before=today,
        late_message="The review is planned: pick today or a later day.",
    )
    attendees = list(dict.fromkeys(_selected_users(values, Block.ATTENDEES)))
    if not attendees:
        fields.errors[Block.ATTENDEES.value] = "Choose who attends: top management at least."
    elif len(attendees) > ATTENDEES_MAX:
        fields.errors[Block.ATTENDEES.value] = f"Choose at most {ATTENDEES_MAX} people."
    fields.done()
    assert planned is not None
    return PlanFields(planned_date=planned, attendee_ids=tuple(attendees))


def parse_decision(values: dict[str, Any], *, today: date, review_date: date) -> DecisionFields:
    """One output of the review; an owner and a due date together make it an action."""
    fields = Collector(values)
    raw_category = fields.choice(Block.DECISION_CATEGORY, "Choose what kind of output it is.")
    text = fields.text(Block.DECISION_TEXT, "Write down what the review decided.")
    if text is not None and len(text) > DECISION_MAX:
        fields.errors[Block.DECISION_TEXT.value] = f"Keep it under {DECISION_MAX} characters."
    owner = selected_user(values, Block.OWNER)
    due = fields.date(Block.DUE_DATE, None, not_before=today)
    if (owner is None) != (due is None):
        missing = Block.DUE_DATE if owner else Block.OWNER
        fields.errors[missing.value] = "An action needs both an owner and a due date."
    after = review_date if review_date > today else today
    next_date = fields.date(
        Block.NEXT_REVIEW_DATE,
        None,
        not_before=after + timedelta(days=1),
        late_message="The next review comes after this one: pick a later day.",
    )
    try:
        category = DecisionCategory(raw_category) if raw_category else None
    except ValueError:
        raise FormErrors({}) from None
    fields.done()
    assert category is not None and text is not None
    return DecisionFields(
        category=category, text=text, owner_id=owner, due_date=due, next_review_date=next_date
    )
