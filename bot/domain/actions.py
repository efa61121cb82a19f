"""Actions on a record: kinds, statuses and the rules that need no database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class ActionKind(StrEnum):
    CORRECTION = "correction"
    CORRECTIVE = "corrective"
    PREVENTIVE = "preventive"
    IMPROVEMENT = "improvement"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]

    @property
    def needs_effectiveness_check(self) -> bool:
        """ISO 9001 10.2.1 d: corrective actions are checked for effectiveness; a correction
        fixes this instance only and needs no check."""
        return self is ActionKind.CORRECTIVE


_KIND_LABELS = {
    ActionKind.CORRECTION: "Correction",
    ActionKind.CORRECTIVE: "Corrective action",
    ActionKind.PREVENTIVE: "Preventive action",
    ActionKind.IMPROVEMENT: "Improvement",
}


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    VERIFIED = "verified"
    NOT_EFFECTIVE = "not_effective"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return {
            ActionStatus.OPEN: "Open",
            ActionStatus.DONE: "Done",
            ActionStatus.VERIFIED: "Verified effective",
            ActionStatus.NOT_EFFECTIVE: "Not effective",
            ActionStatus.CANCELLED: "Cancelled",
        }[self]


def action_reference(record_reference: str, number: int) -> str:
    """`NC-0007`, 2 -> `NC-0007/A2`."""
    return f"{record_reference}/A{number}"


@dataclass(frozen=True)
class ActionFacts:
    """What closure needs to know about one action."""

    kind: ActionKind
    status: ActionStatus


def is_complete(facts: ActionFacts) -> bool:
    """Complete for closing its record: verified, cancelled, or done when no check is due."""
    if facts.status in (ActionStatus.VERIFIED, ActionStatus.CANCELLED):
        return True
    return facts.status is ActionStatus.DONE and not facts.kind.needs_effectiveness_check


def closure_blockers(*, has_root_cause: bool, actions: list[ActionFacts]) -> list[str]:
    """Why a record cannot close yet, in plain words; empty when it can."""
    blockers = []
    if not has_root_cause:
        blockers.append("no root cause is recorded (use “Five whys”)")
    if not actions:
        blockers.append("it has no actions")
    open_count = sum(1 for facts in actions if not is_complete(facts))
    if open_count:
        verb = "actions are" if open_count > 1 else "action is"
        blockers.append(f"{open_count} {verb} not yet verified or cancelled")
    return blockers


def is_overdue(due_date: date, status: ActionStatus, today: date) -> bool:
    return status is ActionStatus.OPEN and due_date < today


# Default cause categories (Ishikawa's 6M plus what quality teams add most often).
DEFAULT_CAUSE_CATEGORIES = (
    "people",
    "method",
    "machine",
    "material",
    "measurement",
    "environment",
    "supplier",
    "design",
    "other",
)
# The 6M names are quality jargon: a person on the shop floor reads the plain words first.
# Stored values stay the category names; a workspace's own categories are shown as written.
CAUSE_WORDS = {
    "people": "Who did the work, and their training (people)",
    "method": "How the work is done (method)",
    "machine": "Equipment and tools (machine)",
    "material": "Materials and parts (material)",
    "measurement": "How it is measured or checked (measurement)",
    "environment": "Where the work is done (environment)",
    "supplier": "What a supplier delivered (supplier)",
    "design": "How it was designed (design)",
    "other": "Something else (other)",
}


def cause_words(category: str) -> str:
    """A cause category as a person reads it: "How the work is done (method)"."""
    return CAUSE_WORDS.get(category.strip().lower(), category)
