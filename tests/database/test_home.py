"""What the Home tab reads: records raised, the lead's overview, and a fixed number of
statements however much data there is."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import event, update

from bot.domain.records import RecordKind, RecordStatus
from bot.queries import home
from storage.db import Database
from storage.models import Record
from tests.conftest import NOW
from tests.database.helpers import make_workspace, raise_one
from tests.database.test_registers import add_action

TODAY = NOW.date()


def test_records_you_raised_never_include_an_anonymous_one(db: Database) -> None:
    workspace = make_workspace(db, NOW)
    mine = raise_one(db, workspace, NOW, reporter="UALICE").record
    closed = raise_one(db, workspace, NOW, reporter="UALICE").record
    raise_one(db, workspace, NOW, reporter="UBOB")
    raise_one(db, workspace, NOW, reporter="UALICE", kind=RecordKind.NEAR_MISS, anonymous=True)
    with db.transaction() as session:
        session.execute(update(Record).where(Record.id == closed.id).values(status="closed"))
    with db.reading() as session:
        raised = home.raised_by(session=session, workspace_id=workspace.id, user_id="UALICE")
    assert raised.total == 2
    assert [record.reference for record in raised.records] == [closed.reference, mine.reference]


def test_the_lead_overview_counts_records_actions_and_audits(db: Database) -> None:
    workspace = make_workspace(db, NOW)
    other = make_workspace(db, NOW, team_id="T0OTHER")
    first = raise_one(db, workspace, NOW).record
    second = raise_one(db, workspace, NOW).record
    raise_one(db, workspace, NOW)
    elsewhere = raise_one(db, other, NOW).record
    with db.transaction() as session:
        session.execute(update(Record).where(Record.id == second.id).values(status="investigating"))
    add_action(db, first.id, 1, due=TODAY - timedelta(days=1))
    add_action(db, first.id, 2, due=TODAY)
    add_action(db, first.id, 3, due=TODAY - timedelta(days=5), status="done")
    add_action(db, elsewhere.id, 1, due=TODAY - timedelta(days=5))
    with db.reading() as session:
        overview = home.lead_overview(session=session, workspace_id=workspace.id, today=TODAY)
    assert overview.by_status == {RecordStatus.NEW: 2, RecordStatus.INVESTIGATING: 1}
    assert overview.waiting_for_triage == 2
    assert overview.overdue_actions == 1
    assert (overview.objectives_off_track, overview.audits_due, overview.audits_overdue) == (
        0,
        0,
        0,
    )


def statements_for_home(db: Database, *, records: int, actions: int, team_id: str) -> int:
    workspace = make_workspace(db, NOW, team_id=team_id)
    first = None
    for _ in range(records):
        raised = raise_one(db, workspace, NOW, reporter="UALICE").record
        first = first or raised
    assert first is not None
    for number in range(1, actions + 1):
        add_action(db, first.id, number, owner="UALICE", due=TODAY + timedelta(days=number - 5))
    count = [0]

    def counted(*_args: Any) -> None:
        count[0] += 1

    event.listen(db.engine, "before_cursor_execute", counted)
    try:
        with db.reading() as session:
            data = home.load_home(
                session=session,
                workspace_id=workspace.id,
                user_id="UALICE",
                today=TODAY,
                is_lead=True,
                actions_shown=8,
                raised_shown=5,
            )
    finally:
        event.remove(db.engine, "before_cursor_execute", counted)
    assert data.actions.total == actions and data.raised.total == records
    return count[0]


def test_the_home_tab_reads_a_fixed_number_of_statements(db: Database) -> None:
    small = statements_for_home(db, records=2, actions=2, team_id="T0SMALL")
    large = statements_for_home(db, records=60, actions=120, team_id="T0LARGE")
    assert small == large
    assert large <= 20, large
