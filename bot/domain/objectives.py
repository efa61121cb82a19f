"""Objectives (ISO 9001 6.2): how often they are measured, which period a value is for, and
how they stand. Pure rules over dates and numbers.

A frequency is an RRULE (python-dateutil) from the objective's start date. Its occurrences
cut time into periods: a period runs from one occurrence to the day before the next, and
its value falls due on the day it ends. A monthly objective started on 1 November has the
period "November 2026", whose value is due from 1 December.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from itertools import pairwise
from typing import Protocol

from dateutil.rrule import rrule, rrulestr

REFERENCE_PREFIX = "OBJ"
_REFERENCE_PATTERN = re.compile(rf"^{REFERENCE_PREFIX}-?0*(\d{{1,6}})$", re.I)
# A value that misses its target by no more than this share of the target is "at risk".
AT_RISK_MARGIN = Decimal("0.10")
# Spaces (also no-break and narrow no-break) and the Swiss apostrophe group thousands.
_SEPARATORS = re.compile(r"[\s\u00a0\u202f']")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+")
_NUMBER = re.compile(r"(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
# How far back a period may be logged: a year of weekly values, ten years of yearly ones.
PERIODS_KEPT = 60


class Direction(StrEnum):
    AT_LEAST = "at_least"  # higher is better: on-time delivery, first-pass yield
    AT_MOST = "at_most"  # lower is better: complaints, lost-time injuries, kWh

    @property
    def label(self) -> str:
        if self is Direction.AT_LEAST:
            return "At least (higher is better)"
        return "At most (lower is better)"

    @property
    def symbol(self) -> str:
        return "≥" if self is Direction.AT_LEAST else "≤"


class Frequency(StrEnum):
    """The frequencies the form offers, each an RRULE."""

    WEEKLY = "FREQ=WEEKLY"
    MONTHLY = "FREQ=MONTHLY"
    QUARTERLY = "FREQ=MONTHLY;INTERVAL=3"
    YEARLY = "FREQ=YEARLY"

    @property
    def label(self) -> str:
        return {
            Frequency.WEEKLY: "Weekly",
            Frequency.MONTHLY: "Monthly",
            Frequency.QUARTERLY: "Quarterly",
            Frequency.YEARLY: "Yearly",
        }[self]

    def first_start(self, today: date) -> date:
        """Where the current period starts, for an objective set up today."""
        if self is Frequency.WEEKLY:
            return today - timedelta(days=today.weekday())
        if self is Frequency.MONTHLY:
            return today.replace(day=1)
        if self is Frequency.QUARTERLY:
            return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        return date(today.year, 1, 1)


class Standing(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NO_DATA = "no_data"

    @property
    def label(self) -> str:
        return {
            Standing.ON_TRACK: ":large_green_circle: On track",
            Standing.AT_RISK: ":large_yellow_circle: At risk",
            Standing.OFF_TRACK: ":red_circle: Off track",
            Standing.NO_DATA: ":white_circle: No data yet",
        }[self]


class Trend(StrEnum):
    IMPROVING = "improving"
    WORSENING = "worsening"
    STEADY = "steady"

    @property
    def label(self) -> str:
        return {
            Trend.IMPROVING: ":arrow_upper_right: improving",
            Trend.WORSENING: ":arrow_lower_right: worsening",
            Trend.STEADY: ":arrow_right: steady",
        }[self]


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # the last day of the period

    @property
    def due(self) -> date:
        """The day its value can first be known: the day after it ends."""
        return self.end + timedelta(days=1)


@dataclass(frozen=True)
class ObjectivePlan:
    """How an objective will be achieved (ISO 9001 6.2.2), each part optional: what will be
    done, what resources it needs, who is responsible, when it will be completed and how the
    results are evaluated. Kept on the objective as its `plan_*` columns."""

    actions: str | None = None
    resources: str | None = None
    responsible: str | None = None
    due: date | None = None
    evaluation: str | None = None

    def columns(self) -> dict[str, str | date | None]:
        return {f"plan_{name}": value for name, value in vars(self).items()}

    @property
    def is_empty(self) -> bool:
        return all(value is None for value in vars(self).values())


PLAN_TEXT_MAX = 1000  # each written part of the plan
PLAN_RESPONSIBLE_MAX = 200  # the column's length

PLAN_PARTS = {
    "actions": "What will be done",
    "resources": "Resources",
    "responsible": "Responsible",
    "due": "To be completed by",
    "evaluation": "How results are evaluated",
}


def format_reference(number: int) -> str:
    return f"{REFERENCE_PREFIX}-{number}"


def parse_reference(text: str) -> int | None:
    """`OBJ-3`, `obj3` or `OBJ-003` -> 3; anything else -> None."""
    match = _REFERENCE_PATTERN.match(text.strip())
    if match is None:
        return None
    number = int(match.group(1))
    return number if number > 0 else None


def _rule(frequency: str, start: date) -> rrule:
    parsed = rrulestr(frequency, dtstart=datetime(start.year, start.month, start.day))
    if not isinstance(parsed, rrule):
        raise ValueError(f"not a single RRULE: {frequency!r}")
    return parsed


def valid_frequency(frequency: str) -> bool:
    try:
        _rule(frequency, date(2000, 1, 1))
    except (ValueError, TypeError):
        return False
    return True


def ended_periods(frequency: str, start: date, today: date, *, limit: int) -> list[Period]:
    """The last `limit` periods that have ended by `today`, newest first."""
    first = datetime(start.year, start.month, start.day)
    stop = datetime(today.year, today.month, today.day)
    starts = [moment.date() for moment in _rule(frequency, start).between(first, stop, inc=True)]
    periods = [
        Period(start=first, end=following - timedelta(days=1))
        for first, following in pairwise(starts)
    ]
    return list(reversed(periods[-limit:]))


def current_period(frequency: str, start: date, today: date) -> Period | None:
    """The period `today` falls in; None before the objective starts."""
    if today < start:
        return None
    rule = _rule(frequency, start)
    moment = datetime(today.year, today.month, today.day)
    began = rule.before(moment, inc=True)
    following = rule.after(moment, inc=False)
    if began is None or following is None:
        return None
    return Period(start=began.date(), end=following.date() - timedelta(days=1))


def period_label(frequency: str, period: Period) -> str:
    """How people name the period: "November 2026", "Q4 2026", "2026", "week of 16 Nov"."""
    start, end = period.start, period.end
    if frequency == Frequency.MONTHLY and start.day == 1:
        return start.strftime("%B %Y")
    if frequency == Frequency.QUARTERLY and start.day == 1 and start.month % 3 == 1:
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    if frequency == Frequency.YEARLY and (start.month, start.day) == (1, 1):
        return str(start.year)
    if frequency == Frequency.WEEKLY:
        return f"week of {start.day} {start.strftime('%b %Y')}"
    return f"{start.isoformat()} to {end.isoformat()}"


class _Measured(Protocol):
    title: str
    frequency: str
    unit: str | None


def _period_words(frequency: str, period: Period) -> str:
    """The period as a sentence names it: "November 2026", "the week of 30 Nov 2026"."""
    the = "the " if frequency == Frequency.WEEKLY else ""
    return f"{the}{period_label(frequency, period)}"


def value_wanted(title: str, frequency: str, period: Period) -> str:
    """The digest's line for a value to log: "On-time delivery: value for November 2026"."""
    return f"{title}: value for {_period_words(frequency, period)}"


def value_logged(objective: _Measured, period: Period, value: float) -> str:
    """The same line once logged, with what was logged: "On-time delivery: 96% for November
    2026"."""
    logged = format_value(value, objective.unit)
    return f"{objective.title}: {logged} for {_period_words(objective.frequency, period)}"


def parse_value(text: str) -> Decimal | None:
    """A measured value as people type it: `96.5`, `96,5`, `96.5 %`, `1 250`, `1,250`,
    `1.250,5`, `-3`. None for anything that is not one finite number, or could be read two
    ways (`1,25,0`)."""
    cleaned = _SEPARATORS.sub("", text.strip().removesuffix("%"))
    sign = ""
    if cleaned[:1] in ("+", "-"):
        sign, cleaned = cleaned[0], cleaned[1:]
    if "," in cleaned and "." in cleaned:
        # Both marks: the last one is the decimal mark, the other groups thousands.
        mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        group = "." if mark == "," else ","
        whole, _, fraction = cleaned.rpartition(mark)
        grouped = rf"\d{{1,3}}(?:{re.escape(group)}\d{{3}})+"
        if not (re.fullmatch(grouped, whole) or whole.isdigit()) or not fraction.isdigit():
            return None
        cleaned = f"{whole.replace(group, '')}.{fraction}"
    elif "," in cleaned:
        if _THOUSANDS.fullmatch(cleaned):
            cleaned = cleaned.replace(",", "")  # 1,250 and 1,250,000
        elif cleaned.count(",") == 1:
            cleaned = cleaned.replace(",", ".")  # a decimal comma: 96,5
        else:
            return None
    if not _NUMBER.fullmatch(cleaned):
        return None
    try:
        value = Decimal(sign + cleaned)
    except InvalidOperation:
        return None
    if not value.is_finite() or abs(value) >= Decimal("1e12"):
        return None
    return value


def format_value(value: float | Decimal, unit: str | None) -> str:
    """`96.5` and `%` -> `96.5%`; `3` and `complaints` -> `3 complaints`."""
    text = format(Decimal(str(value)).normalize(), "f")
    if not unit:
        return text
    return f"{text}{unit}" if unit in ("%", "‰") else f"{text} {unit}"


def standing(value: float | None, target: float, direction: Direction) -> Standing:
    """On track when the value meets the target; at risk when it misses by no more than
    10% of the target; off track beyond that."""
    if value is None or not math.isfinite(value):
        return Standing.NO_DATA
    shortfall = target - value if direction is Direction.AT_LEAST else value - target
    if shortfall <= 0:
        return Standing.ON_TRACK
    if shortfall <= abs(target) * float(AT_RISK_MARGIN):
        return Standing.AT_RISK
    return Standing.OFF_TRACK


def trend(values: Sequence[float], direction: Direction) -> Trend | None:
    """The latest value against the one before (`values` newest first); None with fewer
    than two values."""
    if len(values) < 2:
        return None
    latest, previous = values[0], values[1]
    if latest == previous:
        return Trend.STEADY
    better = latest > previous if direction is Direction.AT_LEAST else latest < previous
    return Trend.IMPROVING if better else Trend.WORSENING
