"""Raising records: numbering, history, outbox, anonymity, idempotency."""

from __future__ import annotations

import json
import threading
from datetime import datetime

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from bot.domain.errors import NotFound
from bot.domain.records import RecordKind
from bot.queries import records as record_queries
from bot.services import records
from bot.services.outbox import OutboxKind
from storage.db import Database
from storage.models import History, OutboxMessage, Record
from tests.conftest import NOW
from tests.database.helpers import a_form, make_workspace, raise_one


def test_references_count_up_per_workspace(db: Database) -> None:
    first = make_workspace(db, NOW, team_id="T1")
    second = make_workspace(db, NOW, team_id="T2")
    numbers = [raise_one(db, first, NOW).record.number for _ in range(3)]
    numbers.append(raise_one(db, second, NOW).record.number)
    assert numbers == [1, 2, 3, 1]


def test_a_rolled_back_record_gives_its_number_back(db: Database) -> None:
    workspace = make_workspace(db, NOW)
    raise_one(db, workspace, NOW)
    with pytest.raises(RuntimeError), db.transaction() as session:
        records.raise_record(
            session=session,
            workspace=workspace,
            form=a_form(),
            reporter_id="UALICE",
            view_id=None,
            now=NOW,
        )
        raise RuntimeError("Slack-side failure after the insert")
    assert raise_one(db, workspace, NOW).record.number == 2


def test_concurrent_writers_get_gapless_unique_references(db: Database) -> None:
    workspace = make_workspace(db, NOW)
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            for _ in range(10):
                raise_one(db, workspace, NOW)
        except BaseException as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=writer) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with db.reading() as session:
        numbers = sorted(session.scalars(select(Record.number)))
    assert numbers == list(range(1, 61))


def test_raising_writes_history_and_queues_the_card(db: Database) -> None:
    workspace = make_workspace(db, NOW)
    record = raise_one(db, workspace, NOW, reporter="UALICE").record
    with db.reading() as session:
        history = session.scalars(select(History)).all()
        queued = session.scalars(select(OutboxMessage)).all()
    assert [(h.event, h.actor_id, h.source) for h in history] == [("raised", "UALICE", "form")]
    assert history[0].after is not None and history[0].after["reference"] == "NC-0001"
    assert [(m.kind, m.record_id) for m in queued] == [(OutboxKind.POST_RECORD_CARD, record.id)]


def test_without_a_quality_channel_the_reporter_is_confirmed_and_leads_asked_once(
    db: Database,
) -> None:
    workspace = make_workspace(db, NOW, channel=None)
    raise_one(db, workspace, NOW)
    raise_one(db, workspace, NOW)
    with db.reading() as session:
        kinds = sorted(session.scalars(select(OutboxMessage.kind)))
    assert kinds == sorted(
        [OutboxKind.CONFIRM_TO_REPORTER, OutboxKind.CONFIRM_TO_REPORTER, OutboxKind.ASK_FOR_CHANNEL]
    )


def test_an_anonymous_near_miss_leaves_no_trace_of_the_reporter(db: Database) -> None:
    workspace = make_workspace(db, NOW)
    raise_one(
        db,
        workspace,
        NOW,
        reporter="USECRET",
        kind=RecordKind.NEAR_MISS,
        anonymous=True,
        view_id="VANON",
    )
    with db.reading() as session:
        dump = []
        for table in ("record", "history", "outbox_message"):
            rows = session.execute(text(f"SELECT * FROM {table}")).all()  # noqa: S608 - fixed names
            dump.extend(json.dumps([str(v) for v in row]) for row in rows)
    assert dump and not any("USECRET" in row for row in dump)


def test_the_same_view_submitted_twice_makes_one_record(db: Database) -> None:
    workspace = make_workspace(db, NOW)
    first = raise_one(db, workspace, NOW, view_id="V1")
    again = raise_one(db, workspace, NOW, view_id="V1")
    assert first.created and not again.created
    assert again.record.id == first.record.id
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Record)) == 1


def test_a_repeat_not_looked_for_clashes_on_the_view_id_and_takes_no_number(
    db: Database,
) -> None:
    workspace = make_workspace(db, NOW)
    raise_one(db, workspace, NOW, view_id="V1")
    with pytest.raises(IntegrityError), db.transaction() as session:
        records.raise_record(
            session=session,
            workspace=workspace,
            form=a_form(),
            reporter_id="UALICE",
            view_id="V1",
            now=NOW,
            look_for_earlier=False,
        )
    assert raise_one(db, workspace, NOW).record.number == 2


def test_history_cannot_be_edited_or_deleted(db: Database) -> None:
    workspace = make_workspace(db, NOW)
    raise_one(db, workspace, NOW)
    for statement in ("UPDATE history SET event = 'forged'", "DELETE FROM history"):
        with pytest.raises(DBAPIError, match="append-only"), db.transaction() as session:
            session.execute(text(statement))
    with db.reading() as session:
        assert session.scalars(select(History.event)).all() == ["raised"]


def test_get_by_number_is_scoped_to_the_workspace(db: Database) -> None:
    mine = make_workspace(db, NOW, team_id="T1")
    theirs = make_workspace(db, NOW, team_id="T2")
    raise_one(db, theirs, NOW)
    with db.reading() as session, pytest.raises(NotFound, match="not in Keel any more"):
        record_queries.get_by_number(session=session, workspace_id=mine.id, number=1)


def test_list_open_pages_and_filters_to_mine(db: Database) -> None:
    workspace = make_workspace(db, NOW)
    for index in range(12):
        raise_one(db, workspace, NOW, reporter="UALICE" if index % 2 else "UBOB")
    with db.reading() as session:
        everything = record_queries.list_open(
            session=session, workspace_id=workspace.id, user_id=None, page=2
        )
        mine = record_queries.list_open(
            session=session, workspace_id=workspace.id, user_id="UALICE", page=1
        )
        beyond = record_queries.list_open(
            session=session, workspace_id=workspace.id, user_id=None, page=99
        )
    assert (everything.total, everything.pages, len(everything.records)) == (12, 2, 2)
    assert [r.number for r in everything.records] == [2, 1]
    assert mine.total == 6 and all(r.reporter_id == "UALICE" for r in mine.records)
    assert beyond.page == 2


def test_times_come_back_aware_and_utc(db: Database) -> None:
    workspace = make_workspace(db, NOW)
    raise_one(db, workspace, NOW)
    with db.reading() as session:
        created: datetime = session.scalars(select(Record.created_at)).one()
    assert created == NOW and created.utcoffset() is not None


def test_each_kind_has_its_own_gapless_references(db: Database) -> None:
    workspace = make_workspace(db, NOW)
    kinds = [
        RecordKind.NONCONFORMITY,
        RecordKind.NEAR_MISS,
        RecordKind.NEAR_MISS,
        RecordKind.CUSTOMER_COMPLAINT,
        RecordKind.NONCONFORMITY,
        RecordKind.IMPROVEMENT,
        RecordKind.INCIDENT,
    ]
    references = [raise_one(db, workspace, NOW, kind=k).record.reference for k in kinds]
    assert references == [
        "NC-0001",
        "NM-0001",
        "NM-0002",
        "CC-0001",
        "NC-0002",
        "OFI-0001",
        "INC-0001",
    ]


def test_a_workspace_chooses_its_own_prefixes_and_earlier_references_stay(db: Database) -> None:
    workspace = make_workspace(db, NOW)
    first = raise_one(db, workspace, NOW, kind=RecordKind.IMPROVEMENT).record
    with db.transaction() as session:
        session.get_one(type(workspace), workspace.id).reference_prefixes = {"improvement": "IMP"}
        workspace = session.get_one(type(workspace), workspace.id)
        session.expunge(workspace)
    second = raise_one(db, workspace, NOW, kind=RecordKind.IMPROVEMENT).record
    assert (first.reference, second.reference) == ("OFI-0001", "IMP-0001")
    with db.transaction() as session:
        found = record_queries.get_by_reference(
            session=session, workspace_id=workspace.id, reference="OFI-0001"
        )
        assert found.id == first.id
        with pytest.raises(NotFound):
            record_queries.get_by_reference(
                session=session, workspace_id=workspace.id, reference="OFI-9"
            )
