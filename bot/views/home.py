"""The App Home tab: what is yours, and how to raise something."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from slack_sdk.models.blocks import Block, ButtonElement, HeaderBlock
from slack_sdk.models.views import View

from bot.domain.records import RecordStatus
from bot.domain.text import escape, truncate
from bot.ids import ActionId
from bot.queries.audits import MyAudits
from bot.queries.objectives import Overview
from bot.queries.records import RecordPage
from bot.views.audits import my_audits_blocks
from bot.views.common import context, plain, section
from bot.views.objectives import summary

HOME_BLOCKS_MAX = 100
OBJECTIVES_SHOWN = 20
RECORDS_SHOWN = 10


@dataclass(frozen=True)
class HomeAudits:
    """The person's audits, and what they need to be shown with their buttons."""

    mine: MyAudits
    user_id: str
    today: date
    is_lead: bool


def home_view(
    mine: RecordPage, measured: Sequence[Overview] = (), audits: HomeAudits | None = None
) -> View:
    """`measured`: the objectives the person measures, shown when there are any; `audits`:
    theirs, shown when there are any. Records (at most 10 shown), objectives (20) and audits
    (10, two blocks each) stay well within the Home tab's 100 blocks; the rest are counted."""
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
    for record in mine.records[:RECORDS_SHOWN]:
        blocks.append(
            section(
                f"*{record.reference}* {escape(truncate(record.title, 150))} · "
                f"{RecordStatus(record.status).label}"
            )
        )
    if mine.total > len(mine.records[:RECORDS_SHOWN]):
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
    if audits is not None:
        blocks.extend(
            my_audits_blocks(audits.mine, audits.user_id, audits.today, is_lead=audits.is_lead)
        )
    return View(type="home", blocks=blocks[:HOME_BLOCKS_MAX])
