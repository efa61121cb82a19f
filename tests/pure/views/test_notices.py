"""Messages to quality leads about Keel itself."""

from __future__ import annotations

import pytest

from bot.views.notices import card_undeliverable, no_quality_channel
from tests.blocks import mrkdwn_texts
from tests.pure.blockkit import message_blocks
from tests.pure.factories import make_record


@pytest.mark.parametrize(
    "error", ["not_in_channel", "channel_not_found", "is_archived", "no_quality_channel"]
)
def test_an_undeliverable_card_notice_is_valid_and_gives_advice(error: str) -> None:
    text, blocks = card_undeliverable(make_record(), channel="CQUALITY", error=error)
    body = "\n".join(mrkdwn_texts(message_blocks(blocks)))
    assert "NC-0007" in text
    assert "NC-0007" in body
    assert "Slack answered" not in body


def test_an_unknown_error_is_quoted_escaped() -> None:
    _, blocks = card_undeliverable(make_record(), channel="CQUALITY", error="<!channel>")
    body = "\n".join(mrkdwn_texts(message_blocks(blocks)))
    assert "Slack answered `&lt;!channel&gt;`" in body


def test_the_notice_escapes_the_title() -> None:
    text, blocks = card_undeliverable(
        make_record(title="<!channel> spill"), channel="CQUALITY", error="not_in_channel"
    )
    assert not any("<!channel>" in t for t in mrkdwn_texts(message_blocks(blocks)))
    assert "<!channel>" not in text


def test_without_a_channel_the_notice_says_the_quality_channel() -> None:
    text, _ = card_undeliverable(make_record(), channel="", error="no_quality_channel")
    assert "the quality channel" in text


def test_the_no_quality_channel_notice_is_valid_and_says_how_to_set_one() -> None:
    text, blocks = no_quality_channel()
    body = "\n".join(mrkdwn_texts(message_blocks(blocks)))
    assert text
    assert "/nc channel #channel" in body
