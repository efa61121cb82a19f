from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.dates import readable_date

TODAY = date(2026, 12, 1)


def test_a_date_this_year_reads_weekday_day_month() -> None:
    assert readable_date(date(2026, 12, 9), TODAY) == "Wed 9 Dec"


def test_a_date_in_another_year_adds_the_year() -> None:
    assert readable_date(date(2027, 1, 4), TODAY) == "Mon 4 Jan 2027"
    assert readable_date(date(2025, 11, 30), TODAY) == "Sun 30 Nov 2025"


@given(st.dates(), st.dates())
def test_the_year_is_shown_exactly_when_it_differs(day: date, today: date) -> None:
    shown = readable_date(day, today)
    assert shown.split()[0] == day.strftime("%a")
    assert (len(shown.split()) == 4) == (day.year != today.year)
