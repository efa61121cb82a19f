"""Messages Keel sends to quality leads about the system itself."""

from __future__ import annotations

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.domain.terms import DEFAULT_TERMS, Terms, capitalised
from bot.domain.text import escape, truncate
from bot.views.common import plain, section
from bot.views.record_card import reference
from storage.models import Record

_ERROR_ADVICE = {
    "not_in_channel": "Keel is not a member of that channel: invite it with `/invite @Keel` there.",
    "channel_not_found": "That channel does not exist or Keel cannot see it (private channels "
    "need Keel invited).",
    "is_archived": "That channel is archived.",
}


def card_undeliverable(
    record: Record, *, channel: str, error: str, terms: Terms = DEFAULT_TERMS
) -> tuple[str, list[Block]]:
    if error == "no_quality_channel":
        advice = f"No {terms.channel} is set."
    else:
        advice = _ERROR_ADVICE.get(error, f"Slack answered `{escape(error)}`.")
    where = f"<#{channel}>" if channel else f"the {terms.channel}"
    text = f"{reference(record)} is on record, but its card could not be posted to {where}."
    body = (
        f":warning: *{reference(record)}* ({escape(record.title)}) is safely on record, "
        "but its card "
        f"could not be posted to {where}. {advice}\n"
        f"{capitalised(terms.a_lead)} can choose another channel with `/nc channel #channel`; "
        f"the record itself is always available with `/nc {reference(record)}`."
    )
    return text, [section(body)]


def no_quality_channel(terms: Terms = DEFAULT_TERMS) -> tuple[str, list[Block]]:
    text = f"Keel has no {terms.channel} yet: records are not posted anywhere."
    body = (
        ":information_source: People are raising records with `/nc`, but Keel has no "
        f"{terms.channel} to post them to, so only the reporters see them.\n"
        "Pick a channel, invite Keel to it (`/invite @Keel`), then run `/nc channel #channel` "
        "there or anywhere. You can also set `KEEL_QUALITY_CHANNEL`."
    )
    return text, [section(body)]


def notice_view(title: str, text: str) -> View:
    """A modal that only tells something (user text in `text` must already be escaped)."""
    return View(
        type="modal",
        title=plain(truncate(title, 24)),
        close=plain("Close"),
        blocks=[section(text)],
    )
