"""The small forms behind the buttons on cards and actions."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date

from slack_sdk.models.blocks import (
    Block,
    InputBlock,
    RadioButtonsElement,
    SectionBlock,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.domain.actions import ActionKind, cause_words
from bot.domain.dates import readable_date
from bot.domain.records import RecordStatus, Severity
from bot.domain.terms import DEFAULT_TERMS, Terms
from bot.domain.text import escape, truncate
from bot.ids import ActionId
from bot.ids import Block as BlockId
from bot.ids import View as ViewId
from bot.queries.actions import reference as action_reference
from bot.views.common import context, option, plain, section
from bot.views.inputs import date_input, form_modal, select_input, text_input, user_input
from bot.views.record_card import reference as record_reference
from storage.models import Action, Process, Record

# A modal holds 100 blocks: the rest of the form takes 5.
PROCESSES_SHOWN = 90
WHY_BLOCKS = (BlockId.WHY_1, BlockId.WHY_2, BlockId.WHY_3, BlockId.WHY_4, BlockId.WHY_5)


def metadata(**ids: int) -> str:
    return json.dumps(ids, separators=(",", ":"))


def about(record: Record) -> SectionBlock:
    """The first line of every record form: which record it is about."""
    return section(f"*{record_reference(record)}* · {escape(truncate(record.title, 140))}")


def assign_owner(record: Record) -> View:
    return form_modal(
        ViewId.ASSIGN_OWNER,
        "Assign owner",
        "Assign",
        metadata(record=record.id),
        [
            about(record),
            user_input(BlockId.OWNER, "Who owns this record?", record.owner_id),
            context(
                "The owner investigates, plans the actions and closes the record; they are told."
            ),
        ],
    )


def five_whys(record: Record, categories: list[str]) -> View:
    whys = list(record.whys or [])
    blocks: list[Block] = [about(record)]
    for index, block in enumerate(WHY_BLOCKS):
        label = "Why did it happen?" if index == 0 else f"Why? ({index + 1})"
        blocks.append(
            text_input(
                block,
                label,
                optional=index > 0,
                max_length=500,
                initial=whys[index] if index < len(whys) else None,
            )
        )
    blocks += [
        text_input(
            BlockId.ROOT_CAUSE,
            "Root cause",
            multiline=True,
            max_length=1000,
            initial=record.root_cause,
            hint="A cause the organisation controls: what, if changed, stops it happening again.",
        ),
        select_input(
            BlockId.CAUSE_CATEGORY,
            "Cause category",
            [option(cause_words(c.capitalize()), c) for c in categories],
            record.cause_category,
        ),
        text_input(
            BlockId.ELSEWHERE,
            "Could this happen elsewhere?",
            multiline=True,
            optional=True,
            max_length=1000,
            initial=record.elsewhere,
        ),
    ]
    return form_modal(ViewId.FIVE_WHYS, "Five whys", "Save", metadata(record=record.id), blocks)


def change_status(record: Record, targets: Sequence[RecordStatus]) -> View:
    options = [option(status.label, status.value) for status in targets]
    return form_modal(
        ViewId.CHANGE_STATUS,
        "Change status",
        "Change",
        metadata(record=record.id),
        [
            about(record),
            section(f"Now: *{RecordStatus(record.status).label}*"),
            select_input(BlockId.STATUS, "New status", options),
        ],
    )


def change_severity(record: Record) -> View:
    options = [option(s.label, s.value) for s in Severity]
    return form_modal(
        ViewId.CHANGE_SEVERITY,
        "Change severity",
        "Change",
        metadata(record=record.id),
        [
            about(record),
            select_input(BlockId.SEVERITY, "Severity", options, record.severity),
        ],
    )


def reject(record: Record) -> View:
    return _reason_form(
        record,
        ViewId.REJECT_RECORD,
        ("Reject record", "Reject"),
        "Why is it rejected?",
        hint="e.g. not a nonconformity, a duplicate of NC-0003. The reason is kept.",
    )


def reopen(record: Record) -> View:
    return _reason_form(
        record,
        ViewId.REOPEN_RECORD,
        ("Reopen record", "Reopen"),
        "Why is it reopened?",
        hint="e.g. the problem came back, new evidence. The reason is kept.",
    )


def _reason_form(
    record: Record, view_id: ViewId, title_and_submit: tuple[str, str], label: str, *, hint: str
) -> View:
    """A decision about the record that needs only its reason, which is kept as evidence."""
    title, submit = title_and_submit
    return form_modal(
        view_id,
        title,
        submit,
        metadata(record=record.id),
        [
            about(record),
            text_input(BlockId.REASON, label, multiline=True, max_length=1000, hint=hint),
        ],
    )


def add_action(record: Record, today: date) -> View:
    kinds = [option(kind.label, kind.value) for kind in ActionKind]
    return form_modal(
        ViewId.ADD_ACTION,
        "Add action",
        "Add",
        metadata(record=record.id),
        [
            about(record),
            select_input(BlockId.ACTION_KIND, "Kind of action", kinds, ActionKind.CORRECTIVE.value),
            text_input(BlockId.DESCRIPTION, "What will be done?", multiline=True, max_length=2000),
            user_input(BlockId.OWNER, "Owner"),
            date_input(BlockId.DUE_DATE, "Due date", None),
            date_input(
                BlockId.CHECK_DATE,
                "Effectiveness check date",
                None,
                optional=True,
                hint="Corrective actions: when to check that the problem did not come back.",
            ),
            text_input(
                BlockId.CRITERION,
                "How will you know it worked?",
                multiline=True,
                optional=True,
                max_length=1000,
                hint="Corrective actions: e.g. no mislabelled batch in the next 3 months.",
            ),
        ],
    )


def _about_action(action: Action, record: Record, today: date | None) -> SectionBlock:
    due = readable_date(action.due_date, today or action.due_date)
    return section(
        f"*{action_reference(action, record)}* · due {due}\n"
        f"{escape(truncate(action.description, 500))}"
    )


def mark_done(action: Action, record: Record, today: date | None = None) -> View:
    return form_modal(
        ViewId.MARK_DONE,
        "Mark done",
        "Done",
        metadata(action=action.id),
        [
            _about_action(action, record, today),
            text_input(
                BlockId.EVIDENCE,
                "Evidence: what was done?",
                multiline=True,
                max_length=2000,
                hint="What an auditor would want to see: a document, a photo link, a record.",
            ),
        ],
    )


def extend_due(action: Action, record: Record, today: date | None = None) -> View:
    return form_modal(
        ViewId.EXTEND_DUE,
        "Extend due date",
        "Extend",
        metadata(action=action.id),
        [
            _about_action(action, record, today),
            date_input(BlockId.DUE_DATE, "New due date", None),
            text_input(BlockId.REASON, "Why does it move?", multiline=True, max_length=1000),
        ],
    )


def reassign(action: Action, record: Record, today: date | None = None) -> View:
    return form_modal(
        ViewId.REASSIGN,
        "Reassign action",
        "Reassign",
        metadata(action=action.id),
        [
            _about_action(action, record, today),
            user_input(BlockId.OWNER, "New owner"),
        ],
    )


def blocked(action: Action, record: Record, today: date | None = None) -> View:
    return form_modal(
        ViewId.BLOCKED,
        "Blocked",
        "Save",
        metadata(action=action.id),
        [
            _about_action(action, record, today),
            text_input(BlockId.REASON, "What is it waiting for?", multiline=True, max_length=1000),
        ],
    )


def verify(action: Action, record: Record, today: date | None = None) -> View:
    outcomes = [
        option("Effective: the problem did not come back", "effective"),
        option("Not effective: reopen the action", "not_effective"),
    ]
    criterion = (
        f"\nEffective when: {escape(truncate(action.effectiveness_criterion, 500))}"
        if action.effectiveness_criterion
        else ""
    )
    return form_modal(
        ViewId.VERIFY,
        "Verify effectiveness",
        "Save",
        metadata(action=action.id),
        [
            _about_action(action, record, today),
            section(f"Evidence: {escape(truncate(action.evidence or '—', 1000))}{criterion}"),
            InputBlock(
                block_id=BlockId.OUTCOME,
                label=plain("Was it effective?"),
                element=RadioButtonsElement(action_id=ActionId.INPUT, options=outcomes),
            ),
            text_input(BlockId.NOTE, "What did the check show?", multiline=True, max_length=1000),
            date_input(BlockId.DUE_DATE, "New due date (if not effective)", None, optional=True),
        ],
    )


def cancel_action(action: Action, record: Record, today: date | None = None) -> View:
    return form_modal(
        ViewId.CANCEL_ACTION,
        "Cancel action",
        "Cancel action",
        metadata(action=action.id),
        [
            _about_action(action, record, today),
            text_input(BlockId.REASON, "Why is it cancelled?", multiline=True, max_length=1000),
        ],
    )


def processes(items: Sequence[Process], *, terms: Terms = DEFAULT_TERMS) -> View:
    """Each process with its owner (change it right there), and a form to add one."""
    blocks: list[Block] = [
        section(
            "*Processes and areas.* A record raised about a process goes to its owner; "
            f"an unowned one goes to the {terms.leads}."
        ),
    ]
    for process in items[:PROCESSES_SHOWN]:
        blocks.append(
            SectionBlock(
                block_id=f"{BlockId.PROCESS_OWNER}:{process.id}",
                text=plain(truncate(process.name, 80)),
                accessory=UserSelectElement(
                    action_id=ActionId.PROCESS_OWNER_PICK,
                    placeholder=plain("Choose the owner"),
                    initial_user=process.owner_id,
                ),
            )
        )
    if not items:
        blocks.append(context("No processes yet: add the first one below."))
    if len(items) > PROCESSES_SHOWN:
        blocks.append(
            context(f"…and {len(items) - PROCESSES_SHOWN} more, not shown: a form holds 100 lines.")
        )
    blocks += [
        text_input(
            BlockId.PROCESS_NAME,
            "Add a process",
            optional=True,
            max_length=80,
            hint="e.g. Purchasing, Production, Sales, Warehouse",
        ),
        InputBlock(
            block_id=BlockId.PROCESS_OWNER,
            label=plain("Its owner"),
            optional=True,
            element=UserSelectElement(action_id=ActionId.INPUT),
        ),
    ]
    return form_modal(ViewId.PROCESSES, "Processes", "Save", "{}", blocks)
