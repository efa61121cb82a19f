"""A workspace's settings: the standards it is certified to and the bounds each setting keeps."""

from __future__ import annotations

from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


class Standard(StrEnum):
    """The management system standards a workspace may be certified to."""

    ISO_9001 = "iso9001"
    ISO_45001 = "iso45001"
    ISO_14001 = "iso14001"

    @property
    def label(self) -> str:
        return STANDARD_LABELS[self]

    @property
    def short(self) -> str:
        """ "ISO 9001": as the standard is named in reports and clause references."""
        return f"ISO {self.value.removeprefix('iso')}"


STANDARD_LABELS = {
    Standard.ISO_9001: "ISO 9001 (quality)",
    Standard.ISO_45001: "ISO 45001 (occupational health and safety)",
    Standard.ISO_14001: "ISO 14001 (environment)",
}
# A workspace that has not said: quality only, as Keel began.
DEFAULT_STANDARDS = (Standard.ISO_9001,)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# Bounds people can set from /nc settings; each is checked on the form, with a reason.
DUE_SOON_DAYS = (0, 30)
ESCALATION_DAYS = (1, 365)
EXTENSION_LIMIT = (0, 10)
REVIEW_REMINDER_DAYS = (0, 90)
CAUSE_CATEGORIES_MAX = 15
CAUSE_CATEGORY_LENGTH = 40


def standards_of(stored: list[str] | None) -> tuple[Standard, ...]:
    """The standards a stored list names, in their usual order; the default when none."""
    chosen = {value for value in stored or []}
    found = tuple(standard for standard in Standard if standard.value in chosen)
    return found or DEFAULT_STANDARDS


def zone_problem(name: str) -> str | None:
    """Why `name` is not a time zone Keel can use, in words for the form; None if it is."""
    if name not in available_timezones():
        return "Use a time zone name such as Europe/Berlin or America/New_York."
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return "Use a time zone name such as Europe/Berlin or America/New_York."
    return None
