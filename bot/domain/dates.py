"""Dates as people read them: weekday, day and month, and the year only when it is not this one."""

from __future__ import annotations

from datetime import date


def readable_date(day: date, today: date) -> str:
    """`Wed 9 Dec` this year, `Mon 4 Jan 2027` in any other. English names, whatever the locale.

    For what people read only: history, exports and stored values keep ISO dates."""
    weekday = _WEEKDAYS[day.weekday()]
    month = _MONTHS[day.month - 1]
    shown = f"{weekday} {day.day} {month}"
    return shown if day.year == today.year else f"{shown} {day.year}"


_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
