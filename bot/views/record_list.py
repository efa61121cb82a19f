"""`/nc list`: the open records, a page at a time."""

from __future__ import annotations

import json

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement

from bot.domain.records import RecordKind, RecordStatus
from bot.domain.text import escape, truncate, user_mention
from bot.ids import ActionId
from bot.ids import Block as BlockId
from bot.queries.records import RecordPage
from bot.views.common import context, plain, section


def pager_value(*, mine: bool, page: int) -> str:
    return json.dumps({"mine": mine, "page": page}, separators=(",", ":"))


def list_blocks(result: RecordPage, *, mine: bool) -> list[Block]:
    scope = "you reported or own" if mine else "in this workspace"
    blocks: list[Block] = [
        section(
            f"*Open records {scope}* — {result.total} in all, page {result.page} of {result.pages}"
        )
    ]
    if not result.records:
        blocks.append(section("_Nothing open. Raise one with `/nc`._"))
    for record in result.records:
        blocks.append(
            section(
                f"*{record.reference}* {escape(truncate(record.title, 150))}\n"
                f"{RecordKind(record.kind).label} · {RecordStatus(record.status).label} · "
                f"owner {user_mention(record.owner_id)} · "
                f"since {record.created_at.date().isoformat()}"
            )
        )
    buttons = []
    if result.page > 1:
        buttons.append(
            ButtonElement(
                text=plain("Previous page"),
                action_id=f"{ActionId.LIST_PAGE}:prev",
                value=pager_value(mine=mine, page=result.page - 1),
            )
        )
    if result.page < result.pages:
        buttons.append(
            ButtonElement(
                text=plain("Next page"),
                action_id=f"{ActionId.LIST_PAGE}:next",
                value=pager_value(mine=mine, page=result.page + 1),
            )
        )
    buttons.append(
        ButtonElement(
            text=plain("Show all open records" if mine else "Show only mine"),
            action_id=f"{ActionId.LIST_PAGE}:scope",
            value=pager_value(mine=not mine, page=1),
        )
    )
    blocks.append(ActionsBlock(block_id=BlockId.LIST_PAGER, elements=buttons))
    blocks.append(context("See one with `/nc NC-0001`."))
    return blocks
