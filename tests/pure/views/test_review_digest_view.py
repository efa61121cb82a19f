"""The management review's line in a lead's digest: soon, today, overdue, held."""

from __future__ import annotations

from datetime import date

from bot.domain.schedule import Urgency
from bot.queries.digest_items import DigestLine
from bot.views.digest import digest_blocks
from tests.blocks import mrkdwn_texts
from tests.pure.blockkit import message_blocks

TODAY = date(2026, 11, 30)


def line(due: date, urgency: Urgency | None) -> DigestLine:
    return DigestLine(
        key="management_review:4:soon",
        kind="management_review",
        action_id=4,
        reference="MR-0002",
        description="Management review: the pack is ready in `/nc review`.",
        due=due,
        urgency=urgency,
    )


def text_of(item: DigestLine) -> str:
    blocks = message_blocks(digest_blocks([item], TODAY))
    return " ".join(mrkdwn_texts(blocks))


def test_each_stage_of_the_review_reads_in_plain_words_with_no_action_buttons() -> None:
    soon = text_of(line(date(2026, 12, 14), Urgency.DUE_SOON))
    assert "*MR-0002* Management review in 14 days, on Mon 14 Dec" in soon
    assert "Mark done" not in str(digest_blocks([line(TODAY, Urgency.DUE_TODAY)], TODAY))
    assert "Management review is today" in text_of(line(TODAY, Urgency.DUE_TODAY))
    overdue = text_of(line(date(2026, 11, 29), Urgency.OVERDUE))
    assert "overdue by 1 day (planned Sun 29 Nov)" in overdue
    assert "~MR-0002~ Management review held" in text_of(line(TODAY, None))
