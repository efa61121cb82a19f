"""What an action owner means by a reply in a corrective action's Slack thread."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil import parser as dateparser
from dateutil.relativedelta import relativedelta

from bot.domain.text import truncate


@dataclass(frozen=True)
class Done:
    evidence: str


@dataclass(frozen=True)
class Blocked:
    reason: str


@dataclass(frozen=True)
class MoveDue:
    new_date: date
    reason: str


@dataclass(frozen=True)
class Note:
    text: str


@dataclass(frozen=True)
class Unclear:
    message: str


Intent = Done | Blocked | MoveDue | Note | Unclear


@dataclass(frozen=True)
class Reply:
    action_ref: int | None
    intent: Intent


_FLAGS = re.IGNORECASE | re.DOTALL
_END = r"(?![a-z0-9])"
_REF = re.compile(r"a([0-9]{1,6})(?:\s*[:\-\u2013\u2014.,)]\s*|\s+|\Z)", _FLAGS)
_DONE = re.compile(rf"(?:done|completed?|finished|fixed){_END}(.*)", _FLAGS)
_BLOCKED = re.compile(rf"(?:blocked|stuck){_END}(.*)", _FLAGS)
_DUE = re.compile(
    r"((?:new\s+)?due(?:\s+date)?|moved?\s+(?:the\s+)?due(?:\s+date)?"
    r"|extend(?:ed)?(?:\s+(?:the\s+)?due(?:\s+date)?)?(?=\s+(?:to|by)" + _END + "))"
    rf"{_END}\s*(?:(to|on|by|is|[:=\-\u2013])(?![a-z]))?\s*(.*)",
    _FLAGS,
)
# A date at the start of a "done" reply may be a promise ("done by friday"), not a completion.
_PROMISE = re.compile(rf"^(?:by|on|before|until|till){_END}", _FLAGS)
# Slack's *bold*, _italic_, ~strike~ and `code` marks, wherever they open or close a word.
_MARKS = re.compile(r"(?<!\w)[*_~`]++|[*_~`]++(?!\w)")
_PUNCTUATION = re.compile(r"^[\s\-\u2013\u2014:,;.]+")
_SEPARATORS = re.compile(rf"^(?:[\s\-\u2013\u2014:,;.]|(?:because|as|since){_END})+", _FLAGS)

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
_MORE_DATE = re.compile(rf",?\s*(?:[0-9]|{_MONTH}{_END})", _FLAGS)
_YEAR = r"(?:,?\s+(?P<year>[1-9][0-9]{3}))?"
# One group per weekday, Monday first, so the group that matched is the weekday number.
_WEEKDAYS = (
    r"(?:next\s+)?(?:(mon(?:day)?)|(tue(?:s(?:day)?)?)|(wed(?:nesday)?)|(thu(?:r(?:s(?:day)?)?)?)"
    r"|(fri(?:day)?)|(sat(?:urday)?)|(sun(?:day)?))"
)
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# dateutil fills missing fields from `default`; a fixed leap year keeps the real clock out
# and lets "29 Feb" without a year through, to be placed in the next leap year.
_NO_CLOCK = datetime(2000, 1, 1)


def parse_reply(text: str, *, today: date) -> Reply:
    """Read a thread reply as done, blocked, a due-date move or a note; never raises."""
    unescaped = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    body = _unwrap(unescaped)
    ref = None
    if match := _REF.match(body):
        ref, body = int(match.group(1)), _unwrap(body[match.end() :])
    return Reply(action_ref=ref, intent=_intent(body, today))


def _intent(body: str, today: date) -> Intent:
    """The intent of a reply whose action reference, if any, is already removed."""
    core = _bare(body)
    if core.endswith("?"):  # "done?" asks, it does not tell
        return Note(text=body)
    if match := _DONE.match(core):
        evidence = _PUNCTUATION.sub("", match.group(1)).strip()
        found = _read_date(_PROMISE.sub("", evidence).lstrip(), today)
        if found is not None and found[0] != today:
            return Unclear(
                "I can't tell if this is finished now or will be finished later. Reply "
                '"done" once it is finished, or "due 12 Dec" to move the due date.'
            )
        return Done(evidence=evidence)
    if match := _BLOCKED.match(core):
        return Blocked(reason=_SEPARATORS.sub("", match.group(1)).strip())
    if match := _DUE.match(core):
        keyword, connector, rest = match.group(1, 2, 3)
        found = _read_date(rest, today)
        if found is None:
            if keyword.lower() == "due" and (connector or "").lower() == "to":
                return Note(text=body)  # "due to the holiday, ..." means "because of"
            shown = truncate(" ".join(rest.split()), 40)
            return Unclear(
                (f'I couldn\'t read "{shown}" as a date.' if shown else "The new date is missing.")
                + ' Try "due 12 Dec", "due 2026-12-12", "due friday" or "due in 2 weeks".'
            )
        when, after = found
        if isinstance(when, str):
            return Unclear(when)
        return MoveDue(new_date=when, reason=_SEPARATORS.sub("", after).strip())
    return Note(text=body)


def _unwrap(text: str) -> str:
    """`text` stripped of whitespace and of *bold*, _italic_, ~strike~ or `code` around it all."""
    text = text.strip()
    while len(text) >= 2 and text[0] == text[-1] and text[0] in "*_~`":
        text = text[1:-1].strip()
    return text


def _bare(text: str) -> str:
    """`text` without formatting marks at word edges or a trailing "." or "!": just the words."""
    text = _MARKS.sub("", text).strip()
    end = len(text)  # a loop, not a regex: `[\s.!]+$` is quadratic on long runs of spaces
    while end and (text[end - 1] in ".!" or text[end - 1].isspace()):
        end -= 1
    return text[:end]


_DateOrMessage = date | str
_Reader = Callable[[re.Match[str], date], _DateOrMessage]


def _read_date(text: str, today: date) -> tuple[_DateOrMessage, str] | None:
    """The date `text` starts with (or why it is no real date) and the rest; None if no date."""
    for pattern, read in _FORMS:
        if match := pattern.match(text):
            try:
                when = read(match, today)
            except (ValueError, OverflowError):
                when = (
                    f'There is no date "{match.group(0)}". '
                    'Check the day and the month, e.g. "due 28 Feb".'
                )
            rest = text[match.end() :]
            if _MORE_DATE.match(rest):  # "Fri 12 Dec", "12 Dec 27": two dates, or a short year
                shown = truncate(" ".join(text.split()), 40)
                when = f'I couldn\'t tell which date "{shown}" is. Write one, e.g. "due 12 Dec".'
            return when, rest
    return None


def _next_on_or_after(today: date, month: int, day: int) -> date:
    """The first `day` `month` on or after `today`: a date given without a year is never past."""
    for year in range(today.year, today.year + 9):  # 29 Feb can be 8 years off: 2096, 2104
        with suppress(ValueError):
            if (candidate := date(year, month, day)) >= today:
                return candidate
    raise ValueError("no such date")


def _weekday(match: re.Match[str], today: date) -> date:
    """The given weekday strictly after `today`; "friday" and "next friday" are the same day."""
    wanted = (match.lastindex or 1) - 1
    return today + timedelta(days=(wanted - today.weekday() - 1) % 7 + 1)


def _in(match: re.Match[str], today: date) -> date:
    """`today` plus N days, weeks or months; a month from 31 Jan is the end of February."""
    count = 1 if match.group(1).lower() in ("a", "an", "one") else int(match.group(1))
    unit = match.group(2).lower()
    return today + relativedelta(**{f"{unit}s": count})  # type: ignore[arg-type]


def _numeric(match: re.Match[str], today: date) -> _DateOrMessage:
    """12/12/2026 or 25/12: only when day and month cannot be swapped by mistake."""
    first, second = int(match.group(1)), int(match.group(2))
    if first != second and max(first, second) <= 12:
        day_first = f"{first} {_MONTH_NAMES[second - 1]}"
        return (
            f'"{match.group(0)}" could be {day_first} or {second} {_MONTH_NAMES[first - 1]}. '
            f'Write the month as a word, e.g. "due {day_first}".'
        )
    day, month = (second, first) if second > 12 else (first, second)
    year = match.group(3)
    if year is None:
        return _next_on_or_after(today, month, day)
    return date(int(year) + (2000 if len(year) == 2 else 0), month, day)


def _named(match: re.Match[str], today: date) -> date:
    """A date with the month as a word ("12 Dec", "December 12th, 2026"), read by dateutil."""
    parsed = dateparser.parse(match.group(0), dayfirst=True, default=_NO_CLOCK).date()
    if match.group("year") is None:
        return _next_on_or_after(today, parsed.month, parsed.day)
    return parsed


def _form(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern + _END, _FLAGS)


_FORMS: tuple[tuple[re.Pattern[str], _Reader], ...] = (
    (_form("today"), lambda _, today: today),
    (_form("tomorrow"), lambda _, today: today + timedelta(days=1)),
    # The last day of tomorrow's month: this month's, or next month's on its last day.
    (
        _form(r"end\s+of\s+(?:the\s+)?month"),
        lambda _, today: today + timedelta(days=1) + relativedelta(day=31),
    ),
    (_form(r"in\s+(a|an|one|[0-9]{1,3})\s+(day|week|month)s?"), _in),
    (
        _form(r"([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})"),
        lambda m, _: date(*map(int, m.groups())),
    ),
    (_form(r"([0-9]{1,2})[/.]([0-9]{1,2})(?:[/.]([0-9]{4}|[0-9]{2}))?"), _numeric),
    (_form(_WEEKDAYS), _weekday),
    (_form(rf"[0-9]{{1,2}}{_ORDINAL}\s+(?:of\s+)?{_MONTH}{_YEAR}"), _named),
    (_form(rf"{_MONTH}\.?\s+[0-9]{{1,2}}{_ORDINAL}{_YEAR}"), _named),
)
