"""The clock from the outside: `python -m bot run-job nudges` as a process against the fake
Slack, and the digest's "Snooze until…" picker clicked through the signed HTTP path."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.clock import FixedClock
from bot.domain.actions import ActionKind
from bot.domain.objectives import Direction, Frequency
from bot.jobs.nudges import run_nudges
from bot.services import actions, objectives, triage
from bot.services.actions import NewAction
from bot.services.objectives import NewObjective
from bot.services.permissions import Actor
from bot.slack.directory import Directory
from bot.slack.relay import Relay
from storage.db import Database, make_engine
from storage.migrate import upgrade
from storage.models import Action, DeliveryLedger, History, Record
from tests.conftest import NOW, RunningKeel
from tests.database.helpers import make_workspace, raise_one
from tests.database.test_relay import Clients
from tests.fake_slack import Call, FakeSlack
from tests.pure.blockkit import walk
from tests.slack_requests import block_action

REPO = Path(__file__).resolve().parents[2]
BOB = "UBOB"  # owns the action
CAROL = "UCAROL"  # owns the record
DAN = "UDAN"  # neither
MONDAY = NOW.date()
SNOOZE_UNTIL = date(2026, 11, 26)


def seed_a_due_action(db: Database) -> int:
    """NC-0001 owned by UCAROL, with an action for UBOB due today; returns the action's id."""
    workspace = make_workspace(db, NOW)
    raised = raise_one(db, workspace, NOW)
    lead = Actor("ULEAD", is_lead=True)
    with db.transaction() as session:
        record = session.get_one(Record, raised.record.id)
        triage.assign_owner(session=session, record=record, owner_id=CAROL, actor=lead, now=NOW)
        action = actions.add(
            session=session,
            record=record,
            new=NewAction(
                kind=ActionKind.CORRECTION,
                description="Relabel batch 2231.",
                owner_id=BOB,
                due_date=MONDAY,
            ),
            actor=lead,
            today=MONDAY,
            now=NOW,
        )
        return action.id


def digests_to(fake: FakeSlack, user: str) -> list[Call]:
    return [c for c in fake.posts_to(user) if str(c.args.get("text", "")).startswith("Keel:")]


def run_cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and module, fixed arguments
        [sys.executable, "-m", "bot", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without any Keel or Slack settings of the machine, plus `extra`."""
    kept = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("SLACK_", "KEEL_", "DATABASE_", "TEST_DATABASE_"))
    }
    return {**kept, "PYTHONPATH": str(REPO), **extra}


# -- run-job ----------------------------------------------------------------------------------


def test_run_job_list_names_the_nudges_job(tmp_path: Path) -> None:
    result = run_cli("run-job", "--list", env=clean_env(), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert {"nudges", "objectives-digest"} <= set(result.stdout.split())


def test_run_job_objectives_digest_posts_to_the_quality_channel_once(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    """`python -m bot run-job objectives-digest` on Monday at 09:30 in Berlin, twice."""
    url = f"sqlite:///{tmp_path / 'keel.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    db = Database.from_url(url)
    workspace = make_workspace(db, NOW)
    with db.transaction() as session:
        objectives.create(
            session=session,
            workspace_id=workspace.id,
            new=NewObjective(
                title="On-time delivery",
                owner_id=BOB,
                unit="%",
                target=95.0,
                direction=Direction.AT_LEAST,
                frequency=Frequency.MONTHLY,
                start_date=date(2026, 9, 1),
            ),
            actor=Actor("ULEAD", is_lead=True),
            now=NOW,
        )
    db.dispose()
    env = clean_env(
        SLACK_BOT_TOKEN="xoxb-test-token",
        SLACK_API_URL=fake_slack.api_url,
        DATABASE_URL=url,
        KEEL_TIMEZONE="Europe/Berlin",
    )
    for _ in range(2):
        result = run_cli(
            "run-job", "objectives-digest", "--now", "2026-11-23T08:30:00Z", env=env, cwd=tmp_path
        )
        assert result.returncode == 0, result.stderr
    (post,) = fake_slack.posts_to("CQUALITY")
    assert post.args["text"] == "Keel weekly objectives digest: 1 objective: 1 without data."
    assert post.args["blocks"][0]["text"]["text"] == "Objectives: week of Mon 23 Nov"


@dataclass
class JobRun:
    result: subprocess.CompletedProcess[str]
    action_id: int
    posts: list[Call]  # chat.postMessage calls the process made


@pytest.fixture
def nudges_process(tmp_path: Path, fake_slack: FakeSlack) -> JobRun:
    """`python -m bot run-job nudges --now 2026-11-23T08:30:00Z` against a SQLite file that
    holds one action due today for UBOB, whose Slack time zone is Berlin (09:30 there)."""
    url = f"sqlite:///{tmp_path / 'keel.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    db = Database.from_url(url)
    action_id = seed_a_due_action(db)
    # The record's card and the action's own messages went out when they were made.
    relay = Relay(db=db, clients=Clients(fake_slack), directory=Directory(), clock=FixedClock(NOW))
    relay.deliver_due(NOW)
    db.dispose()
    fake_slack.add_user(BOB, tz="Europe/Berlin")
    before = len(fake_slack.calls_to("chat.postMessage", ok_only=False))
    env = clean_env(
        SLACK_BOT_TOKEN="xoxb-test-token", SLACK_API_URL=fake_slack.api_url, DATABASE_URL=url
    )
    result = run_cli("run-job", "nudges", "--now", "2026-11-23T08:30:00Z", env=env, cwd=tmp_path)
    posts = fake_slack.calls_to("chat.postMessage", ok_only=False)[before:]
    return JobRun(result=result, action_id=action_id, posts=posts)


def test_run_job_nudges_sends_one_digest_at_the_given_time(nudges_process: JobRun) -> None:
    assert nudges_process.result.returncode == 0, nudges_process.result.stderr
    assert "nudges: 1 workspaces, 1 digests sent" in nudges_process.result.stdout
    (digest,) = nudges_process.posts
    assert digest.args["channel"] == BOB and digest.args["text"].startswith("Keel:")
    pickers = [p.get("action_id") for p in walk(digest.args["blocks"])]
    assert f"snooze:{nudges_process.action_id}" in pickers


# -- the digest's snooze picker -----------------------------------------------------------------


def send_digest(keel: RunningKeel) -> tuple[int, Call]:
    """A due action for UBOB, and the digest the clock sent him about it."""
    action_id = seed_a_due_action(keel.db)
    run_nudges(NOW, keel.db, keel.runtime.deps.clients, "Europe/Berlin")
    (digest,) = digests_to(keel.fake, BOB)
    return action_id, digest


def pick_date(
    keel: RunningKeel, digest: Call, action_id: int, *, user: str, day: date
) -> dict[str, Any]:
    """The block_actions payload Slack sends when `user` picks `day` in the digest's picker."""
    (picker,) = [
        p
        for p in walk(digest.args["blocks"])
        if p.get("type") == "datepicker" and p.get("action_id") == f"snooze:{action_id}"
    ]
    assert picker["placeholder"]["text"] == "Snooze until…"
    (block,) = [b for b in digest.args["blocks"] if picker in b.get("elements", [])]
    with keel.db.reading() as session:
        sent = session.scalars(select(DeliveryLedger).where(DeliveryLedger.user_id == BOB)).one()
    payload = block_action(
        picker["action_id"],
        "",
        user=user,
        channel=sent.channel,
        message_ts=sent.ts,
        response_url=keel.fake.response_url(),
        block_id=block["block_id"],
    )
    action = payload["actions"][0]
    del action["value"]
    action.update(type="datepicker", selected_date=day.isoformat())
    return payload


def snoozed_until(keel: RunningKeel, action_id: int) -> date | None:
    with keel.db.reading() as session:
        return session.get_one(Action, action_id).snoozed_until


def test_the_owner_snoozes_an_action_from_the_digest(keel: RunningKeel) -> None:
    action_id, digest = send_digest(keel)
    answer = keel.slack.interaction(pick_date(keel, digest, action_id, user=BOB, day=SNOOZE_UNTIL))
    assert answer.status == 200
    keel.fake.wait_for(lambda: snoozed_until(keel, action_id) == SNOOZE_UNTIL)
    with keel.db.reading() as session:
        events = session.scalars(
            select(History.event).where(History.entity == "action", History.entity_id == action_id)
        ).all()
    assert events.count("action_snoozed") == 1


def test_a_strangers_snooze_is_refused_politely_and_changes_nothing(keel: RunningKeel) -> None:
    action_id, digest = send_digest(keel)
    answer = keel.slack.interaction(pick_date(keel, digest, action_id, user=DAN, day=SNOOZE_UNTIL))
    assert answer.status == 200
    (reply,) = keel.fake.wait_for(lambda: keel.fake.calls_to("response_url"))
    assert reply.args["response_type"] == "ephemeral"
    assert reply.args["text"] == (
        f"Only the action's owner (<@{BOB}>), the record's owner or a quality lead can snooze it."
    )
    assert snoozed_until(keel, action_id) is None


def test_a_snooze_to_today_is_refused_with_the_reason(keel: RunningKeel) -> None:
    action_id, digest = send_digest(keel)
    keel.slack.interaction(pick_date(keel, digest, action_id, user=BOB, day=MONDAY))
    (reply,) = keel.fake.wait_for(lambda: keel.fake.calls_to("response_url"))
    assert "after today" in reply.args["text"]
    assert snoozed_until(keel, action_id) is None
    assert reply.args["response_type"] == "ephemeral"
