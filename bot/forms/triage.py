"""The forms behind the record card's buttons: view state -> models, or FormErrors."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict

from bot.domain.actions import ActionKind
from bot.domain.records import RecordStatus, Severity
from bot.forms.state import Collector, text_value
from bot.ids import WHY_BLOCKS, Block


class _Parsed(BaseModel):
    model_config = ConfigDict(frozen=True)


class RootCause(_Parsed):
    whys: list[str]
    statement: str
    category: str
    elsewhere: str | None


class NewAction(_Parsed):
    kind: ActionKind
    description: str
    owner_id: str
    due_date: date
    check_date: date | None = None
    criterion: str | None = None


def parse_owner(values: dict[str, Any]) -> str:
    form = Collector(values)
    owner = form.user(Block.OWNER, "Choose the owner.")
    form.done()
    return owner


def parse_root_cause(values: dict[str, Any], categories: list[str]) -> RootCause:
    form = Collector(values)
    whys = [text_value(form.values, block) for block in WHY_BLOCKS]
    if not whys[0]:
        form.errors[WHY_BLOCKS[0].value] = "Start with why it happened."
    statement = form.text(Block.ROOT_CAUSE, "State the root cause.")
    category = form.choice(Block.CAUSE_CATEGORY, "Choose a cause category.")
    if category and category not in categories:
        form.errors[Block.CAUSE_CATEGORY.value] = "Choose one of the listed categories."
    elsewhere = form.text(Block.ELSEWHERE, "", required=False)
    form.done()
    return RootCause(
        whys=[why for why in whys if why],
        statement=statement or "",
        category=category,
        elsewhere=elsewhere,
    )


def parse_status(values: dict[str, Any]) -> RecordStatus:
    form = Collector(values)
    raw = form.choice(Block.STATUS, "Choose the new status.")
    if raw and raw not in set(RecordStatus):
        form.errors[Block.STATUS.value] = "Choose one of the listed statuses."
    form.done()
    return RecordStatus(raw)


def parse_severity(values: dict[str, Any]) -> Severity:
    form = Collector(values)
    raw = form.choice(Block.SEVERITY, "Choose a severity.")
    if raw and raw not in set(Severity):
        form.errors[Block.SEVERITY.value] = "Choose one of the listed severities."
    form.done()
    return Severity(raw)


def parse_reason(values: dict[str, Any], message: str = "Give the reason.") -> str:
    form = Collector(values)
    reason = form.text(Block.REASON, message)
    form.done()
    return reason or ""


def parse_new_action(values: dict[str, Any], today: date) -> NewAction:
    form = Collector(values)
    raw_kind = form.choice(Block.ACTION_KIND, "Choose the kind of action.") or "corrective"
    if raw_kind not in set(ActionKind):
        form.errors[Block.ACTION_KIND.value] = "Choose one of the listed kinds."
    kind = ActionKind(raw_kind) if raw_kind in set(ActionKind) else ActionKind.CORRECTIVE
    description = form.text(Block.DESCRIPTION, "Say what will be done.")
    owner = form.user(Block.OWNER, "Choose who owns the action.")
    due = form.date(
        Block.DUE_DATE,
        "Pick the due date.",
        not_before=today,
        late_message="The due date is in the past: pick today or a later day.",
    )
    check = form.date(Block.CHECK_DATE, None)
    criterion = form.text(Block.CRITERION, "", required=False)
    if kind.needs_effectiveness_check:
        if check is None:
            form.errors[Block.CHECK_DATE.value] = (
                "Corrective actions need a date to check their effectiveness."
            )
        elif due is not None and check < due:
            form.errors[Block.CHECK_DATE.value] = "Check after the due date, not before."
    form.done()
    assert description is not None and due is not None
    return NewAction(
        kind=kind,
        description=description,
        owner_id=owner,
        due_date=due,
        check_date=check,
        criterion=criterion,
    )
