"""Internal audits (ISO 9001 / 45001 / 14001 clause 9.2, guidance ISO 19011): their life,
who may audit what, how often they recur, and when people are reminded. Pure rules.

An audit is planned → in progress → reported → closed, or cancelled. Auditors never audit
their own work: neither the owner of the audited process nor the auditee may be an auditor,
unless a quality lead overrides it with a reason. A recurring audit's next date follows its
cycle from the planned date, never from the day the report came in.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from dateutil.rrule import rrulestr

REFERENCE_PREFIX = "AUD"
_REFERENCE_PATTERN = re.compile(rf"^\s*{REFERENCE_PREFIX}-?0*(\d{{1,6}})\s*$", re.I)
# Reminders to the lead auditor and the auditee, in days before the audit.
REMINDER_DAYS = (14, 7, 1)
# How far back "least used" and "not audited lately" look.
LOOKBACK_DAYS = 365


def format_reference(number: int) -> str:
    """`3` -> `AUD-3`."""
    return f"{REFERENCE_PREFIX}-{number}"


def parse_reference(text: str) -> int | None:
    """`AUD-3`, `aud3`, `AUD-003` -> 3; anything else -> None."""
    match = _REFERENCE_PATTERN.match(text)
    if match is None:
        return None
    number = int(match.group(1))
    return number if number > 0 else None


class AuditStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    REPORTED = "reported"
    CLOSED = "closed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def awaits_report(self) -> bool:
        return self in (AuditStatus.PLANNED, AuditStatus.IN_PROGRESS)


class AuditMove(StrEnum):
    START = "start"
    POSTPONE = "postpone"
    REPORT = "report"
    CLOSE = "close"
    CANCEL = "cancel"


_ALLOWED: dict[AuditMove, frozenset[AuditStatus]] = {
    AuditMove.START: frozenset({AuditStatus.PLANNED}),
    AuditMove.POSTPONE: frozenset({AuditStatus.PLANNED}),
    AuditMove.REPORT: frozenset({AuditStatus.IN_PROGRESS}),
    AuditMove.CLOSE: frozenset({AuditStatus.REPORTED}),
    AuditMove.CANCEL: frozenset({AuditStatus.PLANNED, AuditStatus.IN_PROGRESS}),
}

_REFUSALS = {
    AuditMove.START: "It can be started only while it is planned",
    AuditMove.POSTPONE: "Only a planned audit can be postponed",
    AuditMove.REPORT: "A report can be recorded once the audit is in progress, and only once",
    AuditMove.CLOSE: "An audit closes once its report is in",
    AuditMove.CANCEL: "Only a planned or running audit can be cancelled",
}

_RESULT = {
    AuditMove.START: AuditStatus.IN_PROGRESS,
    AuditMove.POSTPONE: AuditStatus.PLANNED,
    AuditMove.REPORT: AuditStatus.REPORTED,
    AuditMove.CLOSE: AuditStatus.CLOSED,
    AuditMove.CANCEL: AuditStatus.CANCELLED,
}


def move(status: AuditStatus, what: AuditMove) -> AuditStatus:
    """The status after `what`, or ValueError with a sentence saying why not."""
    if status not in _ALLOWED[what]:
        raise ValueError(f"{_REFUSALS[what]}; this one is {status.label.lower()}.")
    return _RESULT[what]


class Recurrence(StrEnum):
    """How often an audit of the same scope comes back, as an RRULE ("" is once)."""

    ONE_OFF = ""
    YEARLY = "FREQ=YEARLY"
    HALF_YEARLY = "FREQ=MONTHLY;INTERVAL=6"
    QUARTERLY = "FREQ=MONTHLY;INTERVAL=3"

    @property
    def label(self) -> str:
        return {
            Recurrence.ONE_OFF: "One-off",
            Recurrence.YEARLY: "Yearly",
            Recurrence.HALF_YEARLY: "Every 6 months",
            Recurrence.QUARTERLY: "Every 3 months",
        }[self]


def next_cycle_date(recurrence: Recurrence, planned: date) -> date | None:
    """The next audit's date on the cycle that started at `planned`: the day of the month is
    kept (the 31st becomes the month's last day), whenever the report came in."""
    if recurrence is Recurrence.ONE_OFF:
        return None
    start = datetime(planned.year, planned.month, min(planned.day, 28))
    rule = rrulestr(recurrence.value, dtstart=start)
    following = rule.after(start)
    assert following is not None  # an unbounded rule always has a next occurrence
    return _same_day(following.date(), planned.day)


def _same_day(in_month: date, day: int) -> date:
    """`day` of `in_month`'s month, or its last day when the month is shorter."""
    first_of_next = (in_month.replace(day=28) + timedelta(days=4)).replace(day=1)
    last = (first_of_next - timedelta(days=1)).day
    return in_month.replace(day=min(day, last))


def working_day_on_or_before(day: date, working_days: Collection[int]) -> date:
    """`day`, or the working day before it; `day` itself when no day is a working day."""
    if not working_days:
        return day
    while day.weekday() not in working_days:
        day -= timedelta(days=1)
    return day


def working_day_on_or_after(day: date, working_days: Collection[int]) -> date:
    if not working_days:
        return day
    while day.weekday() not in working_days:
        day += timedelta(days=1)
    return day


def is_working_day(day: date, working_days: Collection[int]) -> bool:
    return not working_days or day.weekday() in working_days


# -- impartiality and competence -------------------------------------------------------------


@dataclass(frozen=True)
class Team:
    """Who audits what, as a form proposes it."""

    lead_auditor: str
    auditors: tuple[str, ...]
    auditee: str | None
    process_owner: str | None

    @property
    def everyone(self) -> tuple[str, ...]:
        return (self.lead_auditor, *[a for a in self.auditors if a != self.lead_auditor])


@dataclass(frozen=True)
class Conflict:
    """An auditor who would audit their own work, and why."""

    auditor: str
    why: str

    @property
    def message(self) -> str:
        return (
            f"<@{self.auditor}> {self.why}: auditors do not audit their own work. "
            "A lead may override this with a reason under “Impartiality override”."
        )


def conflicts(team: Team) -> list[Conflict]:
    """Every auditor who owns the audited process or is the auditee (ISO 19011 impartiality)."""
    found = []
    for auditor in team.everyone:
        if team.process_owner and auditor == team.process_owner:
            found.append(Conflict(auditor, "owns the audited process"))
        elif team.auditee and auditor == team.auditee:
            found.append(Conflict(auditor, "is the auditee"))
    return found


def not_qualified(team: Team, qualified: Collection[str]) -> bool:
    """Whether the lead auditor is off a workspace's list of qualified auditors (an empty
    list means the workspace keeps none: anyone may lead)."""
    return bool(qualified) and team.lead_auditor not in qualified


def rotation_warning(lead_auditor: str, previous_lead: str | None) -> str | None:
    """A warning, not a refusal: the same lead auditor as last time sees the same things."""
    if previous_lead is None or previous_lead != lead_auditor:
        return None
    return (
        f"<@{lead_auditor}> also led the previous audit of this process: another lead auditor "
        "would bring fresh eyes."
    )


def least_used(
    candidates: Iterable[str], audits_led: Iterable[str], *, exclude: Collection[str], limit: int
) -> list[str]:
    """Suggested auditors: those who audited least in the last 12 months (`audits_led` has
    one entry per audit each took part in), fewest first, then in the order given."""
    counts = Counter(audits_led)
    pool = [person for person in dict.fromkeys(candidates) if person not in exclude]
    order = {person: index for index, person in enumerate(pool)}
    return sorted(pool, key=lambda person: (counts[person], order[person]))[:limit]


# -- findings --------------------------------------------------------------------------------


class FindingGrade(StrEnum):
    MAJOR_NC = "major_nc"
    MINOR_NC = "minor_nc"
    OBSERVATION = "observation"
    OFI = "ofi"

    @property
    def label(self) -> str:
        return {
            FindingGrade.MAJOR_NC: "Major nonconformity",
            FindingGrade.MINOR_NC: "Minor nonconformity",
            FindingGrade.OBSERVATION: "Observation",
            FindingGrade.OFI: "Opportunity for improvement",
        }[self]

    @property
    def is_nonconformity(self) -> bool:
        return self in (FindingGrade.MAJOR_NC, FindingGrade.MINOR_NC)

    @property
    def becomes_record(self) -> bool:
        """Nonconformities and OFIs become records; observations stay in the report."""
        return self is not FindingGrade.OBSERVATION


class Standard(StrEnum):
    ISO_9001 = "iso_9001"
    ISO_45001 = "iso_45001"
    ISO_14001 = "iso_14001"

    @property
    def label(self) -> str:
        return "ISO " + self.value.removeprefix("iso_")


_CLAUSE = re.compile(r"^\d{1,2}(\.\d{1,2}){0,3}$")


def parse_clauses(text: str) -> tuple[str, ...] | None:
    """`"8.4, 8.5.1"` -> ("8.4", "8.5.1"); None when a piece is not a clause number."""
    pieces = [piece.strip() for piece in re.split(r"[,;\s]+", text) if piece.strip()]
    if any(not _CLAUSE.match(piece) for piece in pieces):
        return None
    return tuple(dict.fromkeys(pieces))


# -- reminders -------------------------------------------------------------------------------


class Reminder(StrEnum):
    """What an audit asks of someone today."""

    BEFORE = "before"  # 14, 7 or 1 days before (moved to the working day before)
    ON_THE_DAY = "on_the_day"
    REPORT_DUE = "report_due"  # every working day from the first after the date
    ESCALATED = "escalated"  # to the quality leads, from N days after the date


class Role(StrEnum):
    LEAD_AUDITOR = "lead_auditor"
    AUDITEE = "auditee"
    QUALITY_LEAD = "quality_lead"


def reminder_days(held: date, working_days: Collection[int]) -> frozenset[date]:
    """The days a reminder before the audit goes out: 14, 7 and 1 days before, each moved to
    the working day before when it falls on a day off."""
    return frozenset(
        working_day_on_or_before(held - timedelta(days=days), working_days)
        for days in REMINDER_DAYS
    )


def reminder(
    *,
    held: date,
    status: AuditStatus,
    role: Role,
    today: date,
    working_days: Collection[int],
    escalate_after_days: int,
) -> Reminder | None:
    """What the audit held (or planned) on `held` asks of `role` on `today`, or None.

    Each reminder before is due on one day only: a digest is one a day, so it goes out once.
    Reminders follow the current date: a postponed audit's old days are simply never reached.
    """
    if not status.awaits_report:
        return None
    if role is Role.QUALITY_LEAD:
        late = (today - held).days >= escalate_after_days
        return Reminder.ESCALATED if late else None
    if today < held:
        if status is AuditStatus.PLANNED and today in reminder_days(held, working_days):
            return Reminder.BEFORE
        return None
    if today == held:
        return Reminder.ON_THE_DAY
    if role is Role.LEAD_AUDITOR and today >= working_day_on_or_after(
        held + timedelta(days=1), working_days
    ):
        return Reminder.REPORT_DUE
    return None


def latest_reminder_horizon(today: date) -> date:
    """The furthest audit date a reminder can be about on `today`."""
    return today + timedelta(days=max(REMINDER_DAYS) + 3)


def auto_start(status: AuditStatus, held: date, today: date) -> bool:
    """A planned audit starts itself on its day."""
    return status is AuditStatus.PLANNED and today >= held


def can_close(reported: bool, nonconformities: Sequence[tuple[str | None, int]]) -> bool:
    """The audit closes itself when its report is in and each nonconformity (owner, planned
    actions) has an owner and at least one action."""
    return reported and all(owner and actions > 0 for owner, actions in nonconformities)
