"""Thread replies that act on actions: done, blocked, due-date moves, notes, edits."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from bot.clock import FixedClock
from bot.services import replies
from bot.services.outbox import OutboxKind
from bot.services.threads import ReplyChange, ThreadReply
from bot.slack.directory import Directory
from bot.slack.relay import Relay
from storage.db import Database
from storage.models import Workspace
from tests.conftest import NOW, QUALITY_CHANNEL
from tests.database.helpers import make_workspace
from tests.database.test_triage import (
    TODAY,
    Clients,
    add_action,
    events,
    history,
    last,
    load_action,
    load_record,
    new_record,
    outbox,
    recorded,
)
from tests.fake_slack import FakeSlack

_ts = itertools.count(1)


@dataclass(frozen=True)
class Threads:
    """Where NC-0001 and its action A1 (owned by UBOB) live in Slack."""

    workspace_id: int
    record_id: int
    action_id: int
    card: tuple[str, str]  # the record's thread: (channel, ts)
    dm: tuple[str, str]  # the action's DM thread with its owner


@pytest.fixture
def relay(db: Database, fake_slack: FakeSlack, clock: FixedClock) -> Relay:
    return Relay(db=db, clients=Clients(fake_slack), directory=Directory(), clock=clock)


@pytest.fixture
def threads(db: Database, relay: Relay) -> Threads:
    workspace = make_workspace(db, NOW)
    record_id = new_record(db, workspace, owner="UCAROL")
    relay.deliver_due(NOW)
    action_id = add_action(db, record_id, owner="UBOB", due=date(2026, 12, 4))
    relay.deliver_due(NOW)
    record, action = load_record(db, record_id), load_action(db, action_id)
    assert record.card_channel and record.card_ts and action.dm_channel and action.dm_ts
    return Threads(
        workspace_id=workspace.id,
        record_id=record_id,
        action_id=action_id,
        card=(record.card_channel, record.card_ts),
        dm=(action.dm_channel, action.dm_ts),
    )


def reply(
    where: tuple[str, str],
    text: str,
    *,
    user: str = "UBOB",
    change: ReplyChange = ReplyChange.POSTED,
    previous: str | None = None,
) -> ThreadReply:
    channel, thread_ts = where
    return ThreadReply(
        change=change,
        channel=channel,
        thread_ts=thread_ts,
        ts=f"1800000{next(_ts):03d}.000100",
        user_id=user,
        text=text,
        previous_text=previous,
    )


def handle(db: Database, threads: Threads, message: ThreadReply) -> bool:
    with db.transaction() as session:
        return replies.handle_reply(
            session=session,
            workspace=session.get_one(Workspace, threads.workspace_id),
            reply=message,
            is_lead=lambda user_id: user_id == "ULEAD",
            today=TODAY,
            now=NOW,
        )


def said(db: Database) -> list[dict[str, Any]]:
    """Thread replies Keel queued: channel, thread_ts and text."""
    return [m.payload for m in outbox(db, OutboxKind.THREAD_REPLY)]


def reactions(db: Database) -> list[str]:
    return [m.payload["name"] for m in outbox(db, OutboxKind.REACTION)]


def test_done_from_the_owner_in_the_dm_thread_completes_the_action_and_confirms(
    db: Database, threads: Threads, relay: Relay, fake_slack: FakeSlack
) -> None:
    message = reply(threads.dm, "done - replaced the seal")

    assert handle(db, threads, message)
    relay.deliver_due(NOW)

    action = load_action(db, threads.action_id)
    assert (action.status, action.evidence) == ("done", "replaced the seal")
    done = last(db, threads.record_id, "action_done")
    assert (done.actor_id, done.source) == ("UBOB", "thread")
    (reaction,) = fake_slack.calls_to("reactions.add")
    assert reaction.args == {
        "channel": "DUBOB",
        "timestamp": message.ts,
        "name": "white_check_mark",
    }
    (confirmation,) = [
        c for c in fake_slack.posts_to("DUBOB") if c.args.get("thread_ts") == threads.dm[1]
    ]
    assert confirmation.args["text"] == "Marked NC-0001/A1 done."


def test_a_reply_naming_a2_in_the_record_thread_acts_on_a2(db: Database, threads: Threads) -> None:
    second = add_action(db, threads.record_id, owner="UBOB")

    handle(db, threads, reply(threads.card, "A2 done: new label templates printed"))

    assert load_action(db, second).status == "done"
    assert load_action(db, second).evidence == "new label templates printed"
    assert load_action(db, threads.action_id).status == "open"
    assert said(db)[-1] == {
        "channel": QUALITY_CHANNEL,
        "thread_ts": threads.card[1],
        "text": "Marked NC-0001/A2 done.",
    }


def test_done_in_the_record_thread_acts_on_the_repliers_only_open_action(
    db: Database, threads: Threads
) -> None:
    handle(db, threads, reply(threads.card, "done, seal replaced"))

    assert load_action(db, threads.action_id).status == "done"


def test_done_in_the_record_thread_from_the_owner_of_two_open_actions_asks_which(
    db: Database, threads: Threads
) -> None:
    add_action(db, threads.record_id, owner="UBOB")

    handle(db, threads, reply(threads.card, "done"))

    assert load_action(db, threads.action_id).status == "open"
    (question,) = said(db)
    assert "A1" in question["text"] and "A2" in question["text"]


def test_a_reply_from_someone_else_is_refused_politely_and_changes_nothing(
    db: Database, threads: Threads
) -> None:
    before = events(db, threads.record_id)

    handle(db, threads, reply(threads.card, "A1 done", user="UDAN"))

    assert load_action(db, threads.action_id).status == "open"
    assert "action_done" not in events(db, threads.record_id)
    assert events(db, threads.record_id) == before
    (refusal,) = said(db)
    assert refusal["thread_ts"] == threads.card[1]
    assert refusal["text"].startswith("I did not change NC-0001/A1: Only the action's owner")
    assert reactions(db) == []


def test_a_due_date_move_from_someone_else_is_refused_rather_than_asked_for_a_reason(
    db: Database, threads: Threads
) -> None:
    handle(db, threads, reply(threads.card, "A1 due 12 Dec", user="UDAN"))

    assert load_action(db, threads.action_id).due_date == date(2026, 12, 4)
    (answer,) = said(db)
    assert answer["text"].startswith("I did not change NC-0001/A1: Only the action's owner")


def test_a_lead_may_mark_someone_elses_action_done_from_the_thread(
    db: Database, threads: Threads
) -> None:
    handle(db, threads, reply(threads.card, "A1 done, checked on the line", user="ULEAD"))

    assert load_action(db, threads.action_id).status == "done"


def test_due_without_a_reason_asks_for_the_reason_and_changes_nothing(
    db: Database, threads: Threads
) -> None:
    handle(db, threads, reply(threads.dm, "due 12 Dec"))

    action = load_action(db, threads.action_id)
    assert (action.due_date, action.extension_count) == (date(2026, 12, 4), 0)
    (question,) = said(db)
    assert question["thread_ts"] == threads.dm[1]
    asked = "NC-0001/A1 is due Fri 4 Dec; you asked to move it to Sat 12 Dec, 8 days later."
    assert asked in question["text"]
    assert "because" in question["text"]
    assert "due_date_moved" not in events(db, threads.record_id)


def test_due_with_a_reason_moves_the_due_date(db: Database, threads: Threads) -> None:
    handle(db, threads, reply(threads.dm, "due 12 Dec because supplier late"))

    assert load_action(db, threads.action_id).due_date == date(2026, 12, 12)
    moved = last(db, threads.record_id, "due_date_moved")
    assert moved.source == "thread"
    recorded(
        moved,
        before={"due_date": "2026-12-04"},
        after={"due_date": "2026-12-12", "reason": "supplier late"},
    )
    assert said(db)[-1]["text"] == "NC-0001/A1 is now due Sat 12 Dec."
    assert reactions(db) == ["calendar"]


def test_a_due_date_in_the_past_is_refused(db: Database, threads: Threads) -> None:
    handle(db, threads, reply(threads.dm, "due 2026-11-01 because supplier late"))

    assert load_action(db, threads.action_id).due_date == date(2026, 12, 4)
    (refusal,) = said(db)
    assert refusal["text"].startswith("I did not change NC-0001/A1: Sun 1 Nov is in the past")


def test_blocked_with_a_reason_flags_the_action(db: Database, threads: Threads) -> None:
    handle(db, threads, reply(threads.dm, "blocked: waiting for the printer vendor"))

    action = load_action(db, threads.action_id)
    assert (action.status, action.blocked_reason) == ("open", "waiting for the printer vendor")
    assert reactions(db) == ["construction"]


def test_a_progress_note_is_kept_in_history_and_changes_nothing_else(
    db: Database, threads: Threads
) -> None:
    handle(db, threads, reply(threads.dm, "Ordered the new printer templates"))

    note = last(db, threads.record_id, "progress_note")
    assert (note.actor_id, note.source) == ("UBOB", "thread")
    recorded(note, after={"text": "Ordered the new printer templates"})
    action = load_action(db, threads.action_id)
    assert (action.status, action.due_date) == ("open", date(2026, 12, 4))
    assert reactions(db) == ["memo"] and said(db) == []


def test_a_done_that_reads_as_a_promise_is_not_taken_as_done(
    db: Database, threads: Threads
) -> None:
    handle(db, threads, reply(threads.dm, "done by friday"))

    assert load_action(db, threads.action_id).status == "open"
    assert "I can't tell if this is finished now" in said(db)[-1]["text"]


def test_an_edited_reply_in_the_dm_thread_is_recorded_not_acted_on(
    db: Database, threads: Threads
) -> None:
    edited = reply(
        threads.dm, "done - replaced the seal", change=ReplyChange.EDITED, previous="on it"
    )

    assert handle(db, threads, edited)

    assert load_action(db, threads.action_id).status == "open"
    note = last(db, threads.record_id, "progress_note")
    recorded(note, after={"text": "thread reply edited: on it -> done - replaced the seal"})


def test_edited_and_deleted_replies_in_the_record_thread_are_recorded(
    db: Database, threads: Threads
) -> None:
    edited = reply(
        threads.card, "Seal and gasket replaced", change=ReplyChange.EDITED, previous="Seal done"
    )
    deleted = reply(threads.card, "", change=ReplyChange.DELETED, previous="Seal and gasket")

    handle(db, threads, edited)
    handle(db, threads, deleted)

    entries = {e.event: e for e in history(db, threads.record_id)}
    recorded(
        entries["thread_reply_edited"],
        before={"text": "Seal done"},
        after={"text": "Seal and gasket replaced"},
    )
    recorded(entries["thread_reply_deleted"], before={"text": "Seal and gasket"})
    assert load_action(db, threads.action_id).status == "open"


def test_naming_an_action_the_record_does_not_have_says_so(db: Database, threads: Threads) -> None:
    handle(db, threads, reply(threads.card, "A9 done"))

    assert said(db)[-1]["text"] == "There is no action A9 on this record."
    assert load_action(db, threads.action_id).status == "open"


def test_a_reply_in_a_thread_that_is_not_keels_is_left_alone(
    db: Database, threads: Threads
) -> None:
    before = events(db, threads.record_id)

    assert not handle(db, threads, reply(("CGENERAL", "1700000009.000100"), "done"))

    assert events(db, threads.record_id) == before
    assert said(db) == [] and reactions(db) == []
