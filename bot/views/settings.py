"""The /nc settings form: every workspace setting a quality lead may change, on one screen."""

from __future__ import annotations

from typing import Any

from bot.domain.actions import DEFAULT_CAUSE_CATEGORIES
from bot.domain.records import RecordKind, prefix_for
from bot.domain.settings import WEEKDAYS, Standard, standards_of
from bot.domain.terms import DEFAULT_NAME, NAME_MAX, terms_for
from bot.forms.settings import prefix_block
from bot.ids import ActionId, Block, View
from storage.models import Workspace

RawBlock = dict[str, Any]


def _plain(text: str) -> RawBlock:
    return {"type": "plain_text", "text": text, "emoji": True}


def _option(label: str, value: str) -> RawBlock:
    return {"text": _plain(label), "value": value}


def _input(
    block: str, label: str, element: RawBlock, *, hint: str | None = None, optional: bool = False
) -> RawBlock:
    built: RawBlock = {
        "type": "input",
        "block_id": block,
        "label": _plain(label),
        "element": {**element, "action_id": ActionId.INPUT.value},
    }
    if hint:
        built["hint"] = _plain(hint)
    if optional or element["type"] in ("conversations_select", "multi_users_select"):
        built["optional"] = True
    return built


def _number(value: int, low: int, high: int) -> RawBlock:
    return {
        "type": "number_input",
        "is_decimal_allowed": False,
        "initial_value": str(value),
        "min_value": str(low),
        "max_value": str(high),
    }


def _approval_select(required: bool) -> RawBlock:
    choices = [
        _option("No: a revision is current once it is saved", "no"),
        _option("Yes: someone other than its author approves it", "yes"),
    ]
    return {
        "type": "static_select",
        "options": choices,
        "initial_option": choices[1 if required else 0],
    }


def _hour_select(hour: int) -> RawBlock:
    hours = [_option(f"{h:02d}:00", str(h)) for h in range(24)]
    return {"type": "static_select", "options": hours, "initial_option": hours[hour]}


def settings_modal(workspace: Workspace, *, default_timezone: str) -> RawBlock:
    """The form, filled with the workspace's current settings."""
    channel: RawBlock = {
        "type": "conversations_select",
        "filter": {"include": ["public", "private"], "exclude_bot_users": True},
    }
    quality = {
        **channel,
        **(
            {"initial_conversation": workspace.quality_channel} if workspace.quality_channel else {}
        ),
    }
    digest = {
        **channel,
        **({"initial_conversation": workspace.digest_channel} if workspace.digest_channel else {}),
    }
    leads: RawBlock = {"type": "multi_users_select"}
    if workspace.lead_ids:
        leads["initial_users"] = list(workspace.lead_ids)
    days = [_option(name, str(index)) for index, name in enumerate(WEEKDAYS)]
    working = [days[day] for day in sorted(workspace.working_days) if 0 <= day <= 6]
    standard_options = [_option(s.label, s.value) for s in Standard]
    chosen = set(standards_of(workspace.standards))
    categories = workspace.cause_categories or list(DEFAULT_CAUSE_CATEGORIES)
    terms = terms_for(workspace.system_name)
    blocks: list[RawBlock] = [
        _input(
            Block.QUALITY_CHANNEL,
            "Channel for new records",
            quality,
            hint="Every new record gets a card there. Invite Keel to it first.",
        ),
        _input(
            Block.DIGEST_CHANNEL,
            "Channel for the weekly objectives digest",
            digest,
            hint="Empty: the channel for new records.",
        ),
        _input(
            Block.LEADS,
            terms.capital_leads,
            leads,
            hint="Empty: the workspace's Slack admins and owners act as leads.",
        ),
        _input(
            Block.SYSTEM_NAME,
            "Name of the management system",
            {
                "type": "plain_text_input",
                "initial_value": terms.name,
                "max_length": NAME_MAX,
            },
            hint=(
                f"As Keel writes it in “{terms.leads}” and “the {terms.channel}”: HSEQ gives "
                f"“HSEQ leads”. Empty: {DEFAULT_NAME}."
            ),
            optional=True,
        ),
        _input(
            Block.STANDARDS,
            "Certified to",
            {
                "type": "checkboxes",
                "options": standard_options,
                "initial_options": [o for o in standard_options if o["value"] in chosen],
            },
            hint="Decides which management review inputs and clauses Keel shows.",
        ),
        _input(
            Block.TIMEZONE,
            "Time zone",
            {
                "type": "plain_text_input",
                "initial_value": workspace.timezone or default_timezone,
                "max_length": 64,
            },
            hint="For people whose Slack profile has none, e.g. Europe/Berlin.",
        ),
        _input(
            Block.WORKING_DAYS,
            "Working days",
            {
                "type": "checkboxes",
                "options": days,
                **({"initial_options": working} if working else {}),
            },
        ),
        _input(
            Block.NUDGE_HOUR,
            "Daily digest at",
            _hour_select(workspace.nudge_hour),
            hint="Each person's own time, on working days.",
        ),
        _input(Block.QUIET_HOUR, "No messages from", _hour_select(workspace.quiet_hour)),
        _input(
            Block.DUE_SOON_DAYS,
            "Days before a due date to remind",
            _number(workspace.due_soon_days, 0, 30),
        ),
        _input(
            Block.ESCALATE_TO_OWNER_DAYS,
            "Days overdue before the record owner and leads are told",
            _number(workspace.escalate_to_owner_days, 1, 365),
        ),
        _input(
            Block.ESCALATE_TO_CHANNEL_DAYS,
            "Days overdue before the channel is told",
            _number(workspace.escalate_to_channel_days, 1, 365),
        ),
        _input(
            Block.EXTENSION_LIMIT,
            "Due-date extensions before a lead must approve",
            _number(workspace.extension_limit, 0, 10),
        ),
        _input(
            Block.REVIEW_REMINDER_DAYS,
            "Days before a document review to remind its owner",
            _number(workspace.review_reminder_days, 0, 90),
        ),
        _input(
            Block.REVISION_APPROVAL,
            "Approve document revisions",
            _approval_select(workspace.revision_approval),
        ),
        _input(
            Block.CAUSE_CATEGORIES,
            "Cause categories",
            {
                "type": "plain_text_input",
                "multiline": True,
                "initial_value": "\n".join(categories),
                "max_length": 1000,
            },
            hint="One a line. Root causes are filed under these, so repeats show.",
        ),
        {"type": "header", "text": _plain("Reference prefixes")},
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": (
                        "New records of each kind are numbered under its prefix. Records keep the "
                        "reference they were given."
                    ),
                }
            ],
        },
    ]
    for kind in RecordKind:
        blocks.append(
            _input(
                prefix_block(kind),
                kind.label,
                {
                    "type": "plain_text_input",
                    "max_length": 6,
                    "initial_value": prefix_for(kind, workspace.reference_prefixes),
                },
            )
        )
    return {
        "type": "modal",
        "callback_id": View.SETTINGS.value,
        "title": _plain("Keel settings"),
        "submit": _plain("Save"),
        "close": _plain("Cancel"),
        "blocks": blocks,
    }
