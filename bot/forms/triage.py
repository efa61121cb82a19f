"""Parsing the forms behind card and action buttons: view state -> values, or FormErrors."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.domain.actions import ActionKind
from bot.domain.records import RecordStatus, Severity
from bot.forms.record import FormErrors, selected_date, selected_value, text_value
from bot.ids import ActionId, Block
from bot.services.actions import NewAction
from bot.services.triage import RootCause
from bot.views.modals import WHY_BLOCKS


def entity_id(private_metadata: str | None, key: str) -> int:
    """The record or action id the modal was opened for (we wrote it; Slack sends it back)."""
    try:
        value = json.loads(private_metadata or "{}")[key]
    except (ValueError, KeyError, TypeError, RecursionError):
        raise FormErrors({}) from None
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    if type(value) is not int:  # not a bool or a float
        raise FormErrors({})
    return value


def _user(values: dict[str, Any], block: Block) -> str | None:
    user = values.get(block.value, {}).get(ActionId.INPUT.value, {}).get("selected_user")
    return str(user) if user else None


class Collector:
    """Gathers every field's error so that the person sees them all at once."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values
        self.errors: dict[str, str] = {}

    def text(self, block: Block, message: str, *, required: bool = True) -> str | None:
        value = text_value(self.values, block)
        if value is None and required:
            self.errors[block.value] = message
        return value

    def user(self, block: Block, message: str) -> str:
        value = _user(self.values, block)
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


def parse_owner(values: dict[str, Any]) -> str:
    form = Collector(values)
    owner = form.user(Block.OWNER, "Choose the owner.")
    form.done()
    return owner


def parse_root_cause(values: dict[str, Any], categories: list[str]) -> RootCause:
    form = Collector(values)
    whys = [text_value(values, block) for block in WHY_BLOCKS]
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
    form.done()
    return RecordStatus(raw)


def parse_severity(values: dict[str, Any]) -> Severity:
    form = Collector(values)
    raw = form.choice(Block.SEVERITY, "Choose a severity.")
    form.done()
    return Severity(raw)


def parse_reason(values: dict[str, Any], message: str = "Give the reason.") -> str:
    form = Collector(values)
    reason = form.text(Block.REASON, message)
    form.done()
    return reason or ""


def parse_new_action(values: dict[str, Any], today: date) -> NewAction:
    form = Collector(values)
    kind = ActionKind(form.choice(Block.ACTION_KIND, "Choose the kind of action.") or "corrective")
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


def parse_evidence(values: dict[str, Any]) -> str:
    form = Collector(values)
    evidence = form.text(Block.EVIDENCE, "Say what was done: it is the evidence.")
    form.done()
    return evidence or ""


@dataclass(frozen=True)
class Extension:
    new_date: date
    reason: str


def parse_extension(values: dict[str, Any], today: date) -> Extension:
    form = Collector(values)
    new_date = form.date(
        Block.DUE_DATE,
        "Pick the new due date.",
        not_before=today,
        late_message="That date is in the past: pick today or a later day.",
    )
    reason = form.text(Block.REASON, "Say why it moves: the reason is kept as evidence.")
    form.done()
    assert new_date is not None and reason is not None
    return Extension(new_date=new_date, reason=reason)


@dataclass(frozen=True)
class Verification:
    effective: bool
    note: str
    new_due_date: date | None


def parse_verification(values: dict[str, Any], today: date) -> Verification:
    form = Collector(values)
    outcome = form.choice(Block.OUTCOME, "Say whether it was effective.")
    note = form.text(Block.NOTE, "Say what the check showed.")
    new_due = form.date(Block.DUE_DATE, None, not_before=today)
    if outcome == "not_effective" and new_due is None and Block.DUE_DATE.value not in form.errors:
        form.errors[Block.DUE_DATE.value] = (
            "Not effective reopens the action: give it a new due date."
        )
    form.done()
    return Verification(effective=outcome == "effective", note=note or "", new_due_date=new_due)


@dataclass(frozen=True)
class NewProcess:
    name: str
    owner_id: str | None


def parse_new_process(values: dict[str, Any]) -> NewProcess | None:
    """The optional "add a process" part of the processes form; None when left empty."""
    name = text_value(values, Block.PROCESS_NAME)
    owner = _user(values, Block.PROCESS_OWNER)
    if name is None:
        if owner is not None:
            raise FormErrors({Block.PROCESS_NAME.value: "Name the process this owner is for."})
        return None
    return NewProcess(name=name, owner_id=owner)
