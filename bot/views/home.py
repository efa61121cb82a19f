"""The App Home tab: what is yours, and how to raise something."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import Block, ButtonElement, HeaderBlock
from slack_sdk.models.views import View

from bot.domain.records import RecordStatus
from bot.domain.text import escape, truncate
from bot.ids import ActionId
from bot.queries.objectives import Overview
from bot.queries.records import RecordPage
from bot.views.common import context, plain, section
from bot.views.objectives import summary

HOME_BLOCKS_MAX = 100
OBJECTIVES_SHOWN = 20


def home_view(mine: RecordPage, measured: Sequence[Overview] = ()) -> View:
    """`measured`: the objectives the person measures, shown when there are any."""
    blocks: list[Block] = [
        HeaderBlock(text=plain("Keel")),
        section(
            "Raise a nonconformity, complaint, near miss, incident or idea with `/nc`, or from "
            "any message's ⋮ menu (*Raise as a record*). `/nc help` lists everything."
        ),
        section(f"*Your open records* ({mine.total})"),
    ]
    if not mine.records:
        blocks.append(context("Nothing open that you reported or own."))
    for record in mine.records:
        blocks.append(
            section(
                f"*{record.reference}* {escape(truncate(record.title, 150))} · "
                f"{RecordStatus(record.status).label}"
            )
        )
    if mine.total > len(mine.records):
        blocks.append(context("More with `/nc list`."))
    if measured:
        blocks.append(section(f"*Objectives you measure* ({len(measured)})"))
        for item in measured[:OBJECTIVES_SHOWN]:
            block = section(summary(item))
            block.accessory = ButtonElement(
                text="Log value", action_id=ActionId.LOG_VALUE, value=str(item.objective.id)
            )
            blocks.append(block)
        if len(measured) > OBJECTIVES_SHOWN:
            blocks.append(context("All of them with `/nc objectives`."))
    return View(type="home", blocks=blocks[:HOME_BLOCKS_MAX])
