"""Small Block Kit builders shared by Keel's views."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ContextBlock,
    MarkdownTextObject,
    Option,
    PlainTextObject,
    SectionBlock,
)

from bot.domain.text import truncate

SECTION_TEXT_MAX = 3000
OPTION_TEXT_MAX = 75


def plain(text: str) -> PlainTextObject:
    return PlainTextObject(text=text, emoji=True)


def mrkdwn(text: str) -> MarkdownTextObject:
    return MarkdownTextObject(text=text)


def section(text: str) -> SectionBlock:
    """A section of mrkdwn; callers escape user text before it gets here."""
    return SectionBlock(text=mrkdwn(truncate(text, SECTION_TEXT_MAX)))


def context(text: str) -> ContextBlock:
    return ContextBlock(elements=[mrkdwn(truncate(text, SECTION_TEXT_MAX))])


def option(label: str, value: str) -> Option:
    return Option(text=plain(truncate(label, OPTION_TEXT_MAX)), value=value)
