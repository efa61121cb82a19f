"""Exports for the auditor and the management review pack, read from a real database."""

from __future__ import annotations

import argparse
import csv
import zipfile
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bot.domain.records import ClosingAnswers, RecordKind
from bot.queries.export import ExportWorkspace, Period
from bot.reports import cli as reports_cli
from bot.reports.export import Export, ExportChanged, write_csv_files, write_xlsx, write_zip
from bot.reports.index import index_html
from bot.reports.review import render_for_cli
from bot.reports.tables import ACTION_COLUMNS, HISTORY_COLUMNS, RECORD_COLUMNS
from bot.settings import Settings
from storage.db import Database
from storage.models import Record, Workspace
from tests.conftest import NOW
from tests.database.helpers import make_workspace
from tests.database.test_triage import add_action, close, new_record

SETTINGS = Settings(slack_bot_token="xoxb-x", KEEL_TIMEZONE="Europe/Berlin")
VOID_ELEMENTS = {"meta", "br", "hr", "img", "input", "link"}


@pytest.fixture
def workspace(db: Database) -> Workspace:
    workspace = make_workspace(db, NOW)
    first = new_record(db, workspace, owner="UCAROL", title='=HYPERLINK("http://x","y")')
    add_action(db, first)
    new_record(db, workspace, kind=RecordKind.CUSTOMER_COMPLAINT, title="Late delivery")
    new_record(db, workspace, kind=RecordKind.NEAR_MISS, title="-Forklift & <pallet>")
    return workspace


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the byte-order mark to read UTF-8"
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def test_records_csv_keeps_what_was_decided_on_closing(
    db: Database, workspace: Workspace, tmp_path: Path
) -> None:
    answers = ClosingAnswers(risks_update_needed=True, system_change_needed=False, changes="R-04")
    with db.reading() as session:
        complaint = session.scalars(select(Record.id).where(Record.reference == "CC-0001")).one()
    close(db, complaint, override_reason="Refund agreed", answers=answers)

    write_csv_files(Export(db=db, default_tz="Europe/Berlin", now=NOW), tmp_path)

    closed = read_csv(tmp_path / "records.csv")[1]
    assert (closed["reference"], closed["status"]) == ("CC-0001", "closed")
    assert [closed[c] for c in RECORD_COLUMNS[-3:]] == ["yes", "no", "R-04"]


def test_csv_files_hold_every_record_action_and_change(
    db: Database, workspace: Workspace, tmp_path: Path
) -> None:
    export = Export(db=db, default_tz="Europe/Berlin", now=NOW)
    paths = write_csv_files(export, tmp_path)
    assert [p.name for p in paths][:3] == ["records.csv", "actions.csv", "history.csv"]
    records = read_csv(tmp_path / "records.csv")
    assert tuple(records[0]) == RECORD_COLUMNS
    # Each kind under its own prefix, as people see it in Slack.
    assert [r["reference"] for r in records] == ["NC-0001", "CC-0001", "NM-0001"]
    assert {r["risks_update_needed"] for r in records} == {""}  # none closed, none asked
    assert records[0]["title"] == '\'=HYPERLINK("http://x","y")'
    assert records[2]["title"] == "'-Forklift & <pallet>"
    assert [r["iso_clause"] for r in records] == [
        "ISO 9001 10.2",
        "ISO 9001 9.1.2",
        "ISO 45001 10.2",
    ]
    assert records[0]["created_at_utc"] == "2026-11-23T10:00:00Z"
    assert records[0]["created_at_local"] == "2026-11-23T11:00:00+01:00"
    actions = read_csv(tmp_path / "actions.csv")
    assert tuple(actions[0]) == ACTION_COLUMNS
    assert [(a["reference"], a["source"]) for a in actions] == [("NC-0001/A1", "record")]
    history = read_csv(tmp_path / "history.csv")
    assert tuple(history[0]) == HISTORY_COLUMNS
    assert {h["event"] for h in history} >= {"raised", "owner_assigned", "action_added"}
    assert any("→ UCAROL" in h["change"] for h in history)
    assert {h["record_reference"] for h in history if h["entity"] == "record"} == {
        "NC-0001",
        "CC-0001",
        "NM-0001",
    }
    assert read_csv(tmp_path / "audits.csv") == []
    assert export.counts["records"] == 3


def test_a_period_keeps_only_what_happened_in_it(
    db: Database, workspace: Workspace, tmp_path: Path
) -> None:
    export = Export(
        db=db, default_tz="UTC", now=NOW, period=Period(date(2026, 11, 24), date(2026, 12, 31))
    )
    write_csv_files(export, tmp_path)
    assert read_csv(tmp_path / "records.csv") == []
    assert export.counts["history"] == 0


def exported_workbook(db: Database, tmp_path: Path) -> Any:
    path = tmp_path / "keel.xlsx"
    write_xlsx(Export(db=db, default_tz="UTC", now=NOW), path)
    return load_workbook(path, read_only=True)


def test_xlsx_has_a_sheet_per_table_with_neutralised_text(
    db: Database, workspace: Workspace, tmp_path: Path
) -> None:
    book = exported_workbook(db, tmp_path)
    assert book.sheetnames[:5] == ["records", "actions", "history", "objectives", "measurements"]
    rows = list(book["records"].iter_rows(values_only=True))
    assert rows[0] == RECORD_COLUMNS
    assert rows[1][4] == '\'=HYPERLINK("http://x","y")'
    assert len(rows) == 4


def test_xlsx_keeps_text_as_text_and_every_empty_sheet_has_its_header(
    db: Database, workspace: Workspace, tmp_path: Path
) -> None:
    book = exported_workbook(db, tmp_path)
    records = list(book["records"].iter_rows(values_only=True))
    near_miss = next(row for row in records if row[1] == "NM-0001")
    assert near_miss[4] == "'-Forklift & <pallet>"
    assert isinstance(near_miss[0], str) and near_miss[11] == "no"
    audits = list(book["audits"].iter_rows(values_only=True))
    assert len(audits) == 1 and audits[0][0] == "team_id", "an empty table keeps its header"


def test_a_table_longer_than_a_sheet_goes_on_in_the_next(
    db: Database, workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.reports.export.XLSX_ROWS_A_SHEET", 2)
    path = tmp_path / "keel.xlsx"
    export = Export(db=db, default_tz="UTC", now=NOW)
    write_xlsx(export, path)
    book = load_workbook(path, read_only=True)
    assert book.sheetnames[:3] == ["records", "records (2)", "actions"]
    first, second = (list(book[name].iter_rows(values_only=True)) for name in book.sheetnames[:2])
    assert first[0] == second[0] == RECORD_COLUMNS
    assert [row[1] for row in first[1:] + second[1:]] == ["NC-0001", "CC-0001", "NM-0001"]
    assert export.counts["records"] == 3


def test_a_row_added_while_the_workbook_is_written_is_not_lost_silently(
    db: Database, workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted = Export.table_counts

    def one_record_fewer(self: Export, workspaces: list[ExportWorkspace]) -> dict[str, int]:
        counts = counted(self, workspaces)
        return {**counts, "records": counts["records"] - 1}

    monkeypatch.setattr("bot.reports.export.XLSX_ROWS_A_SHEET", 2)
    monkeypatch.setattr(Export, "table_counts", one_record_fewer)
    path = tmp_path / "keel.xlsx"
    with pytest.raises(ExportChanged, match="export again"):
        write_xlsx(Export(db=db, default_tz="UTC", now=NOW), path)
    assert not path.exists()


def test_the_cli_says_to_export_again_when_the_tables_grew(
    database_url: str,
    workspace: Workspace,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings = Settings(slack_bot_token="xoxb-x", database_url=database_url)
    out = tmp_path / "keel.xlsx"
    args = argparse.Namespace(start=None, end=None, team=None, format="xlsx", out=out)
    assert reports_cli.run_export(settings, args) == 0
    assert "rows)" in capsys.readouterr().out and out.exists()

    counted = Export.table_counts
    monkeypatch.setattr("bot.reports.export.XLSX_ROWS_A_SHEET", 1)
    monkeypatch.setattr(
        Export, "table_counts", lambda self, ws: {**counted(self, ws), "history": 1}
    )
    assert reports_cli.run_export(settings, args) == 1
    assert "export again" in capsys.readouterr().err
    assert not out.exists()


def test_the_zip_is_the_audit_pack(db: Database, workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "pack.zip"
    write_zip(
        Export(db=db, default_tz="UTC", now=NOW),
        path,
        review_html="<p>pack</p>",
        index_html=index_html,
    )
    with zipfile.ZipFile(path) as pack:
        names = set(pack.namelist())
        index = pack.read("index.html").decode()
    assert {"records.csv", "actions.csv", "history.csv", "objectives.csv"} <= names
    assert {"management-review.html", "index.html"} <= names
    assert "none in the period" in index and '<a href="records.csv">' in index


class TagStack(HTMLParser):
    """Fails on any element closed out of order or left open."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value and "//" in value:
                self.external.append(value)
        if tag not in VOID_ELEMENTS:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()


def test_the_review_pack_html_is_well_formed_and_self_contained(
    db: Database, workspace: Workspace
) -> None:
    html = render_for_cli(
        db,
        SETTINGS,
        start=date(2026, 9, 1),
        end=date(2026, 11, 30),
        team_id=None,
        fmt="html",
        now=NOW,
    )
    parser = TagStack()
    parser.feed(html)
    parser.close()
    assert parser.errors == [] and parser.stack == []
    assert parser.external == []
    assert "&lt;pallet&gt;" not in html  # near-miss titles are not listed, only counted
    for heading in (
        "a) Status of actions from previous management reviews",
        "b) Changes in external and internal issues",
        "c1) Customer satisfaction and feedback",
        "c6) Audit results",
        "f) Opportunities for improvement",
    ):
        assert heading in html
    assert "No audits recorded." in html
    assert "1 customer complaint in the period" in html
    assert "<svg" in html and "ISO 45001" not in html.split("<h1>")[1].split("Standards")[0]


def test_the_review_pack_in_markdown_has_a_heading_per_input(
    db: Database, workspace: Workspace
) -> None:
    text = render_for_cli(
        db,
        SETTINGS,
        start=date(2026, 9, 1),
        end=date(2026, 11, 30),
        team_id=None,
        fmt="md",
        now=NOW,
    )
    assert text.startswith("# Management review pack, Tue 1 Sep to Mon 30 Nov")
    assert text.count("\n## ") == 12
    assert "1 nonconformity raised; 0 repeats of an earlier record." in text


def test_a_table_built_ahead_in_a_helper_process_is_the_same_workbook(
    db: Database, workspace: Workspace, tmp_path: Path
) -> None:
    alone, helped = tmp_path / "alone.xlsx", tmp_path / "helped.xlsx"
    write_xlsx(Export(db=db, default_tz="Europe/Berlin", now=NOW), alone)
    export = Export(db=db, default_tz="Europe/Berlin", now=NOW, build_ahead_from=1)
    assert [table.name for table in export.built_ahead(export.table_counts(export.workspaces()))]
    write_xlsx(export, helped)
    first, second = load_workbook(alone, read_only=True), load_workbook(helped, read_only=True)
    assert first.sheetnames == second.sheetnames
    for name in first.sheetnames:
        rows = list(second[name].iter_rows(values_only=True))
        assert list(first[name].iter_rows(values_only=True)) == rows, name
    assert (
        list(second["records"].iter_rows(values_only=True))[1][4] == '\'=HYPERLINK("http://x","y")'
    )
    assert export.counts["history"] > 0
