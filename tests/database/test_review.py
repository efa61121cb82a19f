"""The management review: plan, decisions that become tracked actions, history, the pack."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.domain.errors import KeelError, NotAllowed
from bot.domain.records import RecordKind, RecordStatus
from bot.domain.review import DecisionCategory
from bot.forms.review import DecisionFields, PlanFields
from bot.queries import home, review_plan
from bot.queries.export import Period
from bot.queries.records import list_open
from bot.queries.review import review_figures
from bot.reports.export import Export, write_csv_files
from bot.services import review
from bot.services.permissions import Actor
from storage.db import Database
from storage.models import Action, History, OutboxMessage, Record, Workspace
from tests.database.helpers import make_workspace, raise_one
from tests.database.test_export import read_csv

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
LEAD = Actor("ULEAD", is_lead=True)
MEMBER = Actor("UALICE")
TODAY = date(2026, 12, 1)


@pytest.fixture
def workspace(db: Database) -> Workspace:
    return make_workspace(db, NOW)


def _plan(db: Database, workspace: Workspace, day: date = TODAY, actor: Actor = LEAD) -> int:
    with db.transaction() as session:
        planned = review.plan(
            session=session,
            workspace=workspace,
            actor=actor,
            fields=PlanFields(planned_date=day, attendee_ids=("UCEO", "ULEAD")),
            now=NOW,
        )
        return planned.id


def _decide(
    db: Database, workspace: Workspace, review_id: int, view_id: str | None = None, **fields: object
) -> None:
    values: dict[str, object] = {"category": DecisionCategory.RESOURCES, "text": "Hire a QA tech"}
    values.update(fields)
    with db.transaction() as session:
        found = review_plan.get(session=session, workspace_id=workspace.id, review_id=review_id)
        review.record_decision(
            session=session,
            workspace=workspace,
            review=found,
            actor=LEAD,
            fields=DecisionFields.model_validate(values),
            today=TODAY,
            now=NOW,
            view_id=view_id,
        )


def test_a_plan_covers_the_last_12_months_and_moving_it_keeps_one_review(
    db: Database, workspace: Workspace
) -> None:
    first = _plan(db, workspace, date(2026, 12, 10))
    again = _plan(db, workspace, date(2026, 12, 15))
    with db.reading() as session:
        planned = review_plan.next_review(session=session, workspace_id=workspace.id)
        events = session.scalars(
            select(History.event).where(History.entity == "management_review")
        ).all()
    assert first == again and planned is not None
    assert planned.planned_date == date(2026, 12, 15)
    assert planned.period_start_date == date(2025, 12, 15)
    assert list(events) == ["review_planned", "review_planned"]


def test_only_a_lead_plans_or_records_decisions(db: Database, workspace: Workspace) -> None:
    with pytest.raises(NotAllowed):
        _plan(db, workspace, actor=MEMBER)
    with db.reading() as session:
        assert review_plan.next_review(session=session, workspace_id=workspace.id) is None


def test_decisions_wait_for_the_review_day(db: Database, workspace: Workspace) -> None:
    review_id = _plan(db, workspace, date(2026, 12, 3))
    with pytest.raises(KeelError, match="on or after"):
        _decide(db, workspace, review_id)


def test_a_decision_form_delivered_twice_records_one_decision_and_one_action(
    db: Database, workspace: Workspace
) -> None:
    review_id = _plan(db, workspace)
    for _ in range(2):
        _decide(db, workspace, review_id, "V0REVIEW1", owner_id="UBOB", due_date=date(2027, 1, 15))
    _decide(db, workspace, review_id, "V0REVIEW2", text="Another form, another decision")
    with db.reading() as session:
        decisions = review_plan.decisions(
            session=session, workspace_id=workspace.id, review_id=review_id
        )
        actions = session.scalars(select(Action)).all()
    assert [d.text for d in decisions] == ["Hire a QA tech", "Another form, another decision"]
    assert len(actions) == 1


def test_a_decision_with_owner_and_due_date_is_a_tracked_action_with_its_dm(
    db: Database, workspace: Workspace
) -> None:
    raise_one(db, workspace, NOW)  # an ordinary record keeps its own numbering
    review_id = _plan(db, workspace)
    _decide(db, workspace, review_id, text="No decision needing an action")
    _decide(db, workspace, review_id, owner_id="UBOB", due_date=date(2027, 1, 15))
    _decide(db, workspace, review_id, owner_id="UCEO", due_date=date(2027, 2, 1))
    with db.reading() as session:
        record = session.scalars(select(Record).where(Record.kind == "management_review")).one()
        owned = session.scalars(select(Action).where(Action.record_id == record.id)).all()
        dms = session.scalars(
            select(OutboxMessage.kind).where(OutboxMessage.record_id == record.id)
        ).all()
        decisions = review_plan.decisions(
            session=session, workspace_id=workspace.id, review_id=review_id
        )
        events = session.scalars(
            select(History.event).where(History.record_id == record.id).order_by(History.id)
        ).all()
        listed = list_open(session=session, workspace_id=workspace.id, user_id=None, page=1)
    assert record.reference == "MR-0001" and record.status == "actions_planned"
    assert [(a.owner_id, a.kind) for a in owned] == [
        ("UBOB", "improvement"),
        ("UCEO", "improvement"),
    ]
    assert list(dms).count("dm_action") == 2
    assert [d.action_id is not None for d in decisions] == [False, True, True]
    assert events.count("action_added") == 2 and events.count("review_decision") == 2
    assert [r.reference for r in listed.records] == ["NC-0001"]  # not in /nc list


def test_a_next_date_marks_the_review_held_and_plans_the_next(
    db: Database, workspace: Workspace
) -> None:
    review_id = _plan(db, workspace)
    _decide(db, workspace, review_id, next_review_date=date(2027, 6, 1))
    with db.reading() as session:
        held = review_plan.last_held(session=session, workspace_id=workspace.id)
        upcoming = review_plan.next_review(session=session, workspace_id=workspace.id)
    assert held is not None and held.id == review_id and held.held_at is not None
    assert held.next_review_date == date(2027, 6, 1)
    assert upcoming is not None and upcoming.number == 2
    assert upcoming.planned_date == date(2027, 6, 1)
    assert upcoming.period_start_date == TODAY
    assert upcoming.attendee_ids == ["UCEO", "ULEAD"]


def test_the_next_pack_shows_the_review_actions_under_a(db: Database, workspace: Workspace) -> None:
    review_id = _plan(db, workspace)
    _decide(db, workspace, review_id, owner_id="UBOB", due_date=date(2027, 1, 15))
    with db.reading() as session:
        row = session.get(Workspace, workspace.id)
        assert row is not None
        figures = review_figures(
            session=session,
            workspace=row,
            tz=ZoneInfo("UTC"),
            period=Period(date(2026, 12, 1), date(2027, 6, 1)),
            today=date(2027, 2, 1),
            lead_ids=frozenset({"ULEAD"}),
        )
    assert [(a.reference, a.owner_id, a.overdue) for a in figures.review_actions] == [
        ("MR-0001/A1", "UBOB", True)
    ]
    assert figures.nonconformities == 0 and figures.open_records == 0


def test_the_export_lists_review_actions_under_their_own_reference_and_source(
    db: Database, workspace: Workspace, tmp_path: Path
) -> None:
    raise_one(db, workspace, NOW)
    review_id = _plan(db, workspace)
    _decide(db, workspace, review_id, owner_id="UBOB", due_date=date(2027, 1, 15))
    write_csv_files(Export(db=db, default_tz="UTC", now=NOW), tmp_path)
    actions = read_csv(tmp_path / "actions.csv")
    assert [(a["reference"], a["record_reference"], a["source"]) for a in actions] == [
        ("MR-0001/A1", "MR-0001", "management review")
    ]


def test_the_pack_names_improvements_by_their_own_reference(
    db: Database, workspace: Workspace
) -> None:
    raise_one(db, workspace, NOW)
    raise_one(db, workspace, NOW, kind=RecordKind.IMPROVEMENT, title="Colour-code the racks")
    with db.reading() as session:
        row = session.get(Workspace, workspace.id)
        assert row is not None
        figures = review_figures(
            session=session,
            workspace=row,
            tz=ZoneInfo("UTC"),
            period=Period(date(2026, 11, 1), TODAY),
            today=TODAY,
            lead_ids=frozenset({"ULEAD"}),
        )
    assert list(figures.improvements.entries) == ["OFI-0001 Colour-code the racks"]
    assert figures.improvements.total == 1


def test_the_review_record_is_not_counted_with_the_records_people_raise(
    db: Database, workspace: Workspace
) -> None:
    raise_one(db, workspace, NOW, reporter="ULEAD")
    _decide(db, workspace, _plan(db, workspace), owner_id="UBOB", due_date=date(2027, 1, 15))
    with db.reading() as session:
        assert session.scalar(select(Record.kind).where(Record.kind == "management_review"))
        overview = home.lead_overview(session=session, workspace_id=workspace.id, today=TODAY)
        raised = home.raised_by(session=session, workspace_id=workspace.id, user_id="ULEAD")
    assert overview.by_status == {RecordStatus.NEW: 1}
    assert raised.total == 1 and raised.records[0].kind == RecordKind.NONCONFORMITY.value


def test_consultation_counts_reports_by_others_and_anonymous_near_misses(
    db: Database, workspace: Workspace
) -> None:
    raise_one(db, workspace, NOW, reporter="ULEAD")
    raise_one(db, workspace, NOW, kind=RecordKind.NEAR_MISS, title="Forklift too fast")
    raise_one(db, workspace, NOW, kind=RecordKind.NEAR_MISS, title="Loose cable", anonymous=True)
    late = raise_one(db, workspace, NOW, title="Late delivery")
    with db.transaction() as session:
        found = session.get(Record, late.record.id)
        assert found is not None
        found.cause_category = "Supplier quality"  # as triage sets it
    with db.reading() as session:
        row = session.get(Workspace, workspace.id)
        assert row is not None
        figures = review_figures(
            session=session,
            workspace=row,
            tz=ZoneInfo("Europe/Berlin"),
            period=Period(date(2026, 11, 1), TODAY),
            today=TODAY,
            lead_ids=frozenset({"ULEAD"}),
        )
    assert (figures.near_misses, figures.anonymous_near_misses) == (2, 1)
    assert figures.raised_by_others == 2  # UALICE twice; the lead and the anonymous one not
    assert figures.monthly["near_miss"] == {"2026-12": 2}
    assert figures.nonconformities == 2 and figures.by_process == {"No process given": 4}
    assert list(figures.supplier_records.entries) == [f"{late.record.reference} Late delivery"]


def test_actions_are_counted_overdue_today_and_by_effectiveness_in_the_period(
    db: Database, workspace: Workspace
) -> None:
    record = raise_one(db, workspace, NOW).record
    inside, before = datetime(2026, 11, 10, tzinfo=UTC), datetime(2026, 10, 1, tzinfo=UTC)
    actions = [  # (owner, kind, status, due, last changed)
        ("UBOB", "corrective", "open", date(2026, 11, 30), inside),  # overdue
        ("UBOB", "corrective", "open", date(2026, 11, 1), before),  # overdue, changed before
        ("UCEO", "corrective", "open", TODAY, inside),  # due today: not overdue
        ("UCEO", "corrective", "verified", date(2026, 11, 1), inside),
        ("UCEO", "corrective", "verified", date(2026, 9, 1), before),  # outside the period
        ("UBOB", "corrective", "not_effective", date(2026, 11, 1), inside),
        ("UBOB", "preventive", "verified", date(2026, 11, 1), inside),
        ("UBOB", "preventive", "open", date(2027, 1, 1), inside),
    ]
    with db.transaction() as session:
        for number, (owner, kind, status, due, changed) in enumerate(actions, start=1):
            session.add(
                Action(
                    workspace_id=workspace.id, record_id=record.id, number=number, kind=kind,
                    description="Check the label", owner_id=owner, due_date=due, status=status,
                    created_at=before, updated_at=changed,
                )
            )  # fmt: skip
    with db.reading() as session:
        row = session.get(Workspace, workspace.id)
        assert row is not None
        figures = review_figures(
            session=session,
            workspace=row,
            tz=ZoneInfo("UTC"),
            period=Period(date(2026, 11, 1), TODAY),
            today=TODAY,
            lead_ids=frozenset({"ULEAD"}),
        )
    assert figures.overdue_actions == 2 and figures.overdue_by_owner == {"UBOB": 2}
    assert (figures.verified_effective, figures.not_effective) == (2, 1)
    assert figures.preventive == {"verified": 1, "open": 1}
    assert figures.review_actions == []
