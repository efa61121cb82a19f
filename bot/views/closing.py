"""The form that closes a record: what still blocks it, and the questions of ISO 9001 10.2.1."""

from __future__ import annotations

from slack_sdk.models.blocks import Block, InputBlock, RadioButtonsElement
from slack_sdk.models.views import View

from bot.domain.records import RecordKind, asks_closing_questions
from bot.domain.terms import DEFAULT_TERMS, Terms, capitalised
from bot.domain.text import escape
from bot.forms.closing import CHANGES_MAX, NO, YES
from bot.ids import ActionId
from bot.ids import Block as BlockId
from bot.ids import View as ViewId
from bot.views.common import context, option, plain, section
from bot.views.inputs import form_modal, text_input
from bot.views.modals import about, metadata
from storage.models import Record

SAFETY_KINDS = frozenset({RecordKind.INCIDENT.value, RecordKind.NEAR_MISS.value})
READY = (
    "The root cause is recorded and every action is finished: verified, cancelled, or done "
    "where no effectiveness check is needed. Close the record?"
)


def _yes_no(block: BlockId, label: str, hint: str) -> InputBlock:
    return InputBlock(
        block_id=block,
        label=plain(label),
        optional=True,
        hint=plain(hint),
        element=RadioButtonsElement(
            action_id=ActionId.INPUT, options=[option("No", NO), option("Yes", YES)]
        ),
    )


# The hints name the clause the record answers to: ISO 45001 10.2 for incidents.
_HINTS = {
    False: (
        "ISO 9001 10.2.1 e: what was learnt may change a risk or opportunity in planning.",
        "ISO 9001 10.2.1 f: a procedure, a form, a process or a role.",
    ),
    True: (
        "ISO 45001 10.2 d: review the assessment of OH&S risks and other risks.",
        "ISO 45001 10.2 h: a procedure, a control, a process or a role.",
    ),
}


def closing_questions(kind: str) -> list[Block]:
    """ISO 9001 10.2.1 e) and f) (ISO 45001 10.2 d, h), with the change they lead to."""
    risks_hint, system_hint = _HINTS[kind in SAFETY_KINDS]
    return [
        _yes_no(BlockId.RISKS_UPDATE, "Do the risks and opportunities need updating?", risks_hint),
        _yes_no(BlockId.SYSTEM_CHANGE, "Does the management system need changing?", system_hint),
        text_input(
            BlockId.CLOSING_CHANGES,
            "What will change?",
            multiline=True,
            optional=True,
            max_length=CHANGES_MAX,
            hint="Needed when you answer Yes; kept with the record for the auditor.",
        ),
    ]


def close(
    record: Record, blockers: list[str], *, is_lead: bool, terms: Terms = DEFAULT_TERMS
) -> View:
    questions = closing_questions(record.kind) if asks_closing_questions(record.kind) else []
    meta = metadata(record=record.id)
    if not blockers:
        blocks: list[Block] = [about(record), section(READY), *questions]
        return form_modal(ViewId.CLOSE_RECORD, "Close record", "Close", meta, blocks)
    listed = "\n".join(f"• {escape(b)}" for b in blockers)
    blocks = [about(record), section(f"*It cannot close yet:*\n{listed}")]
    if not is_lead:
        blocks.append(context(f"{capitalised(terms.a_lead)} can close it anyway, with a reason."))
        return form_modal(ViewId.CLOSE_RECORD, "Close record", None, meta, blocks)
    blocks.append(
        text_input(
            BlockId.REASON,
            "Reason to close it anyway",
            multiline=True,
            max_length=1000,
            hint="Kept in the history with the open points.",
        )
    )
    blocks.extend(questions)
    return form_modal(ViewId.CLOSE_RECORD, "Close record", "Close anyway", meta, blocks)
