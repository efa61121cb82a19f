"""An objective's plan (ISO 9001 6.2.2): the optional inputs on its forms and how
`/nc OBJ-n` shows it."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.domain import objectives as rules
from bot.domain.dates import readable_date
from bot.domain.text import escape, truncate
from bot.ids import Block as BlockId
from bot.views.common import context
from bot.views.inputs import date_input, text_input
from bot.views.raw import RawBlock
from bot.views.raw import section as raw_section
from storage.models import Objective

PLAN_TEXT_MAX = rules.PLAN_TEXT_MAX
PLAN_SHOWN = 300  # each part on `/nc OBJ-n`; the export has it whole


def plan_of(objective: Objective) -> rules.ObjectivePlan:
    return rules.ObjectivePlan(
        actions=objective.plan_actions,
        resources=objective.plan_resources,
        responsible=objective.plan_responsible,
        due=objective.plan_due,
        evaluation=objective.plan_evaluation,
    )


def plan_inputs(objective: Objective | None) -> list[Any]:
    plan = plan_of(objective) if objective else rules.ObjectivePlan()
    return [
        context("*The plan to achieve it* (ISO 9001 6.2.2), each part optional:"),
        text_input(
            BlockId.PLAN_ACTIONS,
            "What will be done?",
            multiline=True,
            optional=True,
            max_length=PLAN_TEXT_MAX,
            initial=plan.actions,
        ),
        text_input(
            BlockId.PLAN_RESOURCES,
            "What resources are needed?",
            multiline=True,
            optional=True,
            max_length=PLAN_TEXT_MAX,
            initial=plan.resources,
            hint="People, budget, equipment, time",
        ),
        text_input(
            BlockId.PLAN_RESPONSIBLE,
            "Who is responsible?",
            optional=True,
            max_length=rules.PLAN_RESPONSIBLE_MAX,
            initial=plan.responsible,
            hint="A person, a role or a team",
        ),
        date_input(BlockId.PLAN_DUE, "To be completed by", plan.due, optional=True),
        text_input(
            BlockId.PLAN_EVALUATION,
            "How will results be evaluated?",
            multiline=True,
            optional=True,
            max_length=PLAN_TEXT_MAX,
            initial=plan.evaluation,
            hint="e.g. monthly value against target at the management review",
        ),
    ]


def plan_blocks(objective: Objective, today: date) -> list[RawBlock]:
    """The plan, a section per part written down (escaped text can grow fivefold, so one
    section could not hold them all); nothing when no part is."""
    plan = plan_of(objective)
    lines = []
    for name, label in rules.PLAN_PARTS.items():
        value = getattr(plan, name)
        if isinstance(value, date):
            lines.append(f"*{label}:* {readable_date(value, today)}")
        elif value is not None:
            lines.append(f"*{label}:* {escape(truncate(value, PLAN_SHOWN))}")
    if not lines:
        return []
    lines[0] = f"*Plan*\n{lines[0]}"
    return [raw_section(line) for line in lines]
