"""Objectives against a real database: set up by a lead, values logged (and corrected) with
history, asked for in the owner's daily digest, and the weekly digest posted once a week."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.domain.errors import KeelError, NotAllowed, NotFound
from bot.domain.objectives import Direction, Frequency, ObjectivePlan, Standing
from bot.forms.audits import AuditPlan
from bot.jobs.objectives_digest import run_objectives_digest
from bot.queries import objectives as objective_queries
from bot.services import audits, objectives, processes
from bot.services.objectives import NewObjective, ObjectiveTerms
from bot.services.permissions import Actor
from storage.db import Database
from storage.models import (
    DeliveryLedger,
    History,
    Measurement,
    Objective,
    OutboxMessage,
    Workspace,
)
from tests.blocks import button_labels, mrkdwn_texts
from tests.conftest import NOW, QUALITY_CHANNEL, requires_postgres
from tests.database.helpers import make_workspace
from tests.database.test_nudges import DEFAULT_TZ, at, digests_to, ledger_of, nudge, relay_at
from tests.fake_slack import FakeSlack

BOB = "UBOB"
LEAD = Actor("ULEAD", is_lead=True)
OWNER = Actor(BOB)
MONDAY = NOW.date()  # 2026-11-23
DECEMBER_1 = date(2026, 12, 1)  # a Tuesday


@pytest.fixture
def workspace(db: Database) -> Workspace:
    return make_workspace(db, NOW)


def a_new(**overrides: object) -> NewObjective:
    fields: dict[str, object] = {
        "title": "On-time delivery",
        "owner_id": BOB,
        "unit": "%",
        "target": 95.0,
        "direction": Direction.AT_LEAST,
        "frequency": Frequency.MONTHLY,
        "start_date": date(2026, 9, 14),
    }
    fields.update(overrides)
    return NewObjective(**fields)  # type: ignore[arg-type]


def set_up(db: Database, workspace: Workspace, **overrides: object) -> Objective:
    with db.transaction() as session:
        return objectives.create(
            session=session, workspace_id=workspace.id, new=a_new(**overrides), actor=LEAD, now=NOW
        )


def log(
    db: Database, objective_id: int, start: date, value: float, *, actor: Actor = OWNER
) -> None:
    with db.transaction() as session:
        objective = session.get_one(Objective, objective_id)
        objectives.log_value(
            session=session,
            objective=objective,
            period_start=start,
            value=value,
            note=None,
            actor=actor,
            now=NOW,
        )


def retire(db: Database, objective_id: int, reason: str, *, actor: Actor, now: datetime) -> None:
    with db.transaction() as session:
        objectives.retire(
            session=session,
            objective=session.get_one(Objective, objective_id),
            reason=reason,
            actor=actor,
            now=now,
        )


def edit(
    db: Database, objective_id: int, new: ObjectiveTerms, *, actor: Actor
) -> dict[str, object]:
    with db.transaction() as session:
        return objectives.update(
            session=session,
            objective=session.get_one(Objective, objective_id),
            terms=new,
            actor=actor,
            now=NOW,
        )


def history_of(db: Database, objective_id: int) -> list[History]:
    with db.reading() as session:
        return list(
            session.scalars(
                select(History)
                .where(History.entity == "objective", History.entity_id == objective_id)
                .order_by(History.id)
            )
        )


def test_a_lead_sets_objectives_numbered_per_workspace_from_the_period_start(
    db: Database, workspace: Workspace
) -> None:
    first = set_up(db, workspace)
    second = set_up(db, workspace, title="Customer complaints")
    other = set_up(db, make_workspace(db, NOW, team_id="T0OTHER"))
    assert (first.number, second.number, other.number) == (1, 2, 1)
    assert first.start_date == date(2026, 9, 1)  # aligned to the month it began in
    (entry,) = history_of(db, first.id)
    assert entry.event == "objective_set" and entry.actor_id == "ULEAD"
    assert entry.after is not None and entry.after["reference"] == "OBJ-1"


def test_only_a_lead_sets_an_objective(db: Database, workspace: Workspace) -> None:
    with db.transaction() as session, pytest.raises(NotAllowed):
        objectives.create(
            session=session, workspace_id=workspace.id, new=a_new(), actor=Actor(BOB), now=NOW
        )


def test_only_the_owner_or_a_lead_logs_a_value(db: Database, workspace: Workspace) -> None:
    objective = set_up(db, workspace)
    with pytest.raises(NotAllowed):
        log(db, objective.id, date(2026, 10, 1), 96.0, actor=Actor("UCAROL"))
    log(db, objective.id, date(2026, 10, 1), 96.0, actor=LEAD)


def test_a_second_value_for_a_period_replaces_the_first_and_history_keeps_both(
    db: Database, workspace: Workspace
) -> None:
    objective = set_up(db, workspace)
    log(db, objective.id, date(2026, 10, 1), 91.0)
    log(db, objective.id, date(2026, 10, 1), 96.5)
    with db.reading() as session:
        (item,) = objective_queries.overviews(
            session=session, workspace_id=workspace.id, today=MONDAY
        )
    assert item.values == [96.5]
    assert item.standing is Standing.ON_TRACK
    events = [(e.event, e.before, e.after) for e in history_of(db, objective.id)][1:]
    assert [
        (event, (before or {}).get("value"), after and after["value"])
        for event, before, after in events
    ] == [
        ("value_logged", None, 91.0),
        ("value_corrected", 91.0, 96.5),
    ]


def test_objectives_of_another_workspace_are_not_found(db: Database, workspace: Workspace) -> None:
    objective = set_up(db, make_workspace(db, NOW, team_id="T0OTHER"))
    with db.reading() as session, pytest.raises(NotFound):
        objective_queries.get(session=session, workspace_id=workspace.id, objective_id=objective.id)
    with db.reading() as session:
        assert (
            objective_queries.overviews(session=session, workspace_id=workspace.id, today=MONDAY)
            == []
        )


def test_the_overview_names_the_period_still_waiting_for_a_value(
    db: Database, workspace: Workspace
) -> None:
    objective = set_up(db, workspace)
    log(db, objective.id, date(2026, 9, 1), 97.0)
    with db.reading() as session:
        (item,) = objective_queries.overviews(
            session=session, workspace_id=workspace.id, today=MONDAY
        )
    assert item.waiting_for is not None and item.waiting_for.start == date(2026, 10, 1)
    log(db, objective.id, date(2026, 10, 1), 90.0)
    with db.reading() as session:
        (item,) = objective_queries.overviews(
            session=session, workspace_id=workspace.id, today=MONDAY
        )
    assert item.waiting_for is None
    assert item.standing is Standing.AT_RISK  # 90 against 95: within 10% of the target
    assert item.trend is not None and item.trend.value == "worsening"


# -- the daily digest asks the owner for values ------------------------------------------------


def test_the_owners_digest_asks_for_the_value_once_the_period_has_ended(
    db: Database, workspace: Workspace, fake_slack: FakeSlack
) -> None:
    objective = set_up(db, workspace)
    log(db, objective.id, date(2026, 9, 1), 97.0)
    nudge(db, fake_slack, at(MONDAY, 10))
    (digest,) = digests_to(fake_slack, BOB)
    texts = " ".join(mrkdwn_texts(digest.args["blocks"]))
    assert (
        "*OBJ-1* Objective value" in texts and "On-time delivery: value for October 2026" in texts
    )
    assert "November" not in texts  # November has not ended
    assert button_labels(digest.args["blocks"]) == ["Log value"]
    assert ledger_of(db, BOB).items == [f"objective:{objective.id}:2026-10-01"]


def test_a_logged_value_is_not_asked_for_and_ticks_off_the_sent_digest(
    db: Database, workspace: Workspace, fake_slack: FakeSlack
) -> None:
    objective = set_up(db, workspace)
    log(db, objective.id, date(2026, 9, 1), 97.0)
    nudge(db, fake_slack, at(MONDAY, 10))
    assert len(digests_to(fake_slack, BOB)) == 1
    log(db, objective.id, date(2026, 10, 1), 96.0)
    relay_at(db, fake_slack, at(MONDAY, 11)).deliver_due(at(MONDAY, 11))
    (update,) = fake_slack.calls_to("chat.update")
    assert update.args["ts"] == ledger_of(db, BOB).ts
    ticked = "~OBJ-1~ logged — On-time delivery: 96% for October 2026"
    assert any(ticked in text for text in mrkdwn_texts(update.args["blocks"]))
    nudge(db, fake_slack, at(MONDAY + timedelta(days=1), 10))
    assert len(digests_to(fake_slack, BOB)) == 1  # nothing left to ask on Tuesday


def test_two_missing_periods_are_both_asked_for(
    db: Database, workspace: Workspace, fake_slack: FakeSlack
) -> None:
    set_up(db, workspace)  # September 2026 onwards, nothing logged
    nudge(db, fake_slack, at(DECEMBER_1, 10))
    (digest,) = digests_to(fake_slack, BOB)
    texts = " ".join(mrkdwn_texts(digest.args["blocks"]))
    assert (
        "On-time delivery: value for October 2026" in texts and "value for November 2026" in texts
    )


# -- the weekly objectives digest ----------------------------------------------------------------


def posts_to(fake: FakeSlack, channel: str) -> list[str]:
    return [
        str(call.args["text"])
        for call in fake.calls_to("chat.postMessage")
        if call.args.get("channel") == channel and "objectives digest" in str(call.args["text"])
    ]


def weekly(db: Database, fake: FakeSlack, now: datetime) -> None:
    run_objectives_digest(now, db, DEFAULT_TZ)
    relay_at(db, fake, now).deliver_due(now)


def test_the_weekly_digest_is_posted_once_a_week_on_the_first_working_morning(
    db: Database, workspace: Workspace, fake_slack: FakeSlack
) -> None:
    set_up(db, workspace)
    weekly(db, fake_slack, at(MONDAY, 6))  # 07:00 in Berlin: before the nudge hour
    assert posts_to(fake_slack, QUALITY_CHANNEL) == []
    weekly(db, fake_slack, at(MONDAY, 8))  # 09:00 in Berlin
    weekly(db, fake_slack, at(MONDAY, 8, 5))
    weekly(db, fake_slack, at(MONDAY + timedelta(days=2), 9))
    assert posts_to(fake_slack, QUALITY_CHANNEL) == [
        "Keel weekly objectives digest: 1 objective: 1 without data."
    ]
    weekly(db, fake_slack, at(MONDAY + timedelta(days=7), 9))
    assert len(posts_to(fake_slack, QUALITY_CHANNEL)) == 2
    with db.reading() as session:
        weeks = session.scalars(
            select(DeliveryLedger.period).where(DeliveryLedger.kind == "objectives_digest")
        ).all()
    assert sorted(weeks) == ["2026-11-23", "2026-11-30"]  # the first day of each week


def test_a_clock_down_on_monday_posts_on_tuesday_and_never_at_the_weekend(
    db: Database, workspace: Workspace, fake_slack: FakeSlack
) -> None:
    set_up(db, workspace)
    weekly(db, fake_slack, at(MONDAY - timedelta(days=1), 10))  # Sunday
    assert posts_to(fake_slack, QUALITY_CHANNEL) == []
    weekly(db, fake_slack, at(MONDAY + timedelta(days=1), 12))
    assert len(posts_to(fake_slack, QUALITY_CHANNEL)) == 1


def test_an_objective_set_up_midweek_waits_for_the_next_week(
    db: Database, workspace: Workspace, fake_slack: FakeSlack
) -> None:
    weekly(db, fake_slack, at(MONDAY, 9))  # no objectives yet: nothing to post
    set_up(db, workspace)
    weekly(db, fake_slack, at(MONDAY + timedelta(days=2), 9))
    assert posts_to(fake_slack, QUALITY_CHANNEL) == []
    weekly(db, fake_slack, at(MONDAY + timedelta(days=7), 9))
    assert len(posts_to(fake_slack, QUALITY_CHANNEL)) == 1


def test_a_sunday_to_thursday_workspace_gets_its_digest_on_sunday(
    db: Database, workspace: Workspace, fake_slack: FakeSlack
) -> None:
    with db.transaction() as session:
        session.get_one(Workspace, workspace.id).working_days = [6, 0, 1, 2, 3]
    set_up(db, workspace)
    sunday = MONDAY + timedelta(days=6)
    weekly(db, fake_slack, at(sunday, 9))
    weekly(db, fake_slack, at(sunday + timedelta(days=1), 9))  # the same working week
    (post,) = [
        call for call in fake_slack.posts_to(QUALITY_CHANNEL) if "objectives" in call.args["text"]
    ]
    assert post.args["blocks"][0]["text"]["text"] == "Objectives: week of Sun 29 Nov"


def test_a_frequency_keel_does_not_know_is_left_out_and_stops_nothing(
    db: Database, workspace: Workspace, fake_slack: FakeSlack
) -> None:
    broken = set_up(db, workspace, title="Edited by hand")
    set_up(db, workspace)
    with db.transaction() as session:
        session.get_one(Objective, broken.id).frequency = "every other Tuesday"
    nudge(db, fake_slack, at(MONDAY, 10))
    (digest,) = digests_to(fake_slack, BOB)
    texts = " ".join(mrkdwn_texts(digest.args["blocks"]))
    assert "OBJ-2" in texts and "OBJ-1" not in texts
    weekly(db, fake_slack, at(MONDAY, 10))
    assert posts_to(fake_slack, QUALITY_CHANNEL) == [
        "Keel weekly objectives digest: 1 objective: 1 without data."
    ]


def test_the_digest_channel_wins_over_the_quality_channel(
    db: Database, workspace: Workspace, fake_slack: FakeSlack
) -> None:
    with db.transaction() as session:
        session.get_one(Workspace, workspace.id).digest_channel = "CMGMT"
    fake_slack.add_channel("CMGMT")
    set_up(db, workspace)
    weekly(db, fake_slack, at(MONDAY, 9))
    assert len(posts_to(fake_slack, "CMGMT")) == 1
    assert posts_to(fake_slack, QUALITY_CHANNEL) == []


def test_no_objectives_no_post(db: Database, workspace: Workspace, fake_slack: FakeSlack) -> None:
    weekly(db, fake_slack, at(MONDAY, 9))
    assert fake_slack.calls_to("chat.postMessage") == []
    with db.reading() as session:
        assert session.scalars(select(OutboxMessage)).all() == []


def test_a_channel_keel_is_not_in_is_reported_to_the_leads(
    db: Database, workspace: Workspace, fake_slack: FakeSlack
) -> None:
    with db.transaction() as session:
        session.get_one(Workspace, workspace.id).digest_channel = "CNOTIN"
    fake_slack.add_channel("CNOTIN", member=False)
    set_up(db, workspace)
    weekly(db, fake_slack, at(MONDAY, 9))
    relay_at(db, fake_slack, at(MONDAY, 9)).deliver_due(at(MONDAY, 9))
    told = [str(c.args["text"]) for c in fake_slack.posts_to("ULEAD")]
    assert any("could not post the weekly objectives digest to <#CNOTIN>" in t for t in told)


@requires_postgres
def test_the_same_value_saved_twice_at_once_is_one_value_and_a_correction(
    db: Database, workspace: Workspace
) -> None:
    """Two submissions race (a double click): the second waits on the first's unique key,
    then finds its row and corrects it instead of failing."""
    objective = set_up(db, workspace)
    first_inserted = threading.Event()

    def second() -> None:
        first_inserted.wait(10)
        log(db, objective.id, date(2026, 10, 1), 96.0)

    with ThreadPoolExecutor(max_workers=1) as pool:
        racer = pool.submit(second)
        with db.transaction() as session:
            objectives.log_value(
                session=session,
                objective=session.get_one(Objective, objective.id),
                period_start=date(2026, 10, 1),
                value=95.5,
                note=None,
                actor=OWNER,
                now=NOW,
            )
            first_inserted.set()
            with pytest.raises(FutureTimeout):
                racer.result(timeout=0.5)  # blocked on the uncommitted row
        racer.result(timeout=10)  # re-raises whatever the second submission raised
    events = [entry.event for entry in history_of(db, objective.id)]
    assert events == ["objective_set", "value_logged", "value_corrected"]
    with db.reading() as session:
        assert [m.value for m in session.scalars(select(Measurement))] == [96.0]


# -- editing and retiring ------------------------------------------------------------------------


def terms(**overrides: object) -> ObjectiveTerms:
    fields: dict[str, object] = {
        "title": "On-time delivery",
        "owner_id": BOB,
        "unit": "%",
        "target": 95.0,
        "direction": Direction.AT_LEAST,
    }
    fields.update(overrides)
    return ObjectiveTerms(**fields)  # type: ignore[arg-type]


def test_an_edit_keeps_what_changed_in_the_history(db: Database, workspace: Workspace) -> None:
    objective = set_up(db, workspace)
    changed = edit(db, objective.id, terms(target=97.0, owner_id="UCAROL"), actor=LEAD)
    assert changed == {"target": 97.0, "owner_id": "UCAROL"}
    last = history_of(db, objective.id)[-1]
    assert last.event == "objective_changed"
    assert (last.before, last.after) == ({"target": 95.0, "owner_id": BOB}, changed)
    unchanged = edit(db, objective.id, terms(target=97.0, owner_id="UCAROL"), actor=LEAD)
    assert unchanged == {}
    assert len(history_of(db, objective.id)) == 2  # set, changed once


def test_the_plan_of_6_2_2_is_kept_with_the_objective_and_each_change_in_the_history(
    db: Database, workspace: Workspace
) -> None:
    plan = ObjectivePlan(actions="Pick list per route", due=date(2027, 3, 31))
    objective = set_up(db, workspace, plan=plan)
    assert (objective.plan_actions, objective.plan_due) == ("Pick list per route", plan.due)
    assert objective.plan_resources is None
    (set_,) = history_of(db, objective.id)
    assert {k: v for k, v in (set_.after or {}).items() if k.startswith("plan_")} == {
        "plan_actions": "Pick list per route",
        "plan_due": "2027-03-31",
    }

    later = ObjectivePlan(actions="Pick list per route", responsible="Logistics lead")
    changed = edit(db, objective.id, terms(plan=later), actor=LEAD)

    assert changed == {"plan_responsible": "Logistics lead", "plan_due": None}
    last = history_of(db, objective.id)[-1]
    assert last.before == {"plan_responsible": None, "plan_due": "2027-03-31"}
    with db.reading() as session:
        kept = session.get_one(Objective, objective.id)
        assert (kept.plan_responsible, kept.plan_due) == ("Logistics lead", None)


def test_only_a_lead_edits_or_retires(db: Database, workspace: Workspace) -> None:
    objective = set_up(db, workspace)
    with pytest.raises(NotAllowed):
        edit(db, objective.id, terms(target=1.0), actor=OWNER)
    with pytest.raises(NotAllowed):
        retire(db, objective.id, "No.", actor=OWNER, now=NOW)


def test_a_retired_objective_leaves_lists_digests_and_reminders_but_keeps_its_values(
    db: Database, workspace: Workspace, fake_slack: FakeSlack
) -> None:
    objective = set_up(db, workspace)
    log(db, objective.id, date(2026, 9, 1), 97.0)
    retire(db, objective.id, "Replaced by OBJ-2", actor=LEAD, now=NOW)
    last = history_of(db, objective.id)[-1]
    assert (last.event, last.after) == (
        "objective_retired",
        {"active": False, "reason": "Replaced by OBJ-2"},
    )
    with db.reading() as session:
        assert (
            objective_queries.overviews(session=session, workspace_id=workspace.id, today=MONDAY)
            == []
        )
        shown = objective_queries.get_by_number(
            session=session, workspace_id=workspace.id, number=1
        )
        assert objective_queries.values_by_period(session=session, objective=shown, limit=5)
    nudge(db, fake_slack, at(MONDAY, 10))
    assert digests_to(fake_slack, BOB) == []
    weekly(db, fake_slack, at(MONDAY, 10))
    assert posts_to(fake_slack, QUALITY_CHANNEL) == []
    with pytest.raises(KeelError, match="retired"):
        log(db, objective.id, date(2026, 10, 1), 96.0)
    with pytest.raises(KeelError, match="retired already"):
        retire(db, objective.id, "Again", actor=LEAD, now=NOW)


def test_retiring_takes_the_objective_out_of_todays_digest_and_stops_edits(
    db: Database, workspace: Workspace, fake_slack: FakeSlack
) -> None:
    objective = set_up(db, workspace)
    log(db, objective.id, date(2026, 9, 1), 97.0)
    nudge(db, fake_slack, at(MONDAY, 10))
    assert len(digests_to(fake_slack, BOB)) == 1
    retire(db, objective.id, "Replaced", actor=LEAD, now=at(MONDAY, 11))
    relay_at(db, fake_slack, at(MONDAY, 11)).deliver_due(at(MONDAY, 11))
    (update,) = fake_slack.calls_to("chat.update")
    assert update.args["ts"] == ledger_of(db, BOB).ts
    assert "OBJ-1" not in " ".join(mrkdwn_texts(update.args["blocks"]))
    with pytest.raises(KeelError, match="retired"):
        edit(db, objective.id, terms(target=1.0), actor=LEAD)


def test_the_weekly_digest_carries_a_line_on_the_audit_programme(
    db: Database, workspace: Workspace, fake_slack: FakeSlack
) -> None:
    set_up(db, workspace)
    with db.transaction() as session:
        process_id = processes.add(
            session=session,
            workspace_id=workspace.id,
            name="Purchasing",
            owner_id="UOWNER",
            actor=LEAD,
            now=NOW,
        ).id

        def plan(day: date, **more: object) -> None:
            fields = {"process_id": process_id, "planned_date": day, "lead_auditor": "UAUD"}
            the_plan = AuditPlan.model_validate(fields | more)
            audits.plan(
                session=session, workspace_id=workspace.id, plan=the_plan, actor=LEAD, now=NOW
            )

        plan(date(2026, 11, 3), held_already=True)  # no report: overdue
        plan(date(2026, 11, 26))
        plan(date(2026, 12, 8))  # next month
    weekly(db, fake_slack, at(MONDAY, 9))
    (posted,) = posts_to(fake_slack, QUALITY_CHANNEL)
    line = "Audits this month: 2 planned, 1 overdue — Purchasing, due Tue 3 Nov."
    assert posted == f"Keel weekly objectives digest: 1 objective: 1 without data. {line}"
    (call,) = [c for c in fake_slack.calls_to("chat.postMessage") if c.args["text"] == posted]
    assert line in mrkdwn_texts(call.args["blocks"])
