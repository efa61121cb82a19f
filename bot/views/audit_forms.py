"""The audit forms: plan, postpone, cancel or close, add a finding, record the report."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    InputBlock,
    Option,
    UserMultiSelectElement,
)
from slack_sdk.models.views import View

from bot.domain import audits as rules
from bot.domain.dates import readable_date
from bot.domain.text import truncate
from bot.forms.audits import ONE_OFF, AuditMetadata
from bot.ids import ActionId as ActionId
from bot.ids import Block as BlockId
from bot.ids import View as ViewId
from bot.views.audits import reference
from bot.views.common import context, option, plain, section
from bot.views.inputs import date_input, form_modal, select_input, text_input, user_input
from storage.models import Audit, Process

# --------------------------------------------------------------------------------


def plan_form(
    processes: Sequence[Process], *, warning: str | None = None, suggested: Sequence[str] = ()
) -> View:
    """Plan an audit: a process or a named area, the day, who audits whom, against what."""
    blocks: list[Block] = []
    if processes:
        choose = select_input(
            BlockId.AUDIT_PROCESS,
            "Process",
            [option(truncate(p.name, 75), str(p.id)) for p in processes[:100]],
        )
        choose.optional = True
        blocks.append(choose)
    blocks.append(
        text_input(
            BlockId.AUDIT_AREA,
            "Or a named area",
            optional=True,
            max_length=80,
            hint="For an audit of something that is not one process.",
        )
    )
    blocks.append(date_input(BlockId.PLANNED_DATE, "Planned date", None))
    blocks.append(
        InputBlock(
            block_id=BlockId.HELD_ALREADY,
            label=plain("Already held"),
            optional=True,
            element=CheckboxesElement(
                action_id=ActionId.INPUT,
                options=[
                    option(
                        "Record an audit already held on that day", ActionId.HELD_ALREADY_YES.value
                    )
                ],
            ),
        )
    )
    blocks.append(user_input(BlockId.LEAD_AUDITOR, "Lead auditor"))
    blocks.append(
        InputBlock(
            block_id=BlockId.AUDITORS,
            label=plain("Other auditors"),
            optional=True,
            element=UserMultiSelectElement(action_id=ActionId.INPUT),
        )
    )
    auditee = user_input(BlockId.AUDITEE, "Auditee")
    auditee.optional = True
    auditee.hint = plain("Leave empty for the process owner.")
    blocks.append(auditee)
    blocks.append(
        text_input(BlockId.SCOPE, "Scope", multiline=True, optional=True, max_length=1000)
    )
    blocks.append(
        InputBlock(
            block_id=BlockId.STANDARDS,
            label=plain("Criteria: standards"),
            optional=True,
            element=CheckboxesElement(
                action_id=ActionId.INPUT,
                options=[option(s.label, s.value) for s in rules.Standard],
            ),
        )
    )
    blocks.append(
        text_input(
            BlockId.CLAUSES,
            "Criteria: clauses",
            optional=True,
            max_length=200,
            hint="For example 8.4, 8.5.1",
        )
    )
    blocks.append(
        select_input(
            BlockId.RECURRENCE,
            "Recurrence",
            [_recurrence_option(r) for r in rules.Recurrence],
            ONE_OFF,
        )
    )
    blocks.append(
        text_input(
            BlockId.OVERRIDE_REASON,
            "Impartiality override (leads)",
            optional=True,
            multiline=True,
            max_length=500,
            hint="Only if an auditor must audit their own work: say why.",
        )
    )
    if warning:
        blocks.insert(0, section(f":warning: {warning}"))
    if suggested:
        names = ", ".join(f"<@{person}>" for person in suggested)
        blocks.insert(0, context(f"Audited least in the last 12 months: {names}"))
    return form_modal(ViewId.PLAN_AUDIT, "Plan an audit", "Plan", "{}", blocks)


def _recurrence_option(recurrence: rules.Recurrence) -> Option:
    # An option's value may not be empty: one-off travels as "one_off".
    return option(recurrence.label, recurrence.value or ONE_OFF)


def _meta(audit: Audit) -> str:
    return AuditMetadata(audit_id=audit.id).dump()


def postpone_form(audit: Audit) -> View:
    return form_modal(
        ViewId.POSTPONE_AUDIT,
        "Postpone audit",
        "Postpone",
        _meta(audit),
        [
            section(
                f"*{reference(audit)}* is planned for "
                f"{readable_date(audit.planned_date, date.min)}."
            ),
            date_input(BlockId.PLANNED_DATE, "New date", None),
            text_input(BlockId.REASON, "Why", multiline=True, max_length=1000),
        ],
    )


def reason_form(audit: Audit, *, closing: bool) -> View:
    what = "Close" if closing else "Cancel"
    return form_modal(
        ViewId.CLOSE_AUDIT if closing else ViewId.CANCEL_AUDIT,
        f"{what} audit",
        what,
        _meta(audit),
        [
            section(f"*{reference(audit)}*"),
            text_input(BlockId.REASON, "Why", multiline=True, max_length=1000),
        ],
    )


def finding_form(audit: Audit) -> View:
    grades = [option(g.label, g.value) for g in rules.FindingGrade]
    return form_modal(
        ViewId.ADD_FINDING,
        "Add finding",
        "Add",
        _meta(audit),
        [
            section(f"*{reference(audit)}*: one finding per form."),
            select_input(BlockId.GRADE, "Grade", grades),
            text_input(
                BlockId.CLAUSE, "Clause", optional=True, max_length=40, hint="For example 8.5.1"
            ),
            text_input(BlockId.EVIDENCE, "What was found (objective evidence)", multiline=True),
            text_input(BlockId.SPOKEN_TO, "Who was spoken to", optional=True, max_length=200),
        ],
    )


def report_form(audit: Audit) -> View:
    blocks: list[Block] = [
        section(f"*{reference(audit)}*"),
        text_input(BlockId.SUMMARY, "Summary", multiline=True),
        text_input(BlockId.STRENGTHS, "What works well", multiline=True, optional=True),
    ]
    if audit.clauses:
        blocks.append(
            InputBlock(
                block_id=BlockId.CLAUSES_COVERED,
                label=plain("Clauses covered"),
                optional=True,
                element=CheckboxesElement(
                    action_id=ActionId.INPUT,
                    options=[option(c, c) for c in audit.clauses[:10]],
                ),
            )
        )
    blocks.append(text_input(BlockId.CONCLUSION, "Conclusion", multiline=True))
    return form_modal(ViewId.RECORD_REPORT, "Record report", "Save report", _meta(audit), blocks)
