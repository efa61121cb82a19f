"""The registers' queries: records filtered by status, kind, process and whose; open actions
overdue first."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import update

from bot.domain.records import OPEN_STATUSES, RecordKind, RecordStatus
from bot.domain.registers import StatusFilter
from bot.queries import action_register
from bot.queries import records as record_queries
from storage.db import Database
from storage.models import Action, Process, Record, Workspace
from tests.conftest import NOW
from tests.database.helpers import make_workspace, raise_one

TODAY = NOW.date()


def set_record(db: Database, record_id: int, **values: object) -> None:
    with db.transaction() as session:
        session.execute(update(Record).where(Record.id == record_id).values(**values))


def add_process(db: Database, workspace: Workspace, name: str) -> int:
    with db.transaction() as session:
        process = Process(
            workspace_id=workspace.id, name=name, owner_id="UOWNER", active=True, created_at=NOW
        )
        session.add(process)
        session.flush()
        return process.id


def add_action(
    db: Database,
    record_id: int,
    number: int,
    *,
    owner: str = "UBOB",
    due: date,
    status: str = "open",
) -> None:
    with db.transaction() as session:
        record = session.get_one(Record, record_id)
        session.add(
            Action(
                workspace_id=record.workspace_id,
                record_id=record_id,
                number=number,
                kind="corrective",
                description=f"Action {number} on {record.reference}",
                owner_id=owner,
                due_date=due,
                status=status,
                extension_count=0,
                created_at=NOW,
                updated_at=NOW,
            )
        )


def test_the_records_register_filters_by_status_kind_process_and_whose(db: Database) -> None:
    workspace = make_workspace(db, NOW)
    other = make_workspace(db, NOW, team_id="T0OTHER")
    purchasing = add_process(db, workspace, "Purchasing")
    nc = raise_one(db, workspace, NOW).record
    complaint = raise_one(
        db, workspace, NOW, reporter="UBOB", kind=RecordKind.CUSTOMER_COMPLAINT
    ).record
    closed = raise_one(db, workspace, NOW, reporter="UBOB").record
    rejected = raise_one(db, workspace, NOW).record
    raise_one(db, other, NOW)  # another workspace's record is never listed
    set_record(db, closed.id, status=RecordStatus.CLOSED.value, process_id=purchasing)
    set_record(db, rejected.id, status=RecordStatus.REJECTED.value)
    set_record(db, complaint.id, process_id=purchasing)

    def listed(**filters: Any) -> list[str]:
        with db.reading() as session:
            found = record_queries.list_records(
                session=session, workspace_id=workspace.id, page=1, **filters
            )
        assert found.total == len(found.records)
        return [record.reference for record in found.records]

    assert listed(statuses=OPEN_STATUSES) == [complaint.reference, nc.reference]
    assert listed(statuses=StatusFilter.CLOSED.statuses) == [
        rejected.reference,
        closed.reference,
    ]
    assert len(listed(statuses=StatusFilter.ALL.statuses)) == 4
    assert listed(statuses=OPEN_STATUSES, kind=RecordKind.CUSTOMER_COMPLAINT) == [
        complaint.reference
    ]
    assert listed(statuses=StatusFilter.ALL.statuses, process_id=purchasing) == [
        closed.reference,
        complaint.reference,
    ]
    assert listed(statuses=StatusFilter.CLOSED.statuses, user_id="UBOB") == [closed.reference]


def test_the_records_register_pages_and_clamps_the_page(db: Database) -> None:
    workspace = make_workspace(db, NOW)
    for _ in range(23):
        raise_one(db, workspace, NOW)
    with db.reading() as session:
        last = record_queries.list_records(
            session=session, workspace_id=workspace.id, statuses=OPEN_STATUSES, page=99
        )
    assert (last.total, last.page, last.pages, len(last.records)) == (23, 3, 3, 3)
    assert [record.number for record in last.records] == [3, 2, 1]


def test_open_actions_come_overdue_first_then_by_due_date(db: Database) -> None:
    workspace = make_workspace(db, NOW)
    other = make_workspace(db, NOW, team_id="T0OTHER")
    first = raise_one(db, workspace, NOW).record
    second = raise_one(db, workspace, NOW).record
    elsewhere = raise_one(db, other, NOW).record
    add_action(db, first.id, 1, due=TODAY + timedelta(days=5))
    add_action(db, first.id, 2, due=TODAY - timedelta(days=2), owner="UCAROL")
    add_action(db, second.id, 1, due=TODAY - timedelta(days=9))
    add_action(db, second.id, 2, due=TODAY, status="done")  # not open: left out
    add_action(db, second.id, 3, due=TODAY + timedelta(days=1))
    add_action(db, elsewhere.id, 1, due=TODAY - timedelta(days=30))
    with db.reading() as session:
        everyone = action_register.open_actions(
            session=session, workspace_id=workspace.id, owner_id=None, today=TODAY, page=1
        )
        bob = action_register.open_actions(
            session=session, workspace_id=workspace.id, owner_id="UBOB", today=TODAY, page=1
        )
    shown = [f"{row.record_reference}/A{row.action.number}" for row in everyone.rows]
    assert shown == [
        f"{second.reference}/A1",
        f"{first.reference}/A2",
        f"{second.reference}/A3",
        f"{first.reference}/A1",
    ]
    assert (everyone.total, everyone.overdue) == (4, 2)
    assert (bob.total, bob.overdue) == (3, 1)
    assert all(row.action.owner_id == "UBOB" for row in bob.rows)


def test_open_actions_page_ten_at_a_time(db: Database) -> None:
    workspace = make_workspace(db, NOW)
    record = raise_one(db, workspace, NOW).record
    for number in range(1, 13):
        add_action(db, record.id, number, due=TODAY + timedelta(days=number))
    with db.reading() as session:
        second = action_register.open_actions(
            session=session, workspace_id=workspace.id, owner_id=None, today=TODAY, page=2
        )
        empty = action_register.open_actions(
            session=session, workspace_id=workspace.id, owner_id="UNOBODY", today=TODAY, page=3
        )
    assert (second.page, second.pages, [row.action.number for row in second.rows]) == (
        2,
        2,
        [11, 12],
    )
    assert (empty.total, empty.overdue, empty.page, empty.rows) == (0, 0, 1, [])
