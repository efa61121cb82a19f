"""The management review's rules (ISO 9001 9.3): its outputs' categories and its period."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from dateutil.relativedelta import relativedelta

# A review's actions hang on a record with this reference prefix: MR-0001 is review 1.
REVIEW_PREFIX = "MR"


class DecisionCategory(StrEnum):
    """The outputs ISO 9001 9.3.3 asks a management review to decide on."""

    IMPROVEMENT = "improvement"
    CHANGE = "change"
    RESOURCES = "resources"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    DecisionCategory.IMPROVEMENT: "Opportunity for improvement",
    DecisionCategory.CHANGE: "Change to the management system",
    DecisionCategory.RESOURCES: "Resource need",
}


def review_reference(number: int) -> str:
    """`3` -> `MR-0003`."""
    return f"{REVIEW_PREFIX}-{number:04d}"


def period_start(last_held_date: date | None, planned: date) -> date:
    """The pack covers the time since the previous held review, else the last 12 months."""
    if last_held_date is not None and last_held_date < planned:
        return last_held_date
    return planned - relativedelta(months=12)
