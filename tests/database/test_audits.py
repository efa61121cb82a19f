"""Internal audits against a real database: impartiality, rotation, the qualified list,
postponing, findings as linked records, recurrence, the report and the programme."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from bot.domain.audits import AuditStatus, FindingGrade, Recurrence
from bot.domain.errors import KeelError, NotAllowed
from bot.domain.records import RecordKind
from bot.forms.audits import AuditPlan, Finding, Postponement, Report
from bot.forms.record import FormErrors
from bot.jobs.audits_start import start_due_audits
from bot.queries import audits as queries
from bot.services import audit_reports, audits, processes
from bot.services.permissions import Actor
from storage.db import Database
from storage.models import Audit, History, OutboxMessage, Record, SlackUser, Workspace
from tests.conftest import NOW
from tests.database.helpers import make_workspace

LEAD = Actor("ULEAD", is_lead=True)
OWNER = "UOWNER"
AUDITOR = "UAUDITOR"
TODAY = NOW.date()  # Monday 23 Nov 2026


@pytest.fixture
def workspace(db: Database) -> Workspace:
    return make_workspace(db, NOW)


@pytest.fixture
def process_id(db: Database, workspace: Workspace) -> int:
    with db.transaction() as session:
        process = processes.add(
            session=session,
            workspace_id=workspace.id,
            name="Purchasing",
            owner_id=OWNER,
            actor=LEAD,
            now=NOW,
        )
        return process.id


def a_plan(process_id: int | None, **overrides: object) -> AuditPlan:
    fields: dict[str, object] = {
        "process_id": process_id,
        "planned_date": date(2026, 12, 7),
        "lead_auditor": AUDITOR,
        "scope": "Supplier selection",
        "clauses": ("8.4",),
    }
    fields.update(overrides)
    return AuditPlan.model_validate(fields)


def plan(db: Database, workspace: Workspace, the_plan: AuditPlan) -> audits.Planned:
    with db.transaction() as session:
        return audits.plan(
            session=session, workspace_id=workspace.id, plan=the_plan, actor=LEAD, now=NOW
        )


def test_the_process_owner_cannot_audit_their_own_process(
    db: Database, workspace: Workspace, process_id: int
) -> None:
    with pytest.raises(FormErrors) as refused:
        plan(db, workspace, a_plan(process_id, lead_auditor=OWNER))
    assert "owns the audited process" in refused.value.errors["lead_auditor"]
    with pytest.raises(FormErrors) as refused:
        plan(db, workspace, a_plan(process_id, auditors=("UEE",), auditee="UEE"))
    assert "is the auditee" in refused.value.errors["auditors"]
    with db.reading() as session:
        assert session.scalars(select(Audit)).all() == []


def test_a_lead_overrides_with_a_reason_kept_in_history(
    db: Database, workspace: Workspace, process_id: int
) -> None:
    planned = plan(db, workspace, a_plan(process_id, lead_auditor=OWNER, override_reason="Sole"))
    with db.reading() as session:
        audit = session.get(Audit, planned.audit.id)
        assert audit is not None and audit.impartiality_override == "Sole"
        assert audit.auditee_id == OWNER  # the process owner by default
        entry = session.scalars(select(History).where(History.entity == "audit")).one()
        assert entry.event == "planned"
        assert entry.after and entry.after["impartiality_override"] == "Sole"


def test_only_leads_plan(db: Database, workspace: Workspace, process_id: int) -> None:
    with db.transaction() as session, pytest.raises(NotAllowed):
        audits.plan(
            session=session,
            workspace_id=workspace.id,
            plan=a_plan(process_id),
            actor=Actor(AUDITOR),
            now=NOW,
        )


def test_rotation_is_a_warning_with_suggestions(
    db: Database, workspace: Workspace, process_id: int
) -> None:
    first = plan(db, workspace, a_plan(process_id, planned_date=date(2026, 3, 2), auditors=("UB",)))
    assert first.warnings == []
    plan(db, workspace, a_plan(process_id, planned_date=date(2026, 5, 4), lead_auditor="UC"))
    plan(db, workspace, a_plan(process_id, planned_date=date(2026, 6, 1), lead_auditor="UC"))
    second = plan(
        db, workspace, a_plan(process_id, planned_date=date(2026, 12, 7), lead_auditor="UC")
    )
    assert len(second.warnings) == 1 and "previous audit" in second.warnings[0]
    assert second.suggested == [AUDITOR, "UB"]  # UC leads this one


def test_the_qualified_list_decides_who_leads(
    db: Database, workspace: Workspace, process_id: int
) -> None:
    with db.transaction() as session:
        audits.set_qualified(
            session=session, workspace_id=workspace.id, user_ids=["UQ1", "UQ2"], actor=LEAD, now=NOW
        )
    with pytest.raises(FormErrors) as refused:
        plan(db, workspace, a_plan(process_id))
    assert "qualified auditors" in refused.value.errors["lead_auditor"]
    planned = plan(db, workspace, a_plan(process_id, lead_auditor="UQ2"))
    assert planned.suggested == ["UQ1"]


def test_bots_deactivated_people_and_retired_processes_are_refused(
    db: Database, workspace: Workspace, process_id: int
) -> None:
    with db.transaction() as session:
        session.add(
            SlackUser(workspace_id=workspace.id, user_id="UBOT", is_bot=True, fetched_at=NOW)
        )
        session.add(
            SlackUser(workspace_id=workspace.id, user_id="UGONE", deleted=True, fetched_at=NOW)
        )
    with pytest.raises(FormErrors) as refused:
        plan(db, workspace, a_plan(process_id, lead_auditor="UBOT", auditors=("UGONE",)))
    assert "is a bot" in refused.value.errors["lead_auditor"]
    assert "is deactivated" in refused.value.errors["auditors"]
    with db.transaction() as session:
        processes.get(
            session=session, workspace_id=workspace.id, process_id=process_id
        ).active = False
    with pytest.raises(FormErrors) as refused:
        plan(db, workspace, a_plan(process_id))
    assert "retired" in refused.value.errors["audit_process"]


def test_postponing_counts_and_keeps_history(
    db: Database, workspace: Workspace, process_id: int
) -> None:
    planned = plan(db, workspace, a_plan(process_id))
    with db.transaction() as session:
        audit = queries.get(session=session, workspace_id=workspace.id, audit_id=planned.audit.id)
        audits.postpone(
            session=session,
            audit=audit,
            postponement=Postponement(new_date=date(2027, 1, 11), reason="Stocktake"),
            actor=Actor(AUDITOR),
            now=NOW,
        )
    with db.reading() as session:
        audit = queries.get(session=session, workspace_id=workspace.id, audit_id=planned.audit.id)
        assert (audit.planned_date, audit.postponements) == (date(2027, 1, 11), 1)
        detail = queries.detail(session=session, workspace_id=workspace.id, audit=audit)
        postponed = detail.history[-1]
        assert postponed.before == {"planned_date": "2026-12-07", "postponements": 0}
        assert postponed.after and postponed.after["reason"] == "Stocktake"
    with db.transaction() as session, pytest.raises(NotAllowed):
        audits.postpone(
            session=session,
            audit=queries.get(session=session, workspace_id=workspace.id, audit_id=audit.id),
            postponement=Postponement(new_date=date(2027, 2, 1), reason="x"),
            actor=Actor("USTRANGER"),
            now=NOW,
        )


def _run_audit(db: Database, workspace: Workspace, process_id: int, **plan_fields: object) -> int:
    planned = plan(db, workspace, a_plan(process_id, planned_date=TODAY, **plan_fields))
    with db.transaction() as session:
        audit = queries.get(session=session, workspace_id=workspace.id, audit_id=planned.audit.id)
        audits.start(session=session, audit=audit, actor=Actor(AUDITOR), today=TODAY, now=NOW)
    return planned.audit.id


def _add(db: Database, workspace: Workspace, audit_id: int, grade: FindingGrade) -> int | None:
    with db.transaction() as session:
        audit = queries.get(session=session, workspace_id=workspace.id, audit_id=audit_id)
        row = audit_reports.add_finding(
            session=session,
            workspace=workspace,
            audit=audit,
            finding=Finding(grade=grade, clause="8.4.1", evidence="No supplier evaluation"),
            actor=Actor(AUDITOR),
            today=TODAY,
            now=NOW,
        )
        return row.record_id


def test_findings_become_linked_records_with_their_own_reference(
    db: Database, workspace: Workspace, process_id: int
) -> None:
    audit_id = _run_audit(db, workspace, process_id)
    nc = _add(db, workspace, audit_id, FindingGrade.MINOR_NC)
    ofi = _add(db, workspace, audit_id, FindingGrade.OFI)
    assert _add(db, workspace, audit_id, FindingGrade.OBSERVATION) is None
    with db.reading() as session:
        found = {r.id: r for r in session.scalars(select(Record))}
        assert found[nc or 0].kind == RecordKind.AUDIT_FINDING.value
        assert found[ofi or 0].kind == RecordKind.IMPROVEMENT.value
        assert {r.audit_id for r in found.values()} == {audit_id}
        assert {r.owner_id for r in found.values()} == {OWNER}
        assert sorted(r.number for r in found.values()) == [1, 2]
        assert "AUD-1" in found[nc or 0].title
        cards = session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "post_record_card")
        ).all()
        assert {card.record_id for card in cards} == {nc, ofi}
        lines = queries.findings(session=session, workspace_id=workspace.id, audit_id=audit_id)
        # Each record under its kind's prefix, as its card shows it.
        assert [line.record_reference for line in lines] == ["AF-0001", "OFI-0001", None]


def test_findings_wait_for_the_audit_to_start(
    db: Database, workspace: Workspace, process_id: int
) -> None:
    planned = plan(db, workspace, a_plan(process_id))
    with pytest.raises(KeelError, match="in progress"):
        _add(db, workspace, planned.audit.id, FindingGrade.MINOR_NC)


def _report(db: Database, workspace: Workspace, audit_id: int, now: datetime = NOW) -> Audit | None:
    with db.transaction() as session:
        audit = queries.get(session=session, workspace_id=workspace.id, audit_id=audit_id)
        return audit_reports.record_report(
            session=session,
            audit=audit,
            report=Report(summary="Went well", conclusion="Conforms", clauses_covered=("8.4",)),
            actor=Actor(AUDITOR),
            today=now.date(),
            now=now,
        )


def test_recurrence_plans_the_next_audit_on_its_cycle_date(
    db: Database, workspace: Workspace, process_id: int
) -> None:
    audit_id = _run_audit(db, workspace, process_id, recurrence=Recurrence.QUARTERLY)
    late = datetime(2026, 12, 18, 10, tzinfo=NOW.tzinfo)  # reported weeks after the audit
    following = _report(db, workspace, audit_id, now=late)
    assert following is not None
    with db.reading() as session:
        again = queries.get(session=session, workspace_id=workspace.id, audit_id=following.id)
        assert again.planned_date == date(2027, 2, 23)  # 3 months from 23 Nov, not 18 Dec
        assert (again.status, again.number, again.previous_id) == ("planned", 2, audit_id)
        done = queries.get(session=session, workspace_id=workspace.id, audit_id=audit_id)
        assert done.status == AuditStatus.CLOSED.value  # no nonconformity: closes itself
    with pytest.raises(KeelError, match="already has its report"):
        _report(db, workspace, audit_id)


def test_an_open_nonconformity_keeps_the_audit_reported(
    db: Database, workspace: Workspace, process_id: int
) -> None:
    audit_id = _run_audit(db, workspace, process_id)
    _add(db, workspace, audit_id, FindingGrade.MAJOR_NC)
    assert _report(db, workspace, audit_id) is None
    with db.transaction() as session:
        audit = queries.get(session=session, workspace_id=workspace.id, audit_id=audit_id)
        assert audit.status == AuditStatus.REPORTED.value
        audits.close(session=session, audit=audit, reason="Actions agreed", actor=LEAD, now=NOW)
        assert audit.status == AuditStatus.CLOSED.value


def test_the_programme(db: Database, workspace: Workspace, process_id: int) -> None:
    with db.transaction() as session:
        processes.add(
            session=session,
            workspace_id=workspace.id,
            name="Sales",
            owner_id=None,
            actor=LEAD,
            now=NOW,
        )
    plan(db, workspace, a_plan(process_id, planned_date=date(2026, 11, 2), held_already=True))
    plan(db, workspace, a_plan(process_id))
    with db.reading() as session:
        seen = queries.programme(session=session, workspace_id=workspace.id, today=TODAY)
    assert [a.number for a in seen.overdue] == [1]
    assert [a.number for a in seen.upcoming] == [2]
    assert [c.process.name for c in seen.uncovered] == ["Purchasing", "Sales"]
    assert all(c.last_audited is None for c in seen.uncovered)


def test_my_audits_as_lead_other_auditor_or_auditee(
    db: Database, workspace: Workspace, process_id: int
) -> None:
    plan(db, workspace, a_plan(process_id, auditors=("UOTHER",)))
    plan(db, workspace, a_plan(process_id, planned_date=date(2026, 12, 14), auditee="UEE"))
    cancelled = plan(db, workspace, a_plan(process_id, auditors=("UOTHER",))).audit.id
    with db.transaction() as session:
        audit = queries.get(session=session, workspace_id=workspace.id, audit_id=cancelled)
        audits.cancel(session=session, audit=audit, reason="Merged", actor=LEAD, now=NOW)
    with db.reading() as session:

        def numbers(user_id: str) -> tuple[list[int], int]:
            seen = queries.mine(session=session, workspace_id=workspace.id, user_id=user_id)
            return [a.number for a in seen.audits], seen.total

        assert numbers(AUDITOR) == ([1, 2], 2)
        assert numbers("UOTHER") == ([1], 1)  # the cancelled one is not theirs to do
        assert numbers(OWNER) == ([1], 1)  # the auditee by default
        assert numbers("UEE") == ([2], 1)
        assert numbers("UOTH") == ([], 0)  # a prefix of an id is not that person
        few = queries.mine(session=session, workspace_id=workspace.id, user_id=AUDITOR, limit=1)
        assert ([a.number for a in few.audits], few.total) == ([1], 2)
        assert few.process_names[process_id] == "Purchasing"


def test_a_planned_audit_starts_itself_on_its_day_once(
    db: Database, workspace: Workspace, process_id: int
) -> None:
    planned = plan(db, workspace, a_plan(process_id))
    audit_id = planned.audit.id
    the_eve = datetime(2026, 12, 6, 22, 0, tzinfo=NOW.tzinfo)  # 23:00 in Berlin
    assert start_due_audits(the_eve, db, "Europe/Berlin").started == 0
    the_day = datetime(2026, 12, 6, 23, 30, tzinfo=NOW.tzinfo)  # 00:30 on the 7th in Berlin
    assert start_due_audits(the_day, db, "Europe/Berlin").started == 1
    assert start_due_audits(the_day, db, "Europe/Berlin").started == 0  # a second clock
    with db.reading() as session:
        audit = session.get_one(Audit, audit_id)
        assert (audit.status, audit.held_date) == (AuditStatus.IN_PROGRESS, date(2026, 12, 7))
        started = session.scalars(
            select(History).where(History.entity == "audit", History.event == "started")
        ).all()
        assert [(entry.source, entry.actor_id) for entry in started] == [("job", None)]
