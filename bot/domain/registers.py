"""The words after `/nc list` and `/nc actions`: which records or actions a register shows.

Pure: `/nc list closed complaints` -> `RecordFilter(status=CLOSED, kind=CUSTOMER_COMPLAINT)`.
Text that is not a filter (`/nc list of broken pallets`) is None, so it stays a record title."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.records import KIND_LABELS, OPEN_STATUSES, RecordKind, RecordStatus


class StatusFilter(StrEnum):
    OPEN = "open"
    CLOSED = "closed"  # closed or rejected: the record's handling has ended
    ALL = "all"

    @property
    def statuses(self) -> tuple[RecordStatus, ...]:
        if self is StatusFilter.OPEN:
            return OPEN_STATUSES
        if self is StatusFilter.CLOSED:
            return tuple(status for status in RecordStatus if not status.is_open)
        return tuple(RecordStatus)


@dataclass(frozen=True)
class RecordFilter:
    """`mine`: only records the person reported or owns; `process`: a process name as typed."""

    status: StatusFilter = StatusFilter.OPEN
    kind: RecordKind | None = None
    process: str | None = None
    mine: bool = True


# What people call each kind, singular and plural, besides its label.
_KIND_WORDS: dict[RecordKind, tuple[str, ...]] = {
    RecordKind.NONCONFORMITY: ("nonconformity", "nonconformities", "nc", "ncs", "ncr", "ncrs"),
    RecordKind.CUSTOMER_COMPLAINT: (
        "customer complaint",
        "customer complaints",
        "complaint",
        "complaints",
        "cc",
    ),
    RecordKind.NEAR_MISS: ("near miss", "near misses", "near-miss", "near-misses", "nm"),
    RecordKind.INCIDENT: ("incident", "incidents", "inc"),
    RecordKind.IMPROVEMENT: (
        "opportunity for improvement",
        "opportunities for improvement",
        "improvement",
        "improvements",
        "idea",
        "ideas",
        "ofi",
        "ofis",
    ),
    RecordKind.AUDIT_FINDING: ("audit finding", "audit findings", "finding", "findings", "af"),
}
KIND_WORDS: dict[str, RecordKind] = {
    word: kind for kind in RecordKind for word in (KIND_LABELS[kind].lower(), *_KIND_WORDS[kind])
}
# Longest first, so that "customer complaints" is read before "complaints".
_KIND_PATTERN = re.compile(
    r"(?<!\S)("
    + "|".join(re.escape(word) for word in sorted(KIND_WORDS, key=len, reverse=True))
    + r")(?!\S)"
)
_STATUS_WORDS = {
    "open": StatusFilter.OPEN,
    "closed": StatusFilter.CLOSED,
    "rejected": StatusFilter.CLOSED,
    "everything": StatusFilter.ALL,
    "ever": StatusFilter.ALL,
    "any": StatusFilter.ALL,
}
_EVERYONE = frozenset({"all", "every", "everyone", "everyone's", "workspace"})
_MINE = frozenset({"mine", "my", "me"})
_FILLER = frozenset({"records", "record", "and", "or", "status", "statuses", "the"})
_PROCESS = re.compile(r"(?:^|\s)process\s+(\S.*)$", re.I)


def parse_record_filter(words: str) -> RecordFilter | None:
    """The filter the words after `list` ask for; None when they are not a filter.

    `/nc list` alone is what you reported or own, open (as it always was); any other filter
    without `mine` looks at the whole workspace (`/nc list all` did, and still does). "open and
    closed", "everything" or "any status" show both."""
    text = " ".join(words.split())
    process = None
    if match := _PROCESS.search(text):
        process = match.group(1).strip()
        text = text[: match.start()]
    lowered = text.lower()
    kinds = {KIND_WORDS[found] for found in _KIND_PATTERN.findall(lowered)}
    if len(kinds) > 1:
        return None
    rest = _KIND_PATTERN.sub(" ", lowered).split()
    statuses = set()
    mine = None
    for word in rest:
        if word in _STATUS_WORDS:
            statuses.add(_STATUS_WORDS[word])
        elif word in _MINE:
            mine = True
        elif word in _EVERYONE:
            mine = False if mine is None else mine
        elif word not in _FILLER:
            return None
    status = StatusFilter.ALL if len(statuses) > 1 else next(iter(statuses), StatusFilter.OPEN)
    if mine is None:
        mine = not (words.split() and (kinds or statuses or process))
    return RecordFilter(status=status, kind=next(iter(kinds), None), process=process, mine=mine)


def parse_actions_scope(words: str) -> bool | None:
    """`/nc actions` or `/nc actions mine` -> True (mine), `/nc actions all` -> False, else None."""
    lowered = " ".join(words.lower().split())
    if lowered in ("", "mine", "my", "open", "open mine"):
        return True
    if lowered in ("all", "open all", "all open", "everyone", "everyone's"):
        return False
    return None
