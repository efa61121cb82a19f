"""`/nc actions`: the open actions register, overdue first, a page at a time."""

from __future__ import annotations

import json
from datetime import date

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement

from bot.domain.actions import ActionKind, action_reference
from bot.domain.dates import readable_date
from bot.domain.text import escape, plural, truncate
from bot.ids import ActionId
from bot.ids import Block as BlockId
from bot.queries.action_register import ActionPage, ActionRow
from bot.views.common import context, plain, section


def pager_value(*, mine: bool, page: int) -> str:
    return json.dumps({"mine": mine, "page": page}, separators=(",", ":"))


def action_status(row: ActionRow, today: date) -> str:
    """An open action's state in a word or two: overdue, waiting for an extension, blocked."""
    action = row.action
    notes = []
    if action.due_date < today:
        days = (today - action.due_date).days
        notes.append(f":warning: *Overdue* by {plural(days, 'day')}")
    if action.pending_extension:
        notes.append("extension requested")
    if action.blocked_reason:
        notes.append(f"blocked: {escape(truncate(action.blocked_reason, 80))}")
    return " · ".join(notes) if notes else "Open"


def action_line(row: ActionRow, today: date) -> str:
    """One action as the registers and the Home tab show it."""
    action = row.action
    return (
        f"*{action_reference(row.record_reference, action.number)}* "
        f"{escape(truncate(action.description, 150))}\n"
        f"<@{action.owner_id}> · due {readable_date(action.due_date, today)} · "
        f"{action_status(row, today)} · {ActionKind(action.kind).label} · record "
        f"*{row.record_reference}* {escape(truncate(row.record_title, 60))}"
    )


def actions_blocks(result: ActionPage, *, mine: bool, today: date) -> list[Block]:
    scope = "Your open actions" if mine else "Open actions in this workspace"
    overdue = f", {result.overdue} overdue" if result.overdue else ""
    blocks: list[Block] = [
        section(f"*{scope}* — {result.total} in all{overdue}, page {result.page} of {result.pages}")
    ]
    if not result.rows:
        nothing = "You have no open actions." if mine else "No action is open."
        blocks.append(section(f"_{nothing}_"))
    for row in result.rows:
        blocks.append(section(action_line(row, today)))
    buttons = []
    if result.page > 1:
        buttons.append(_button("Previous page", "prev", mine=mine, page=result.page - 1))
    if result.page < result.pages:
        buttons.append(_button("Next page", "next", mine=mine, page=result.page + 1))
    toggle = "Show all open actions" if mine else "Show only mine"
    buttons.append(_button(toggle, "scope", mine=not mine, page=1))
    blocks.append(ActionsBlock(block_id=BlockId.ACTIONS_PAGER, elements=buttons))
    blocks.append(
        context(
            "Overdue first, then by due date. Update an action with the buttons on its "
            "message or by replying in its thread; `/nc` and the record's reference shows the "
            "record, its actions and history."
        )
    )
    return blocks


def _button(label: str, name: str, *, mine: bool, page: int) -> ButtonElement:
    return ButtonElement(
        text=plain(label),
        action_id=f"{ActionId.ACTIONS_PAGE}:{name}",
        value=pager_value(mine=mine, page=page),
    )
