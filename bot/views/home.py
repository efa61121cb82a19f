"""The App Home tab: what is yours, a quality lead's overview, and how to raise something."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, HeaderBlock
from slack_sdk.models.views import View

from bot.domain.records import RecordStatus
from bot.domain.terms import DEFAULT_TERMS, Terms
from bot.domain.text import escape, plural, truncate
from bot.ids import ActionId
from bot.queries.action_register import ActionPage
from bot.queries.audits import MyAudits
from bot.queries.home import AUDIT_DUE_DAYS, LeadOverview
from bot.queries.objectives import Overview
from bot.queries.records import RecordPage
from bot.views.action_register import action_line
from bot.views.audits import my_audits_blocks
from bot.views.common import context, plain, section
from bot.views.objectives import summary
from storage.models import Record

HOME_BLOCKS_MAX = 100
# What each part shows at most; the rest are counted, with the command that lists them all.
# Header and intro 2, overview 2, actions 2 + 2 x 8, open records 2 + 10, raised 2 + 5,
# objectives 2 + 20, audits 2 + 2 x 10: 87 blocks at the very most.
ACTIONS_SHOWN = 8
RECORDS_SHOWN = 10
RAISED_SHOWN = 5
OBJECTIVES_SHOWN = 20


@dataclass(frozen=True)
class HomeAudits:
    """The person's audits, and what they need to be shown with their buttons."""

    mine: MyAudits
    user_id: str
    today: date
    is_lead: bool


def home_view(
    mine: RecordPage,
    measured: Sequence[Overview] = (),
    audits: HomeAudits | None = None,
    *,
    actions: ActionPage | None = None,
    raised: RecordPage | None = None,
    overview: LeadOverview | None = None,
    today: date | None = None,
    terms: Terms = DEFAULT_TERMS,
) -> View:
    """`mine`: open records the person reported or owns; `measured`: the objectives they
    measure; `audits`, `actions` (their open actions), `raised` (records they raised) and
    `overview` (quality leads only): shown when given. Every part is capped (see above), so
    the tab stays within Slack's 100 blocks whatever the data."""
    blocks: list[Block] = [
        HeaderBlock(text=plain("Keel")),
        section(
            "Raise a nonconformity, complaint, near miss, incident or idea with `/nc`, or from "
            "any message's ⋮ menu (*Raise as a record*). `/nc help` lists everything."
        ),
    ]
    if overview is not None:
        blocks.extend(_overview_blocks(overview, terms))
    if actions is not None and today is not None:
        blocks.extend(_action_blocks(actions, today))
    blocks.append(section(f"*Your open records* ({mine.total})"))
    if not mine.records:
        blocks.append(context("Nothing open that you reported or own."))
    for record in mine.records[:RECORDS_SHOWN]:
        blocks.append(section(_record_line(record)))
    if mine.total > len(mine.records[:RECORDS_SHOWN]):
        blocks.append(context("More with `/nc list`."))
    if raised is not None and raised.total:
        blocks.append(section(f"*Records you raised* ({raised.total})"))
        for record in raised.records[:RAISED_SHOWN]:
            blocks.append(section(_record_line(record)))
        if raised.total > len(raised.records[:RAISED_SHOWN]):
            blocks.append(context("All of them, open and closed, with `/nc list mine everything`."))
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


def _record_line(record: Record) -> str:
    return (
        f"*{record.reference}* {escape(truncate(record.title, 150))} · "
        f"{RecordStatus(record.status).label}"
    )


def _action_blocks(actions: ActionPage, today: date) -> list[Block]:
    overdue = f", {actions.overdue} overdue" if actions.overdue else ""
    blocks: list[Block] = [section(f"*Your open actions* ({actions.total}{overdue})")]
    if not actions.rows:
        blocks.append(context("No action of yours is open."))
    for row in actions.rows[:ACTIONS_SHOWN]:
        value = str(row.action.id)
        blocks.append(section(action_line(row, today)))
        blocks.append(
            ActionsBlock(
                elements=[
                    ButtonElement(
                        text=plain("Mark done"),
                        action_id=ActionId.MARK_DONE,
                        value=value,
                        style="primary",
                    ),
                    ButtonElement(
                        text=plain("Extend due date"), action_id=ActionId.EXTEND_DUE, value=value
                    ),
                    ButtonElement(text=plain("Blocked"), action_id=ActionId.BLOCKED, value=value),
                ]
            )
        )
    hidden = actions.total - len(actions.rows[:ACTIONS_SHOWN])
    if hidden > 0:
        blocks.append(context(f"{plural(hidden, 'more action')} with `/nc actions`."))
    return blocks


def _overview_blocks(overview: LeadOverview, terms: Terms = DEFAULT_TERMS) -> list[Block]:
    counts = [
        f"{count} {status.label.lower()}"
        for status in RecordStatus
        if (count := overview.by_status.get(status, 0))
    ]
    lines = [
        "*Records by status*: "
        + (", ".join(counts) if counts else "none yet")
        + " — `/nc list everything`",
        f"*Waiting for triage*: {overview.waiting_for_triage} — `/nc list all`",
        f"*Overdue actions*: {overview.overdue_actions} — `/nc actions all`",
        f"*Objectives off track*: {overview.objectives_off_track} — `/nc objectives`",
        f"*Audits*: {overview.audits_overdue} overdue, {overview.audits_due} due in the next "
        f"{AUDIT_DUE_DAYS} days — `/nc audits`",
    ]
    return [section(f"*Overview* (you are {terms.a_lead})"), section("\n".join(lines))]
