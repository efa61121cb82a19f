"""A record as Slack shows it: the channel card, the private detail view, the confirmation DM."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from bot.domain.actions import ActionKind, ActionStatus, cause_words
from bot.domain.dates import readable_date
from bot.domain.records import RecordKind, RecordStatus, Severity, kind_label
from bot.domain.terms import DEFAULT_TERMS, Terms, capitalised
from bot.domain.text import escape, split_escaped, truncate, user_mention
from bot.domain.transitions import RECORD_MOVES
from bot.ids import ActionId
from bot.ids import Block as BlockId
from bot.queries.records import CardExtras
from bot.views.raw import (
    RawBlock,
    actions,
    button,
    context,
    divider,
    fields,
    header,
    plain,
    section,
)
from storage.models import Action as ActionRow
from storage.models import History, Record

SECTION_PIECE = 2900
# Escaping can grow text fivefold (& -> &amp;): 500 keeps a summary inside one section.
SUMMARY_MAX = 500
MESSAGE_BLOCKS_MAX = 50

SEVERITY_ICONS = {
    Severity.LOW: ":white_circle:",
    Severity.MEDIUM: ":large_yellow_circle:",
    Severity.HIGH: ":large_orange_circle:",
    Severity.CRITICAL: ":red_circle:",
}


def reference(record: Record) -> str:
    return record.reference


def reporter_text(record: Record) -> str:
    return (
        "anonymous"
        if record.anonymous or not record.reporter_id
        else user_mention(record.reporter_id)
    )


def fallback_text(record: Record) -> str:
    """The notification text: reference, kind and title, escaped."""
    return f"{reference(record)} {kind_label(record.kind)}: {escape(record.title)}"


def _facts(record: Record, extras: CardExtras, today: date) -> RawBlock:
    severity = Severity(record.severity)
    facts = [
        f"*Kind*\n{kind_label(record.kind)}",
        f"*Severity*\n{SEVERITY_ICONS[severity]} {severity.label}",
        f"*Status*\n{RecordStatus(record.status).label}",
        f"*Reported by*\n{reporter_text(record)}",
        f"*Owner*\n{user_mention(record.owner_id)}",
        f"*Happened on*\n{readable_date(record.occurred_date, today)}",
    ]
    if extras.process_name:
        facts.append(f"*Process*\n{escape(truncate(extras.process_name, 80))}")
    if record.location:
        facts.append(f"*Where*\n{escape(truncate(record.location, 200))}")
    return fields(facts)


def _investigation(record: Record, extras: CardExtras, today: date) -> list[RawBlock]:
    """Root cause, actions at a glance, and a warning when this may be a repeat."""
    blocks: list[RawBlock] = []
    if extras.repeat_of:
        blocks.append(
            section(
                f":repeat: Possible repeat of *{extras.repeat_of}* (same process and cause "
                "category, closed in the last 12 months): was its corrective action effective?"
            )
        )
    if record.root_cause:
        category = (
            f" · {escape(cause_words(record.cause_category))}" if record.cause_category else ""
        )
        blocks.append(
            section(f"*Root cause*{category}\n{escape(truncate(record.root_cause, SUMMARY_MAX))}")
        )
    if extras.actions:
        lines = [action_line(action, record, today) for action in extras.actions[:ACTIONS_ON_CARD]]
        if len(extras.actions) > ACTIONS_ON_CARD:
            lines.append(f"…and {len(extras.actions) - ACTIONS_ON_CARD} more")
        blocks.extend(_sections_of("*Actions*", lines))
    if record.rejection_reason and record.status == RecordStatus.REJECTED.value:
        blocks.append(
            section(f"*Rejected because*\n{escape(truncate(record.rejection_reason, SUMMARY_MAX))}")
        )
    answered = (record.risks_update_needed, record.system_change_needed, record.closing_changes)
    if record.status == RecordStatus.CLOSED.value and any(a is not None for a in answered):
        blocks.append(section(closing_answers(record)))
    return blocks


_ANSWER_WORDS = {True: "yes", False: "no", None: "not answered"}


def closing_answers(record: Record) -> str:
    """What was decided on closing (ISO 9001 10.2.1 e, f), in one short section."""
    lines = [
        "*On closing*",
        f"Risks and opportunities to update: {_ANSWER_WORDS[record.risks_update_needed]}",
        f"Management system to change: {_ANSWER_WORDS[record.system_change_needed]}",
    ]
    if record.closing_changes:
        lines.append(f"What will change: {escape(truncate(record.closing_changes, SUMMARY_MAX))}")
    return "\n".join(lines)


def _sections_of(title: str, lines: list[str]) -> list[RawBlock]:
    """Lines packed into as few sections as fit (escaped text can grow fivefold)."""
    chunks: list[str] = [title]
    for line in lines:
        if len(chunks[-1]) + 1 + len(line) > SECTION_PIECE:
            chunks.append(line)
        else:
            chunks[-1] = f"{chunks[-1]}\n{line}"
    return [section(chunk) for chunk in chunks]


ACTION_ICONS = {
    ActionStatus.OPEN: ":white_large_square:",
    ActionStatus.DONE: ":ballot_box_with_check:",
    ActionStatus.VERIFIED: ":white_check_mark:",
    ActionStatus.NOT_EFFECTIVE: ":x:",
    ActionStatus.CANCELLED: ":heavy_minus_sign:",
}
ACTIONS_ON_CARD = 10


def action_line(action: ActionRow, record: Record, today: date) -> str:
    """One line per action: status, reference, owner, due date, what."""
    status = ActionStatus(action.status)
    text = truncate(action.description, 90)
    due = (
        f"due {readable_date(action.due_date, today)}"
        if status is ActionStatus.OPEN
        else status.label.lower()
    )
    blocked = (
        " · :construction: blocked" if action.blocked_reason and status is ActionStatus.OPEN else ""
    )
    return (
        f"{ACTION_ICONS[status]} *A{action.number}* {ActionKind(action.kind).label} · "
        f"<@{action.owner_id}> · {due}{blocked} — {escape(text)}"
    )


LABELS = {
    ActionId.ASSIGN_OWNER: "Assign owner",
    ActionId.FIVE_WHYS: "Five whys",
    ActionId.ADD_ACTION: "Add action",
    ActionId.CLOSE_RECORD: "Close record",
    ActionId.CHANGE_STATUS: "Change status",
    ActionId.CHANGE_SEVERITY: "Change severity",
    ActionId.REJECT_RECORD: "Reject",
}
# The buttons that move a record of each status forward, the first one green; the card's
# other moves go in its "More" menu, in LABELS order. Reject is a red button, with a
# confirmation, where deciding whether the record stands is the next step (a new record);
# later its form, which asks for the reason kept as evidence, is the confirmation.
FORWARD = {
    RecordStatus.NEW: (ActionId.ADD_ACTION, ActionId.FIVE_WHYS, ActionId.REJECT_RECORD),
    RecordStatus.INVESTIGATING: (ActionId.FIVE_WHYS, ActionId.ADD_ACTION),
    RecordStatus.ACTIONS_PLANNED: (ActionId.ADD_ACTION, ActionId.CLOSE_RECORD),
    RecordStatus.VERIFYING: (ActionId.CLOSE_RECORD, ActionId.ADD_ACTION),
}


def _reject_button(record: Record, value: str) -> RawBlock:
    element = button(LABELS[ActionId.REJECT_RECORD], ActionId.REJECT_RECORD, value)
    element["style"] = "danger"
    element["confirm"] = {
        "title": plain(f"Reject {reference(record)}?"),
        "text": plain("A rejected record leaves the open list. Its form asks why, for the record."),
        "confirm": plain("Reject"),
        "deny": plain("Keep it"),
        "style": "danger",
    }
    return element


def _card_buttons(record: Record) -> list[RawBlock]:
    value = str(record.id)
    view = button("View record and history", ActionId.VIEW_RECORD, str(record.number))
    status = RecordStatus(record.status)
    if not status.is_open:
        reopen = button("Reopen record", ActionId.REOPEN_RECORD, value)
        return [actions([reopen, view], block_id=BlockId.CARD_ACTIONS)]
    forward = FORWARD[status]
    elements = [
        _reject_button(record, value)
        if action is ActionId.REJECT_RECORD
        else button(LABELS[action], action, value, primary=n == 0)
        for n, action in enumerate(forward)
    ]
    rest = [
        action
        for action in LABELS
        if action not in forward
        and (action is not ActionId.REJECT_RECORD or RecordStatus.REJECTED in RECORD_MOVES[status])
    ]
    menu: RawBlock = {
        "type": "overflow",
        "action_id": ActionId.RECORD_MENU.value,
        "options": [
            {"text": plain(LABELS[action]), "value": f"{action.value}:{value}"} for action in rest
        ],
    }
    return [actions([*elements, view, menu], block_id=BlockId.CARD_ACTIONS)]


def _header(record: Record) -> RawBlock:
    return header(f"{reference(record)} · {record.title}")


def card_blocks(record: Record, extras: CardExtras | None = None, *, today: date) -> list[RawBlock]:
    """The card posted to the quality channel; its thread is the record's conversation.

    Incident cards leave out what happened: it may name the injured person (ISO 45001 keeps
    health data private), and the channel is seen by many.
    """
    extras = extras or CardExtras()
    blocks: list[RawBlock] = [_header(record), _facts(record, extras, today)]
    if record.kind == RecordKind.INCIDENT:
        blocks.append(
            context(f"Details of incidents are kept off the channel: `/nc {reference(record)}`.")
        )
    else:
        blocks.append(
            section(f"*What happened*\n{escape(truncate(record.description, SUMMARY_MAX))}")
        )
        if record.containment:
            blocks.append(
                section(f"*Immediate action*\n{escape(truncate(record.containment, SUMMARY_MAX))}")
            )
    blocks.extend(_investigation(record, extras, today))
    if record.source_permalink:
        blocks.append(context(f"Raised from <{record.source_permalink}|a message>."))
    blocks.extend(_card_buttons(record))
    return blocks


def confirmation_blocks(
    record: Record, permalink: str | None, channel: str | None, *, terms: Terms = DEFAULT_TERMS
) -> list[RawBlock]:
    """The reporter's private confirmation."""
    lines = [f":white_check_mark: Thanks: your report is on record as *{reference(record)}*."]
    if channel:
        card = f"<{permalink}|its card>" if permalink else "its card"
        lines.append(
            f"See {card} in <#{channel}>; replies in its thread become part of the record."
        )
    else:
        lines.append(
            f"It is not posted in a channel yet: no {terms.channel} is set up. "
            f"{capitalised(terms.a_lead)} can set one with `/nc channel #channel`."
        )
    lines.append(f"Look it up any time with `/nc {reference(record)}`.")
    return [section("\n".join(lines)), context(f"*{escape(truncate(record.title, 200))}*")]


def _long_text(label: str, text: str) -> list[RawBlock]:
    """User text in full, over as many sections as it needs."""
    pieces = split_escaped(text, SECTION_PIECE)
    return [section(f"*{label}*\n{pieces[0]}"), *(section(piece) for piece in pieces[1:])]


# Fields that may name an injured person: shown only to those who may see incident details.
PRIVATE_FIELDS = frozenset({"description", "containment"})


def _history_line(
    entry: History, show_private: bool, action_numbers: dict[int, int], today: date
) -> str:
    when = f"{readable_date(entry.at.date(), today)} {entry.at:%H:%M} UTC"
    who = user_mention(entry.actor_id) if entry.actor_id else "someone (anonymous)"
    if entry.source == "job":
        who = "Keel"
    if entry.event == "imported" and entry.after:  # issue 13: `python -m bot import`
        return f"• {when} — imported from {escape(str(entry.after.get('imported_from')))}"
    hidden = frozenset() if show_private else PRIVATE_FIELDS
    changes = _describe_change(entry.before, entry.after, hidden) if entry.event != "raised" else ""
    event = entry.event.replace("_", " ")
    subject = (
        f" A{action_numbers[entry.entity_id]}"
        if entry.entity == "action" and entry.entity_id in action_numbers
        else ""
    )
    return f"• {when} — {who} {event}{subject} ({entry.source}){changes}"


def _describe_change(
    before: dict[str, Any] | None, after: dict[str, Any] | None, hidden: frozenset[str]
) -> str:
    before = before or {}
    after = after or {}
    parts = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if key in hidden and old != new:
            parts.append(f"{key.replace('_', ' ')} changed")
        elif old != new:
            parts.append(f"{key.replace('_', ' ')}: {_short(key, old)} → {_short(key, new)}")
    return (": " + "; ".join(parts)) if parts else ""


# History keys whose values are Slack user ids, shown as mentions.
PERSON_FIELDS = frozenset({"owner", "requested_by", "approved_by", "verifier"})


def _short(key: str, value: object) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if key in PERSON_FIELDS and isinstance(value, str):
        return user_mention(value)
    if key == "lead_ids" and isinstance(value, list):
        return ", ".join(user_mention(str(user)) for user in value)
    if isinstance(value, list):
        return escape(truncate(" / ".join(str(item) for item in value), 300))
    return escape(truncate(str(value), 120))


def detail_blocks(
    record: Record,
    history: Sequence[History],
    *,
    show_private: bool,
    now: datetime,
    terms: Terms = DEFAULT_TERMS,
    extras: CardExtras | None = None,
) -> list[RawBlock]:
    """The record and its history, for the person who asked only (`/nc REF`)."""
    extras = extras or CardExtras()
    today = now.date()
    blocks: list[RawBlock] = [_header(record), _facts(record, extras, today)]
    incident = record.kind == RecordKind.INCIDENT
    if incident and not show_private:
        shown_to = f"the reporter, the owner and {terms.leads}"
        blocks.append(context(f"Incident details are visible to {shown_to}."))
    else:
        blocks.extend(_long_text("What happened", record.description))
        if record.containment:
            blocks.extend(_long_text("Immediate action", record.containment))
    if record.whys:
        whys = "\n".join(f"{index}. {escape(why)}" for index, why in enumerate(record.whys, 1))
        blocks.append(section(f"*Five whys*\n{truncate(whys, 2900)}"))
    if record.elsewhere:
        blocks.append(
            section(f"*Could this happen elsewhere?*\n{escape(truncate(record.elsewhere, 2000))}")
        )
    blocks.extend(_investigation(record, extras, today))
    if record.card_channel and record.card_ts:
        blocks.append(context(f"Card and discussion in <#{record.card_channel}>."))
    blocks.append(divider())
    private = show_private or record.kind != RecordKind.INCIDENT
    numbers = {action.id: action.number for action in extras.actions}
    lines = [_history_line(entry, private, numbers, today) for entry in history]
    blocks.extend(_history_sections(lines, room=MESSAGE_BLOCKS_MAX - len(blocks) - 1))
    blocks.append(context(f"As of {readable_date(today, today)} {now:%H:%M} UTC."))
    return blocks


def _history_sections(lines: list[str], room: int) -> list[RawBlock]:
    """History lines packed into as few sections as fit; the newest are kept if it is long."""
    header = "*History* (newest last)"
    if not lines:
        return [section(f"{header}\n_No changes yet._")]
    chunks: list[str] = []
    current = header
    for line in lines:
        if len(current) + 1 + len(line) > 2900:
            chunks.append(current)
            current = line
        else:
            current = f"{current}\n{line}"
    chunks.append(current)
    if len(chunks) > room:
        dropped = len(chunks) - room + 1
        note = f"_{dropped} earlier parts of the history are left out here._"
        chunks = [note, *chunks[-(room - 1) :]]
    return [section(chunk) for chunk in chunks]
