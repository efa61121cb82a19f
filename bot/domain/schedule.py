"""When people are nudged, and how overdue work escalates: pure rules over local time.

Business rules: each person gets at most one digest a day, on the workspace's working days,
from the nudge hour (default 09:00) in their own time zone until the quiet hour (18:00) —
so a clock that was down all morning still sends once it is back, but never at night.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class NudgePolicy:
    nudge_hour: int = 9
    quiet_hour: int = 18
    working_days: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    due_soon_days: int = 3
    escalate_to_owner_days: int = 7
    escalate_to_channel_days: int = 14
    review_reminder_days: int = 14  # document reviews join the owner's digest this early


def local_now(now: datetime, tz: ZoneInfo) -> datetime:
    return now.astimezone(tz)


def digest_period(now: datetime, tz: ZoneInfo, policy: NudgePolicy) -> date | None:
    """The local date whose digest is due at `now`, or None outside the sending window.

    Comparing hours (not exact times) keeps DST honest: on a spring-forward day the
    window simply opens at the first local hour at or after the nudge hour.
    """
    local = local_now(now, tz)
    if local.weekday() not in policy.working_days:
        return None
    if not (policy.nudge_hour <= local.hour < policy.quiet_hour):
        return None
    return local.date()


class Urgency(StrEnum):
    OVERDUE = "overdue"
    DUE_TODAY = "due_today"
    DUE_SOON = "due_soon"


def urgency(due: date, today: date, policy: NudgePolicy) -> Urgency | None:
    """Overdue, due today, due within the window, or not worth a nudge yet (None)."""
    if due < today:
        return Urgency.OVERDUE
    if due == today:
        return Urgency.DUE_TODAY
    if due <= today + timedelta(days=policy.due_soon_days):
        return Urgency.DUE_SOON
    return None


class Step(StrEnum):
    """Escalation steps, each taken once per item."""

    OWNERS = "owners"  # the record owner and the quality leads see it in their digest
    CHANNEL = "channel"  # posted once to the quality channel


def escalation_steps(
    due: date, today: date, policy: NudgePolicy, *, owner_reachable: bool
) -> list[Step]:
    """The steps an item has reached. An owner who cannot be nudged (deactivated, a bot)
    escalates at once: nobody else would ever see the item."""
    overdue_days = (today - due).days
    steps = []
    if overdue_days >= policy.escalate_to_owner_days or (
        not owner_reachable and overdue_days >= -policy.due_soon_days
    ):
        steps.append(Step.OWNERS)
    if overdue_days >= policy.escalate_to_channel_days:
        steps.append(Step.CHANNEL)
    return steps


def horizon(now: datetime, policy: NudgePolicy) -> date:
    """The latest due date any person anywhere could be nudged about at `now` (UTC+14)."""
    return (now + timedelta(hours=14)).date() + timedelta(days=policy.due_soon_days)


def week_start(today: date, working_days: frozenset[int]) -> date:
    """The first day of the working week `today` falls in: the first working day after a
    day off (Monday for Monday to Friday, Sunday for Sunday to Thursday); Monday when every
    day, or none, is a working day."""
    first = next(
        (day for day in range(7) if day in working_days and (day - 1) % 7 not in working_days),
        0,
    )
    return today - timedelta(days=(today.weekday() - first) % 7)
