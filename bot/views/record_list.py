"""`/nc list`: the records register, a page at a time, filtered by status, kind, process
and whose."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement

from bot.domain.dates import readable_date
from bot.domain.records import RecordKind, RecordStatus, kind_label
from bot.domain.registers import StatusFilter
from bot.domain.text import escape, truncate, user_mention
from bot.ids import ActionId
from bot.ids import Block as BlockId
from bot.queries.records import RecordPage
from bot.views.common import context, plain, section
from storage.models import Record

KIND_PLURALS = {
    RecordKind.NONCONFORMITY: "nonconformities",
    RecordKind.CUSTOMER_COMPLAINT: "customer complaints",
    RecordKind.NEAR_MISS: "near misses",
    RecordKind.INCIDENT: "incidents",
    RecordKind.IMPROVEMENT: "opportunities for improvement",
    RecordKind.AUDIT_FINDING: "audit findings",
}
_STATUS_WORDS = {
    StatusFilter.OPEN: "Open",
    StatusFilter.CLOSED: "Closed and rejected",
    StatusFilter.ALL: "All",
}


@dataclass(frozen=True)
class Listing:
    """Which records a page shows: the filter, as the buttons carry it on."""

    mine: bool
    status: StatusFilter = StatusFilter.OPEN
    kind: RecordKind | None = None
    process_id: int | None = None
    process_name: str | None = None

    @property
    def filtered(self) -> bool:
        return self.status is not StatusFilter.OPEN or bool(self.kind or self.process_id)


def pager_value(*, mine: bool, page: int, listing: Listing | None = None) -> str:
    """The button's value; the filter only when there is one, so that an unfiltered page
    reads `{"mine":true,"page":2}` as it always did."""
    value: dict[str, Any] = {"mine": mine, "page": page}
    if listing is not None and listing.status is not StatusFilter.OPEN:
        value["status"] = listing.status.value
    if listing is not None and listing.kind is not None:
        value["kind"] = listing.kind.value
    if listing is not None and listing.process_id is not None:
        value["process"] = listing.process_id
    return json.dumps(value, separators=(",", ":"))


def heading(listing: Listing) -> str:
    what = KIND_PLURALS[listing.kind] if listing.kind else "records"
    about = f" about {escape(truncate(listing.process_name, 80))}" if listing.process_name else ""
    scope = "you reported or own" if listing.mine else "in this workspace"
    return f"{_STATUS_WORDS[listing.status]} {what}{about} {scope}"


def list_blocks(result: RecordPage, listing: Listing, *, today: date) -> list[Block]:
    blocks: list[Block] = [
        section(
            f"*{heading(listing)}* — {result.total} in all, page {result.page} of {result.pages}"
        )
    ]
    if not result.records:
        if listing.filtered:
            blocks.append(section("_No records match. `/nc list all` shows every open one._"))
        else:
            blocks.append(section("_Nothing open. Raise one with `/nc`._"))
    for record in result.records:
        blocks.append(section(_row(record, today)))
    blocks.append(ActionsBlock(block_id=BlockId.LIST_PAGER, elements=_buttons(result, listing)))
    blocks.append(
        context(
            "Each record, with its actions and full history, is shown by `/nc` and its "
            "reference. Filter with words: `/nc list closed`, `/nc list all complaints`, "
            "`/nc list open near misses`, `/nc list process Purchasing`, `/nc list everything`."
        )
    )
    return blocks


def _row(record: Record, today: date) -> str:
    status = RecordStatus(record.status)
    if not status.is_open and record.closed_at is not None:
        when = f"{status.label.lower()} {readable_date(record.closed_at.date(), today)}"
    else:
        when = f"raised {readable_date(record.created_at.date(), today)}"
    return (
        f"*{record.reference}* {escape(truncate(record.title, 150))}\n"
        f"{kind_label(record.kind)} · {status.label} · "
        f"owner {user_mention(record.owner_id)} · {when} · `/nc {record.reference}`"
    )


def _buttons(result: RecordPage, listing: Listing) -> list[ButtonElement]:
    def button(label: str, name: str, *, mine: bool, page: int, shown: Listing) -> ButtonElement:
        return ButtonElement(
            text=plain(label),
            action_id=f"{ActionId.LIST_PAGE}:{name}",
            value=pager_value(mine=mine, page=page, listing=shown),
        )

    mine = listing.mine
    buttons = []
    if result.page > 1:
        buttons.append(
            button("Previous page", "prev", mine=mine, page=result.page - 1, shown=listing)
        )
    if result.page < result.pages:
        buttons.append(button("Next page", "next", mine=mine, page=result.page + 1, shown=listing))
    if listing.filtered:
        toggle = "Show everyone's" if mine else "Show only mine"
    else:
        toggle = "Show all open records" if mine else "Show only mine"
    buttons.append(button(toggle, "scope", mine=not mine, page=1, shown=listing))
    if listing.status is StatusFilter.OPEN:
        closed = Listing(mine, StatusFilter.CLOSED, listing.kind, listing.process_id)
        buttons.append(button("Show closed records", "status", mine=mine, page=1, shown=closed))
    else:
        opened = Listing(mine, StatusFilter.OPEN, listing.kind, listing.process_id)
        buttons.append(button("Show open records", "status", mine=mine, page=1, shown=opened))
    return buttons
