"""Internal audits in the export and in the management review pack (ISO 9001 9.2, 9.3.2 c 6)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from bot.domain.audits import FindingGrade
from bot.queries.export import Period
from bot.reports.export import Export, write_csv_files
from bot.reports.review import render_for_cli
from bot.reports.tables import AUDIT_COLUMNS, FINDING_COLUMNS
from bot.services import audits, processes
from bot.settings import Settings
from storage.db import Database
from storage.models import Audit, Workspace
from tests.conftest import NOW
from tests.database.helpers import make_workspace
from tests.database.test_audits import LEAD, OWNER, _add, _report, _run_audit, a_plan, plan

SETTINGS = Settings(slack_bot_token="xoxb-x", KEEL_TIMEZONE="Europe/Berlin")
NOVEMBER = Period(start=date(2026, 11, 1), end=date(2026, 11, 30))


@pytest.fixture
def workspace(db: Database) -> Workspace:
    return make_workspace(db, NOW)


@pytest.fixture
def process_id(db: Database, workspace: Workspace) -> int:
    with db.transaction() as session:
        return processes.add(
            session=session,
            workspace_id=workspace.id,
            name="Purchasing",
            owner_id=OWNER,
            actor=LEAD,
            now=NOW,
        ).id


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def held_audit(db: Database, workspace: Workspace, process_id: int) -> None:
    """AUD-1 on Purchasing, held today with a minor nonconformity and an observation and
    reported; AUD-2 planned for December."""
    audit_id = _run_audit(db, workspace, process_id)
    _add(db, workspace, audit_id, FindingGrade.MINOR_NC)
    _add(db, workspace, audit_id, FindingGrade.OBSERVATION)
    _report(db, workspace, audit_id)
    plan(db, workspace, a_plan(process_id, planned_date=date(2026, 12, 7)))


def test_the_export_holds_the_audits_of_the_period_and_their_findings(
    db: Database, workspace: Workspace, process_id: int, tmp_path: Path
) -> None:
    held_audit(db, workspace, process_id)

    write_csv_files(Export(db=db, default_tz="Europe/Berlin", now=NOW, period=NOVEMBER), tmp_path)

    (audit,) = rows(tmp_path / "audits.csv")
    assert tuple(audit) == AUDIT_COLUMNS
    assert (audit["reference"], audit["iso_clause"], audit["title"]) == (
        "AUD-1",
        "ISO 9001 9.2",
        "Purchasing",
    )
    assert (audit["status"], audit["held_date"], audit["lead_auditor"]) == (
        "reported",
        "2026-11-23",
        "UAUDITOR",
    )
    assert audit["completed_at_utc"] == "2026-11-23T10:00:00Z"
    assert audit["report_conclusion"] == "Conforms"
    findings = rows(tmp_path / "audit_findings.csv")
    assert tuple(findings[0]) == FINDING_COLUMNS
    assert [(f["reference"], f["grade"], f["record_reference"]) for f in findings] == [
        ("AUD-1/F1", "minor_nc", "AF-0001"),
        ("AUD-1/F2", "observation", ""),
    ]


def test_audits_on_the_periods_last_day_are_in_it_and_the_day_after_is_not(
    db: Database, workspace: Workspace, process_id: int, tmp_path: Path
) -> None:
    plan(db, workspace, a_plan(process_id, planned_date=date(2026, 11, 30)))
    plan(db, workspace, a_plan(process_id, planned_date=date(2026, 12, 1)))
    export = Export(db=db, default_tz="Europe/Berlin", now=NOW, period=NOVEMBER)

    write_csv_files(export, tmp_path)

    assert [a["planned_date"] for a in rows(tmp_path / "audits.csv")] == ["2026-11-30"]
    assert export.counts["audits"] == 1


def test_the_review_pack_counts_cancelled_audits_and_those_past_their_day_unreported(
    db: Database, workspace: Workspace, process_id: int
) -> None:
    late = plan(db, workspace, a_plan(process_id, planned_date=date(2026, 11, 20)))
    dropped = plan(db, workspace, a_plan(process_id, planned_date=date(2026, 11, 16)))
    with db.transaction() as session:
        audit = session.get_one(Audit, dropped.audit.id)
        audits.cancel(session=session, audit=audit, reason="Line closed", actor=LEAD, now=NOW)
    assert late.audit.id != dropped.audit.id

    text = render_for_cli(
        db, SETTINGS, start=date(2026, 9, 1), end=date(2026, 11, 30), team_id=None, fmt="md",
        now=NOW,
    )  # fmt: skip

    audit_results = text.split("## c6) Audit results", 1)[1].split("\n## ", 1)[0]
    assert "No audit held and reported in the period." in audit_results
    assert "1 audit not yet reported, though its day has passed" in audit_results
    assert "1 audit cancelled" in audit_results


def test_the_review_pack_reports_the_audits_held_and_what_they_found(
    db: Database, workspace: Workspace, process_id: int
) -> None:
    held_audit(db, workspace, process_id)

    text = render_for_cli(
        db, SETTINGS, start=date(2026, 9, 1), end=date(2026, 12, 31), team_id=None, fmt="md",
        now=NOW,
    )  # fmt: skip

    audit_results = text.split("## c6) Audit results", 1)[1].split("\n## ", 1)[0]
    assert "1 audit held: 1 minor nonconformity, 1 observation" in audit_results
    assert "AUD-1 Purchasing: 2 findings" in audit_results
    assert "No audits recorded" not in audit_results
    assert "past its day" not in audit_results  # AUD-2's day has not come
