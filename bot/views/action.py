"""An action as Slack shows it: in its record's thread and in its owner's DM."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, SectionBlock

from bot.domain.actions import ActionKind, ActionStatus
from bot.domain.dates import readable_date
from bot.domain.text import escape, truncate
from bot.ids import ActionId
from bot.ids import Block as BlockId
from bot.queries.actions import reference
from bot.views.common import context, mrkdwn, plain, section
from storage.models import Action, Record


def fallback_text(action: Action, record: Record, today: date | None = None) -> str:
    status = ActionStatus(action.status)
    due = readable_date(action.due_date, today or action.due_date)
    return (
        f"{reference(action, record)} {ActionKind(action.kind).label} for <@{action.owner_id}>, "
        f"due {due} ({status.label.lower()}): "
        f"{escape(truncate(action.description, 200))}"
    )


def action_blocks(
    action: Action, record: Record, *, today: date | None = None, in_dm: bool = False
) -> list[Block]:
    """The action with the buttons that fit its status. Buttons are checked on the server:
    anyone may see them, only the right people can use them. The channel copy sits in the
    record card's thread; the owner's DM copy is a message of its own (`in_dm`)."""
    status = ActionStatus(action.status)
    kind = ActionKind(action.kind)
    overdue = today is not None and status is ActionStatus.OPEN and action.due_date < today
    shown_today = today or action.due_date
    due = readable_date(action.due_date, shown_today) + (" :warning: overdue" if overdue else "")
    fields = [
        mrkdwn(f"*Owner*\n<@{action.owner_id}>"),
        mrkdwn(f"*Due*\n{due}"),
        mrkdwn(f"*Status*\n{status.label}"),
        mrkdwn(f"*Kind*\n{kind.label}"),
    ]
    if kind.needs_effectiveness_check and action.effectiveness_check_date:
        fields.append(
            mrkdwn(
                "*Effectiveness check*\n"
                + readable_date(action.effectiveness_check_date, shown_today)
            )
        )
    blocks: list[Block] = [
        section(
            f"*{reference(action, record)}* · {escape(truncate(record.title, 120))}\n"
            f"{escape(truncate(action.description, 2000))}"
        ),
        SectionBlock(fields=fields),
    ]
    notes = []
    if action.blocked_reason and status is ActionStatus.OPEN:
        notes.append(f":construction: Blocked: {escape(truncate(action.blocked_reason, 500))}")
    if action.pending_extension:
        wanted = _wanted(action.pending_extension, shown_today)
        notes.append(f":hourglass: Move to {wanted} requested, waiting for approval.")
    if action.effectiveness_criterion:
        notes.append(f"Effective when: {escape(truncate(action.effectiveness_criterion, 500))}")
    if action.evidence:
        notes.append(f"Evidence: {escape(truncate(action.evidence, 1000))}")
    if action.verification_note:
        notes.append(f"Effectiveness review: {escape(truncate(action.verification_note, 500))}")
    if action.cancel_reason:
        notes.append(f"Cancelled: {escape(truncate(action.cancel_reason, 500))}")
    if notes:
        blocks.append(section("\n".join(notes)))
    buttons = _buttons(action, status, kind)
    if buttons:
        blocks.append(ActionsBlock(block_id=BlockId.ACTION_BUTTONS, elements=buttons))
    blocks.append(context(reply_hint(action, status, in_dm=in_dm)))
    return blocks


def reply_hint(action: Action, status: ActionStatus, *, in_dm: bool) -> str:
    """How to answer by a reply, true to where this copy sits and what the action still needs.

    In the channel the action is one message of the record card's thread, beside its other
    actions, so the reply names it (`A2 done …`); in the DM a reply in this message's own
    thread is about this action alone."""
    where = "Reply to this message in a thread" if in_dm else "Reply in this thread"
    name = "" if in_dm else f"A{action.number} "
    if status is ActionStatus.OPEN:
        return (
            f"{where} to update it: `{name}done &lt;evidence&gt;`, "
            f"`{name}blocked: &lt;reason&gt;`, `{name}due 12 Dec because &lt;reason&gt;`, "
            "or any progress note."
        )
    if status is ActionStatus.DONE and ActionKind(action.kind).needs_effectiveness_check:
        return f"Done, waiting for its effectiveness check. {where} to add a note."
    return f"{status.label}: nothing more to do on this action. {where} to add a note."


def _buttons(action: Action, status: ActionStatus, kind: ActionKind) -> list[ButtonElement]:
    value = str(action.id)
    if status is ActionStatus.OPEN:
        return [
            _button("Mark done", ActionId.MARK_DONE, value, primary=True),
            _button("Extend due date", ActionId.EXTEND_DUE, value),
            _button("Reassign", ActionId.REASSIGN, value),
            _button("Blocked", ActionId.BLOCKED, value),
            _button("Cancel action", ActionId.CANCEL_ACTION, value),
        ]
    if status is ActionStatus.DONE and kind.needs_effectiveness_check:
        return [
            _button("Verify effectiveness", ActionId.VERIFY, value, primary=True),
            _button("Cancel action", ActionId.CANCEL_ACTION, value),
        ]
    return []


def _button(label: str, action_id: str, value: str, *, primary: bool = False) -> ButtonElement:
    return ButtonElement(
        text=plain(label), action_id=action_id, value=value, style="primary" if primary else None
    )


def _wanted(pending: dict[str, Any], today: date) -> str:
    """The date a pending extension asks for, as people read dates."""
    try:
        return readable_date(date.fromisoformat(str(pending.get("due_date"))), today)
    except ValueError:  # Keel wrote it as ISO; shown as stored if ever it is not
        return escape(str(pending.get("due_date")))


def approval_blocks(action: Action, record: Record, today: date | None = None) -> list[Block]:
    """Asks a quality lead to approve an extension past the workspace's limit."""
    pending = action.pending_extension or {}
    shown_today = today or action.due_date
    wanted = _wanted(pending, shown_today)
    text = (
        f":hourglass: <@{pending.get('requested_by')}> asks to move *{reference(action, record)}* "
        f"from {readable_date(action.due_date, shown_today)} to *{wanted}*.\n"
        f"Reason: {escape(truncate(str(pending.get('reason', '')), 1000))}\n"
        f"It has been extended {action.extension_count} times already."
    )
    return [
        section(text),
        ActionsBlock(
            block_id=BlockId.APPROVAL,
            elements=[
                _button("Approve", ActionId.APPROVE_EXTENSION, str(action.id), primary=True),
                _button("Decline", ActionId.DECLINE_EXTENSION, str(action.id)),
            ],
        ),
    ]
