"""When digests go out and how overdue work escalates: local time, DST, far zones, month ends."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.schedule import (
    NudgePolicy,
    Step,
    Urgency,
    digest_period,
    escalation_steps,
    horizon,
    urgency,
    week_start,
)

POLICY = NudgePolicy()  # 09:00 to 18:00, Monday to Friday, due soon = 3 days, 7 / 14 days
EVERY_DAY = NudgePolicy(working_days=frozenset(range(7)))

ZONES = [
    "UTC",
    "Pacific/Kiritimati",  # UTC+14
    "Pacific/Pago_Pago",  # UTC-11
    "Asia/Kathmandu",  # +05:45
    "Australia/Lord_Howe",  # +10:30 / +11, a half-hour DST
    "America/New_York",
    "Europe/Berlin",
    "America/St_Johns",  # -03:30 / -02:30
    "Asia/Tokyo",
]

# Days on which these zones change their clocks, and the Monday after.
DST_DAYS = [
    ("America/New_York", date(2026, 3, 8)),
    ("America/New_York", date(2026, 3, 9)),
    ("America/New_York", date(2026, 11, 1)),
    ("America/New_York", date(2026, 11, 2)),
    ("Europe/Berlin", date(2026, 3, 29)),
    ("Europe/Berlin", date(2026, 3, 30)),
    ("Europe/Berlin", date(2026, 10, 25)),
    ("Europe/Berlin", date(2026, 10, 26)),
    ("Australia/Lord_Howe", date(2026, 4, 5)),
    ("Australia/Lord_Howe", date(2026, 10, 4)),
    ("America/St_Johns", date(2026, 3, 8)),
    ("America/St_Johns", date(2026, 11, 1)),
]

instants = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2029, 12, 31)).map(
    lambda naive: naive.replace(tzinfo=UTC)
)
zones = st.sampled_from(ZONES).map(ZoneInfo)
days = st.dates(min_value=date(2025, 1, 1), max_value=date(2029, 12, 31))


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def instants_of_local_day(day: date, zone: ZoneInfo, step: timedelta) -> list[datetime]:
    """Every `step` of the UTC instants whose local date in `zone` is `day`."""
    start = datetime.combine(day, time(0), zone).astimezone(UTC) - timedelta(hours=3)
    end = datetime.combine(day + timedelta(days=1), time(0), zone).astimezone(UTC) + timedelta(
        hours=3
    )
    found = []
    moment = start
    while moment < end:
        if moment.astimezone(zone).date() == day:
            found.append(moment)
        moment += step
    return found


# -- digest_period --------------------------------------------------------------------------------


@given(now=instants, zone=zones)
def test_the_period_is_always_the_persons_local_date(now: datetime, zone: ZoneInfo) -> None:
    period = digest_period(now, zone, POLICY)
    if period is not None:
        assert period == now.astimezone(zone).date()


@st.composite
def near_a_dst_change(draw: st.DrawFn) -> tuple[datetime, ZoneInfo]:
    """An instant within two days of a DST change in the zone that changes."""
    zone_name, day = draw(st.sampled_from(DST_DAYS))
    zone = ZoneInfo(zone_name)
    noon = datetime.combine(day, time(12), zone).astimezone(UTC)
    return noon + timedelta(minutes=draw(st.integers(-48 * 60, 48 * 60))), zone


@given(moment=near_a_dst_change())
def test_around_dst_changes_the_window_is_09_to_18_local_time(
    moment: tuple[datetime, ZoneInfo],
) -> None:
    now, zone = moment
    local = now.astimezone(zone)
    expected = local.date() if 9 <= local.hour < 18 else None
    assert digest_period(now, zone, EVERY_DAY) == expected


@given(now=instants, zone=zones)
def test_no_digest_on_weekends_or_outside_working_hours(now: datetime, zone: ZoneInfo) -> None:
    local = now.astimezone(zone)
    in_window = local.weekday() < 5 and 9 <= local.hour < 18
    assert (digest_period(now, zone, POLICY) is not None) == in_window


@given(day=days, zone=zones)
def test_every_working_day_has_a_sending_window(day: date, zone: ZoneInfo) -> None:
    moments = instants_of_local_day(day, zone, timedelta(minutes=15))
    periods = [digest_period(moment, zone, POLICY) for moment in moments]
    if day.weekday() >= 5:
        assert set(periods) == {None}
    else:
        assert day in periods
        assert set(periods) <= {day, None}


@pytest.mark.parametrize(("zone_name", "day"), DST_DAYS)
def test_a_dst_change_day_keeps_nine_hours_of_window_from_09_00_local(
    zone_name: str, day: date
) -> None:
    zone = ZoneInfo(zone_name)
    moments = instants_of_local_day(day, zone, timedelta(minutes=15))
    open_moments = [moment for moment in moments if digest_period(moment, zone, EVERY_DAY)]
    assert open_moments, "no sending window on a DST change day"
    first, last = open_moments[0].astimezone(zone), open_moments[-1].astimezone(zone)
    assert (first.hour, first.minute) == (9, 0)
    assert (last.hour, last.minute) == (17, 45)
    # The window is one unbroken stretch: no DST jump happens between 09:00 and 18:00.
    assert open_moments[-1] - open_moments[0] == timedelta(hours=8, minutes=45)
    assert len(open_moments) == 36


def test_berlin_opens_at_09_00_local_in_winter_and_in_summer() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    assert digest_period(at(2026, 11, 23, 7, 59), berlin, POLICY) is None  # 08:59 CET
    assert digest_period(at(2026, 11, 23, 8, 0), berlin, POLICY) == date(2026, 11, 23)
    assert digest_period(at(2026, 3, 30, 6, 59), berlin, POLICY) is None  # 08:59 CEST
    assert digest_period(at(2026, 3, 30, 7, 0), berlin, POLICY) == date(2026, 3, 30)


def test_new_york_between_the_us_and_eu_clock_changes() -> None:
    """From 8 to 29 March 2026 New York is on summer time and Berlin is not."""
    new_york = ZoneInfo("America/New_York")
    assert digest_period(at(2026, 3, 16, 12, 59), new_york, POLICY) is None  # 08:59 EDT
    assert digest_period(at(2026, 3, 16, 13, 0), new_york, POLICY) == date(2026, 3, 16)


def test_the_quiet_hour_closes_the_window() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    assert digest_period(at(2026, 11, 23, 16, 59), berlin, POLICY) == date(2026, 11, 23)
    assert digest_period(at(2026, 11, 23, 17, 0), berlin, POLICY) is None  # 18:00 CET
    assert digest_period(at(2026, 11, 23, 22, 0), berlin, POLICY) is None


def test_the_same_instant_is_tuesday_in_kiritimati_and_monday_in_pago_pago() -> None:
    now = at(2026, 11, 23, 20, 0)  # Monday 20:00 UTC
    assert digest_period(now, ZoneInfo("Pacific/Kiritimati"), POLICY) == date(2026, 11, 24)
    assert digest_period(now, ZoneInfo("Pacific/Pago_Pago"), POLICY) == date(2026, 11, 23)


def test_far_zones_keep_their_own_weekends() -> None:
    kiritimati, pago_pago = ZoneInfo("Pacific/Kiritimati"), ZoneInfo("Pacific/Pago_Pago")
    friday_evening = at(2026, 11, 27, 20, 0)  # Saturday 10:00 in Kiritimati
    assert digest_period(friday_evening, kiritimati, POLICY) is None
    assert digest_period(friday_evening, pago_pago, POLICY) == date(2026, 11, 27)
    sunday_evening = at(2026, 11, 22, 20, 0)  # Monday 10:00 in Kiritimati
    assert digest_period(sunday_evening, kiritimati, POLICY) == date(2026, 11, 23)
    assert digest_period(sunday_evening, pago_pago, POLICY) is None
    saturday_morning = at(2026, 11, 28, 20, 0)  # Saturday 09:00 in Pago Pago
    assert digest_period(saturday_morning, pago_pago, POLICY) is None


def test_kathmandu_opens_at_03_15_utc() -> None:
    kathmandu = ZoneInfo("Asia/Kathmandu")
    assert digest_period(at(2026, 11, 23, 3, 14), kathmandu, POLICY) is None
    assert digest_period(at(2026, 11, 23, 3, 15), kathmandu, POLICY) == date(2026, 11, 23)


def test_a_working_day_ending_a_month_is_the_local_date() -> None:
    """30 November 2026 is a Monday; 31 December 2026 a Thursday."""
    assert digest_period(at(2026, 11, 30, 22, 0), ZoneInfo("Pacific/Kiritimati"), POLICY) == (
        date(2026, 12, 1)
    )
    assert digest_period(at(2027, 1, 1, 5, 0), ZoneInfo("Pacific/Pago_Pago"), POLICY) is None
    assert digest_period(at(2026, 12, 31, 20, 0), ZoneInfo("Pacific/Pago_Pago"), POLICY) == (
        date(2026, 12, 31)
    )


def test_working_days_and_hours_follow_the_policy() -> None:
    sunday_to_thursday = NudgePolicy(
        nudge_hour=8, quiet_hour=16, working_days=frozenset({6, 0, 1, 2, 3})
    )
    dubai = ZoneInfo("Asia/Dubai")  # UTC+4
    assert digest_period(at(2026, 11, 22, 4, 0), dubai, sunday_to_thursday) == date(2026, 11, 22)
    assert digest_period(at(2026, 11, 22, 3, 59), dubai, sunday_to_thursday) is None
    assert digest_period(at(2026, 11, 22, 12, 0), dubai, sunday_to_thursday) is None
    assert digest_period(at(2026, 11, 27, 5, 0), dubai, sunday_to_thursday) is None  # Friday


# -- urgency and horizon --------------------------------------------------------------------------


@given(due=days, today=days)
def test_urgency_follows_the_days_left(due: date, today: date) -> None:
    left = (due - today).days
    expected = (
        Urgency.OVERDUE
        if left < 0
        else Urgency.DUE_TODAY
        if left == 0
        else Urgency.DUE_SOON
        if left <= 3
        else None
    )
    assert urgency(due, today, POLICY) is expected


@pytest.mark.parametrize(
    ("due", "today", "expected"),
    [
        (date(2026, 12, 1), date(2026, 11, 28), Urgency.DUE_SOON),
        (date(2026, 12, 3), date(2026, 11, 30), Urgency.DUE_SOON),
        (date(2026, 12, 4), date(2026, 11, 30), None),
        (date(2027, 1, 2), date(2026, 12, 30), Urgency.DUE_SOON),
        (date(2027, 1, 3), date(2026, 12, 30), None),
        (date(2026, 12, 31), date(2027, 1, 1), Urgency.OVERDUE),
        (date(2028, 3, 1), date(2028, 2, 27), Urgency.DUE_SOON),  # leap year: 3 days
        (date(2028, 3, 1), date(2028, 2, 26), None),
        (date(2027, 3, 1), date(2027, 2, 26), Urgency.DUE_SOON),
        (date(2027, 2, 28), date(2027, 2, 28), Urgency.DUE_TODAY),
    ],
)
def test_urgency_across_month_and_year_ends(
    due: date, today: date, expected: Urgency | None
) -> None:
    assert urgency(due, today, POLICY) is expected


@given(now=instants, zone=zones)
def test_the_horizon_covers_everything_anyone_could_be_nudged_about(
    now: datetime, zone: ZoneInfo
) -> None:
    local_today = now.astimezone(zone).date()
    latest_due_soon = local_today + timedelta(days=POLICY.due_soon_days)
    assert urgency(latest_due_soon, local_today, POLICY) is Urgency.DUE_SOON
    assert latest_due_soon <= horizon(now, POLICY)


@given(now=instants)
def test_the_horizon_is_no_later_than_needed_for_kiritimati(now: datetime) -> None:
    kiritimati_today = now.astimezone(ZoneInfo("Pacific/Kiritimati")).date()
    assert horizon(now, POLICY) == kiritimati_today + timedelta(days=3)


def test_the_horizon_across_the_year_end() -> None:
    assert horizon(at(2026, 12, 31, 9, 59), POLICY) == date(2027, 1, 3)
    assert horizon(at(2026, 12, 31, 10, 0), POLICY) == date(2027, 1, 4)
    assert horizon(at(2027, 2, 28, 10, 0), POLICY) == date(2027, 3, 4)


# -- escalation -----------------------------------------------------------------------------------

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("overdue_days", "expected"),
    [
        (-3, []),
        (0, []),
        (6, []),
        (7, [Step.OWNERS]),
        (13, [Step.OWNERS]),
        (14, [Step.OWNERS, Step.CHANNEL]),
        (400, [Step.OWNERS, Step.CHANNEL]),
    ],
)
def test_the_ladder_thresholds(overdue_days: int, expected: list[Step]) -> None:
    due = TODAY - timedelta(days=overdue_days)
    assert escalation_steps(due, TODAY, POLICY, owner_reachable=True) == expected


@pytest.mark.parametrize(
    ("overdue_days", "expected"),
    [
        (-4, []),  # not due soon yet: nobody would be nudged about it anyway
        (-3, [Step.OWNERS]),
        (0, [Step.OWNERS]),
        (6, [Step.OWNERS]),
        (13, [Step.OWNERS]),
        (14, [Step.OWNERS, Step.CHANNEL]),
    ],
)
def test_an_unreachable_owners_items_escalate_at_once(
    overdue_days: int, expected: list[Step]
) -> None:
    due = TODAY - timedelta(days=overdue_days)
    assert escalation_steps(due, TODAY, POLICY, owner_reachable=False) == expected


def test_the_ladder_follows_the_workspace_settings() -> None:
    strict = NudgePolicy(escalate_to_owner_days=2, escalate_to_channel_days=5)
    assert escalation_steps(TODAY - timedelta(days=1), TODAY, strict, owner_reachable=True) == []
    assert escalation_steps(TODAY - timedelta(days=2), TODAY, strict, owner_reachable=True) == [
        Step.OWNERS
    ]
    assert escalation_steps(TODAY - timedelta(days=5), TODAY, strict, owner_reachable=True) == [
        Step.OWNERS,
        Step.CHANNEL,
    ]


def test_the_ladder_counts_days_across_a_month_end() -> None:
    due = date(2026, 11, 24)
    assert escalation_steps(due, date(2026, 12, 1), POLICY, owner_reachable=True) == [Step.OWNERS]
    assert escalation_steps(due, date(2026, 11, 30), POLICY, owner_reachable=True) == []


@given(due=days, today=days, reachable=st.booleans())
def test_steps_are_only_ever_added_as_days_pass(due: date, today: date, reachable: bool) -> None:
    now_steps = escalation_steps(due, today, POLICY, owner_reachable=reachable)
    tomorrow = escalation_steps(due, today + timedelta(days=1), POLICY, owner_reachable=reachable)
    assert set(now_steps) <= set(tomorrow)
    if reachable:
        assert set(now_steps) <= set(escalation_steps(due, today, POLICY, owner_reachable=False))


@pytest.mark.parametrize(
    ("working_days", "today", "start"),
    [
        ({0, 1, 2, 3, 4}, date(2026, 11, 25), date(2026, 11, 23)),  # Wednesday -> Monday
        ({0, 1, 2, 3, 4}, date(2026, 11, 29), date(2026, 11, 23)),  # Sunday is still that week
        ({6, 0, 1, 2, 3}, date(2026, 11, 25), date(2026, 11, 22)),  # Sunday to Thursday
        ({6, 0, 1, 2, 3}, date(2026, 11, 29), date(2026, 11, 29)),
        (set(range(7)), date(2026, 11, 29), date(2026, 11, 23)),
        (set(), date(2026, 11, 25), date(2026, 11, 23)),
    ],
)
def test_the_working_week_starts_on_the_first_working_day_after_a_day_off(
    working_days: set[int], today: date, start: date
) -> None:
    assert week_start(today, frozenset(working_days)) == start
