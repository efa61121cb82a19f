"""Audit reminders in the daily digest: across a weekend and a DST change, two clocks at
once, a postponed audit, and the report chase stopping once the report is in."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.forms.audits import Postponement, Report
from bot.queries import audits as queries
from bot.services import audit_reports, audits
from bot.services.permissions import Actor
from storage.db import Database
from tests.database.helpers import make_workspace
from tests.database.test_audits import AUDITOR, LEAD, a_plan
from tests.database.test_nudges import digests_to, nudge
from tests.fake_slack import FakeSlack

AUDIT_DAY = date(2026, 4, 6)  # a Monday; Berlin moves its clocks on Sunday 29 March


def days_reminded(db: Database, fake: FakeSlack, first: date, last: date) -> list[date]:
    """Run two clocks every hour of every day; the days the auditor got a digest."""
    reminded = []
    day = first
    while day <= last:
        before = len(digests_to(fake, AUDITOR))
        for hour in range(5, 17):
            moment = datetime(day.year, day.month, day.day, hour, 30, tzinfo=UTC)
            nudge(db, fake, moment)
            nudge(db, fake, moment)  # a second clock at the same moment
        after = len(digests_to(fake, AUDITOR))
        assert after - before <= 1
        if after > before:
            reminded.append(day)
        day += timedelta(days=1)
    return reminded


def plan_one(db: Database, planned: date, now: datetime) -> int:
    workspace = make_workspace(db, now)
    with db.transaction() as session:
        return audits.plan(
            session=session,
            workspace_id=workspace.id,
            plan=a_plan(None, area="Warehouse", planned_date=planned),
            actor=LEAD,
            now=now,
        ).audit.id


def test_reminders_across_a_weekend_and_dst_then_the_chase_stops(
    db: Database, fake_slack: FakeSlack
) -> None:
    audit_id = plan_one(db, AUDIT_DAY, datetime(2026, 3, 1, tzinfo=UTC))
    reminded = days_reminded(db, fake_slack, date(2026, 3, 20), date(2026, 4, 9))
    assert reminded == [
        date(2026, 3, 23),  # 14 days before
        date(2026, 3, 30),  # 7 days before, after the clocks moved
        date(2026, 4, 3),  # 1 day before is a Sunday: the Friday
        date(2026, 4, 6),  # on the day
        date(2026, 4, 7),  # the report, every working day from the next
        date(2026, 4, 8),
        date(2026, 4, 9),
    ]
    now = datetime(2026, 4, 9, 17, tzinfo=UTC)
    with db.transaction() as session:
        audit = queries.get(session=session, workspace_id=1, audit_id=audit_id)
        audit_reports.record_report(
            session=session,
            audit=audit,
            report=Report(summary="Fine", conclusion="Conforms"),
            actor=Actor(AUDITOR),
            today=now.date(),
            now=now,
        )
    assert days_reminded(db, fake_slack, date(2026, 4, 10), date(2026, 4, 14)) == []


def test_a_postponed_audit_reminds_afresh_for_its_new_date(
    db: Database, fake_slack: FakeSlack
) -> None:
    audit_id = plan_one(db, AUDIT_DAY, datetime(2026, 3, 1, tzinfo=UTC))
    now = datetime(2026, 3, 25, 12, tzinfo=UTC)
    with db.transaction() as session:
        audit = queries.get(session=session, workspace_id=1, audit_id=audit_id)
        audits.postpone(
            session=session,
            audit=audit,
            postponement=Postponement(new_date=date(2026, 4, 20), reason="Stocktake"),
            actor=Actor(AUDITOR),
            now=now,
        )
    reminded = days_reminded(db, fake_slack, date(2026, 3, 26), date(2026, 4, 20))
    assert reminded == [date(2026, 4, 6), date(2026, 4, 13), date(2026, 4, 17), date(2026, 4, 20)]
