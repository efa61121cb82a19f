"""Review dates, reminders across weekends and DST, versions, and competence expiry."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.competence import Refresher, Standing, expiry, refresher_due, standing
from bot.domain.documents import next_review, review_reminder_due

WEEKDAYS = [0, 1, 2, 3, 4]
BERLIN = ZoneInfo("Europe/Berlin")


def local_today(now: datetime) -> date:
    return now.astimezone(BERLIN).date()


def due_today(now: datetime, due: date) -> bool:
    return review_reminder_due(
        due=due, today=local_today(now), reminder_days=14, working_days=WEEKDAYS
    )


def test_a_review_reminder_skips_the_weekend_and_follows_local_time_across_dst() -> None:
    due = date(2026, 4, 13)  # reminders from Mon 30 Mar; clocks went forward Sun 29 Mar
    saturday_night = datetime(2026, 3, 28, 23, 30, tzinfo=UTC)  # Sun 00:30 in Berlin
    assert not due_today(saturday_night, due)
    friday = datetime(2026, 3, 27, 22, 30, tzinfo=UTC)  # Fri 23:30 CET: 17 days before
    assert not due_today(friday, due)
    monday = datetime(2026, 3, 29, 22, 30, tzinfo=UTC)  # Mon 00:30 CEST, the first day
    assert local_today(monday) == date(2026, 3, 30)
    assert due_today(monday, due)


def test_an_overdue_review_is_reminded_every_working_day() -> None:
    due = date(2026, 11, 10)
    days = [due + timedelta(days=n) for n in range(1, 15)]
    reminded = [
        day
        for day in days
        if review_reminder_due(due=due, today=day, reminder_days=14, working_days=WEEKDAYS)
    ]
    assert len(reminded) == 10
    assert all(day.weekday() < 5 for day in reminded)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)), st.integers(1, 120))
def test_the_next_review_follows_the_interval_from_the_due_date(due: date, months: int) -> None:
    following = next_review(due, months)
    assert (following.year - due.year) * 12 + following.month - due.month == months
    assert following.day == due.day or following.day < due.day  # month ends are clipped


def test_a_completion_expires_after_its_validity_and_is_reminded_twice() -> None:
    assert expiry(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert expiry(date(2026, 1, 31), None) is None
    expires = date(2027, 1, 15)
    assert refresher_due(expires, date(2026, 12, 15)) is None
    assert refresher_due(expires, date(2026, 12, 16)) is Refresher.SOON
    assert refresher_due(expires, expires) is Refresher.EXPIRED
    assert standing(expires, completed=True, today=date(2026, 12, 16)) is Standing.EXPIRING
    assert standing(expires, completed=True, today=expires) is Standing.EXPIRED
    assert standing(None, completed=False, today=expires) is Standing.MISSING
