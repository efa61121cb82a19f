"""One imported cell at a time: text, dates, whole numbers and choices, each with a message
the person importing can act on."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from pydantic import ValidationInfo

from bot.domain.directory import PeopleIndex

_DATE_FORMATS = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%d-%m-%Y",
    "%d %b %Y",
    "%d %B %Y",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%Y/%m/%d",
)


def text(value: Any) -> str | None:
    """A cell as stripped text; None when blank. A formula is refused: Keel imports values."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    written = str(value).replace("\x00", "").strip()
    if written.startswith("="):
        raise ValueError("is a formula; save the sheet with values instead (Paste Special)")
    return written or None


def required_text(value: Any, limit: int) -> str:
    written = text(value)
    if written is None:
        raise ValueError("is empty")
    return limited(written, limit)


def limited(written: str, limit: int) -> str:
    if len(written) > limit:
        raise ValueError(f"is {len(written):,} characters long; at most {limit:,} fit")
    return written


def a_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    written = text(value)
    if written is None:
        return None
    written = written.split("T")[0].split(" 00:00")[0]
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(written, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"“{written[:40]}” is not a date (write it as 2024-03-31 or 31/03/2024)")


def whole_number(value: Any, *, low: int, high: int) -> int | None:
    if isinstance(value, bool):
        raise ValueError("is not a number")
    if isinstance(value, int | float):
        number = value
    else:
        written = text(value)
        if written is None:
            return None
        try:
            number = float(written)
        except ValueError as error:
            raise ValueError(f"“{written[:40]}” is not a number") from error
    if not float(number).is_integer() or not low <= number <= high:
        raise ValueError(f"must be a whole number from {low} to {high}")
    return int(number)


def choice(value: Any, choices: dict[str, str], what: str) -> str | None:
    """`choices` maps lower-case words people write to the stored value."""
    written = text(value)
    if written is None:
        return None
    found = choices.get(" ".join(written.lower().replace("_", " ").split()))
    if found is None:
        raise ValueError(f"“{written[:40]}” is not a {what} Keel knows")
    return found


def person(value: Any, info: ValidationInfo) -> str | None:
    written = text(value)
    if written is None:
        return None
    people = (info.context or {}).get("people")
    if not isinstance(people, PeopleIndex):
        raise ValueError("cannot be checked: no directory of people")
    return people.find(written)
