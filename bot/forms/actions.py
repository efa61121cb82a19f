"""The forms behind an action's buttons: view state -> models, or FormErrors."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict

from bot.forms.state import Collector
from bot.ids import Block


class Extension(BaseModel):
    model_config = ConfigDict(frozen=True)

    new_date: date
    reason: str


class Verification(BaseModel):
    model_config = ConfigDict(frozen=True)

    effective: bool
    note: str
    new_due_date: date | None


def parse_evidence(values: dict[str, Any]) -> str:
    form = Collector(values)
    evidence = form.text(Block.EVIDENCE, "Say what was done: it is the evidence.")
    form.done()
    return evidence or ""


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


def parse_verification(values: dict[str, Any], today: date) -> Verification:
    form = Collector(values)
    outcome = form.choice(Block.OUTCOME, "Say whether it was effective.")
    note = form.text(Block.NOTE, "Say what the check showed.")
    new_due = form.date(Block.DUE_DATE, None, not_before=today)
    if outcome and outcome not in ("effective", "not_effective"):
        form.errors[Block.OUTCOME.value] = "Choose one of the listed outcomes."
    if outcome == "not_effective" and new_due is None and Block.DUE_DATE.value not in form.errors:
        form.errors[Block.DUE_DATE.value] = (
            "Not effective reopens the action: give it a new due date."
        )
    form.done()
    return Verification(effective=outcome == "effective", note=note or "", new_due_date=new_due)
