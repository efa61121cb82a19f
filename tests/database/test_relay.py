"""The outbox relay against the fake Slack: retries, Retry-After, permanent errors, leases."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.clock import FixedClock
from bot.services import outbox
from bot.services.outbox import OutboxKind, OutboxStatus
from bot.slack.client import make_client
from bot.slack.directory import Directory
from bot.slack.relay import CLAIM_BATCH, GIVE_UP_AFTER, LeaseRenewal, Relay
from storage.db import Database
from storage.models import OutboxMessage, Record
from tests.conftest import NOW, QUALITY_CHANNEL
from tests.database.helpers import make_workspace, raise_one
from tests.fake_slack import FakeSlack


class Clients:
    def __init__(self, fake: FakeSlack) -> None:
        self.client = make_client(token="xoxb-test-token", base_url=fake.api_url)

    def for_team(self, team_id: str):  # type: ignore[no-untyped-def]
        return self.client


@pytest.fixture
def relay(db: Database, fake_slack: FakeSlack, clock: FixedClock) -> Iterator[Relay]:
    yield Relay(db=db, clients=Clients(fake_slack), directory=Directory(), clock=clock)


def statuses(db: Database) -> dict[str, str]:
    with db.reading() as session:
        return {m.kind: m.status for m in session.scalars(select(OutboxMessage))}


def test_a_card_is_posted_then_the_reporter_told_with_a_link(
    db: Database, relay: Relay, fake_slack: FakeSlack
) -> None:
    workspace = make_workspace(db, NOW)
    raise_one(db, workspace, NOW)
    report = relay.deliver_due(NOW)
    assert report.sent == 2
    assert len(fake_slack.posts_to(QUALITY_CHANNEL)) == 1
    confirmation = fake_slack.posts_to("UALICE")[0]
    assert "keel-test.slack.com/archives/CQUALITY" in str(confirmation.args["blocks"])
    assert relay.deliver_due(NOW).sent == 0


def test_slack_500s_are_retried_with_backoff_until_it_recovers(
    db: Database, relay: Relay, fake_slack: FakeSlack
) -> None:
    workspace = make_workspace(db, NOW)
    raise_one(db, workspace, NOW)
    fake_slack.fail("chat.postMessage", status=500, times=-1)
    now = NOW
    for _ in range(60):  # a minute of outage, the relay looking every second
        relay.deliver_due(now)
        now += timedelta(seconds=1)
    with db.reading() as session:
        message = session.scalars(select(OutboxMessage)).one()
        assert message.status == OutboxStatus.PENDING and message.last_error == "http_500"
        assert message.attempts == 5  # at 0, 2, 6, 14 and 30 s: backoff spaced them out
    fake_slack.heal()
    relay.deliver_due(now + timedelta(minutes=2))
    assert len(fake_slack.posts_to(QUALITY_CHANNEL)) == 1


def test_retry_after_is_honoured_on_429(db: Database, relay: Relay, fake_slack: FakeSlack) -> None:
    workspace = make_workspace(db, NOW)
    raise_one(db, workspace, NOW)
    fake_slack.rate_limit("chat.postMessage", retry_after=30)
    assert relay.deliver_due(NOW).retried == 1
    assert relay.deliver_due(NOW + timedelta(seconds=29)).sent == 0
    assert relay.deliver_due(NOW + timedelta(seconds=30)).sent >= 1
    assert len(fake_slack.posts_to(QUALITY_CHANNEL)) == 1


def cards_in(fake: FakeSlack, channel: str) -> list[str]:
    """The ts of every top-level message the fake Slack holds in `channel`."""
    return sorted(ts for (where, ts), message in fake.messages.items() if where == channel)


def card_of(db: Database) -> tuple[str | None, str | None]:
    with db.reading() as session:
        record = session.scalars(select(Record)).one()
        return record.card_channel, record.card_ts


def test_a_card_slack_posted_but_whose_answer_was_lost_is_not_posted_twice(
    db: Database, relay: Relay, fake_slack: FakeSlack
) -> None:
    workspace = make_workspace(db, NOW)
    raise_one(db, workspace, NOW)
    fake_slack.lose_answer("chat.postMessage")  # posted, but a proxy answers 504

    assert relay.deliver_due(NOW).retried == 1
    relay.deliver_due(NOW + timedelta(seconds=3))

    (posted,) = cards_in(fake_slack, QUALITY_CHANNEL)
    assert card_of(db) == (QUALITY_CHANNEL, posted)  # the card found is the one edited later
    assert statuses(db)[OutboxKind.POST_RECORD_CARD] == OutboxStatus.SENT
    assert len(fake_slack.posts_to("UALICE")) == 1  # and the reporter is told once


def test_a_retry_that_finds_no_card_posts_it(
    db: Database, relay: Relay, fake_slack: FakeSlack
) -> None:
    workspace = make_workspace(db, NOW)
    raise_one(db, workspace, NOW)
    fake_slack.fail("chat.postMessage", status=503)  # refused before posting

    relay.deliver_due(NOW)
    relay.deliver_due(NOW + timedelta(seconds=3))

    assert len(fake_slack.calls_to("conversations.history")) == 1
    (posted,) = cards_in(fake_slack, QUALITY_CHANNEL)
    assert card_of(db) == (QUALITY_CHANNEL, posted)


def test_a_retry_posts_the_card_when_slack_cannot_show_the_channel_history(
    db: Database, relay: Relay, fake_slack: FakeSlack
) -> None:
    """A missing scope must cost a possible duplicate, never the card."""
    workspace = make_workspace(db, NOW)
    raise_one(db, workspace, NOW)
    fake_slack.fail("chat.postMessage", status=503)
    fake_slack.fail("conversations.history", status=200, error="missing_scope")

    relay.deliver_due(NOW)
    relay.deliver_due(NOW + timedelta(seconds=3))

    assert len(cards_in(fake_slack, QUALITY_CHANNEL)) == 1
    assert statuses(db)[OutboxKind.POST_RECORD_CARD] == OutboxStatus.SENT


def test_the_first_attempt_does_not_read_the_channel_history(
    db: Database, relay: Relay, fake_slack: FakeSlack
) -> None:
    workspace = make_workspace(db, NOW)
    raise_one(db, workspace, NOW)
    relay.deliver_due(NOW)
    assert fake_slack.calls_to("conversations.history", ok_only=False) == []
    metadata = fake_slack.posts_to(QUALITY_CHANNEL)[0].args["metadata"]
    assert "keel_record_card" in str(metadata)


def test_a_channel_keel_is_not_in_is_reported_to_leads_and_reporter_not_retried(
    db: Database, relay: Relay, fake_slack: FakeSlack
) -> None:
    fake_slack.add_channel(QUALITY_CHANNEL, member=False)
    workspace = make_workspace(db, NOW)
    raise_one(db, workspace, NOW)
    relay.deliver_due(NOW)
    relay.deliver_due(NOW + timedelta(minutes=5))
    assert statuses(db) == {
        OutboxKind.POST_RECORD_CARD: "failed",
        OutboxKind.CARD_UNDELIVERABLE: "sent",
    }
    for person in ("ULEAD", "UALICE"):
        (notice,) = fake_slack.posts_to(person)
        assert "NC-0001" in notice.args["text"] and "/invite" in str(notice.args["blocks"])
    attempts = fake_slack.calls_to("chat.postMessage", ok_only=False)
    assert sum(1 for c in attempts if c.args.get("channel") == QUALITY_CHANNEL) == 1


def test_transient_failures_give_up_after_two_days_and_tell_the_leads(
    db: Database, relay: Relay, fake_slack: FakeSlack
) -> None:
    workspace = make_workspace(db, NOW)
    raise_one(db, workspace, NOW)
    fake_slack.fail("chat.postMessage", status=503, times=1)
    relay.deliver_due(NOW + GIVE_UP_AFTER + timedelta(seconds=1))
    assert statuses(db)[OutboxKind.POST_RECORD_CARD] == "failed"
    relay.deliver_due(NOW + GIVE_UP_AFTER + timedelta(seconds=2))
    assert fake_slack.posts_to("ULEAD")


def test_two_relays_at_once_send_each_message_once(
    db: Database, fake_slack: FakeSlack, clock: FixedClock
) -> None:
    workspace = make_workspace(db, NOW)
    for _ in range(20):
        raise_one(db, workspace, NOW)
    relays = [
        Relay(db=db, clients=Clients(fake_slack), directory=Directory(), clock=clock)
        for _ in range(3)
    ]
    threads = [threading.Thread(target=r.deliver_due, args=(NOW,)) for r in relays]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for relay in relays:
        relay.deliver_due(NOW)
    assert len(fake_slack.posts_to(QUALITY_CHANNEL)) == 20
    assert len(fake_slack.posts_to("UALICE")) == 20
    with db.reading() as session:
        assert all(r.card_ts for r in session.scalars(select(Record)))


def test_a_card_update_edits_the_card_in_place(
    db: Database, relay: Relay, fake_slack: FakeSlack
) -> None:
    from bot.services.outbox import enqueue_card_update

    workspace = make_workspace(db, NOW)
    record = raise_one(db, workspace, NOW).record
    relay.deliver_due(NOW)
    with db.transaction() as session:
        enqueue_card_update(
            session=session, workspace_id=workspace.id, record_id=record.id, now=NOW
        )
        enqueue_card_update(
            session=session, workspace_id=workspace.id, record_id=record.id, now=NOW
        )
    relay.deliver_due(NOW)
    (update,) = fake_slack.calls_to("chat.update")
    assert update.args["channel"] == QUALITY_CHANNEL


def test_the_reporter_is_confirmed_even_when_slack_gives_no_permalink(
    db: Database, relay: Relay, fake_slack: FakeSlack
) -> None:
    fake_slack.fail("chat.getPermalink", status=200, error="unknown_method", times=-1)
    workspace = make_workspace(db, NOW)
    raise_one(db, workspace, NOW)
    relay.deliver_due(NOW)
    (confirmation,) = fake_slack.posts_to("UALICE")
    assert "NC-0001" in confirmation.args["text"]
    assert "<#CQUALITY>" in str(confirmation.args["blocks"])


def test_cards_claimed_by_a_sender_that_died_are_sent_by_another_within_seconds(
    db: Database, relay: Relay, fake_slack: FakeSlack
) -> None:
    workspace = make_workspace(db, NOW)
    raise_one(db, workspace, NOW)
    with db.transaction() as session:  # claimed, then the process is killed
        assert outbox.claim_due(session=session, now=NOW, limit=CLAIM_BATCH)
    assert relay.deliver_due(NOW + timedelta(seconds=1)).sent == 0  # still its lease
    assert relay.deliver_due(NOW + timedelta(seconds=11)).sent == 2  # card, confirmation
    assert len(fake_slack.posts_to(QUALITY_CHANNEL)) == 1


def test_a_live_sender_renews_the_lease_of_the_rows_it_has_yet_to_send(db: Database) -> None:
    workspace = make_workspace(db, NOW)
    raise_one(db, workspace, NOW)
    raise_one(db, workspace, NOW)
    with db.transaction() as session:
        first, second = outbox.claim_due(session=session, now=NOW, limit=CLAIM_BATCH)
    held_until = NOW + outbox.LEASE
    with LeaseRenewal(
        db, [first, second], held_until=held_until, every=timedelta(milliseconds=10)
    ) as lease:
        with db.transaction() as session:  # the first is sent; the second takes long
            outbox.mark_sent(message=session.get_one(OutboxMessage, first), now=NOW)
        for _ in range(500):
            if lease.held_until > held_until:
                break
            threading.Event().wait(0.01)
        assert lease.held_until > held_until
    with db.reading() as session:
        renewed = session.get_one(OutboxMessage, second).locked_until
        assert renewed is not None and renewed > held_until
        assert session.get_one(OutboxMessage, first).locked_until is None
    with db.transaction() as session:  # another sender, once the claim's lease is over
        assert outbox.claim_due(session=session, now=renewed, limit=CLAIM_BATCH) == []
