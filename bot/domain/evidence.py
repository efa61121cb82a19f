"""Rules for evidence handed to an auditor: ISO clause references and spreadsheet-safe cells."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.domain.actions import ActionKind
from bot.domain.records import REVIEW_RECORD_KIND as REVIEW_RECORD_KIND
from bot.domain.records import RecordKind

ISO_9001_NC = "ISO 9001 10.2"
ISO_9001_CUSTOMER = "ISO 9001 9.1.2"
ISO_9001_OBJECTIVES = "ISO 9001 6.2"
ISO_9001_AUDIT = "ISO 9001 9.2"
ISO_9001_IMPROVEMENT = "ISO 9001 10.3"
ISO_9001_RISK = "ISO 9001 6.1"
ISO_9001_REVIEW_OUTPUT = "ISO 9001 9.3.3"
ISO_45001_INCIDENT = "ISO 45001 10.2"
ISO_9001_COMPETENCE = "ISO 9001 7.2"
ISO_45001_COMPETENCE = "ISO 45001 7.2"
ISO_9001_REVIEW = "ISO 9001 9.3"
ISO_9001_DOCUMENTED_INFORMATION = "ISO 9001 7.5"

_RECORD_CLAUSES = {
    RecordKind.NONCONFORMITY: ISO_9001_NC,
    RecordKind.CUSTOMER_COMPLAINT: ISO_9001_CUSTOMER,
    RecordKind.NEAR_MISS: ISO_45001_INCIDENT,
    RecordKind.INCIDENT: ISO_45001_INCIDENT,
    RecordKind.IMPROVEMENT: ISO_9001_IMPROVEMENT,
    RecordKind.AUDIT_FINDING: ISO_9001_AUDIT,
}

# Cells a spreadsheet would read as a formula (or a DDE call) when they start with these.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_FIRST = frozenset(_FORMULA_STARTS)


def record_clause(kind: str) -> str:
    """The clause a record of this kind answers to (a management review's record: 9.3); empty
    for a kind Keel does not know."""
    if kind == REVIEW_RECORD_KIND:
        return ISO_9001_REVIEW
    try:
        return _RECORD_CLAUSES[RecordKind(kind)]
    except ValueError:
        return ""


def action_clause(action_kind: str, record_kind: str | None) -> str:
    """Corrections and corrective actions answer to their record's clause (10.2, or 45001 10.2
    for incidents); preventive actions to 6.1; improvements to 10.3; review actions to 9.3.3."""
    if record_kind is None:
        return ISO_9001_REVIEW_OUTPUT
    if action_kind == ActionKind.PREVENTIVE:
        return ISO_9001_RISK
    if action_kind == ActionKind.IMPROVEMENT:
        return ISO_9001_IMPROVEMENT
    if record_kind in (RecordKind.INCIDENT, RecordKind.NEAR_MISS):
        return ISO_45001_INCIDENT
    return ISO_9001_NC


def competence_clause(safety_certified: bool) -> str:
    """Competence answers to ISO 9001 7.2, and to ISO 45001 7.2 where the workspace is
    certified to it."""
    if safety_certified:
        return f"{ISO_9001_COMPETENCE}; {ISO_45001_COMPETENCE}"
    return ISO_9001_COMPETENCE


def neutralise(text: str) -> str:
    """A cell a spreadsheet shows as text, never runs: `=SUM(A1)` -> `'=SUM(A1)`
    (OWASP's advice on CSV injection)."""
    return "'" + text if text[:1] in FORMULA_FIRST else text


def utc_iso(moment: datetime | None) -> str:
    """`2026-11-23T10:00:00Z`; empty for no time."""
    if moment is None:
        return ""
    return moment.astimezone(UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def local_iso(moment: datetime | None, tz: ZoneInfo) -> str:
    """`2026-11-23T11:00:00+01:00`, in the workspace's time zone; empty for no time."""
    if moment is None:
        return ""
    return moment.astimezone(tz).isoformat(timespec="seconds")
