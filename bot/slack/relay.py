"""The outbound port: sends what the outbox holds, once Slack takes it.

Each row is leased with a conditional UPDATE before it is sent, so two senders (web
processes, the clock) never send the same row together. Delivery is at least once: if the
process dies between Slack's answer and marking the row sent, the lease runs out and the row
is sent again — a window of milliseconds, chosen over losing a record's card.
Transient failures (429 with Retry-After, 5xx, connection errors) are retried with backoff;
permanent ones (channel_not_found, not_in_channel, ...) are reported to people instead.
What each kind of row says is built in bot/slack/messages.py; what a sent or refused row
changes is written by bot/services/deliveries.py.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError

from bot.clock import Clock
from bot.queries import outbox as outbox_rows
from bot.services import deliveries, outbox
from bot.slack.directory import Directory
from bot.slack.errors import Failure, classify
from bot.slack.messages import Delivery, Messages, Refused
from storage.db import Database
from storage.models import OutboxMessage, Record

log = logging.getLogger(__name__)

BACKOFF_FIRST = timedelta(seconds=2)
BACKOFF_MAX = timedelta(seconds=60)
# A row Slack has refused for this long is given up, and the quality leads are told.
GIVE_UP_AFTER = timedelta(hours=48)
# Rows leased at once; their lease is renewed while they are sent, however long that takes.
CLAIM_BATCH = 20
# How often a sender renews the lease of the rows it has yet to send (in real seconds): well
# within outbox.LEASE, so that a slow database write does not let the lease run out.
RENEW_EVERY = outbox.LEASE / 3


class ClientProvider(Protocol):
    def for_team(self, team_id: str) -> WebClient: ...


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


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
        self._clock = clock
        self._messages = Messages(clock=clock, directory=directory)

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
            with LeaseRenewal(self._db, claimed, held_until=at + outbox.LEASE):
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
                message, workspace, record = outbox_rows.delivery(session, message_id)
                client = self._clients.for_team(workspace.team_id)
                result = self._messages.send(Delivery(client, message, workspace, record, session))
        except Refused as refused:  # NotYet too: its Failure says it is not permanent
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
                deliveries.after_sent(session, message, record, result or {}, now)
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
                deliveries.after_refused(session, message, failure.code, now)
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


class LeaseRenewal:
    """While a batch is being sent, renew the lease of its rows not yet sent, from a thread
    of its own (a Slack call may block for many seconds): a live sender keeps its rows
    however slow Slack is, while the rows of one that died are free within outbox.LEASE.

    The lease moves on by the real time that has passed, from where the claim put it: a
    round run as if the clock read `now` keeps its rows the same way."""

    def __init__(
        self,
        db: Database,
        ids: list[int],
        *,
        held_until: datetime,
        every: timedelta = RENEW_EVERY,
    ) -> None:
        self._db = db
        self._ids = list(ids)
        self.held_until = held_until
        self._every = every.total_seconds()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="keel-relay-lease", daemon=True)

    def __enter__(self) -> LeaseRenewal:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._done.set()
        self._thread.join()

    def _run(self) -> None:
        last = time.monotonic()
        while self._ids and not self._done.wait(self._every):
            elapsed = time.monotonic() - last
            until = self.held_until + timedelta(seconds=elapsed)
            try:
                with self._db.transaction() as session:
                    self._ids = outbox.extend_lease(
                        session=session, ids=self._ids, held_until=self.held_until, until=until
                    )
            except SQLAlchemyError as error:
                # The next beat tries again; only a dead database lets the lease run out.
                log.warning("could not renew the outbox lease: %s", error)
                continue
            self.held_until, last = until, last + elapsed


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
