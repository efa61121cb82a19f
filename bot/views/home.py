"""The App Home tab: what is yours, and how to raise something."""

from __future__ import annotations

from slack_sdk.models.blocks import Block, HeaderBlock
from slack_sdk.models.views import View

from bot.domain.records import RecordStatus, format_reference
from bot.domain.text import escape, truncate
from bot.services.records import RecordPage
from bot.views.common import context, plain, section

HOME_BLOCKS_MAX = 100


def home_view(mine: RecordPage) -> View:
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
                f"*{format_reference(record.number)}* {escape(truncate(record.title, 150))} · "
                f"{RecordStatus(record.status).label}"
            )
        )
    if mine.total > len(mine.records):
        blocks.append(context("More with `/nc list`."))
    return View(type="home", blocks=blocks[:HOME_BLOCKS_MAX])
