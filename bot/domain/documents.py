"""Controlled documents (ISO 9001 7.5): review dates and who must read a revision."""

from __future__ import annotations

import re
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

DEFAULT_REVIEW_MONTHS = 12
_REFERENCE = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,9}[-_./][A-Za-z0-9][A-Za-z0-9\-_./]{0,30}$")


def next_review(due: date, months: int) -> date:
    """The next review after one due on `due`: the interval runs from the due date, not
    from the day the review was recorded, so reviewing late does not shift the cycle."""
    return due + relativedelta(months=months)


def first_review(*, last_reviewed: date | None, today: date, months: int) -> date:
    """When a new entry is next reviewed: the interval after its last review, or from today."""
    return next_review(last_reviewed or today, months)


def review_reminder_due(
    *, due: date, today: date, reminder_days: int, working_days: list[int]
) -> bool:
    """Whether a review joins its owner's digest today: from `reminder_days` before it is due
    (the first working day on or after that day, so a reminder falling on a weekend comes
    on Monday), and every working day while it is overdue."""
    if today.weekday() not in working_days:
        return False
    return today >= due - timedelta(days=reminder_days)


def looks_like_reference(text: str) -> bool:
    """`PR-012`, `CAR-2023-014`, `WI/7`: one word with letters, a separator and more."""
    return bool(_REFERENCE.match(text.strip()))
