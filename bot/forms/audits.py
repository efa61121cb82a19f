"""The audit forms, parsed: plan, postpone, cancel or close, a finding, the report. Bad input
becomes FormErrors naming each block; the checks that need the database (impartiality,
qualified auditors, retired processes) are the service's, reported the same way."""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from bot.domain import audits as rules
from bot.domain.terms import DEFAULT_TERMS, Terms
from bot.forms.state import Collector, FormErrors, checked_values, selected_value
from bot.ids import ActionId, Block

AREA_MAX = 80
SCOPE_MAX = 1000
TEXT_MAX = 3000
SPOKEN_TO_MAX = 200
# A select option's value may not be empty: the one-off recurrence ("") travels as this.
ONE_OFF = "one_off"


class AuditMetadata(BaseModel):
    """What an audit modal carries in private_metadata."""

    model_config = ConfigDict(extra="ignore")

    audit_id: int = Field(gt=0)

    def dump(self) -> str:
        return self.model_dump_json()

    @classmethod
    def load(cls, raw: str | None) -> AuditMetadata:
        """Slack sends back what we stored; anything else is a forged or stale modal."""
        try:
            return cls.model_validate(json.loads(raw or "{}"))
        except ValueError:
            raise FormErrors({}) from None


class AuditPlan(BaseModel):
    """A planned audit as the quality lead submitted it."""

    process_id: int | None
    area: str | None = Field(default=None, max_length=AREA_MAX)
    planned_date: date
    held_already: bool = False  # bringing in an audit already held on `planned_date`
    lead_auditor: str
    auditors: tuple[str, ...] = ()
    auditee: str | None = None
    scope: str | None = Field(default=None, max_length=SCOPE_MAX)
    standards: tuple[rules.Standard, ...] = ()
    clauses: tuple[str, ...] = ()
    recurrence: rules.Recurrence = rules.Recurrence.ONE_OFF
    override_reason: str | None = None


class Postponement(BaseModel):
    new_date: date
    reason: str = Field(min_length=1, max_length=TEXT_MAX)


class Finding(BaseModel):
    grade: rules.FindingGrade
    clause: str | None = Field(default=None, max_length=40)
    evidence: str = Field(min_length=1, max_length=TEXT_MAX)
    spoken_to: str | None = Field(default=None, max_length=SPOKEN_TO_MAX)


class Report(BaseModel):
    summary: str = Field(min_length=1, max_length=TEXT_MAX)
    strengths: str | None = Field(default=None, max_length=TEXT_MAX)
    clauses_covered: tuple[str, ...] = ()
    conclusion: str = Field(min_length=1, max_length=TEXT_MAX)


def _users(values: dict[str, Any], block: Block) -> tuple[str, ...]:
    raw = values.get(block.value, {}).get(ActionId.INPUT.value, {}) or {}
    users = raw.get("selected_users") or []
    return tuple(dict.fromkeys(str(user) for user in users if isinstance(user, str)))


def _too_long(form: Collector, block: Block, value: str | None, limit: int) -> None:
    if value is not None and len(value) > limit:
        form.errors[block.value] = f"Keep it under {limit} characters."


def parse_plan(
    values: dict[str, Any],
    *,
    today: date,
    working_days: Collection[int],
    is_lead: bool,
    terms: Terms = DEFAULT_TERMS,
) -> AuditPlan:
    """The Plan an audit form. `today` is the lead's local date."""
    form = Collector(values)
    raw_process = selected_value(values, Block.AUDIT_PROCESS)
    area = form.text(Block.AUDIT_AREA, "", required=False)
    process_id = int(raw_process) if raw_process and raw_process.isdigit() else None
    if process_id is None and not area:
        form.errors[Block.AUDIT_PROCESS.value] = "Choose a process, or name an area below."
    _too_long(form, Block.AUDIT_AREA, area, AREA_MAX)
    planned = form.date(Block.PLANNED_DATE, "Pick the day of the audit.")
    held = ActionId.HELD_ALREADY_YES.value in checked_values(values, Block.HELD_ALREADY)
    if planned is not None:
        if held and planned > today:
            form.errors[Block.PLANNED_DATE.value] = (
                "An audit already held has a date up to today: untick the box to plan one."
            )
        elif held and not is_lead:
            form.errors[Block.HELD_ALREADY.value] = f"Only {terms.a_lead} can record past audits."
        elif not held and planned < today:
            form.errors[Block.PLANNED_DATE.value] = (
                "That day has passed: pick today or later, or tick “Already held” to record "
                "an audit held that day."
            )
        elif not held and not rules.is_working_day(planned, working_days):
            form.errors[Block.PLANNED_DATE.value] = "Pick a working day."
    lead = form.user(Block.LEAD_AUDITOR, "Choose the lead auditor.")
    auditee = form.user(Block.AUDITEE, "") or None
    form.errors.pop(Block.AUDITEE.value, None)  # optional: the process owner by default
    scope = form.text(Block.SCOPE, "", required=False)
    _too_long(form, Block.SCOPE, scope, SCOPE_MAX)
    standards = [
        rules.Standard(value)
        for value in sorted(checked_values(values, Block.STANDARDS))
        if value in set(rules.Standard)
    ]
    clauses = rules.parse_clauses(form.text(Block.CLAUSES, "", required=False) or "")
    if clauses is None:
        form.errors[Block.CLAUSES.value] = "List clause numbers with commas, such as 8.4, 8.5.1."
    recurrence = selected_value(values, Block.RECURRENCE) or ONE_OFF
    recurrence = "" if recurrence == ONE_OFF else recurrence
    if recurrence not in set(rules.Recurrence):
        form.errors[Block.RECURRENCE.value] = "Choose one of the listed options."
    override = form.text(Block.OVERRIDE_REASON, "", required=False)
    form.done()
    assert planned is not None
    return AuditPlan(
        process_id=process_id,
        area=None if process_id is not None else area,
        planned_date=planned,
        held_already=held,
        lead_auditor=lead,
        auditors=tuple(a for a in _users(values, Block.AUDITORS) if a != lead),
        auditee=auditee,
        scope=scope,
        standards=tuple(standards),
        clauses=clauses or (),
        recurrence=rules.Recurrence(recurrence),
        override_reason=override,
    )


def parse_postponement(
    values: dict[str, Any], *, today: date, current: date, working_days: Collection[int]
) -> Postponement:
    form = Collector(values)
    new_date = form.date(Block.PLANNED_DATE, "Pick the new day.")
    reason = form.text(Block.REASON, "Say why, for the record.")
    if new_date is not None:
        if new_date <= today:
            form.errors[Block.PLANNED_DATE.value] = "Pick a day after today."
        elif new_date == current:
            form.errors[Block.PLANNED_DATE.value] = "That is the day it is already planned for."
        elif not rules.is_working_day(new_date, working_days):
            form.errors[Block.PLANNED_DATE.value] = "Pick a working day."
    _too_long(form, Block.REASON, reason, TEXT_MAX)
    form.done()
    assert new_date is not None and reason is not None
    return Postponement(new_date=new_date, reason=reason)


def parse_reason(values: dict[str, Any]) -> str:
    """Cancel or close with a reason."""
    form = Collector(values)
    reason = form.text(Block.REASON, "Say why, for the record.")
    _too_long(form, Block.REASON, reason, TEXT_MAX)
    form.done()
    return reason or ""


def parse_finding(values: dict[str, Any]) -> Finding:
    form = Collector(values)
    grade = form.choice(Block.GRADE, "Choose the grade of the finding.")
    if grade and grade not in set(rules.FindingGrade):
        form.errors[Block.GRADE.value] = "Choose one of the listed grades."
    clause = form.text(Block.CLAUSE, "", required=False)
    if clause is not None and (rules.parse_clauses(clause) or ()) != (clause,):
        form.errors[Block.CLAUSE.value] = "Give one clause number, such as 8.5.1."
    evidence = form.text(Block.EVIDENCE, "Say what was found: the objective evidence.")
    _too_long(form, Block.EVIDENCE, evidence, TEXT_MAX)
    spoken_to = form.text(Block.SPOKEN_TO, "", required=False)
    _too_long(form, Block.SPOKEN_TO, spoken_to, SPOKEN_TO_MAX)
    form.done()
    return Finding(
        grade=rules.FindingGrade(grade),
        clause=clause,
        evidence=evidence or "",
        spoken_to=spoken_to,
    )


def parse_report(values: dict[str, Any], *, criteria: Collection[str]) -> Report:
    """`criteria`: the audit's clauses, the only ones that can be ticked as covered."""
    form = Collector(values)
    summary = form.text(Block.SUMMARY, "Summarise the audit.")
    strengths = form.text(Block.STRENGTHS, "", required=False)
    covered = checked_values(values, Block.CLAUSES_COVERED)
    if covered - set(criteria):
        form.errors[Block.CLAUSES_COVERED.value] = "Tick only the audit's own clauses."
    conclusion = form.text(Block.CONCLUSION, "Give the audit's conclusion.")
    for block, value in (
        (Block.SUMMARY, summary),
        (Block.STRENGTHS, strengths),
        (Block.CONCLUSION, conclusion),
    ):
        _too_long(form, block, value, TEXT_MAX)
    form.done()
    return Report(
        summary=summary or "",
        strengths=strengths,
        clauses_covered=tuple(c for c in criteria if c in covered),
        conclusion=conclusion or "",
    )
