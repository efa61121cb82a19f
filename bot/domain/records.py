"""Record kinds, severities and statuses, with the words users see."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.review import REVIEW_PREFIX


class RecordKind(StrEnum):
    NONCONFORMITY = "nonconformity"
    CUSTOMER_COMPLAINT = "customer_complaint"
    NEAR_MISS = "near_miss"
    INCIDENT = "incident"
    IMPROVEMENT = "improvement"
    AUDIT_FINDING = "audit_finding"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    RecordKind.NONCONFORMITY: "Nonconformity",
    RecordKind.CUSTOMER_COMPLAINT: "Customer complaint",
    RecordKind.NEAR_MISS: "Near miss",
    RecordKind.INCIDENT: "Incident",
    RecordKind.IMPROVEMENT: "Opportunity for improvement",
    RecordKind.AUDIT_FINDING: "Audit finding",
}

# The record a management review's decisions' actions hang on (bot/services/review.py): not a
# RecordKind, so no one raises, lists, imports or re-prefixes one; its reference is MR-0001.
REVIEW_RECORD_KIND = "management_review"


def kind_label(kind: str) -> str:
    """The words for a record's kind, also for a management review's record."""
    if kind == REVIEW_RECORD_KIND:
        return "Management review"
    return RecordKind(kind).label


# Kinds a reporter may choose in the /nc form; audit findings are raised from an audit.
REPORTABLE_KINDS = (
    RecordKind.NONCONFORMITY,
    RecordKind.CUSTOMER_COMPLAINT,
    RecordKind.NEAR_MISS,
    RecordKind.INCIDENT,
    RecordKind.IMPROVEMENT,
)

# Near misses may be reported anonymously (ISO 45001 5.4: remove barriers to reporting).
ANONYMOUS_KINDS = frozenset({RecordKind.NEAR_MISS})


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class RecordStatus(StrEnum):
    NEW = "new"
    INVESTIGATING = "investigating"
    ACTIONS_PLANNED = "actions_planned"
    VERIFYING = "verifying"
    CLOSED = "closed"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def is_open(self) -> bool:
        return self not in (RecordStatus.CLOSED, RecordStatus.REJECTED)


OPEN_STATUSES = tuple(status for status in RecordStatus if status.is_open)


# Closing a nonconformity asks whether the risks and opportunities need updating and whether
# the management system needs changing (ISO 9001 10.2.1 e, f; ISO 45001 10.2 d, h for
# incidents). An opportunity for improvement is not a nonconformity, and a management review's
# record closes with its decisions.
CLOSING_QUESTION_KINDS = frozenset(set(RecordKind) - {RecordKind.IMPROVEMENT})


def asks_closing_questions(kind: str) -> bool:
    return kind in CLOSING_QUESTION_KINDS


@dataclass(frozen=True)
class ClosingAnswers:
    """The answers given on closing; None where the person left a question unanswered."""

    risks_update_needed: bool | None = None
    system_change_needed: bool | None = None
    changes: str | None = None


# Each kind has its own reference prefix, so that a near miss never reads as a nonconformity to
# an auditor. A workspace may change them (Workspace.reference_prefixes); each prefix has its
# own gapless sequence, and a record keeps the reference it was given.
DEFAULT_PREFIXES: dict[RecordKind, str] = {
    RecordKind.NONCONFORMITY: "NC",
    RecordKind.CUSTOMER_COMPLAINT: "CC",
    RecordKind.NEAR_MISS: "NM",
    RecordKind.INCIDENT: "INC",
    RecordKind.IMPROVEMENT: "OFI",
    RecordKind.AUDIT_FINDING: "AF",
}
# Other registers' prefixes, which a record prefix may not take.
RESERVED_PREFIXES = frozenset({"OBJ", "AUD", "DOC", "MR"})
PREFIX_PATTERN = re.compile(r"^[A-Z]{1,6}$")
_REFERENCE_PATTERN = re.compile(r"^\s*([A-Za-z]{1,6})-?0*(\d{1,9})\s*$", re.ASCII)


def prefix_for(kind: RecordKind, overrides: dict[str, str] | None = None) -> str:
    """The prefix a new record of `kind` gets: the workspace's own, else the default."""
    chosen = (overrides or {}).get(kind.value)
    return chosen if chosen and PREFIX_PATTERN.match(chosen) else DEFAULT_PREFIXES[kind]


def prefix_problem(prefix: str) -> str | None:
    """Why `prefix` cannot be a record prefix, in words for the settings form; None if it can."""
    if not PREFIX_PATTERN.match(prefix):
        return "Use 1 to 6 capital letters, for example NC or NM."
    if prefix in RESERVED_PREFIXES:
        return f"{prefix} is used by another register in Keel: choose another prefix."
    return None


def format_reference(number: int, prefix: str = "NC") -> str:
    """`7, "NM"` -> `NM-0007`: the human reference of a record."""
    return f"{prefix}-{number:04d}"


def parse_reference(text: str, prefixes: frozenset[str] | None = None) -> str | None:
    """`NM-0007`, `nm-7` or `NM7` -> `NM-0007`; anything else -> None.

    With `prefixes`, only those prefixes are references (so that a one-word title such as
    "Q3" still raises a record); without, any 1-6 letters are."""
    match = _REFERENCE_PATTERN.match(text)
    if match is None:
        return None
    prefix = match.group(1).upper()
    if prefixes is not None and prefix not in prefixes:
        return None
    number = int(match.group(2))
    return format_reference(number, prefix) if number > 0 else None


def known_prefixes(overrides: dict[str, str] | None = None) -> frozenset[str]:
    """Every prefix a record in a workspace may carry: today's, the defaults and NC (which
    every record had before kinds had prefixes), and MR, a management review's record."""
    current = {prefix_for(kind, overrides) for kind in RecordKind}
    return frozenset(current | set(DEFAULT_PREFIXES.values()) | {REVIEW_PREFIX})
