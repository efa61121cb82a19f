"""The outbound port: sends what the outbox holds, once Slack takes it.

Each row is leased with a conditional UPDATE before it is sent, so two senders (web
processes, the clock) never send the same row together. Delivery is at least once: if the
process dies between Slack's answer and marking the row sent, the lease runs out and the row
is sent again — a window of milliseconds, chosen over losing a record's card.
Transient failures (429 with Retry-After, 5xx, connection errors) are retried with backoff;
permanent ones (channel_not_found, not_in_channel, ...) are reported to people instead.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.clock import Clock
from bot.domain.records import format_reference
from bot.queries.digest_render import digest_lines, recent_digests
from bot.queries.records import card_extras
from bot.services import notify, outbox
from bot.services.outbox import OutboxKind
from bot.services.records import set_card
from bot.slack import history
from bot.slack.directory import Directory
from bot.slack.errors import Failure, classify
from bot.views import notices
from bot.views.action import action_blocks, approval_blocks
from bot.views.action import fallback_text as action_fallback
from bot.views.common import section
from bot.views.digest import digest_blocks, digest_text
from bot.views.record_card import card_blocks, confirmation_blocks, fallback_text
from storage.db import Database
from storage.models import Action as ActionRow
from storage.models import OutboxMessage, Record, Workspace

log = logging.getLogger(__name__)

BACKOFF_FIRST = timedelta(seconds=2)
BACKOFF_MAX = timedelta(seconds=60)
# A row Slack has refused for this long is given up, and the quality leads are told.
GIVE_UP_AFTER = timedelta(hours=48)
# Rows leased at once; the lease (a minute) must outlast sending them all.
CLAIM_BATCH = 20
# Every record card carries this message metadata, so that a retry can find a card an
# earlier attempt posted when Slack's answer was lost (and not post it twice).
CARD_EVENT = "keel_record_card"


class ClientProvider(Protocol):
    def for_team(self, team_id: str) -> WebClient: ...


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Delivery:
    """One outbox row being sent: the client for its workspace, and a session to read from."""

    client: WebClient
    message: OutboxMessage
    workspace: Workspace
    record: Record | None
    session: Session


class _Permanent(Exception):
    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.code)
        self.failure = failure


class _Retry(_Permanent):
    """Not Slack's failure: something this message waits for is not there yet."""


def backoff(attempts: int) -> timedelta:
    """2 s, 4 s, 8 s ... capped at a minute: a short outage costs at most a minute's delay."""
    doublings = min(max(attempts - 1, 0), 16)  # past the cap anyway; keeps the number small
    wait: timedelta = BACKOFF_FIRST * (2**doublings)
    return min(wait, BACKOFF_MAX)


class Relay:
    def __init__(
        self, *, db: Database, clients: ClientProvider, directory: Directory, clock: Clock
    ) -> None:
        self._db = db
        self._clients = clients
        self._directory = directory
        self._clock = clock

    def deliver_due(
        self, now: datetime | None = None, *, stopping: threading.Event | None = None
    ) -> DeliveryReport:
        """Send every row that is due (until `stopping` is set); returns what happened.

        With `now` given, the round runs as if the clock read `now`; without, it reads the
        clock between batches, so messages queued by this round (a card's confirmation) go
        out in it too.
        """
        report = DeliveryReport()
        while stopping is None or not stopping.is_set():
            at = now or self._clock.now()
            with self._db.transaction() as session:
                claimed = outbox.claim_due(session=session, now=at, limit=CLAIM_BATCH)
            if not claimed:
                return report
            for message_id in claimed:
                if stopping is not None and stopping.is_set():
                    break  # the rest of the batch is sent when its lease runs out
                self._deliver_claimed(message_id, at, report)
        return report

    def _deliver_claimed(self, message_id: int, now: datetime, report: DeliveryReport) -> None:
        message: OutboxMessage | None = None
        record: Record | None = None
        try:
            with self._db.reading() as session:
                message, workspace, record = session.execute(
                    select(OutboxMessage, Workspace, Record)
                    .join(Workspace, Workspace.id == OutboxMessage.workspace_id)
                    .outerjoin(Record, Record.id == OutboxMessage.record_id)
                    .where(OutboxMessage.id == message_id)
                ).one()
                client = self._clients.for_team(workspace.team_id)
                result = self._send(client, message, workspace, record, session)
        except _Permanent as refused:  # _Retry too: its Failure says it is not permanent
            self._finish(message_id, message, record, now, report, failure=refused.failure)
        except (SlackApiError, OSError) as error:
            self._finish(message_id, message, record, now, report, failure=classify(error))
        else:
            self._finish(message_id, message, record, now, report, result=result)

    def _finish(
        self,
        message_id: int,
        read: OutboxMessage | None,
        record: Record | None,
        now: datetime,
        report: DeliveryReport,
        *,
        result: dict[str, Any] | None = None,
        failure: Failure | None = None,
    ) -> None:
        """Mark the row sent, to retry or failed, with what its sending changed.

        The rows read for sending are merged in unloaded: the lease makes this sender the
        row's only writer, and only the columns changed here are written.
        """
        with self._db.transaction() as session:
            message = (
                session.merge(read, load=False)
                if read is not None
                else session.get_one(OutboxMessage, message_id)
            )
            if failure is None:
                _apply_success(session, message, record, result or {}, now)
                outbox.mark_sent(message=message, now=now)
                report.sent += 1
                return
            report.errors.append(failure.code)
            too_old = now - message.created_at > GIVE_UP_AFTER
            if failure.permanent or too_old:
                log.warning(
                    "outbox %s (%s) failed for good: %s", message.id, message.kind, failure.code
                )
                outbox.mark_failed(message=message, error=failure.code)
                _apply_failure(session, message, failure, now)
                report.failed += 1
                return
            wait = (
                timedelta(seconds=failure.retry_after)
                if failure.retry_after is not None
                else backoff(message.attempts)
            )
            log.info(
                "outbox %s (%s) will be retried in %s: %s",
                message.id,
                message.kind,
                wait,
                failure.code,
            )
            outbox.mark_retry(message=message, at=now + wait, error=failure.code)
            report.retried += 1

    def _send(
        self,
        client: WebClient,
        message: OutboxMessage,
        workspace: Workspace,
        record: Record | None,
        session: Session,
    ) -> dict[str, Any]:
        kind = OutboxKind(message.kind)
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
        return senders[kind](Delivery(client, message, workspace, record, session))

    def _today(self, workspace: Workspace) -> date:
        """The workspace's date, to mark overdue actions (each person's own is for digests)."""
        return self._clock.now().astimezone(ZoneInfo(workspace.timezone or "UTC")).date()

    def _action(self, d: Delivery) -> ActionRow:
        return d.session.get_one(ActionRow, d.message.action_id)

    def _post_action(self, d: Delivery) -> dict[str, Any]:
        client, workspace, record = d.client, d.workspace, d.record
        assert record is not None
        action = self._action(d)
        if action.thread_ts:
            return {}
        if not (record.card_channel and record.card_ts):
            if outbox.pending_card(session=d.session, record_id=record.id):
                # The card is still on its way; the action follows it into its thread.
                raise _Retry(Failure(code="card_not_posted_yet", permanent=False))
            return {}
        response = client.chat_postMessage(
            channel=record.card_channel,
            thread_ts=record.card_ts,
            text=action_fallback(action, record),
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
        response = client.chat_postMessage(
            channel=action.owner_id,
            text=f"You have a new action: {action_fallback(action, record)}",
            blocks=action_blocks(action, record, today=self._today(workspace)),
            unfurl_links=False,
        )
        return {"channel": response["channel"], "ts": response["ts"]}

    def _update_action(self, d: Delivery) -> dict[str, Any]:
        client, workspace, record = d.client, d.workspace, d.record
        assert record is not None
        action = self._action(d)
        text = action_fallback(action, record)
        blocks = action_blocks(action, record, today=self._today(workspace))
        for channel, ts in (
            (action.thread_channel, action.thread_ts),
            (action.dm_channel, action.dm_ts),
        ):
            if channel and ts:
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
            text=action_fallback(action, record),
            blocks=action_blocks(action, record, today=self._today(workspace)),
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
            text = f"Extension requested for {action_fallback(action, record)}"
            blocks: list[Any] = approval_blocks(action, record)
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
            raise _Permanent(Failure(code="no_quality_channel", permanent=True))
        if message.attempts > 1:
            # An earlier attempt may have posted the card although its answer was lost.
            posted = _posted_card(client, channel, record.id, since=message.created_at)
            if posted is not None:
                return posted
        extras = card_extras(session=d.session, record=record)
        response = client.chat_postMessage(
            channel=channel,
            text=fallback_text(record),
            blocks=card_blocks(record, extras),
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
            blocks=card_blocks(record, extras),
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
            text=f"Your report is on record as {format_reference(record.number)}.",
            blocks=confirmation_blocks(record, permalink, record.card_channel),
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
        text, blocks = notices.card_undeliverable(record, channel=channel, error=error)
        self._dm_each(client, sorted(people), text, blocks)
        return {}

    def _ask_for_channel(self, d: Delivery) -> dict[str, Any]:
        client, workspace = d.client, d.workspace
        text, blocks = notices.no_quality_channel()
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
            raise _Permanent(last)


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


def _apply_success(
    session: Session,
    message: OutboxMessage,
    record: Record | None,
    result: dict[str, Any],
    now: datetime,
) -> None:
    """What a delivered message changes: a posted card or action message is remembered
    (to be edited in place later), a card's reporter told."""
    if message.kind in (OutboxKind.POST_ACTION, OutboxKind.DM_ACTION) and result:
        action = session.get_one(ActionRow, message.action_id)
        if message.kind == OutboxKind.POST_ACTION:
            action.thread_channel, action.thread_ts = result["channel"], result["ts"]
        else:
            action.dm_channel, action.dm_ts = result["channel"], result["ts"]
        return
    if message.kind == OutboxKind.POST_RECORD_CARD and result and record is not None:
        card_of = session.merge(record, load=False)
        set_card(record=card_of, channel=result["channel"], ts=result["ts"])
        if card_of.reporter_id:
            outbox.enqueue(
                session=session,
                workspace_id=message.workspace_id,
                kind=OutboxKind.CONFIRM_TO_REPORTER,
                record_id=card_of.id,
                now=now,
            )


def _apply_failure(
    session: Session, message: OutboxMessage, failure: Failure, now: datetime
) -> None:
    """A card Slack will not take is reported to the quality leads and the reporter; a
    channel post that names what it is (`about`), to the quality leads."""
    if message.kind == OutboxKind.CHANNEL_POST and message.payload.get("about"):
        notify.dm(
            session=session,
            workspace_id=message.workspace_id,
            users=[],
            to_leads=True,
            now=now,
            text=(
                f"Keel could not post {message.payload['about']} to "
                f"<#{message.payload['channel']}> (Slack said `{failure.code}`). Invite Keel "
                "there with `/invite @Keel`, or choose another channel."
            ),
        )
        return
    if message.kind == OutboxKind.POST_RECORD_CARD and message.record_id:
        workspace = session.get_one(Workspace, message.workspace_id)
        outbox.enqueue(
            session=session,
            workspace_id=message.workspace_id,
            kind=OutboxKind.CARD_UNDELIVERABLE,
            record_id=message.record_id,
            payload={
                "error": failure.code,
                "channel": message.payload.get("channel") or workspace.quality_channel,
            },
            now=now,
        )


class RelayWorker:
    """A background thread that delivers the outbox as soon as it is woken, and polls."""

    def __init__(self, relay: Relay, *, poll_seconds: float = 5.0) -> None:
        self._relay = relay
        self._poll = poll_seconds
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="keel-relay", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if not self._thread.is_alive():
            return  # never started (run-job, migrate) or already stopped
        self._thread.join(timeout=30)
        if self._thread.is_alive():
            log.warning("the outbox relay did not stop within 30 s; undelivered rows stay queued")

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self._poll)
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                self._relay.deliver_due(stopping=self._stop)
            except Exception:
                log.exception("outbox delivery round failed; retrying on the next round")
