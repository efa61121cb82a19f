"""The management review's line in a quality lead's daily digest."""

from __future__ import annotations

from datetime import date

from bot.domain.dates import readable_date
from bot.domain.text import escape
from bot.queries.digest_items import DigestLine
from bot.views.raw import RawBlock, section


def _days(count: int) -> str:
    return f"{count} day" + ("" if count == 1 else "s")


def review_item(line: DigestLine, today: date) -> list[RawBlock]:
    reference = escape(line.reference)
    if line.urgency is None:
        return [section(f":white_check_mark: ~{reference}~ Management review held")]
    when = readable_date(line.due, today)
    days = (line.due - today).days
    if days > 0:
        text = (
            f":large_yellow_circle: *{reference}* Management review in {_days(days)}, on {when}: "
            "check the attendees and share the pack with `/nc review`."
        )
    elif days == 0:
        text = (
            f":large_orange_circle: *{reference}* Management review is today: record its "
            "decisions in `/nc review` when it is over."
        )
    else:
        text = (
            f":red_circle: *{reference}* Management review overdue by {_days(-days)} "
            f"(planned {when}): record it as held, or move it with *Change date or "
            "attendees*, in `/nc review`."
        )
    return [section(text)]
