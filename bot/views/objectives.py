"""Objectives in Slack: the forms to set one and to log a value, the list `/nc objectives`
shows, and the weekly digest posted to a channel."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from slack_sdk.models.views import View

from bot.domain import objectives as rules
from bot.domain.dates import readable_date
from bot.domain.terms import DEFAULT_TERMS, Terms, capitalised
from bot.domain.text import escape, plural, truncate
from bot.ids import ActionId
from bot.ids import Block as BlockId
from bot.ids import View as ViewId
from bot.queries.objectives import Overview
from bot.views.common import context, option, section
from bot.views.inputs import (
    date_input,
    form_modal,
    number_input,
    select_input,
    text_input,
    user_input,
)
from bot.views.objective_plan import plan_blocks, plan_inputs
from bot.views.raw import RawBlock, actions, button, divider, header
from bot.views.raw import context as raw_context
from bot.views.raw import section as raw_section
from storage.models import Objective

# Two blocks each, inside a message's 50 with a header and a footer.
OBJECTIVES_SHOWN = 20
# Values on `/nc OBJ-n`: notes are cut to NOTE_SHOWN so that they fit one section.
VALUES_SHOWN = 20
NOTE_SHOWN = 100
# A static select offers at most 100 options; two years of monthly values is plenty.
PERIODS_OFFERED = 24


def reference(objective: Objective) -> str:
    return rules.format_reference(objective.number)


def new_objective_form() -> View:
    frequencies = [option(f.label, f.value) for f in rules.Frequency]
    return form_modal(
        ViewId.NEW_OBJECTIVE,
        "New objective",
        "Save",
        "{}",
        [
            *_objective_inputs(None),
            select_input(BlockId.FREQUENCY, "Measured", frequencies, rules.Frequency.MONTHLY.value),
            date_input(
                BlockId.START_DATE,
                "Measured since",
                None,
                optional=True,
                hint="Leave empty to start with the current period.",
            ),
            *plan_inputs(None),
        ],
    )


def edit_objective_form(objective: Objective) -> View:
    """What an objective's values are compared with, and who measures it. Its frequency
    stays: changing it would cut the logged values' periods differently."""
    since = objective.start_date
    measured = f"{_frequency_label(objective.frequency).lower()} since {since.day} {since:%B %Y}"
    return form_modal(
        ViewId.EDIT_OBJECTIVE,
        "Edit objective",
        "Save",
        json.dumps({"objective": objective.id}),
        [
            section(f"*{reference(objective)}*"),
            *_objective_inputs(objective),
            context(
                f"Measured: {measured}. To measure it differently, retire it and set a "
                "new objective."
            ),
            *plan_inputs(objective),
        ],
    )


def _objective_inputs(objective: Objective | None) -> list[Any]:
    directions = [option(d.label, d.value) for d in rules.Direction]
    target = _editable_number(objective.target) if objective else None
    return [
        text_input(
            BlockId.TITLE,
            "What is the objective?",
            max_length=150,
            initial=objective.title if objective else None,
            hint="e.g. On-time delivery, Customer complaints, Lost-time injuries",
        ),
        user_input(BlockId.OWNER, "Who measures it?", objective.owner_id if objective else None),
        select_input(
            BlockId.DIRECTION,
            "Target is",
            directions,
            objective.direction if objective else rules.Direction.AT_LEAST.value,
        ),
        number_input(BlockId.TARGET, "Target value", initial=target, hint="A number, e.g. 95"),
        text_input(
            BlockId.UNIT,
            "Unit",
            optional=True,
            max_length=40,
            initial=objective.unit if objective else None,
            hint="e.g. %, complaints, days, kWh",
        ),
    ]


def _editable_number(value: float) -> str:
    """The target as Slack's number box takes it and reads back: 95.5, 0.0001, never 1e-4."""
    return rules.format_value(value, None)


def retire_objective_form(objective: Objective) -> View:
    return form_modal(
        ViewId.RETIRE_OBJECTIVE,
        "Retire objective",
        "Retire",
        json.dumps({"objective": objective.id}),
        [
            section(
                f"*{reference(objective)}* {escape(truncate(objective.title, 150))}\n"
                "It leaves the list, the digests and the reminders. Its values and history "
                "are kept, and `/nc "
                f"{reference(objective)}` still shows them."
            ),
            text_input(
                BlockId.REASON,
                "Why is it retired?",
                multiline=True,
                max_length=1000,
                hint="e.g. Replaced by OBJ-7 after the management review of March 2027.",
            ),
        ],
    )


def log_value_form(
    objective: Objective, periods: Sequence[rules.Period], chosen: date | None
) -> View:
    """`periods` newest first; the form offers them by name."""
    options = [
        option(rules.period_label(objective.frequency, period), period.start.isoformat())
        for period in periods[:PERIODS_OFFERED]
    ]
    initial = (chosen or periods[0].start).isoformat() if periods else None
    target = _target(objective)
    return form_modal(
        ViewId.LOG_VALUE,
        "Log a value",
        "Save",
        json.dumps({"objective": objective.id}),
        [
            section(
                f"*{reference(objective)}* {escape(truncate(objective.title, 150))}\n"
                f"Target: {escape(target)}"
            ),
            select_input(BlockId.PERIOD, "Period", options, initial),
            number_input(
                BlockId.VALUE,
                "Value" + (f" ({truncate(objective.unit, 30)})" if objective.unit else ""),
            ),
            text_input(
                BlockId.NOTE,
                "Note",
                multiline=True,
                optional=True,
                max_length=1000,
                hint="What explains the value, if anything.",
            ),
        ],
    )


def _target(objective: Objective) -> str:
    direction = rules.Direction(objective.direction)
    return f"{direction.symbol} {rules.format_value(objective.target, objective.unit)}"


def summary(item: Overview) -> str:
    """Two or three lines of mrkdwn about where an objective stands."""
    objective = item.objective
    lines = [f"*{reference(objective)}* {escape(truncate(objective.title, 150))}"]
    status = item.standing.label
    if item.latest is not None:
        named = period_name(objective, item.latest.period_start)
        latest = rules.format_value(item.latest.value, objective.unit)
        status += f" · {escape(latest)} in {named}"
    status += f" · target {escape(_target(objective))}"
    if item.trend is not None:
        status += f" · {item.trend.label}"
    lines.append(status)
    frequency = _frequency_label(objective.frequency)
    footer = f"{frequency}, measured by <@{objective.owner_id}>"
    if item.waiting_for is not None:
        named = rules.period_label(objective.frequency, item.waiting_for)
        footer += f" · :hourglass: {named} not logged yet"
    lines.append(footer)
    return "\n".join(lines)


def period_name(objective: Objective, start: date) -> str:
    """The name of the objective's period that begins on `start`."""
    period = rules.current_period(objective.frequency, objective.start_date, start)
    if period is None:
        return start.isoformat()
    return rules.period_label(objective.frequency, period)


def _frequency_label(frequency: str) -> str:
    try:
        return rules.Frequency(frequency).label
    except ValueError:
        return "Custom schedule"


def list_blocks(
    items: Sequence[Overview], *, can_add: bool, terms: Terms = DEFAULT_TERMS
) -> list[Any]:
    """`/nc objectives`: where each objective stands, with "Log value" on each."""
    if not items:
        blocks: list[RawBlock] = [
            raw_section(
                f"No objectives yet. {capitalised(terms.a_lead)} sets them with "
                "`/nc objectives new`: what is measured, the target, who measures it and how "
                "often."
            )
        ]
    else:
        blocks = [header("Objectives")]
        for item in items[:OBJECTIVES_SHOWN]:
            block = raw_section(summary(item))
            block["accessory"] = button(
                "Log value", ActionId.LOG_VALUE.value, str(item.objective.id)
            )
            blocks.append(block)
        if len(items) > OBJECTIVES_SHOWN:
            shown = OBJECTIVES_SHOWN
            blocks.append(raw_context(f"…and {len(items) - shown} more. `/nc OBJ-n` shows one."))
    if can_add:
        blocks.append(actions([button("New objective", ActionId.NEW_OBJECTIVE.value, "new")]))
    return blocks


def list_text(items: Sequence[Overview]) -> str:
    """How many objectives, naming what needs attention: off track, at risk, without data."""
    count = plural(len(items), "objective")
    if items and all(item.standing is rules.Standing.ON_TRACK for item in items):
        return f"{count}, all on track"
    words = {
        rules.Standing.OFF_TRACK: "off track",
        rules.Standing.AT_RISK: "at risk",
        rules.Standing.NO_DATA: "without data",
    }
    attention = [
        f"{number} {word}"
        for standing, word in words.items()
        if (number := sum(1 for item in items if item.standing is standing))
    ]
    return f"{count}: {', '.join(attention)}" if attention else count


def detail_blocks(
    item: Overview,
    periods: Sequence[tuple[str, str]],
    *,
    can_manage: bool,
    today: date,
) -> list[Any]:
    """One objective and its recent values; `periods` is (period name, value) newest first.
    Quality leads (`can_manage`) also get Edit and Retire on an objective in use."""
    objective = item.objective
    block = raw_section(summary(item))
    if objective.active:
        block["accessory"] = button("Log value", ActionId.LOG_VALUE.value, str(objective.id))
    blocks: list[RawBlock] = [block]
    if not objective.active:
        blocks.append(raw_context(":no_entry_sign: Retired: no longer measured or reminded."))
    blocks.extend(plan_blocks(objective, today))
    if periods:
        lines = "\n".join(f"• {name}: {escape(value)}" for name, value in periods[:VALUES_SHOWN])
        blocks.append(raw_section(f"*Values*\n{lines}"))
    else:
        blocks.append(raw_context("No values logged yet."))
    if can_manage and objective.active:
        value = str(objective.id)
        blocks.append(
            actions(
                [
                    button("Edit objective", ActionId.EDIT_OBJECTIVE.value, value),
                    button("Retire objective", ActionId.RETIRE_OBJECTIVE.value, value),
                ]
            )
        )
    return blocks


def weekly_digest_blocks(
    items: Sequence[Overview], week: date, audits: str | None = None
) -> list[RawBlock]:
    """The weekly objectives digest for a channel: every active objective, worst first;
    `week` is the first day of the working week it is for; `audits` the line on the audit
    programme (`views.audits.month_text`), left out when None."""
    order = {
        rules.Standing.OFF_TRACK: 0,
        rules.Standing.AT_RISK: 1,
        rules.Standing.NO_DATA: 2,
        rules.Standing.ON_TRACK: 3,
    }
    ranked = sorted(items, key=lambda item: (order[item.standing], item.objective.number))
    counts = {standing: 0 for standing in rules.Standing}
    for item in items:
        counts[item.standing] += 1
    blocks: list[RawBlock] = [
        header(f"Objectives: week of {readable_date(week, week)}"),
        raw_context(
            f"{counts[rules.Standing.ON_TRACK]} on track · {counts[rules.Standing.AT_RISK]} at "
            f"risk · {counts[rules.Standing.OFF_TRACK]} off track · "
            f"{counts[rules.Standing.NO_DATA]} without data"
        ),
        divider(),
    ]
    for item in ranked[:OBJECTIVES_SHOWN]:
        blocks.append(raw_section(summary(item)))
    if len(ranked) > OBJECTIVES_SHOWN:
        more = len(ranked) - OBJECTIVES_SHOWN
        blocks.append(raw_context(f"…and {more} more: `/nc objectives` lists them all."))
    if audits:
        blocks.append(raw_section(audits))
    blocks.append(
        raw_context("Owners log values with `/nc objectives` → Log value, or from their daily DM.")
    )
    return blocks


def weekly_digest_text(items: Sequence[Overview], audits: str | None = None) -> str:
    text = f"Keel weekly objectives digest: {list_text(items)}."
    return f"{text} {audits}" if audits else text
