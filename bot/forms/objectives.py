"""Parsing the objective forms: view state -> values, or FormErrors naming every bad field."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict

from bot.domain import objectives as rules
from bot.forms.state import Collector, FormErrors, text_value
from bot.ids import Block

_NOT_A_NUMBER = "Type one number, such as 95 or 2.5."


class _Parsed(BaseModel):
    model_config = ConfigDict(frozen=True)


class ObjectiveTerms(_Parsed):
    """What an edit may change: what is measured, by whom, against what target."""

    title: str
    owner_id: str
    unit: str | None
    target: float
    direction: rules.Direction | None  # None only while a form is being checked
    plan: rules.ObjectivePlan = rules.ObjectivePlan()


class NewObjective(_Parsed):
    title: str
    owner_id: str
    unit: str | None
    target: float
    direction: rules.Direction
    frequency: rules.Frequency
    start_date: date
    plan: rules.ObjectivePlan = rules.ObjectivePlan()


class LoggedValue(_Parsed):
    period_start: date
    value: float
    note: str | None


def _number(form: Collector, block: Block, missing: str) -> float:
    raw = form.text(block, missing)
    if raw is None:
        return 0.0
    value = rules.parse_value(raw)
    if value is None:
        form.errors[block.value] = _NOT_A_NUMBER
        return 0.0
    return float(value)


def _terms(form: Collector) -> ObjectiveTerms:
    title = form.text(Block.TITLE, "Name the objective.")
    owner = form.user(Block.OWNER, "Choose who measures it.")
    direction = form.choice(Block.DIRECTION, "Choose whether the target is a floor or a ceiling.")
    target = _number(form, Block.TARGET, "Give the target value.")
    unit = form.text(Block.UNIT, "", required=False)
    if direction and direction not in set(rules.Direction):
        form.errors[Block.DIRECTION.value] = "Choose one of the listed options."
    return ObjectiveTerms(
        title=title or "",
        owner_id=owner,
        unit=unit,
        target=target,
        direction=rules.Direction(direction) if direction in set(rules.Direction) else None,
        plan=_plan(form),
    )


def _plan(form: Collector) -> rules.ObjectivePlan:
    """The plan's parts are all optional (ISO 9001 6.2.2 asks for a plan, not a form)."""
    long, short = rules.PLAN_TEXT_MAX, rules.PLAN_RESPONSIBLE_MAX
    return rules.ObjectivePlan(
        actions=form.text(Block.PLAN_ACTIONS, "", required=False, max_length=long),
        resources=form.text(Block.PLAN_RESOURCES, "", required=False, max_length=long),
        responsible=form.text(Block.PLAN_RESPONSIBLE, "", required=False, max_length=short),
        due=form.date(Block.PLAN_DUE, None),
        evaluation=form.text(Block.PLAN_EVALUATION, "", required=False, max_length=long),
    )


def parse_objective_terms(values: dict[str, Any]) -> ObjectiveTerms:
    """The Edit objective form."""
    form = Collector(values)
    terms = _terms(form)
    form.done()
    return terms


def parse_new_objective(values: dict[str, Any], today: date) -> NewObjective:
    form = Collector(values)
    terms = _terms(form)
    frequency = form.choice(Block.FREQUENCY, "Choose how often it is measured.")
    since = form.date(Block.START_DATE, None)
    if frequency and frequency not in set(rules.Frequency):
        form.errors[Block.FREQUENCY.value] = "Choose one of the listed frequencies."
    if since is not None and since > today and Block.START_DATE.value not in form.errors:
        form.errors[Block.START_DATE.value] = "Pick a day up to today: values are logged after."
    form.done()
    return NewObjective(
        title=terms.title,
        owner_id=terms.owner_id,
        unit=terms.unit,
        target=terms.target,
        direction=terms.direction or rules.Direction.AT_LEAST,
        frequency=rules.Frequency(frequency),
        start_date=since or today,
        plan=terms.plan,
    )


def parse_retirement(values: dict[str, Any]) -> str:
    form = Collector(values)
    reason = form.text(Block.REASON, "Say why, for the record.")
    form.done()
    return reason or ""


def parse_logged_value(values: dict[str, Any], offered: set[date]) -> LoggedValue:
    """`offered`: the period starts the form may name; anything else is stale or forged."""
    form = Collector(values)
    raw_period = form.choice(Block.PERIOD, "Choose the period the value is for.")
    value = _number(form, Block.VALUE, "Give the value.")
    note = text_value(values, Block.NOTE)
    period_start = None
    if raw_period:
        try:
            period_start = date.fromisoformat(raw_period)
        except ValueError:
            period_start = None
        if period_start not in offered:
            form.errors[Block.PERIOD.value] = "Choose one of the listed periods."
    form.done()
    if period_start is None:
        raise FormErrors({Block.PERIOD.value: "Choose one of the listed periods."})
    return LoggedValue(period_start=period_start, value=value, note=note)
