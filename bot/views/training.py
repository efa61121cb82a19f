"""`/nc training` as people see it: their own gaps and what expires soon; for the quality
leads, the matrix summarised; and the competence forms."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    SectionBlock,
    StaticMultiSelectElement,
    UserMultiSelectElement,
)
from slack_sdk.models.views import View

from bot.domain.competence import CompetenceKind, Standing
from bot.domain.dates import readable_date
from bot.domain.terms import DEFAULT_TERMS, Terms
from bot.domain.text import escape, plural, truncate
from bot.forms.competence import ANY, EVIDENCE_MAX, NAME_MAX, NO_QUALIFICATION, TrainingMetadata
from bot.ids import ActionId
from bot.ids import Block as BlockId
from bot.ids import View as ViewId
from bot.queries.training import GAPS_SHOWN, PEOPLE_NAMED, Overview, PersonLine
from bot.views.common import context, mrkdwn, option, plain, section
from bot.views.inputs import date_input, form_modal, select_input, text_input, user_input
from storage.models import Competence

LINES_SHOWN = 15  # per part of a person's list
EXPIRING_NAMED = 5
OPTIONS_MAX = 100  # a static select's limit


def _person_line(line: PersonLine, today: date) -> str:
    name = f"*{escape(truncate(line.name, 120))}*"
    if line.standing is Standing.MISSING:
        return f":red_circle: {name} — not done yet"
    assert line.completed_date is not None
    done = readable_date(line.completed_date, today)
    if line.expiry_date is None:
        return f":white_check_mark: {name} — done {done}, valid for good"
    until = readable_date(line.expiry_date, today)
    if line.standing is Standing.EXPIRED:
        return f":red_circle: {name} — expired on {until}"
    if line.standing is Standing.EXPIRING:
        days = (line.expiry_date - today).days
        return f":large_yellow_circle: {name} — expires in {plural(days, 'day')}, on {until}"
    return f":white_check_mark: {name} — valid until {until}"


def _part(title: str, lines: Sequence[str]) -> SectionBlock:
    shown = "\n".join(lines[:LINES_SHOWN])
    more = f"\n…and {len(lines) - LINES_SHOWN} more" if len(lines) > LINES_SHOWN else ""
    return section(f"*{title}*\n{shown}{more}")


def training_text(lines: Sequence[PersonLine]) -> str:
    gaps = sum(1 for line in lines if line.required and line.standing.is_gap)
    soon = sum(1 for line in lines if line.standing is Standing.EXPIRING)
    return f"Your training: {plural(gaps, 'gap')}, {soon} expiring within 30 days."


def training_blocks(
    lines: Sequence[PersonLine],
    today: date,
    *,
    terms: Terms = DEFAULT_TERMS,
    overview: Overview | None = None,
    auditor_competence: str | None = None,
) -> list[Any]:
    """A person's own competences; with `overview`, the leads' summary of the matrix."""
    blocks: list[Any] = [HeaderBlock(text=plain("Your training"))]
    gaps = [_person_line(x, today) for x in lines if x.required and x.standing.is_gap]
    soon = [_person_line(x, today) for x in lines if x.standing is Standing.EXPIRING]
    valid = [_person_line(x, today) for x in lines if x.standing is Standing.VALID]
    if gaps:
        blocks.append(_part("Gaps: required by your roles or of you directly", gaps))
    if soon:
        blocks.append(_part("Expiring within 30 days", soon))
    if valid:
        blocks.append(_part("Valid", valid))
    if not lines:
        blocks.append(section("Nothing is required of you yet, and no completion is logged."))
    elif not gaps and not soon:
        blocks.append(context("No gaps, and nothing expires within 30 days."))
    buttons = [
        ButtonElement(
            text=plain("Log completion"),
            action_id=ActionId.LOG_COMPLETION,
            value=ANY,
            style="primary",
        )
    ]
    blocks.append(ActionsBlock(block_id=BlockId.TRAINING_BUTTONS, elements=buttons))
    blocks.append(
        context(
            "Log a course, licence or skill you completed; you declare your own, and "
            f"{terms.a_lead} can log one for you. Refreshers reach your daily digest 30 days "
            "before a completion expires and on the day."
        )
    )
    if overview is not None:
        blocks.extend(_matrix_blocks(overview, today, auditor_competence))
    return blocks


def _matrix_blocks(overview: Overview, today: date, auditor_competence: str | None) -> list[Any]:
    summary = overview.summary
    blocks: list[Any] = [
        DividerBlock(),
        HeaderBlock(text=plain("Training matrix")),
        SectionBlock(
            fields=[
                mrkdwn(f"*People*\n{summary.people}"),
                mrkdwn(f"*Valid*\n{summary.valid}"),
                mrkdwn(f"*Expiring within 30 days*\n{summary.expiring}"),
                mrkdwn(f"*Missing or expired*\n{summary.gaps}"),
            ]
        ),
    ]
    if overview.gaps:
        lines = []
        for gap in overview.gaps[:GAPS_SHOWN]:
            named = ", ".join(f"<@{person}>" for person in gap.people[:PEOPLE_NAMED])
            unnamed = len(gap.people) - PEOPLE_NAMED
            named += f" and {unnamed} more" if unnamed > 0 else ""
            lacking = "1 person" if len(gap.people) == 1 else f"{len(gap.people)} people"
            lines.append(f"*{escape(truncate(gap.name, 120))}* — {lacking}: {named}")
        rest = len(overview.gaps) - GAPS_SHOWN
        more_gaps = f"\n…and {plural(rest, 'more competence')} with gaps" if rest > 0 else ""
        blocks.append(section("*Worst gaps*\n" + "\n".join(lines) + more_gaps))
    if overview.expiring:
        lines = [
            f"<@{person}> · *{escape(truncate(name, 120))}* · {readable_date(day, today)}"
            for person, name, day in overview.expiring[:EXPIRING_NAMED]
        ]
        left = len(overview.expiring) - EXPIRING_NAMED
        more = f"\n…and {left} more" if left > 0 else ""
        blocks.append(section("*Expiring soonest*\n" + "\n".join(lines) + more))
    qualification = (
        f"*{escape(truncate(auditor_competence, 120))}* (and the list from `/nc auditors`)"
        if auditor_competence
        else "none named: the list from `/nc auditors`"
    )
    blocks.append(
        context(
            f"{plural(overview.competences, 'competence')}, {plural(overview.roles, 'role')}. "
            f"Internal-auditor qualification: {qualification}."
        )
    )
    lead_buttons = [
        ("Add competence", ActionId.ADD_COMPETENCE),
        ("Add role", ActionId.ADD_ROLE),
        ("Log for someone else", ActionId.LOG_COMPLETION_FOR),
        ("Auditor qualification", ActionId.AUDITOR_COMPETENCE),
    ]
    blocks.append(
        ActionsBlock(
            elements=[
                ButtonElement(text=plain(label), action_id=action_id, value=ANY)
                for label, action_id in lead_buttons
            ]
        )
    )
    return blocks


def _competence_options(competences: Sequence[Competence]) -> list[Any]:
    return [option(truncate(c.name, 75), str(c.id)) for c in competences[:OPTIONS_MAX]]


def completion_form(
    competences: Sequence[Competence],
    today: date,
    *,
    terms: Terms = DEFAULT_TERMS,
    chosen: int | None = None,
    for_other: bool = False,
) -> View:
    """Log completion: the person (leads, for someone else), what, when, the evidence."""
    blocks: list[Block] = []
    if for_other:
        blocks.append(user_input(BlockId.PERSON, "Whose completion"))
    blocks.append(
        select_input(
            BlockId.COMPETENCE,
            "Competence",
            _competence_options(competences),
            initial=str(chosen) if chosen else None,
        )
    )
    blocks.append(date_input(BlockId.COMPLETED_DATE, "Date done", today))
    blocks.append(
        text_input(
            BlockId.EVIDENCE,
            "Evidence note",
            multiline=True,
            optional=True,
            max_length=EVIDENCE_MAX,
            hint="Where the evidence is: certificate number, trainer, course record.",
        )
    )
    who = (
        f"You confirm it as {terms.a_lead}."
        if for_other
        else "You declare it yourself; the record says so."
    )
    blocks.append(context(who))
    meta = TrainingMetadata(for_other=for_other).dump()
    return form_modal(ViewId.LOG_COMPLETION, "Log completion", "Save", meta, blocks)


def competence_form() -> View:
    kinds = [option(kind.label, kind.value) for kind in CompetenceKind]
    blocks: list[Block] = [
        text_input(BlockId.COMPETENCE_NAME, "Name", max_length=NAME_MAX),
        select_input(BlockId.COMPETENCE_KIND, "Kind", kinds),
        text_input(
            BlockId.VALIDITY_MONTHS,
            "Valid for (months)",
            optional=True,
            max_length=3,
            hint="Leave empty when it is valid for good.",
        ),
    ]
    return form_modal(ViewId.ADD_COMPETENCE, "Add competence", "Add", "{}", blocks)


def role_form(competences: Sequence[Competence]) -> View:
    blocks: list[Block] = [
        text_input(BlockId.ROLE_NAME, "Name", max_length=NAME_MAX),
        InputBlock(
            block_id=BlockId.ROLE_MEMBERS,
            label=plain("Members"),
            optional=True,
            element=UserMultiSelectElement(action_id=ActionId.INPUT),
        ),
    ]
    if competences:
        blocks.append(
            InputBlock(
                block_id=BlockId.ROLE_COMPETENCES,
                label=plain("Required competences"),
                optional=True,
                element=StaticMultiSelectElement(
                    action_id=ActionId.INPUT, options=_competence_options(competences)
                ),
            )
        )
    else:
        blocks.append(context("Add competences first to say what this role requires."))
    return form_modal(ViewId.ADD_ROLE, "Add role", "Add", "{}", blocks)


def auditor_competence_form(competences: Sequence[Competence], current: int | None) -> View:
    options = [option("None: the list of qualified auditors", NO_QUALIFICATION)]
    options += _competence_options(competences[: OPTIONS_MAX - 1])
    blocks: list[Block] = [
        select_input(
            BlockId.AUDITOR_COMPETENCE,
            "Qualifying competence",
            options,
            initial=str(current) if current else NO_QUALIFICATION,
        ),
        context(
            "People holding a valid completion of it may lead internal audits, as well as "
            "those listed with `/nc auditors`. Nobody audits their own work either way."
        ),
    ]
    return form_modal(ViewId.AUDITOR_COMPETENCE, "Auditor qualification", "Save", "{}", blocks)


def no_competences_form(terms: Terms = DEFAULT_TERMS) -> View:
    return View(
        type="modal",
        title=plain("Log completion"),
        close=plain("Close"),
        blocks=[
            section(
                f"There are no competences to log yet: {terms.a_lead} adds them with *Add "
                "competence* in `/nc training`."
            )
        ],
    )
