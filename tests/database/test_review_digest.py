"""The next management review in the quality leads' daily digest, against a real database
and the fake Slack: once 14 days before (a reminder falling at the weekend comes on Monday),
on the day, every working day while overdue, never once the review is held; two clocks at
once send it once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta

from sqlalchemy import select

from bot.domain.review import DecisionCategory
from bot.forms.review import DecisionFields
from bot.jobs.nudges import NudgeReport, run_nudges
from bot.services import review
from bot.services.permissions import Actor
from storage.db import Database
from storage.models import DeliveryLedger, ManagementReview, Workspace
from tests.blocks import mrkdwn_texts
from tests.conftest import NOW
from tests.database.helpers import make_workspace
from tests.database.test_nudges import at, attempts_to, digests_to
from tests.database.test_relay import Clients
from tests.fake_slack import FakeSlack

LEAD = "ULEAD"
MONDAY = NOW.date()  # 2026-11-23


def plan_review(db: Database, planned: date) -> int:
    """MR-0001, planned for `planned`, not yet held."""
    workspace = make_workspace(db, NOW)
    with db.transaction() as session:
        review = ManagementReview(
            workspace_id=workspace.id,
            number=1,
            planned_date=planned,
            attendee_ids=[LEAD, "UCEO"],
            period_start_date=planned - timedelta(days=365),
            created_by=LEAD,
            created_at=NOW,
            updated_at=NOW,
        )
        session.add(review)
        session.flush()
        return review.id


def nudge(db: Database, fake: FakeSlack, now: datetime) -> NudgeReport:
    return run_nudges(now, db, Clients(fake), "Europe/Berlin")


def review_texts(fake: FakeSlack, user: str = LEAD) -> list[str]:
    texts = [" ".join(mrkdwn_texts(call.args["blocks"])) for call in digests_to(fake, user)]
    return [text for text in texts if "MR-0001" in text]


def test_the_leads_are_reminded_14_days_before_on_the_day_and_each_working_day_overdue(
    db: Database, fake_slack: FakeSlack
) -> None:
    planned = MONDAY + timedelta(days=21)  # Monday 14 December
    review_id = plan_review(db, planned)
    nudge(db, fake_slack, at(MONDAY + timedelta(days=6), 10))  # 15 days before
    assert review_texts(fake_slack) == []
    for days in (7, 7, 8, 9):  # 14 days before (twice), then the two days after
        nudge(db, fake_slack, at(MONDAY + timedelta(days=days), 10))
    (soon,) = review_texts(fake_slack)
    assert "Management review in 14 days, on Mon 14 Dec" in soon
    assert "`/nc review`" in soon
    nudge(db, fake_slack, at(planned, 10))
    assert "Management review is today" in review_texts(fake_slack)[-1]
    nudge(db, fake_slack, at(planned + timedelta(days=1), 10))
    assert "overdue by 1 day (planned Mon 14 Dec)" in review_texts(fake_slack)[-1]
    sent = len(review_texts(fake_slack))
    nudge(db, fake_slack, at(planned + timedelta(days=5), 10))  # Saturday: no digest
    nudge(db, fake_slack, at(planned + timedelta(days=7), 10))  # Monday: asked again
    texts = review_texts(fake_slack)
    assert len(texts) == sent + 1 and "overdue by 7 days" in texts[-1]
    assert review_texts(fake_slack, "UCEO") == []  # attendees are not quality leads

    with db.transaction() as session:
        session.get_one(ManagementReview, review_id).held_at = at(planned + timedelta(days=7), 12)
    nudge(db, fake_slack, at(planned + timedelta(days=8), 10))
    assert len(review_texts(fake_slack)) == sent + 1


def test_a_reminder_falling_at_the_weekend_comes_on_monday_once(
    db: Database, fake_slack: FakeSlack
) -> None:
    planned = date(2026, 12, 19)  # a Saturday: 14 days before is Saturday 5 December
    plan_review(db, planned)
    for day in (date(2026, 12, 4), date(2026, 12, 5), date(2026, 12, 6)):
        nudge(db, fake_slack, at(day, 10))
    assert review_texts(fake_slack) == []
    nudge(db, fake_slack, at(date(2026, 12, 7), 10))
    nudge(db, fake_slack, at(date(2026, 12, 8), 10))
    (soon,) = review_texts(fake_slack)
    assert "Management review in 12 days, on Sat 19 Dec" in soon


def test_two_clocks_at_once_remind_the_lead_once(
    database_url: str, db: Database, fake_slack: FakeSlack
) -> None:
    plan_review(db, MONDAY + timedelta(days=14))
    clocks = [Database.from_url(database_url) for _ in range(2)]
    start = threading.Barrier(len(clocks))

    def clock(database: Database) -> NudgeReport:
        start.wait()
        return nudge(database, fake_slack, NOW)

    with ThreadPoolExecutor(len(clocks)) as pool:
        reports = [run.result() for run in [pool.submit(clock, d) for d in clocks]]
    for database in clocks:
        database.dispose()
    assert sum(report.digests_sent for report in reports) == 1
    assert len(attempts_to(fake_slack, LEAD)) == 1
    assert len(review_texts(fake_slack)) == 1
    with db.reading() as session:
        claims = session.scalars(
            select(DeliveryLedger.period).where(DeliveryLedger.kind == "review_reminder")
        ).all()
        workspaces = session.scalars(select(Workspace.id)).all()
    assert len(claims) == 1 and len(workspaces) == 1
    nudge(db, fake_slack, NOW + timedelta(days=1))  # the next day: not again
    assert len(review_texts(fake_slack)) == 1


def test_holding_the_review_silences_it_and_the_next_one_is_reminded_before_its_day(
    db: Database, fake_slack: FakeSlack
) -> None:
    planned = MONDAY + timedelta(days=1)
    review_id = plan_review(db, planned)
    nudge(db, fake_slack, at(planned, 10))
    assert "Management review is today" in review_texts(fake_slack)[-1]
    with db.transaction() as session:
        workspace = session.scalars(select(Workspace)).one()
        held = session.get_one(ManagementReview, review_id)
        review.record_decision(
            session=session,
            workspace=workspace,
            review=held,
            actor=Actor(LEAD, is_lead=True),
            fields=DecisionFields(
                category=DecisionCategory.IMPROVEMENT,
                text="Automate the label check",
                next_review_date=planned + timedelta(days=182),  # Tuesday 25 May 2027
            ),
            today=planned,
            now=at(planned, 15),
        )
    sent = len(digests_to(fake_slack, LEAD))
    nudge(db, fake_slack, at(planned + timedelta(days=1), 10))
    assert len(digests_to(fake_slack, LEAD)) == sent  # nothing left to remind
    nudge(db, fake_slack, at(date(2027, 5, 11), 10))  # 14 days before the next one
    texts = [" ".join(mrkdwn_texts(c.args["blocks"])) for c in digests_to(fake_slack, LEAD)]
    assert len(texts) == sent + 1
    assert "*MR-0002* Management review in 14 days, on Tue 25 May" in texts[-1]
