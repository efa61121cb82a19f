"""What each kind of outbox row says to Slack: the message built from the rows it names, and
the Slack call that sends it. Returns what the after-effects need (where a message landed);
raises `Refused` for what Slack will never take and `NotYet` for what must wait."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.clock import Clock
from bot.domain.terms import terms_for
from bot.queries import outbox as outbox_rows
from bot.queries.digest_render import digest_lines, recent_digests
from bot.queries.records import card_extras
from bot.services.outbox import OutboxKind
from bot.slack import history
from bot.slack.directory import Directory
from bot.slack.errors import Failure, classify
from bot.views import notices
from bot.views.action import action_blocks, approval_blocks
from bot.views.action import fallback_text as action_fallback
from bot.views.common import section
from bot.views.digest import digest_blocks, digest_text
from bot.views.record_card import card_blocks, confirmation_blocks, fallback_text
from storage.models import Action as ActionRow
from storage.models import OutboxMessage, Record, Workspace

log = logging.getLogger(__name__)

# Every record card carries this message metadata, so that a retry can find a card an
# earlier attempt posted when Slack's answer was lost (and not post it twice).
CARD_EVENT = "keel_record_card"


@dataclass(frozen=True)
class Delivery:
    """One outbox row being sent: the client for its workspace, and a session to read from."""

    client: WebClient
    message: OutboxMessage
    workspace: Workspace
    record: Record | None
    session: Session


class Refused(Exception):
    """Slack will not take this message (or, as `NotYet`, it must wait)."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.code)
        self.failure = failure


class NotYet(Refused):
    """Not Slack's failure: something this message waits for is not there yet."""


class Messages:
    """The senders, one per kind of outbox row."""

    def __init__(self, *, clock: Clock, directory: Directory) -> None:
        self._clock = clock
        self._directory = directory

    def send(self, d: Delivery) -> dict[str, Any]:
        senders: dict[OutboxKind, Callable[[Delivery], dict[str, Any]]] = {
            OutboxKind.POST_RECORD_CARD: self._post_card,
            OutboxKind.UPDATE_RECORD_CARD: self._update_card,
            OutboxKind.CONFIRM_TO_REPORTER: self._confirm_to_reporter,
            OutboxKind.CARD_UNDELIVERABLE: self._card_undeliverable,
            OutboxKind.ASK_FOR_CHANNEL: self._ask_for_channel,
            OutboxKind.POST_ACTION: self._post_action,
            OutboxKind.DM_ACTION: self._dm_action,
            OutboxKind.UPDATE_ACTION: self._update_action,
            OutboxKind.EDIT_FORMER_DM: self._edit_former_dm,
            OutboxKind.DIRECT_MESSAGE: self._direct_message,
            OutboxKind.THREAD_REPLY: self._thread_reply,
            OutboxKind.REACTION: self._react,
            OutboxKind.CHANNEL_POST: self._channel_post,
            OutboxKind.UPDATE_DIGESTS: self._update_digests,
        }
        return senders[OutboxKind(d.message.kind)](d)

    def _today(self, workspace: Workspace) -> date:
        """The workspace's date, to mark overdue actions (each person's own is for digests)."""
        return self._clock.now().astimezone(ZoneInfo(workspace.timezone or "UTC")).date()

    def _action(self, d: Delivery) -> ActionRow:
        return outbox_rows.action(d.session, d.message.action_id)

    def _post_action(self, d: Delivery) -> dict[str, Any]:
        client, workspace, record = d.client, d.workspace, d.record
        assert record is not None
        action = self._action(d)
        if action.thread_ts:
            return {}
        if not (record.card_channel and record.card_ts):
            if outbox_rows.pending_card(d.session, record_id=record.id):
                # The card is still on its way; the action follows it into its thread.
                raise NotYet(Failure(code="card_not_posted_yet", permanent=False))
            return {}
        response = client.chat_postMessage(
            channel=record.card_channel,
            thread_ts=record.card_ts,
            text=action_fallback(action, record, self._today(workspace)),
            blocks=action_blocks(action, record, today=self._today(workspace)),
            unfurl_links=False,
        )
        return {"channel": response["channel"], "ts": response["ts"]}

    def _dm_action(self, d: Delivery) -> dict[str, Any]:
        client, workspace, record = d.client, d.workspace, d.record
        assert record is not None
        action = self._action(d)
        if action.dm_ts:
            return {}
        today = self._today(workspace)
        response = client.chat_postMessage(
            channel=action.owner_id,
            text=f"You have a new action: {action_fallback(action, record, today)}",
            blocks=action_blocks(action, record, today=today, in_dm=True),
            unfurl_links=False,
        )
        return {"channel": response["channel"], "ts": response["ts"]}

    def _update_action(self, d: Delivery) -> dict[str, Any]:
        client, workspace, record = d.client, d.workspace, d.record
        assert record is not None
        action = self._action(d)
        today = self._today(workspace)
        text = action_fallback(action, record, today)
        for channel, ts, in_dm in (
            (action.thread_channel, action.thread_ts, False),
            (action.dm_channel, action.dm_ts, True),
        ):
            if channel and ts:
                blocks = action_blocks(action, record, today=today, in_dm=in_dm)
                client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
        self._refresh_digests(d, {f"action:{action.id}", f"verification:{action.id}"})
        return {}

    def _update_digests(self, d: Delivery) -> dict[str, Any]:
        self._refresh_digests(d, {str(key) for key in d.message.payload.get("keys", [])})
        return {}

    def _edit_former_dm(self, d: Delivery) -> dict[str, Any]:
        client, message, workspace, record = d.client, d.message, d.workspace, d.record
        assert record is not None
        action = self._action(d)
        client.chat_update(
            channel=message.payload["channel"],
            ts=message.payload["ts"],
            text=action_fallback(action, record, self._today(workspace)),
            blocks=action_blocks(action, record, today=self._today(workspace), in_dm=True),
        )
        return {}

    def _refresh_digests(self, d: Delivery, keys: set[str]) -> None:
        """Recent digests that list any of these items are edited in place: done items tick
        off."""
        client, workspace, session = d.client, d.workspace, d.session
        rows = [
            row
            for row in recent_digests(session, workspace.id, self._clock.now())
            if keys & set(row.items)
        ]
        rendered = [(row, digest_lines(session, workspace, row)) for row in rows]
        for row, lines in rendered:
            if row.channel and row.ts:
                today = date.fromisoformat(row.period)
                client.chat_update(
                    channel=row.channel,
                    ts=row.ts,
                    text=digest_text(lines),
                    blocks=digest_blocks(lines, today),
                )

    def _direct_message(self, d: Delivery) -> dict[str, Any]:
        client, message, workspace, record = d.client, d.message, d.workspace, d.record
        payload = message.payload
        people = [str(user) for user in payload.get("users", [])]
        if payload.get("to_leads"):
            people += self._directory.leads(client, workspace)
        if payload.get("approval_for") is not None:
            assert record is not None
            action = self._action(d)
            if not action.pending_extension:
                return {}  # decided already
            today = self._today(workspace)
            text = f"Extension requested for {action_fallback(action, record, today)}"
            blocks: list[Any] = approval_blocks(action, record, today)
        else:
            text = str(payload.get("text", ""))
            blocks = list(payload.get("blocks") or [section(text)])
        self._dm_each(client, list(dict.fromkeys(people)), text, blocks)
        return {}

    def _thread_reply(self, d: Delivery) -> dict[str, Any]:
        client, message = d.client, d.message
        payload = message.payload
        client.chat_postMessage(
            channel=payload["channel"], thread_ts=payload["thread_ts"], text=payload["text"]
        )
        return {}

    def _channel_post(self, d: Delivery) -> dict[str, Any]:
        client, message = d.client, d.message
        payload = message.payload
        client.chat_postMessage(
            channel=payload["channel"],
            text=payload["text"],
            blocks=payload.get("blocks"),
            unfurl_links=False,
        )
        return {}

    def _react(self, d: Delivery) -> dict[str, Any]:
        client, message = d.client, d.message
        payload = message.payload
        try:
            client.reactions_add(
                channel=payload["channel"], timestamp=payload["ts"], name=payload["name"]
            )
        except SlackApiError as error:
            if error.response.get("error") != "already_reacted":
                raise
        return {}

    def _post_card(self, d: Delivery) -> dict[str, Any]:
        client, message, workspace, record = d.client, d.message, d.workspace, d.record
        assert record is not None
        if record.card_ts:
            return {}
        channel = message.payload.get("channel") or workspace.quality_channel
        if not channel:
            raise Refused(Failure(code="no_quality_channel", permanent=True))
        if message.attempts > 1:
            # An earlier attempt may have posted the card although its answer was lost.
            posted = _posted_card(client, channel, record.id, since=message.created_at)
            if posted is not None:
                return posted
        extras = card_extras(session=d.session, record=record)
        response = client.chat_postMessage(
            channel=channel,
            text=fallback_text(record),
            blocks=card_blocks(record, extras, today=self._today(d.workspace)),
            unfurl_links=False,
            unfurl_media=False,
            metadata=history.metadata(CARD_EVENT, record_id=record.id),
        )
        return {"channel": response["channel"], "ts": response["ts"]}

    def _update_card(self, d: Delivery) -> dict[str, Any]:
        client, record = d.client, d.record
        assert record is not None
        if not (record.card_channel and record.card_ts):
            return {}
        extras = card_extras(session=d.session, record=record)
        client.chat_update(
            channel=record.card_channel,
            ts=record.card_ts,
            text=fallback_text(record),
            blocks=card_blocks(record, extras, today=self._today(d.workspace)),
        )
        return {}

    def _confirm_to_reporter(self, d: Delivery) -> dict[str, Any]:
        client, record = d.client, d.record
        assert record is not None
        if not record.reporter_id:
            return {}
        permalink = None
        if record.card_channel and record.card_ts:
            try:
                permalink = client.chat_getPermalink(
                    channel=record.card_channel, message_ts=record.card_ts
                ).get("permalink")
            except SlackApiError as error:
                # The confirmation matters more than its link: it still names the channel.
                log.warning("no permalink for %s: %s", record.card_ts, error.response.get("error"))
        client.chat_postMessage(
            channel=record.reporter_id,
            text=f"Your report is on record as {record.reference}.",
            blocks=confirmation_blocks(
                record, permalink, record.card_channel, terms=terms_for(d.workspace.system_name)
            ),
            unfurl_links=False,
        )
        return {}

    def _card_undeliverable(self, d: Delivery) -> dict[str, Any]:
        client, message, workspace, record = d.client, d.message, d.workspace, d.record
        assert record is not None
        error = str(message.payload.get("error", "unknown"))
        channel = str(message.payload.get("channel") or workspace.quality_channel or "")
        people = set(self._directory.leads(client, workspace))
        if record.reporter_id:
            people.add(record.reporter_id)
        text, blocks = notices.card_undeliverable(
            record, channel=channel, error=error, terms=terms_for(workspace.system_name)
        )
        self._dm_each(client, sorted(people), text, blocks)
        return {}

    def _ask_for_channel(self, d: Delivery) -> dict[str, Any]:
        client, workspace = d.client, d.workspace
        text, blocks = notices.no_quality_channel(terms_for(workspace.system_name))
        self._dm_each(client, self._directory.leads(client, workspace), text, blocks)
        return {}

    def _dm_each(self, client: WebClient, people: list[str], text: str, blocks: list[Any]) -> None:
        """DM several people; one person who cannot be reached does not stop the others."""
        reached = 0
        last: Failure | None = None
        for user_id in people:
            try:
                client.chat_postMessage(channel=user_id, text=text, blocks=blocks)
                reached += 1
            except SlackApiError as error:
                last = classify(error)
                if not last.permanent:
                    raise
                log.warning("could not DM %s: %s", user_id, last.code)
        if people and not reached and last is not None:
            raise Refused(last)


def _posted_card(
    client: WebClient, channel: str, record_id: int, *, since: datetime
) -> dict[str, Any] | None:
    """The record's card in `channel`, if one was posted since `since` (found by the metadata
    every card carries), as chat.postMessage would have answered; None when there is none or
    Slack cannot say: then the card is posted, a duplicate being better than no card."""
    try:
        found = history.find_posted(
            client, channel, event_type=CARD_EVENT, key="record_id", value=record_id, since=since
        )
    except SlackApiError as error:
        log.warning("could not look for an earlier card in %s: %s", channel, classify(error).code)
        return None
    except history.CannotSay as unsure:
        log.warning("could not look for an earlier card: %s", unsure)
        return None
    return {"channel": found["channel"], "ts": found["ts"]} if found else None
