"""The daily digest DM: everything of one person's that is overdue or due soon."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.domain.dates import readable_date
from bot.domain.schedule import Urgency
from bot.domain.text import escape, plural, truncate
from bot.ids import ActionId
from bot.queries.digest_items import DigestLine
from bot.views.document_digest import document_item
from bot.views.raw import RawBlock, actions, button, context, header, plain, section
from bot.views.review_digest import review_item

ITEMS_SHOWN = 15  # 2 blocks each, well inside a message's 50
# An item's buttons are in the block "digest:<item key>": a digest names its items.
DIGEST_BLOCK_PREFIX = "digest:"

URGENCY_LABELS = {
    Urgency.OVERDUE: ":red_circle: overdue",
    Urgency.DUE_TODAY: ":large_orange_circle: due today",
    Urgency.DUE_SOON: ":large_yellow_circle: due soon",
}


def digest_text(lines: Sequence[DigestLine]) -> str:
    """The notification's words: how many things are open and how many of them are late."""
    open_lines = [line for line in lines if line.urgency is not None]
    count = len(open_lines)
    overdue = sum(1 for line in open_lines if line.urgency is Urgency.OVERDUE)
    if count == 0:
        return "Keel: all done for today."
    need = f"{plural(count, 'thing')} {'needs' if count == 1 else 'need'} you today"
    if overdue == 0:
        return f"Keel: {need}."
    if overdue == count:
        return f"Keel: {need}, {'and it is overdue' if count == 1 else 'all overdue'}."
    return f"Keel: {need}, {overdue} overdue."


def footer(lines: Sequence[DigestLine]) -> str:
    """How to answer the digest, naming thread replies only when an open action is in it:
    a read request or an objective value has no thread to reply in."""
    kinds = {line.kind for line in lines if line.urgency is not None}
    if "action" in kinds:
        how = (
            "Use the buttons, or reply in the record's thread starting with the action's "
            "number (`A2 done …`)."
        )
    elif kinds:
        how = "Use the buttons."
    else:
        how = ""
    return " ".join(
        part
        for part in (
            "One message a day, on working days.",
            how,
            "This message updates as things are done.",
        )
        if part
    )


def digest_blocks(lines: Sequence[DigestLine], today: date) -> list[RawBlock]:
    """The digest as Block Kit dicts (bot/views/raw.py): the clock renders thousands a run."""
    blocks: list[RawBlock] = [header(f"Your Keel items for {readable_date(today, today)}")]
    for line in lines[:ITEMS_SHOWN]:
        blocks.extend(_item(line, today))
    if len(lines) > ITEMS_SHOWN:
        blocks.append(context(f"…and {len(lines) - ITEMS_SHOWN} more: see `/nc list`."))
    blocks.append(context(footer(lines)))
    return blocks


# Plain strings, looked up once: a run renders these for every item of every digest.
_MARK_DONE = ActionId.MARK_DONE.value
_EXTEND_DUE = ActionId.EXTEND_DUE.value
_VERIFY = ActionId.VERIFY.value
_SNOOZE_PREFIX = f"{ActionId.SNOOZE.value}:"
_LOG_VALUE = ActionId.LOG_VALUE.value
_LOG_COMPLETION = ActionId.LOG_COMPLETION.value
_WHAT = {
    "verification": "Effectiveness check",
    "objective": "Objective value",
    "audit": "Internal audit",
    "audit_auditee": "Internal audit (you are the auditee)",
    "audit_escalated": "Internal audit with no report",
}


def _item(line: DigestLine, today: date) -> list[RawBlock]:
    if line.kind.startswith("document"):  # document reviews and read requests (issue 13)
        return document_item(line, today)
    if line.kind == "management_review":  # the next management review (issue 12)
        return review_item(line, today)
    if line.urgency is None:
        done = escape(truncate(line.description, 150))
        finished = "logged" if line.kind in ("objective", "refresher") else "done"
        # A refresher's reference is the competence's name, as a person typed it.
        shown = escape(truncate(line.reference, 200))
        return [section(f":white_check_mark: ~{shown}~ {finished} — {done}")]
    if line.kind == "refresher":
        return _refresher(line, today)
    what = _WHAT.get(line.kind, "Action")
    status = URGENCY_LABELS[line.urgency]
    days = (today - line.due).days
    late = f" by {plural(days, 'day')}" if days > 0 else ""
    text = (
        f"*{line.reference}* {what} · {status}{late} (due {readable_date(line.due, today)})\n"
        f"{escape(truncate(line.description, 300))}"
    )
    if line.note:
        text += f"\n_{line.note}_"
    value = str(line.action_id)
    if line.kind == "verification":
        elements = [button("Verify effectiveness", _VERIFY, value)]
    elif line.kind == "objective":
        # "objective id:period start": the form opens on the period the line is about.
        period_value = line.key.split(":", 1)[1]
        elements = [button("Log value", _LOG_VALUE, period_value, primary=True)]
    elif line.kind.startswith("audit"):  # internal audits (issue 11)
        if line.urgency is Urgency.OVERDUE:
            elements = [button("Record report", ActionId.RECORD_REPORT.value, value, primary=True)]
        else:
            elements = [
                button("Start audit", ActionId.START_AUDIT.value, value, primary=True),
                button("Postpone", ActionId.POSTPONE_AUDIT.value, value),
            ]
    else:
        elements = [
            button("Mark done", _MARK_DONE, value, primary=True),
            button("Extend due date", _EXTEND_DUE, value),
            {
                "type": "datepicker",
                "action_id": _SNOOZE_PREFIX + value,
                "placeholder": plain("Snooze until…"),
            },
        ]
    return [section(text), actions(elements, block_id=DIGEST_BLOCK_PREFIX + line.key)]


def _refresher(line: DigestLine, today: date) -> list[RawBlock]:
    """A competence about to lapse, or lapsed: 30 days before, and on the day (issue 13)."""
    name = escape(truncate(line.reference, 200))
    when = readable_date(line.due, today)
    if line.urgency is Urgency.OVERDUE:
        text = f":red_circle: *{name}* expired on {when}: log the refresher once it is done."
    else:
        days = (line.due - today).days
        left = f"in {plural(days, 'day')}"
        text = f":large_yellow_circle: *{name}* expires {left}, on {when}: time for a refresher."
    elements = [button("Log completion", _LOG_COMPLETION, str(line.action_id), primary=True)]
    return [section(text), actions(elements, block_id=DIGEST_BLOCK_PREFIX + line.key)]
