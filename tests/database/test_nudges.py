"""The nudge job against a real database and the fake Slack: one digest a day per person, in
their own morning, claimed in a ledger before it is sent; and the escalation ladder."""

from __future__ import annotations

import re
import shutil
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select, text

from bot.clock import FixedClock
from bot.domain.actions import ActionKind
from bot.domain.people import Profile
from bot.domain.schedule import Urgency
from bot.jobs.nudges import NudgeReport, run_nudges
from bot.queries import actions as action_queries
from bot.queries import ledger as ledger_rows
from bot.queries.digest_items import DigestLine
from bot.services import actions, people, triage
from bot.services.actions import NewAction
from bot.services.history import Source
from bot.services.permissions import Actor
from bot.slack.client import make_client
from bot.slack.directory import Directory
from bot.slack.relay import Relay
from bot.views.digest import digest_blocks
from storage.db import Database
from storage.models import Action, Base, DeliveryLedger, History, Record, Workspace
from tests.blocks import button_labels, mrkdwn_texts
from tests.conftest import NOW, QUALITY_CHANNEL, TEST_DATABASE_URL
from tests.database.helpers import make_workspace, raise_one
from tests.database.test_relay import Clients
from tests.fake_slack import Call, FakeSlack

BOB = "UBOB"  # owns the actions
CAROL = "UCAROL"  # owns the record
DAN = "UDAN"
LEAD = "ULEAD"  # the workspace's quality lead
LEAD_ACTOR = Actor(LEAD, is_lead=True)
MONDAY = NOW.date()  # 2026-11-23; NOW is 10:00 UTC, 11:00 in Berlin
DEFAULT_TZ = "Europe/Berlin"
REFERENCE = re.compile(r"NC-\d{4}/A\d+")


@pytest.fixture
def workspace(db: Database) -> Workspace:
    return make_workspace(db, NOW)


@pytest.fixture
def record_id(db: Database, workspace: Workspace) -> int:
    """NC-0001, owned by UCAROL."""
    return new_record(db, workspace)


def new_record(db: Database, workspace: Workspace, *, owner: str = CAROL) -> int:
    raised = raise_one(db, workspace, NOW)
    with db.transaction() as session:
        record = session.get_one(Record, raised.record.id)
        triage.assign_owner(
            session=session, record=record, owner_id=owner, actor=LEAD_ACTOR, now=NOW
        )
        return record.id


def add_action(
    db: Database,
    record_id: int,
    *,
    owner: str = BOB,
    due: date = MONDAY,
    kind: ActionKind = ActionKind.CORRECTION,
    check_date: date | None = None,
    criterion: str | None = None,
) -> int:
    """An action planned on the day it is due at the latest, so it may be overdue by now."""
    with db.transaction() as session:
        record = session.get_one(Record, record_id)
        action = actions.add(
            session=session,
            record=record,
            new=NewAction(
                kind=kind,
                description=f"Relabel the batches, for {owner}.",
                owner_id=owner,
                due_date=due,
                check_date=check_date,
                criterion=criterion,
            ),
            actor=LEAD_ACTOR,
            today=min(due, MONDAY),
            now=NOW,
        )
        return action.id


def complete(db: Database, action_id: int, *, by: str = BOB, now: datetime = NOW) -> None:
    with db.transaction() as session:
        action = session.get_one(Action, action_id)
        actions.complete(
            session=session,
            action=action,
            record=session.get_one(Record, action.record_id),
            evidence="Done, see batch record.",
            actor=Actor(by),
            source=Source.BUTTON,
            now=now,
        )


def reference_of(db: Database, action_id: int) -> str:
    with db.reading() as session:
        action = session.get_one(Action, action_id)
        return action_queries.reference(action, session.get_one(Record, action.record_id))


def nudge(db: Database, fake: FakeSlack, now: datetime = NOW) -> NudgeReport:
    return run_nudges(now, db, Clients(fake), DEFAULT_TZ)


def digests_to(fake: FakeSlack, user: str) -> list[Call]:
    return [c for c in fake.posts_to(user) if str(c.args.get("text", "")).startswith("Keel:")]


def attempts_to(fake: FakeSlack, user: str) -> list[Call]:
    """Every chat.postMessage to `user`, answered or not."""
    calls = fake.calls_to("chat.postMessage", ok_only=False)
    return [c for c in calls if c.args.get("channel") == user]


def references_in(call: Call) -> set[str]:
    return {ref for text in mrkdwn_texts(call.args["blocks"]) for ref in REFERENCE.findall(text)}


def ledger(db: Database) -> list[DeliveryLedger]:
    with db.reading() as session:
        return list(session.scalars(select(DeliveryLedger).order_by(DeliveryLedger.id)))


def ledger_of(db: Database, user: str) -> DeliveryLedger:
    (row,) = [row for row in ledger(db) if row.user_id == user]
    return row


def bobs_digest_row(
    db: Database, workspace: Workspace, *, status: str, claimed_at: datetime
) -> int:
    """A ledger row for BOB's digest today, as a run left it: `status`, no items noted."""
    with db.transaction() as session:
        row = DeliveryLedger(
            workspace_id=workspace.id,
            user_id=BOB,
            kind="digest",
            period=MONDAY.isoformat(),
            status=status,
            items=[],
            claimed_at=claimed_at,
        )
        session.add(row)
        session.flush()
        return row.id


def escalations(db: Database, action_id: int) -> list[str]:
    with db.reading() as session:
        return list(
            session.scalars(
                select(History.event)
                .where(
                    History.entity == "action",
                    History.entity_id == action_id,
                    History.event.like("escalated_%"),
                )
                .order_by(History.id)
            )
        )


def relay_at(db: Database, fake: FakeSlack, now: datetime) -> Relay:
    return Relay(db=db, clients=Clients(fake), directory=Directory(), clock=FixedClock(now))


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=NOW.tzinfo)


# -- one digest per person --------------------------------------------------------------------


def test_one_digest_lists_all_of_a_persons_due_items(
    db: Database, fake_slack: FakeSlack, record_id: int
) -> None:
    ids = [
        add_action(db, record_id, due=MONDAY - timedelta(days=2)),
        add_action(db, record_id, due=MONDAY),
        add_action(db, record_id, due=MONDAY + timedelta(days=3)),
    ]
    report = nudge(db, fake_slack)
    assert report.digests_sent == 1
    (digest,) = digests_to(fake_slack, BOB)
    assert references_in(digest) == {reference_of(db, i) for i in ids}
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
    assert sorted(ledger_of(db, BOB).items) == sorted(f"action:{i}" for i in ids)


def test_people_slack_does_not_list_are_looked_up_once_not_every_run(
    db: Database, fake_slack: FakeSlack, record_id: int
) -> None:
    """BOB and CAROL are not in users.list (another organisation, say): their digests use
    the workspace's time zone, and the next run does not fetch the directory again."""
    add_action(db, record_id, due=MONDAY - timedelta(days=8))  # read again: it escalates
    assert nudge(db, fake_slack).digests_sent == 3  # BOB; CAROL and the lead: it escalates
    nudge(db, fake_slack, NOW + timedelta(minutes=5))
    assert len(fake_slack.calls_to("users.list")) == 1


def test_nothing_is_sent_to_people_with_nothing_due_within_three_days(
    db: Database, fake_slack: FakeSlack, record_id: int
) -> None:
    add_action(db, record_id, owner=BOB, due=MONDAY + timedelta(days=4))
    fake_slack.add_user(DAN, tz=DEFAULT_TZ)  # in the workspace, with nothing at all
    report = nudge(db, fake_slack)
    assert report.digests_sent == 0
    assert fake_slack.calls_to("chat.postMessage", ok_only=False) == []
    assert ledger(db) == []


def test_a_berlin_owner_gets_the_digest_at_09_00_local_not_at_08_59(
    db: Database, fake_slack: FakeSlack, record_id: int
) -> None:
    fake_slack.add_user(BOB, tz="Europe/Berlin")
    add_action(db, record_id)
    nudge(db, fake_slack, at(MONDAY, 7, 59))  # 08:59 in Berlin
    assert digests_to(fake_slack, BOB) == []
    nudge(db, fake_slack, at(MONDAY, 8, 0))  # 09:00 in Berlin
    assert len(digests_to(fake_slack, BOB)) == 1


def test_a_new_york_owner_waits_for_09_00_in_new_york(
    db: Database, fake_slack: FakeSlack, record_id: int
) -> None:
    fake_slack.add_user(BOB, tz="Europe/Berlin")
    fake_slack.add_user(DAN, tz="America/New_York")
    add_action(db, record_id, owner=BOB)
    add_action(db, record_id, owner=DAN)
    nudge(db, fake_slack, at(MONDAY, 13, 59))  # 14:59 in Berlin, 08:59 in New York
    assert len(digests_to(fake_slack, BOB)) == 1
    assert digests_to(fake_slack, DAN) == []
    nudge(db, fake_slack, at(MONDAY, 14, 0))  # 09:00 in New York
    assert len(digests_to(fake_slack, DAN)) == 1
    assert len(digests_to(fake_slack, BOB)) == 1


def test_nothing_is_sent_at_the_weekend_and_it_all_comes_on_monday(
    db: Database, fake_slack: FakeSlack, record_id: int
) -> None:
    saturday = date(2026, 11, 28)
    action_id = add_action(db, record_id, due=saturday)
    for day in (saturday, saturday + timedelta(days=1)):
        for hour in (8, 10, 14):
            nudge(db, fake_slack, at(day, hour))
    assert fake_slack.calls_to("chat.postMessage", ok_only=False) == []
    nudge(db, fake_slack, at(date(2026, 11, 30), 8))
    (digest,) = digests_to(fake_slack, BOB)
    assert references_in(digest) == {reference_of(db, action_id)}


def test_nothing_is_sent_from_18_00_local_until_the_next_morning(
    db: Database, fake_slack: FakeSlack, record_id: int
) -> None:
    fake_slack.add_user(BOB, tz="Europe/Berlin")
    add_action(db, record_id, due=MONDAY + timedelta(days=1))
    for now in (at(MONDAY, 17, 0), at(MONDAY, 21, 30), at(MONDAY, 23, 59)):
        nudge(db, fake_slack, now)  # 18:00, 22:30 and 00:59 in Berlin
    assert digests_to(fake_slack, BOB) == []
    nudge(db, fake_slack, at(MONDAY + timedelta(days=1), 8, 0))
    assert len(digests_to(fake_slack, BOB)) == 1


def test_far_east_and_far_west_owners_get_their_own_mornings(
    db: Database, fake_slack: FakeSlack, record_id: int
) -> None:
    fake_slack.add_user(BOB, tz="Pacific/Kiritimati")  # UTC+14
    fake_slack.add_user(DAN, tz="Pacific/Pago_Pago")  # UTC-11
    thursday = MONDAY + timedelta(days=3)
    add_action(db, record_id, owner=BOB, due=thursday)
    add_action(db, record_id, owner=DAN, due=thursday)
    sunday = MONDAY - timedelta(days=1)
    nudge(db, fake_slack, at(sunday, 19))  # Monday 09:00 for Bob, Sunday 08:00 for Dan
    assert len(digests_to(fake_slack, BOB)) == 1
    assert digests_to(fake_slack, DAN) == []
    nudge(db, fake_slack, at(MONDAY, 19, 59))  # Monday 08:59 for Dan, Tuesday 09:59 for Bob
    assert digests_to(fake_slack, DAN) == []
    nudge(db, fake_slack, at(MONDAY, 20))  # Monday 09:00 for Dan
    assert len(digests_to(fake_slack, DAN)) == 1
    assert len(digests_to(fake_slack, BOB)) == 2  # Monday's, and Tuesday's at 10:00 there


def test_a_kiritimati_owner_hears_of_next_months_items_on_their_own_month_end(
    db: Database, fake_slack: FakeSlack, record_id: int
) -> None:
    fake_slack.add_user(BOB, tz="Pacific/Kiritimati")
    action_id = add_action(db, record_id, due=date(2026, 12, 3))
    nudge(db, fake_slack, at(date(2026, 11, 29), 19))  # Monday 30 November, 09:00 there
    (digest,) = digests_to(fake_slack, BOB)
    assert references_in(digest) == {reference_of(db, action_id)}
    assert ledger_of(db, BOB).period == "2026-11-30"


def test_after_the_spring_clock_change_berlin_still_hears_at_09_00(
    db: Database, fake_slack: FakeSlack, record_id: int
) -> None:
    fake_slack.add_user(BOB, tz="Europe/Berlin")
    monday_after = date(2026, 3, 30)  # clocks went forward on Sunday 29 March
    add_action(db, record_id, due=monday_after)
    nudge(db, fake_slack, at(monday_after, 6, 59))  # 08:59 CEST
    assert digests_to(fake_slack, BOB) == []
    nudge(db, fake_slack, at(monday_after, 7, 0))  # 09:00 CEST
    assert len(digests_to(fake_slack, BOB)) == 1


def test_a_workspace_setting_moves_the_nudge_hour(
    db: Database, fake_slack: FakeSlack, workspace: Workspace, record_id: int
) -> None:
    with db.transaction() as session:
        session.get_one(Workspace, workspace.id).nudge_hour = 11
    add_action(db, record_id)
    nudge(db, fake_slack, at(MONDAY, 9, 59))  # 10:59 in Berlin
    assert digests_to(fake_slack, BOB) == []
    nudge(db, fake_slack, at(MONDAY, 10, 0))
    assert len(digests_to(fake_slack, BOB)) == 1


# -- exactly once -----------------------------------------------------------------------------


def test_a_rerun_at_the_same_now_sends_nothing(
    db: Database, fake_slack: FakeSlack, record_id: int
) -> None:
    add_action(db, record_id)
    assert nudge(db, fake_slack).digests_sent == 1
    assert nudge(db, fake_slack).digests_sent == 0
    assert nudge(db, fake_slack, NOW + timedelta(hours=5)).digests_sent == 0
    assert len(fake_slack.calls_to("chat.postMessage", ok_only=False)) == 1


def test_two_clocks_at_once_send_one_digest_per_person(
    database_url: str, db: Database, fake_slack: FakeSlack, record_id: int
) -> None:
    owners = [f"UOWNER{n}" for n in range(6)]
    for owner in owners:
        add_action(db, record_id, owner=owner)
        add_action(db, record_id, owner=owner, due=MONDAY + timedelta(days=1))
    clocks = [Database.from_url(database_url) for _ in range(2)]  # two processes' engines
    start = threading.Barrier(len(clocks))

    def clock(database: Database) -> NudgeReport:
        start.wait()
        return nudge(database, fake_slack)

    with ThreadPoolExecutor(len(clocks)) as pool:
        runs = [pool.submit(clock, database) for database in clocks]
        reports = [run.result() for run in runs]  # re-raises what a clock raised
    for database in clocks:
        database.dispose()
    assert sum(report.digests_sent for report in reports) == len(owners)
    for owner in owners:
        assert len(attempts_to(fake_slack, owner)) == 1
    assert {row.status for row in ledger(db)} == {"sent"}


def test_a_claim_left_by_a_killed_run_is_looked_for_and_sent_once_it_is_stale(
    db: Database, fake_slack: FakeSlack, workspace: Workspace, record_id: int
) -> None:
    add_action(db, record_id)
    # A clock killed between its claim and its send.
    bobs_digest_row(db, workspace, status="claimed", claimed_at=NOW - timedelta(minutes=5))
    for now in (NOW, NOW + timedelta(minutes=50)):  # it may still be sending: left alone
        nudge(db, fake_slack, now)
    assert attempts_to(fake_slack, BOB) == []
    assert ledger_of(db, BOB).status == "claimed"
    report = nudge(db, fake_slack, NOW + timedelta(minutes=60))
    assert (report.digests_settled, report.digests_sent) == (1, 1)
    assert len(digests_to(fake_slack, BOB)) == 1
    assert ledger_of(db, BOB).status == "sent"
    nudge(db, fake_slack, NOW + timedelta(hours=4))
    assert len(attempts_to(fake_slack, BOB)) == 1


def test_a_rate_limited_digest_is_failed_and_sent_by_a_later_run(
    db: Database, fake_slack: FakeSlack, record_id: int
) -> None:
    add_action(db, record_id)
    fake_slack.rate_limit("chat.postMessage", retry_after=600)  # beyond what a run waits
    report = nudge(db, fake_slack)
    assert (report.digests_sent, report.digests_failed) == (0, 1)
    assert ledger_of(db, BOB).status == "failed"
    assert nudge(db, fake_slack, NOW + timedelta(minutes=5)).digests_sent == 1
    assert len(digests_to(fake_slack, BOB)) == 1
    assert ledger_of(db, BOB).status == "sent"
    assert nudge(db, fake_slack, NOW + timedelta(minutes=10)).digests_sent == 0


def test_a_short_rate_limit_is_waited_out_within_the_run(
    db: Database, fake_slack: FakeSlack, record_id: int
) -> None:
    add_action(db, record_id)
    fake_slack.rate_limit("chat.postMessage", retry_after=1)
    report = nudge(db, fake_slack)
    assert (report.digests_sent, report.digests_failed) == (1, 0)
    assert len(attempts_to(fake_slack, BOB)) == 2
    assert ledger_of(db, BOB).status == "sent"


def test_a_digest_slack_refuses_for_good_is_undeliverable_and_the_leads_are_told(
    db: Database, fake_slack: FakeSlack, record_id: int
) -> None:
    add_action(db, record_id)
    fake_slack.fail("chat.postMessage", status=200, error="account_inactive")
    report = nudge(db, fake_slack)
    assert (report.digests_sent, report.digests_failed) == (0, 1)
    row = ledger_of(db, BOB)
    assert (row.status, row.error) == ("undeliverable", "account_inactive")
    relay_at(db, fake_slack, NOW).deliver_due(NOW)
    (notice,) = fake_slack.posts_to(LEAD)
    assert f"<@{BOB}>" in notice.args["text"] and "account_inactive" in notice.args["text"]
    assert nudge(db, fake_slack, NOW + timedelta(minutes=5)).digests_sent == 0


def test_a_stale_claim_found_in_the_dm_takes_its_items_from_the_message(
    db: Database, fake_slack: FakeSlack, workspace: Workspace, record_id: int
) -> None:
    """The run posted the digest and stopped before noting it: the message names its items,
    so the digest is still edited in place when they are done."""
    action_id = add_action(db, record_id)
    ledger_id = bobs_digest_row(
        db, workspace, status="claimed", claimed_at=NOW - timedelta(hours=2)
    )
    line = DigestLine(
        key=f"action:{action_id}",
        kind="action",
        action_id=action_id,
        reference="NC-0001/A1",
        description="Relabel.",
        due=MONDAY,
        urgency=Urgency.DUE_TODAY,
    )
    posted = Clients(fake_slack).client.chat_postMessage(
        channel=BOB,
        text="Keel: 1 thing needs you today.",
        blocks=digest_blocks([line], MONDAY),
        metadata={"event_type": "keel_digest", "event_payload": {"ledger_id": ledger_id}},
    )
    report = nudge(db, fake_slack)
    assert (report.digests_settled, report.digests_sent) == (1, 0)
    row = ledger_of(db, BOB)
    assert (row.status, row.ts, row.items) == ("sent", posted["ts"], [f"action:{action_id}"])


def test_of_two_runs_settling_one_digest_only_one_takes_it(
    db: Database, workspace: Workspace
) -> None:
    ledger_id = bobs_digest_row(db, workspace, status="unknown", claimed_at=NOW)
    later = NOW + timedelta(minutes=5)
    with db.transaction() as session:
        first = ledger_rows.take(session, ledger_id, status="unknown", claimed_at=NOW, now=later)
    with db.transaction() as session:
        second = ledger_rows.take(session, ledger_id, status="unknown", claimed_at=NOW, now=later)
    assert (first, second) == (True, False)
    with db.transaction() as session:  # a third run's outcome, for a take that is not its own
        ledger_rows.settle(
            session,
            ledger_rows.Outcome(ledger_id, "failed", [], error="not_in_dm"),
            taken_at=NOW,
            now=later,
        )
    assert (ledger_of(db, BOB).status, ledger_of(db, BOB).claimed_at) == ("claimed", later)


def test_a_200_that_is_not_slacks_json_is_looked_for_and_sent_when_missing(
    db: Database, fake_slack: FakeSlack, record_id: int
) -> None:
    """A proxy answered for Slack: the DM may exist. The next run looks in BOB's DM, does
    not find it (Slack never saw the call), and sends it."""
    add_action(db, record_id)
    fake_slack.garble("chat.postMessage")
    report = nudge(db, fake_slack)
    assert report.digests_unknown == 1
    assert (ledger_of(db, BOB).status, ledger_of(db, BOB).error) == ("unknown", "unreadable_answer")
    again = nudge(db, fake_slack, NOW + timedelta(minutes=5))
    assert (again.digests_settled, again.digests_sent) == (1, 1)
    assert len(in_dm(fake_slack, BOB)) == 1
    assert nudge(db, fake_slack, NOW + timedelta(minutes=10)).digests_sent == 0


def test_a_digest_slack_posted_but_whose_answer_was_lost_is_found_not_sent_again(
    db: Database, fake_slack: FakeSlack, record_id: int
) -> None:
    action_id = add_action(db, record_id)
    fake_slack.lose_answer("chat.postMessage")
    assert nudge(db, fake_slack).digests_unknown == 1
    report = nudge(db, fake_slack, NOW + timedelta(minutes=5))
    assert (report.digests_settled, report.digests_sent) == (1, 0)
    (posted,) = [key for key, message in fake_slack.messages.items() if key[0] == "D" + BOB]
    row = ledger_of(db, BOB)
    assert (row.status, row.channel, row.ts) == ("sent", posted[0], posted[1])
    assert row.items == [f"action:{action_id}"]  # kept: the digest is edited in place later
    assert len(attempts_to(fake_slack, BOB)) == 1


def test_a_digest_is_left_unknown_while_slack_cannot_say(
    db: Database, fake_slack: FakeSlack, record_id: int
) -> None:
    add_action(db, record_id)
    fake_slack.fail("chat.postMessage", status=500)
    nudge(db, fake_slack)
    fake_slack.fail("conversations.history", status=500)
    assert nudge(db, fake_slack, NOW + timedelta(minutes=5)).digests_settled == 0
    assert ledger_of(db, BOB).status == "unknown"
    assert nudge(db, fake_slack, NOW + timedelta(minutes=10)).digests_sent == 1


def in_dm(fake: FakeSlack, user: str) -> list[tuple[str, str]]:
    """(channel, ts) of the messages the fake Slack holds in `user`'s DM."""
    return [key for key in dict(fake.messages) if key[0] == "D" + user]


def closed_port_url() -> str:
    """A loopback address nothing listens on: every connection is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/"


class RefusedClients:
    def __init__(self) -> None:
        self.client = make_client(token="xoxb-test-token", base_url=closed_port_url())

    def for_team(self, team_id: str):  # type: ignore[no-untyped-def]
        return self.client


class PerTeamClients:
    def __init__(self, clients: dict[str, Any]) -> None:
        self.clients = clients

    def for_team(self, team_id: str):  # type: ignore[no-untyped-def]
        return self.clients[team_id]


def test_a_refused_connection_leaves_the_digest_failed_for_a_later_run(
    db: Database, fake_slack: FakeSlack, workspace: Workspace, record_id: int
) -> None:
    add_action(db, record_id)
    with db.transaction() as session:  # profiles fresh: the run goes straight to sending
        people.store(
            session=session,
            workspace_id=workspace.id,
            members=[
                Profile(user_id=user, tz=DEFAULT_TZ, is_bot=False, deleted=False, is_admin=False)
                for user in (BOB, CAROL)
            ],
            now=NOW,
        )
    report = run_nudges(NOW, db, RefusedClients(), DEFAULT_TZ)
    assert (report.digests_sent, report.digests_failed) == (0, 1)
    assert ledger_of(db, BOB).status == "failed"
    nudge(db, fake_slack, NOW + timedelta(minutes=5))
    assert len(digests_to(fake_slack, BOB)) == 1
    assert ledger_of(db, BOB).status == "sent"


def test_one_workspace_slack_cannot_reach_does_not_stop_the_others(
    db: Database, fake_slack: FakeSlack, record_id: int
) -> None:
    other = make_workspace(db, NOW, team_id="T0OTHER")
    add_action(db, record_id, owner=BOB)  # in T0KEEL, whose Slack refuses connections
    add_action(db, new_record(db, other), owner=DAN)
    refused, reachable = RefusedClients().client, Clients(fake_slack).client
    clients = PerTeamClients({"T0KEEL": refused, "T0OTHER": reachable})
    report = run_nudges(NOW, db, clients, DEFAULT_TZ)
    assert report.workspaces == 2
    assert len(digests_to(fake_slack, DAN)) == 1


def test_a_500_is_settled_by_the_next_run_and_the_digest_sent_once(
    db: Database, fake_slack: FakeSlack, record_id: int
) -> None:
    add_action(db, record_id)
    fake_slack.fail("chat.postMessage", status=500)
    report = nudge(db, fake_slack)
    assert (report.digests_sent, report.digests_unknown) == (0, 1)
    assert ledger_of(db, BOB).status == "unknown"
    for now in (NOW + timedelta(minutes=5), NOW + timedelta(hours=6)):
        nudge(db, fake_slack, now)
    assert len(attempts_to(fake_slack, BOB)) == 2
    assert len(digests_to(fake_slack, BOB)) == 1
    assert ledger_of(db, BOB).status == "sent"


# -- who is never nudged ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "profile", [{"deleted": True}, {"is_bot": True}], ids=["deactivated", "bot"]
)
def test_an_unreachable_owner_gets_nothing_and_their_item_escalates_at_once(
    db: Database, fake_slack: FakeSlack, record_id: int, profile: dict[str, Any]
) -> None:
    fake_slack.add_user(BOB, **profile)
    action_id = add_action(db, record_id, due=MONDAY + timedelta(days=2))
    nudge(db, fake_slack)
    nudge(db, fake_slack, NOW + timedelta(hours=1))
    assert attempts_to(fake_slack, BOB) == []
    for person in (CAROL, LEAD):
        (digest,) = digests_to(fake_slack, person)
        assert references_in(digest) == {reference_of(db, action_id)}
        assert any("Escalated" in text for text in mrkdwn_texts(digest.args["blocks"]))
    assert escalations(db, action_id) == ["escalated_to_owners"]


def test_a_deactivated_record_owners_effectiveness_check_goes_to_the_leads(
    db: Database, fake_slack: FakeSlack, record_id: int
) -> None:
    fake_slack.add_user(CAROL, deleted=True)
    action_id = add_action(
        db,
        record_id,
        kind=ActionKind.CORRECTIVE,
        due=MONDAY - timedelta(days=1),
        check_date=MONDAY + timedelta(days=1),
    )
    complete(db, action_id)
    nudge(db, fake_slack)
    assert attempts_to(fake_slack, CAROL) == []
    (digest,) = digests_to(fake_slack, LEAD)
    assert references_in(digest) == {reference_of(db, action_id)}


# -- the escalation ladder --------------------------------------------------------------------


def test_six_days_overdue_stays_with_its_owner(
    db: Database, fake_slack: FakeSlack, record_id: int
) -> None:
    action_id = add_action(db, record_id, due=MONDAY - timedelta(days=6))
    nudge(db, fake_slack)
    assert len(digests_to(fake_slack, BOB)) == 1
    assert digests_to(fake_slack, CAROL) == digests_to(fake_slack, LEAD) == []
    assert escalations(db, action_id) == []


def test_seven_days_overdue_reaches_the_record_owner_and_leads_once_in_history(
    db: Database, fake_slack: FakeSlack, record_id: int
) -> None:
    action_id = add_action(db, record_id, due=MONDAY - timedelta(days=7))
    reference = reference_of(db, action_id)
    runs = [NOW, NOW, NOW + timedelta(hours=2), NOW + timedelta(days=1), NOW + timedelta(days=2)]
    for now in runs:
        nudge(db, fake_slack, now)
    for person in (BOB, CAROL, LEAD):
        digests = digests_to(fake_slack, person)
        assert len(digests) == 3  # Monday, Tuesday and Wednesday
        assert all(references_in(digest) == {reference} for digest in digests)
    assert escalations(db, action_id) == ["escalated_to_owners"]


def test_fourteen_days_overdue_is_posted_to_the_quality_channel_once(
    db: Database, fake_slack: FakeSlack, record_id: int
) -> None:
    action_id = add_action(db, record_id, due=MONDAY - timedelta(days=14))
    runs = [NOW, NOW, NOW + timedelta(minutes=5), NOW + timedelta(days=1), NOW + timedelta(days=4)]
    for now in runs:
        nudge(db, fake_slack, now)
        relay_at(db, fake_slack, now).deliver_due(now)
    posts = [
        c for c in fake_slack.posts_to(QUALITY_CHANNEL) if "overdue" in str(c.args.get("text"))
    ]
    assert len(posts) == 1
    assert reference_of(db, action_id) in posts[0].args["text"]
    assert f"<@{BOB}>" in posts[0].args["text"]
    assert sorted(escalations(db, action_id)) == ["escalated_to_channel", "escalated_to_owners"]


def test_escalation_steps_wait_for_the_workspaces_working_hours(
    db: Database, fake_slack: FakeSlack, record_id: int
) -> None:
    """An item that turns 14 days overdue at midnight is not posted to the channel then, nor
    on Saturday: it is posted when the workspace's (Berlin's) working day begins."""
    saturday = MONDAY - timedelta(days=2)
    action_id = add_action(db, record_id, due=saturday - timedelta(days=14))
    for now in (at(saturday, 0, 5), at(saturday, 10), at(MONDAY, 2), at(MONDAY, 7, 55)):
        nudge(db, fake_slack, now)  # 01:05 Sat, 11:00 Sat, 03:00 Mon, 08:55 Mon in Berlin
        relay_at(db, fake_slack, now).deliver_due(now)
        assert escalations(db, action_id) == []

    nudge(db, fake_slack, at(MONDAY, 8, 0))  # 09:00 in Berlin
    relay_at(db, fake_slack, at(MONDAY, 8, 0)).deliver_due(at(MONDAY, 8, 0))

    assert sorted(escalations(db, action_id)) == ["escalated_to_channel", "escalated_to_owners"]
    posts = [
        c for c in fake_slack.posts_to(QUALITY_CHANNEL) if "overdue" in str(c.args.get("text"))
    ]
    assert len(posts) == 1


def test_a_workspace_without_working_days_still_escalates(
    db: Database, fake_slack: FakeSlack, workspace: Workspace, record_id: int
) -> None:
    with db.transaction() as session:
        session.get_one(Workspace, workspace.id).working_days = []
    action_id = add_action(db, record_id, due=MONDAY - timedelta(days=14))

    nudge(db, fake_slack, at(MONDAY, 1))

    assert sorted(escalations(db, action_id)) == ["escalated_to_channel", "escalated_to_owners"]


# -- snoozing, editing in place, effectiveness checks -----------------------------------------


def test_a_snoozed_action_is_left_out_until_its_date(
    db: Database, fake_slack: FakeSlack, record_id: int
) -> None:
    action_id = add_action(db, record_id, due=MONDAY + timedelta(days=1))
    thursday = MONDAY + timedelta(days=3)
    with db.transaction() as session:
        action = session.get_one(Action, action_id)
        actions.snooze(
            session=session,
            action=action,
            record=session.get_one(Record, action.record_id),
            until=thursday,
            actor=Actor(BOB),
            today=MONDAY,
            now=NOW,
        )
    for day in (MONDAY, MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)):
        nudge(db, fake_slack, at(day, 9))
    assert digests_to(fake_slack, BOB) == []
    nudge(db, fake_slack, at(thursday, 9))
    (digest,) = digests_to(fake_slack, BOB)
    assert references_in(digest) == {reference_of(db, action_id)}


def test_marking_an_action_done_edits_the_days_digest_in_place(
    db: Database, fake_slack: FakeSlack, record_id: int
) -> None:
    relay_at(db, fake_slack, NOW).deliver_due(NOW)  # the card and the actions' own messages
    first = add_action(db, record_id)
    second = add_action(db, record_id, due=MONDAY + timedelta(days=1))
    relay_at(db, fake_slack, NOW).deliver_due(NOW)
    nudge(db, fake_slack)
    sent = ledger_of(db, BOB)
    assert sent.channel and sent.ts

    later = NOW + timedelta(minutes=20)
    complete(db, first, now=later)
    assert [c for c in fake_slack.calls_to("chat.update") if c.args["ts"] == sent.ts] == []
    relay_at(db, fake_slack, later).deliver_due(later)

    (edit,) = [c for c in fake_slack.calls_to("chat.update") if c.args["ts"] == sent.ts]
    assert edit.args["channel"] == sent.channel
    texts = mrkdwn_texts(edit.args["blocks"])
    done = [t for t in texts if reference_of(db, first) in t]
    assert len(done) == 1 and ":white_check_mark:" in done[0]
    assert button_labels(edit.args["blocks"]) == ["Mark done", "Extend due date"]
    assert any(reference_of(db, second) in t for t in texts)
    assert fake_slack.messages[(sent.channel, sent.ts)]["blocks"] == edit.args["blocks"]
    assert len(digests_to(fake_slack, BOB)) == 1


def test_an_edit_in_place_leaves_the_other_items_as_they_were_sent(
    db: Database, fake_slack: FakeSlack, record_id: int
) -> None:
    checked = add_action(
        db,
        record_id,
        owner=BOB,
        kind=ActionKind.CORRECTIVE,
        due=MONDAY - timedelta(days=2),
        check_date=MONDAY,
        criterion="No mislabelled batch for three months.",
    )
    complete(db, checked)
    mine = add_action(db, record_id, owner=CAROL)
    relay_at(db, fake_slack, NOW).deliver_due(NOW)
    nudge(db, fake_slack)
    (digest,) = digests_to(fake_slack, CAROL)
    sent = ledger_of(db, CAROL)

    def check_text(blocks: list[dict[str, Any]]) -> str:
        (line,) = [t for t in mrkdwn_texts(blocks) if reference_of(db, checked) in t]
        return line

    later = NOW + timedelta(minutes=20)
    complete(db, mine, by=CAROL, now=later)
    relay_at(db, fake_slack, later).deliver_due(later)
    (edit,) = [c for c in fake_slack.calls_to("chat.update") if c.args["ts"] == sent.ts]
    assert check_text(edit.args["blocks"]) == check_text(digest.args["blocks"])


def test_an_effectiveness_check_goes_to_the_record_owner_not_the_action_owner(
    db: Database, fake_slack: FakeSlack, record_id: int
) -> None:
    action_id = add_action(
        db,
        record_id,
        kind=ActionKind.CORRECTIVE,
        due=MONDAY - timedelta(days=3),
        check_date=MONDAY + timedelta(days=2),
    )
    complete(db, action_id)
    nudge(db, fake_slack)
    assert attempts_to(fake_slack, BOB) == []
    (digest,) = digests_to(fake_slack, CAROL)
    assert references_in(digest) == {reference_of(db, action_id)}
    assert button_labels(digest.args["blocks"]) == ["Verify effectiveness"]


def test_a_check_of_the_record_owners_own_action_goes_to_the_leads(
    db: Database, fake_slack: FakeSlack, record_id: int
) -> None:
    action_id = add_action(
        db,
        record_id,
        owner=CAROL,
        kind=ActionKind.CORRECTIVE,
        due=MONDAY - timedelta(days=3),
        check_date=MONDAY,
    )
    complete(db, action_id, by=CAROL)
    nudge(db, fake_slack)
    assert attempts_to(fake_slack, CAROL) == []
    (digest,) = digests_to(fake_slack, LEAD)
    assert button_labels(digest.args["blocks"]) == ["Verify effectiveness"]


# -- cost -------------------------------------------------------------------------------------


def empty_database(template: str, tmp_path: Path, name: str) -> Database:
    """A migrated database with no rows: a copied SQLite file, or PostgreSQL truncated."""
    if TEST_DATABASE_URL:
        database = Database.from_url(TEST_DATABASE_URL)
        tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
        with database.engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        return database
    path = tmp_path / name
    shutil.copyfile(template, path)
    return Database.from_url(f"sqlite:///{path}")


def statements_for_a_run(
    database: Database, fake: FakeSlack, *, per_owner: int, overdue_days: int
) -> int:
    """SQL statements one run issues for 2 workspaces x 3 owners x `per_owner` actions,
    every other one overdue by `overdue_days`."""
    for team in ("T1", "T2"):
        workspace = make_workspace(database, NOW, team_id=team)
        record_id = new_record(database, workspace)
        for n in range(3):
            for k in range(per_owner):
                due = MONDAY - timedelta(days=overdue_days if k % 2 else 0)
                add_action(database, record_id, owner=f"U{n}", due=due)
    count = [0]

    def counted(*_args: Any) -> None:
        count[0] += 1

    event.listen(database.engine, "before_cursor_execute", counted)
    try:
        report = nudge(database, fake)
    finally:
        event.remove(database.engine, "before_cursor_execute", counted)
    assert report.digests_sent > 0
    return count[0]


def statements_for_2_and_20_actions_each(
    template: str, tmp_path: Path, fake: FakeSlack, *, overdue_days: int
) -> list[int]:
    counts = []
    for per_owner in (2, 20):
        database = empty_database(template, tmp_path, f"keel-{per_owner}.db")
        try:
            counts.append(
                statements_for_a_run(database, fake, per_owner=per_owner, overdue_days=overdue_days)
            )
        finally:
            database.dispose()
    return counts


def test_statements_per_run_grow_with_workspaces_not_actions(
    migrated_template: str, tmp_path: Path, fake_slack: FakeSlack
) -> None:
    small, large = statements_for_2_and_20_actions_each(
        migrated_template, tmp_path, fake_slack, overdue_days=2
    )
    assert small == large


def test_statements_per_run_do_not_grow_with_escalating_actions(
    migrated_template: str, tmp_path: Path, fake_slack: FakeSlack
) -> None:
    small, large = statements_for_2_and_20_actions_each(
        migrated_template, tmp_path, fake_slack, overdue_days=14
    )
    assert small == large
