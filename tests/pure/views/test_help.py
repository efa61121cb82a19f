"""`/nc help`."""

from __future__ import annotations

from bot.views.help import SUBCOMMANDS, help_blocks, help_text
from tests.blocks import mrkdwn_texts
from tests.pure.blockkit import message_blocks


def test_help_is_valid_block_kit() -> None:
    message_blocks(help_blocks())


def test_help_lists_every_subcommand() -> None:
    text = "\n".join(mrkdwn_texts(message_blocks(help_blocks())))
    for command, _ in SUBCOMMANDS:
        assert f"`{command}`" in text


def test_help_fallback_text_names_the_subcommands() -> None:
    assert "/nc list" in help_text()
    assert "/nc help" in help_text()


def test_help_names_the_card_buttons_and_thread_replies() -> None:
    text = "\n".join(mrkdwn_texts(message_blocks(help_blocks())))
    assert "*Reopen record*" in text and "*Five whys*" in text
    assert "`done: new template in use`" in text
