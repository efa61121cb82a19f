"""Record kinds, severities and statuses, with the words users see."""

from __future__ import annotations

import re
from enum import StrEnum


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

REFERENCE_PREFIX = "NC"
_REFERENCE_PATTERN = re.compile(rf"^\s*{REFERENCE_PREFIX}-?0*(\d{{1,9}})\s*$", re.IGNORECASE)


def format_reference(number: int) -> str:
    """`7` -> `NC-0007`: the human reference of a record."""
    return f"{REFERENCE_PREFIX}-{number:04d}"


def parse_reference(text: str) -> int | None:
    """`NC-0007`, `nc-7` or `NC7` -> 7; anything else -> None."""
    match = _REFERENCE_PATTERN.match(text)
    if match is None:
        return None
    number = int(match.group(1))
    return number if number > 0 else None
