"""Objective rules: periods from a frequency, their names, values as typed, standing, trend."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.objectives import (
    Direction,
    Frequency,
    Period,
    Standing,
    Trend,
    current_period,
    ended_periods,
    format_reference,
    format_value,
    parse_reference,
    parse_value,
    period_label,
    standing,
    trend,
    valid_frequency,
    value_logged,
    value_wanted,
)
from tests.pure.objective_factories import make_objective


def test_a_monthly_period_runs_the_calendar_month_and_falls_due_the_next_day() -> None:
    periods = ended_periods(Frequency.MONTHLY, date(2026, 1, 1), date(2026, 12, 1), limit=2)
    assert periods == [
        Period(date(2026, 11, 1), date(2026, 11, 30)),
        Period(date(2026, 10, 1), date(2026, 10, 31)),
    ]
    assert periods[0].due == date(2026, 12, 1)
    assert period_label(Frequency.MONTHLY, periods[0]) == "November 2026"


def test_the_period_in_progress_has_not_ended() -> None:
    ended = ended_periods(Frequency.MONTHLY, date(2026, 1, 1), date(2026, 11, 30), limit=1)
    assert ended == [Period(date(2026, 10, 1), date(2026, 10, 31))]
    assert current_period(Frequency.MONTHLY, date(2026, 1, 1), date(2026, 11, 30)) == Period(
        date(2026, 11, 1), date(2026, 11, 30)
    )


def test_nothing_has_ended_before_the_first_period_does() -> None:
    assert ended_periods(Frequency.YEARLY, date(2026, 1, 1), date(2026, 12, 31), limit=5) == []
    assert current_period(Frequency.YEARLY, date(2026, 1, 1), date(2025, 12, 31)) is None


@pytest.mark.parametrize(
    ("frequency", "today", "start", "label"),
    [
        (Frequency.WEEKLY, date(2026, 11, 26), date(2026, 11, 23), "week of 16 Nov 2026"),
        (Frequency.QUARTERLY, date(2026, 11, 24), date(2026, 10, 1), "Q3 2026"),
        (Frequency.YEARLY, date(2026, 11, 24), date(2026, 1, 1), "2025"),
    ],
)
def test_each_frequency_names_its_last_ended_period(
    frequency: Frequency, today: date, start: date, label: str
) -> None:
    first = frequency.first_start(today)
    assert first == start
    # Started 800 days earlier and aligned: the same boundaries as `first`.
    aligned = frequency.first_start(first - timedelta(days=800))
    ended = ended_periods(frequency, aligned, today, limit=1)
    assert period_label(frequency, ended[0]) == label


def test_the_digest_asks_for_a_value_in_words_people_say() -> None:
    november = Period(start=date(2026, 11, 1), end=date(2026, 11, 30))
    week = Period(start=date(2026, 11, 30), end=date(2026, 12, 6))
    assert value_wanted("OTD", Frequency.MONTHLY, november) == "OTD: value for November 2026"
    assert value_wanted("OTD", Frequency.WEEKLY, week) == "OTD: value for the week of 30 Nov 2026"
    objective = make_objective(title="OTD", unit="%")
    assert value_logged(objective, november, 96.5) == "OTD: 96.5% for November 2026"


@given(
    frequency=st.sampled_from(list(Frequency)),
    started=st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)),
    days=st.integers(min_value=0, max_value=3000),
)
def test_periods_tile_time_without_gaps_or_overlaps(
    frequency: Frequency, started: date, days: int
) -> None:
    start = frequency.first_start(started)
    today = start + timedelta(days=days)
    ended = ended_periods(frequency, start, today, limit=1000)
    current = current_period(frequency, start, today)
    assert current is not None and current.start <= today <= current.end
    chain = [*reversed(ended), current]
    assert chain[0].start == start
    for earlier, later in pairwise(chain):
        assert earlier.end + timedelta(days=1) == later.start
    assert all(period.due <= today for period in ended)


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("96.5", Decimal("96.5")),
        ("96,5", Decimal("96.5")),
        (" 96.5 % ", Decimal("96.5")),
        ("1 250", Decimal("1250")),
        ("1,250.5", Decimal("1250.5")),
        ("1,250", Decimal("1250")),
        ("1,250,000", Decimal("1250000")),
        ("1.250,5", Decimal("1250.5")),
        ("1'250", Decimal("1250")),
        ("-3", Decimal("-3")),
        ("+.5", Decimal("0.5")),
        ("0", Decimal("0")),
    ],
)
def test_values_are_read_as_people_type_them(typed: str, value: Decimal) -> None:
    assert parse_value(typed) == value


@pytest.mark.parametrize(
    "typed", ["", "%", "ninety", "1.2.3", "nan", "inf", "1e400", "12 kg", "1,25,0", "1,2.5,0"]
)
def test_anything_but_one_finite_number_is_refused(typed: str) -> None:
    assert parse_value(typed) is None


@given(st.text())
def test_any_text_gives_a_finite_number_or_none(typed: str) -> None:
    value = parse_value(typed)
    assert value is None or value.is_finite()


@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**9), max_value=10**9))
def test_a_number_written_out_is_read_back(number: Decimal) -> None:
    assert parse_value(format(number, "f")) == number
    assert parse_value(format(number, ",f")) == number  # with thousands grouped


def test_values_are_shown_with_their_unit() -> None:
    assert format_value(96.5, "%") == "96.5%"
    assert format_value(3.0, "complaints") == "3 complaints"
    assert format_value(1200, None) == "1200"


@pytest.mark.parametrize(
    ("value", "target", "direction", "expected"),
    [
        (96.0, 95.0, Direction.AT_LEAST, Standing.ON_TRACK),
        (95.0, 95.0, Direction.AT_LEAST, Standing.ON_TRACK),
        (90.0, 95.0, Direction.AT_LEAST, Standing.AT_RISK),
        (80.0, 95.0, Direction.AT_LEAST, Standing.OFF_TRACK),
        (2.0, 3.0, Direction.AT_MOST, Standing.ON_TRACK),
        (3.2, 3.0, Direction.AT_MOST, Standing.AT_RISK),
        (5.0, 3.0, Direction.AT_MOST, Standing.OFF_TRACK),
        (1.0, 0.0, Direction.AT_MOST, Standing.OFF_TRACK),  # zero target: any miss is off
        (None, 95.0, Direction.AT_LEAST, Standing.NO_DATA),
    ],
)
def test_standing_compares_the_latest_value_with_the_target(
    value: float | None, target: float, direction: Direction, expected: Standing
) -> None:
    assert standing(value, target, direction) is expected


def test_trend_reads_the_direction_of_the_objective() -> None:
    assert trend([96.0, 94.0], Direction.AT_LEAST) is Trend.IMPROVING
    assert trend([96.0, 94.0], Direction.AT_MOST) is Trend.WORSENING
    assert trend([3.0, 3.0], Direction.AT_MOST) is Trend.STEADY
    assert trend([3.0], Direction.AT_MOST) is None


def test_references() -> None:
    assert format_reference(3) == "OBJ-3"
    assert parse_reference("OBJ-3") == parse_reference("obj3") == parse_reference("OBJ-003") == 3
    assert parse_reference("OBJ-0") is None
    assert parse_reference("NC-3") is None


def test_only_rrules_are_frequencies() -> None:
    assert all(valid_frequency(f.value) for f in Frequency)
    assert not valid_frequency("every other Tuesday")
