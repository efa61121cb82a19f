"""The /nc settings form, parsed: every setting checked, errors by block for the modal."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from bot.domain.actions import DEFAULT_CAUSE_CATEGORIES
from bot.domain.records import DEFAULT_PREFIXES, RecordKind, prefix_problem
from bot.domain.settings import (
    CAUSE_CATEGORIES_MAX,
    CAUSE_CATEGORY_LENGTH,
    DUE_SOON_DAYS,
    ESCALATION_DAYS,
    EXTENSION_LIMIT,
    REVIEW_REMINDER_DAYS,
    Standard,
    zone_problem,
)
from bot.domain.terms import name_problem, stored_name
from bot.forms.record import FormErrors
from bot.ids import ActionId, Block

# Slack ids as they come from its pickers; anything else is not an id.
_SLACK_ID_MAX = 32


class SettingsForm(BaseModel):
    """What a quality lead saved; each field is a Workspace column of the same name."""

    model_config = ConfigDict(frozen=True)

    quality_channel: str | None
    digest_channel: str | None
    lead_ids: list[str]
    system_name: str | None  # None: the default name (bot.domain.terms)
    timezone: str
    working_days: list[int]
    nudge_hour: int
    quiet_hour: int
    due_soon_days: int
    escalate_to_owner_days: int
    escalate_to_channel_days: int
    extension_limit: int
    review_reminder_days: int
    revision_approval: bool
    cause_categories: list[str] | None
    standards: list[str]
    reference_prefixes: dict[str, str]


def prefix_block(kind: RecordKind) -> str:
    return f"{Block.PREFIX}:{kind.value}"


def parse_settings(values: dict[str, Any]) -> SettingsForm:
    """The form's state as settings, or FormErrors naming each field to fix."""
    errors: dict[str, str] = {}

    def number(block: Block, bounds: tuple[int, int], what: str) -> int:
        raw = text_value(values, block)
        low, high = bounds
        try:
            value = int(raw or "")
        except ValueError:
            errors[block] = f"Enter {what} as a whole number from {low} to {high}."
            return low
        if not low <= value <= high:
            errors[block] = f"Enter {what} from {low} to {high}."
        return value

    def hour(block: Block) -> int:
        raw = selected_value(values, block)
        if raw is None or not raw.isascii() or not raw.isdigit() or not 0 <= int(raw) <= 23:
            errors[block] = "Choose an hour."
            return 0
        return int(raw)

    timezone = text_value(values, Block.TIMEZONE) or ""
    if problem := zone_problem(timezone):
        errors[Block.TIMEZONE] = problem
    days = sorted(int(day) for day in checked_values(values, Block.WORKING_DAYS) if _day(day))
    if not days:
        errors[Block.WORKING_DAYS] = "Choose at least one working day."
    nudge_hour, quiet_hour = hour(Block.NUDGE_HOUR), hour(Block.QUIET_HOUR)
    if Block.QUIET_HOUR not in errors and quiet_hour <= nudge_hour:
        errors[Block.QUIET_HOUR] = "Quiet hours must start after the digest hour."
    owner_days = number(Block.ESCALATE_TO_OWNER_DAYS, ESCALATION_DAYS, "the days")
    channel_days = number(Block.ESCALATE_TO_CHANNEL_DAYS, ESCALATION_DAYS, "the days")
    if Block.ESCALATE_TO_CHANNEL_DAYS not in errors and channel_days <= owner_days:
        errors[Block.ESCALATE_TO_CHANNEL_DAYS] = (
            "Escalate to the channel later than to the owner and the leads."
        )
    standards = [s.value for s in Standard if s.value in checked_values(values, Block.STANDARDS)]
    if not standards:
        errors[Block.STANDARDS] = "Choose at least one standard."
    form = SettingsForm(
        quality_channel=_channel(values, Block.QUALITY_CHANNEL),
        digest_channel=_channel(values, Block.DIGEST_CHANNEL),
        lead_ids=_users(values, Block.LEADS),
        system_name=_system_name(values, errors),
        timezone=timezone,
        working_days=days,
        nudge_hour=nudge_hour,
        quiet_hour=quiet_hour,
        due_soon_days=number(Block.DUE_SOON_DAYS, DUE_SOON_DAYS, "the days"),
        escalate_to_owner_days=owner_days,
        escalate_to_channel_days=channel_days,
        extension_limit=number(Block.EXTENSION_LIMIT, EXTENSION_LIMIT, "the number"),
        review_reminder_days=number(Block.REVIEW_REMINDER_DAYS, REVIEW_REMINDER_DAYS, "the days"),
        revision_approval=_approval(values, errors),
        cause_categories=_categories(values, errors),
        standards=standards,
        reference_prefixes=_prefixes(values, errors),
    )
    if errors:
        raise FormErrors(errors)
    return form


def _approval(values: dict[str, Any], errors: dict[str, str]) -> bool:
    chosen = selected_value(values, Block.REVISION_APPROVAL)
    if chosen not in ("yes", "no"):
        errors[Block.REVISION_APPROVAL] = "Choose whether revisions need an approval."
    return chosen == "yes"


def _system_name(values: dict[str, Any], errors: dict[str, str]) -> str | None:
    name = stored_name(text_value(values, Block.SYSTEM_NAME))
    if name is not None and (problem := name_problem(name)):
        errors[Block.SYSTEM_NAME] = problem
    return name


def _day(raw: str) -> bool:
    return raw in {"0", "1", "2", "3", "4", "5", "6"}


# The state is read defensively: whatever shape arrives, a field is a value or missing.
def _state(values: dict[str, Any], block: str) -> dict[str, Any]:
    inputs = values.get(block) if isinstance(values, dict) else None
    state = inputs.get(ActionId.INPUT.value) if isinstance(inputs, dict) else None
    return state if isinstance(state, dict) else {}


def text_value(values: dict[str, Any], block: str) -> str | None:
    raw = _state(values, block).get("value")
    if not isinstance(raw, str):
        return None
    return raw.replace("\x00", "").strip() or None


def selected_value(values: dict[str, Any], block: str) -> str | None:
    option = _state(values, block).get("selected_option")
    value = option.get("value") if isinstance(option, dict) else None
    return value if isinstance(value, str) else None


def checked_values(values: dict[str, Any], block: str) -> set[str]:
    options = _state(values, block).get("selected_options")
    if not isinstance(options, list):
        return set()
    found = (option.get("value") for option in options if isinstance(option, dict))
    return {value for value in found if isinstance(value, str)}


def _channel(values: dict[str, Any], block: Block) -> str | None:
    raw = _state(values, block).get("selected_conversation")
    return raw if isinstance(raw, str) and 0 < len(raw) <= _SLACK_ID_MAX else None


def _users(values: dict[str, Any], block: Block) -> list[str]:
    raw = _state(values, block).get("selected_users") or []
    users = [user for user in raw if isinstance(user, str) and 0 < len(user) <= _SLACK_ID_MAX]
    return list(dict.fromkeys(users))


def _categories(values: dict[str, Any], errors: dict[str, str]) -> list[str] | None:
    raw = text_value(values, Block.CAUSE_CATEGORIES) or ""
    categories = list(dict.fromkeys(line.strip() for line in raw.splitlines() if line.strip()))
    if not categories:
        errors[Block.CAUSE_CATEGORIES] = "List at least one cause category, one a line."
    elif len(categories) > CAUSE_CATEGORIES_MAX:
        errors[Block.CAUSE_CATEGORIES] = f"Keep to {CAUSE_CATEGORIES_MAX} categories at most."
    elif any(len(category) > CAUSE_CATEGORY_LENGTH for category in categories):
        errors[Block.CAUSE_CATEGORIES] = (
            f"Keep each category to {CAUSE_CATEGORY_LENGTH} characters."
        )
    # The default list is stored as "not chosen", so a later default change reaches it.
    return None if tuple(categories) == DEFAULT_CAUSE_CATEGORIES else categories


def _prefixes(values: dict[str, Any], errors: dict[str, str]) -> dict[str, str]:
    chosen: dict[str, str] = {}
    seen: dict[str, RecordKind] = {}
    for kind in RecordKind:
        block = prefix_block(kind)
        prefix = (text_value(values, block) or "").upper() or DEFAULT_PREFIXES[kind]
        if problem := prefix_problem(prefix):
            errors[block] = problem
        elif prefix in seen:
            errors[block] = f"{seen[prefix].label} uses {prefix} already: choose another."
        seen.setdefault(prefix, kind)
        if prefix != DEFAULT_PREFIXES[kind]:
            chosen[kind.value] = prefix
    return chosen
