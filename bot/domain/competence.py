"""Competence (ISO 9001 7.2, ISO 45001 7.2): what a completion is worth, and for how long."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from dateutil.relativedelta import relativedelta

EXPIRING_SOON_DAYS = 30


class CompetenceKind(StrEnum):
    SKILL = "skill"
    LICENCE = "licence"
    COURSE = "course"
    DOCUMENT = "document"

    @property
    def label(self) -> str:
        return {
            CompetenceKind.SKILL: "Skill",
            CompetenceKind.LICENCE: "Licence",
            CompetenceKind.COURSE: "Course",
            CompetenceKind.DOCUMENT: "Document to have read",
        }[self]


class Standing(StrEnum):
    """Where a person stands on one competence, as the matrix shows it."""

    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    MISSING = "missing"

    @property
    def is_gap(self) -> bool:
        return self in (Standing.EXPIRED, Standing.MISSING)


def expiry(completed: date, validity_months: int | None) -> date | None:
    """The day a completion stops counting; None when it counts for good. A completion
    on 31 January valid for one month expires on 28 (or 29) February."""
    if validity_months is None:
        return None
    return completed + relativedelta(months=validity_months)


def standing(expiry_date: date | None, *, completed: bool, today: date) -> Standing:
    if not completed:
        return Standing.MISSING
    if expiry_date is None:
        return Standing.VALID
    if expiry_date <= today:
        return Standing.EXPIRED
    if (expiry_date - today).days <= EXPIRING_SOON_DAYS:
        return Standing.EXPIRING
    return Standing.VALID


class Refresher(StrEnum):
    """The two reminders a completion with a validity earns: each is sent once."""

    SOON = "soon"  # 30 days before it expires
    EXPIRED = "expired"  # on the day it expires


def refresher_due(expiry_date: date | None, today: date) -> Refresher | None:
    """Which refresher a completion is due on `today`: from 30 days before expiry the first,
    from the expiry day on the second. The ledger of sent reminders makes each happen once,
    so a digest missed on a weekend still carries it on Monday."""
    if expiry_date is None:
        return None
    if today >= expiry_date:
        return Refresher.EXPIRED
    if (expiry_date - today).days <= EXPIRING_SOON_DAYS:
        return Refresher.SOON
    return None


@dataclass(frozen=True)
class MatrixCell:
    user_id: str
    competence_id: int
    standing: Standing
    expiry_date: date | None
    completed_date: date | None = None
