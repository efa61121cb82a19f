"""The competence forms, parsed: log a completion, add a competence, add a role, name the
internal-auditor qualification; and the Log completion button's value. Bad input becomes
FormErrors naming each block; checks that need the database (the competence is this
workspace's, the name is new) are the service's, reported the same way."""

from __future__ import annotations

import json
from datetime import date
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from bot.domain.competence import CompetenceKind
from bot.forms.buttons import Button
from bot.forms.ids import ROW_ID_MAX, RowId
from bot.forms.state import Collector, FormErrors, selected_value
from bot.ids import ActionId, Block

NAME_MAX = 120
EVIDENCE_MAX = 1000
VALIDITY_MAX = 600  # fifty years: anything longer is "for good"
ANY = "any"  # the Log completion button that lets the person choose the competence
NO_QUALIFICATION = "none"

DAMAGED_TRAINING = (
    "This button is out of date or damaged, so Keel did nothing. See your training again "
    "with `/nc training`."
)


class CompletionButton(Button):
    """Log completion: the competence it is about, or none (chosen in the form)."""

    damaged: ClassVar[str] = DAMAGED_TRAINING
    competence_id: int | None = Field(default=None, ge=1, le=ROW_ID_MAX)

    @classmethod
    def fields_of(cls, action: dict[str, Any]) -> dict[str, Any]:
        value = action.get("value")
        if value == ANY:
            return {}
        if not (isinstance(value, str) and value.isascii() and value.isdigit() and value):
            raise ValueError("not a competence id")
        return {"competence_id": int(value)}


class TrainingMetadata(BaseModel):
    """What a Log completion modal carries: whether it is for someone else (leads only)."""

    model_config = ConfigDict(extra="ignore")

    for_other: bool = Field(default=False, strict=True)

    def dump(self) -> str:
        return self.model_dump_json()

    @classmethod
    def load(cls, raw: str | None) -> TrainingMetadata:
        try:
            return cls.model_validate(json.loads(raw or "{}"))
        except ValueError:
            raise FormErrors({}) from None


class CompletionForm(BaseModel):
    person: str | None  # None: the person submitting
    competence_id: RowId
    completed: date
    evidence: str | None = Field(default=None, max_length=EVIDENCE_MAX)


class CompetenceForm(BaseModel):
    name: str = Field(min_length=1, max_length=NAME_MAX)
    kind: CompetenceKind
    validity_months: int | None = Field(default=None, ge=1, le=VALIDITY_MAX)


class RoleForm(BaseModel):
    name: str = Field(min_length=1, max_length=NAME_MAX)
    members: tuple[str, ...] = ()
    competence_ids: tuple[int, ...] = ()


def _too_long(form: Collector, block: Block, value: str | None, limit: int) -> None:
    if value is not None and len(value) > limit:
        form.errors[block.value] = f"Keep it under {limit} characters."


def _competence_id(form: Collector, raw: str | None, message: str) -> int:
    if raw is None or not (raw.isascii() and raw.isdigit()) or not 0 < int(raw) <= ROW_ID_MAX:
        form.errors[Block.COMPETENCE.value] = message
        return 0
    return int(raw)


def parse_completion(values: dict[str, Any], *, today: date, for_other: bool) -> CompletionForm:
    """Log a completion: what, when (not in the future), the evidence; for whom if a lead
    logs it for someone else."""
    form = Collector(values)
    person = form.user(Block.PERSON, "Choose whose completion this is.") if for_other else None
    competence_id = _competence_id(
        form, selected_value(form.values, Block.COMPETENCE), "Choose the competence."
    )
    completed = form.date(Block.COMPLETED_DATE, "Pick the day it was done.")
    if completed is not None and completed > today:
        form.errors[Block.COMPLETED_DATE.value] = "Pick today or an earlier day: it is done."
    evidence = form.text(Block.EVIDENCE, "", required=False)
    _too_long(form, Block.EVIDENCE, evidence, EVIDENCE_MAX)
    form.done()
    assert completed is not None
    return CompletionForm(
        person=person, competence_id=competence_id, completed=completed, evidence=evidence
    )


def parse_competence(values: dict[str, Any]) -> CompetenceForm:
    form = Collector(values)
    name = form.text(Block.COMPETENCE_NAME, "Name the competence, e.g. Forklift licence.")
    _too_long(form, Block.COMPETENCE_NAME, name, NAME_MAX)
    kind = form.choice(Block.COMPETENCE_KIND, "Choose what kind of competence it is.")
    if kind and kind not in set(CompetenceKind):
        form.errors[Block.COMPETENCE_KIND.value] = "Choose one of the listed kinds."
    raw = form.text(Block.VALIDITY_MONTHS, "", required=False)
    months = None
    if raw is not None:
        if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= VALIDITY_MAX:
            months = int(raw)
        else:
            form.errors[Block.VALIDITY_MONTHS.value] = (
                f"Give a whole number of months from 1 to {VALIDITY_MAX}, or leave it empty "
                "when it is valid for good."
            )
    form.done()
    return CompetenceForm(name=name or "", kind=CompetenceKind(kind), validity_months=months)


def parse_role(values: dict[str, Any]) -> RoleForm:
    form = Collector(values)
    name = form.text(Block.ROLE_NAME, "Name the role, e.g. Forklift driver.")
    _too_long(form, Block.ROLE_NAME, name, NAME_MAX)
    members = _state(form.values, Block.ROLE_MEMBERS).get("selected_users")
    chosen = _state(form.values, Block.ROLE_COMPETENCES).get("selected_options")
    competence_ids: list[int] = []
    for option in chosen if isinstance(chosen, list) else []:
        raw = option.get("value") if isinstance(option, dict) else None
        if isinstance(raw, str) and raw.isascii() and raw.isdigit() and 0 < int(raw) <= ROW_ID_MAX:
            competence_ids.append(int(raw))
        else:
            form.errors[Block.ROLE_COMPETENCES.value] = "Choose from the listed competences."
    form.done()
    listed = members if isinstance(members, list) else []
    people = [str(member) for member in listed if isinstance(member, str) and member]
    return RoleForm(
        name=name or "",
        members=tuple(dict.fromkeys(people)),
        competence_ids=tuple(dict.fromkeys(competence_ids)),
    )


def parse_auditor_competence(values: dict[str, Any]) -> int | None:
    """The competence that qualifies an internal auditor, or None for the list alone."""
    form = Collector(values)
    raw = form.choice(Block.AUDITOR_COMPETENCE, "Choose a competence, or none.")
    form.done()
    if raw == NO_QUALIFICATION:
        return None
    if not (raw.isascii() and raw.isdigit()) or not 0 < int(raw) <= ROW_ID_MAX:
        raise FormErrors({Block.AUDITOR_COMPETENCE.value: "Choose one of the listed competences."})
    return int(raw)


def _state(values: dict[str, Any], block: Block) -> dict[str, Any]:
    block_state = values.get(block.value) if isinstance(values, dict) else None
    element = block_state.get(ActionId.INPUT.value) if isinstance(block_state, dict) else None
    return element if isinstance(element, dict) else {}
