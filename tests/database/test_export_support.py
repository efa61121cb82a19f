"""The export's documents (ISO 9001 7.5) and competence (7.2) tables, read from a real database."""

from __future__ import annotations

import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.queries.export import Period
from bot.reports.export import Export, write_csv_files, write_xlsx, write_zip
from bot.reports.index import index_html
from bot.reports.tables_support import (
    ACKNOWLEDGEMENT_COLUMNS,
    COMPETENCE_COLUMNS,
    COMPLETION_COLUMNS,
    DOCUMENT_COLUMNS,
    MATRIX_COLUMNS,
    REVISION_COLUMNS,
    ROLE_COLUMNS,
)
from storage.db import Database
from storage.models import (
    Acknowledgement,
    Competence,
    Completion,
    Document,
    DocumentRevision,
    Requirement,
    Role,
    RoleMember,
    Workspace,
)
from tests.conftest import NOW
from tests.database.helpers import make_workspace
from tests.database.test_export import read_csv

ANNA, BEN, CAROL = "UANNA001", "UBEN0002", "UCAROL03"
SUPPORT_FILES = {
    "documents.csv",
    "document_revisions.csv",
    "acknowledgements.csv",
    "competences.csv",
    "roles.csv",
    "completions.csv",
    "training_matrix.csv",
}


def _document(workspace_id: int, reference: str, title: str, **fields: object) -> Document:
    return Document(
        workspace_id=workspace_id,
        reference=reference,
        title=title,
        version=str(fields.pop("version", "1")),
        owner_id="UOWNER01",
        review_months=12,
        next_review_date=date(2027, 3, 1),
        created_at=NOW - timedelta(days=30),
        updated_at=NOW - timedelta(days=2),
        **fields,
    )


def _competence(workspace_id: int, name: str, months: int | None, **fields: object) -> Competence:
    kind = str(fields.pop("kind", "licence"))
    return Competence(
        workspace_id=workspace_id,
        name=name,
        kind=kind,
        validity_months=months,
        created_at=NOW - timedelta(days=300),
        **fields,
    )


def _completion(
    workspace_id: int, person: str, competence: Competence, done: date, expiry: date | None
) -> Completion:
    return Completion(
        workspace_id=workspace_id,
        user_id=person,
        competence_id=competence.id,
        completed_date=done,
        expiry_date=expiry,
        evidence=f"Certificate for {competence.name}",
        confirmed_by="ULEAD",
        created_at=datetime.combine(done, NOW.timetz()),
    )


def seed(db: Database, workspace: Workspace) -> None:
    """Two documents (one revised, to be read again, and read by two people), a role requiring
    two competences, a competence required directly, and completions valid, expiring, expired."""
    wid = workspace.id
    with db.transaction() as session:
        procedure = _document(wid, "PR-001", "Control of documents", version="2")
        withdrawn = _document(wid, "PR-002", '=HYPERLINK("http://x","y")', active=False)
        session.add_all([procedure, withdrawn])
        session.flush()
        session.add(
            DocumentRevision(
                workspace_id=wid,
                document_id=procedure.id,
                version="2",
                what_changed="-Step 4 now asks for a second signature",
                reread_required=True,
                author_id="UOWNER01",
                approver_id="ULEAD",
                approved_at=NOW - timedelta(days=1),
                created_at=NOW - timedelta(days=2),
            )
        )
        for person, minutes in ((ANNA, 60), (BEN, 30)):
            session.add(
                Acknowledgement(
                    workspace_id=wid,
                    document_id=procedure.id,
                    version="2",
                    user_id=person,
                    at=NOW - timedelta(minutes=minutes),
                )
            )
        forklift = _competence(wid, "Forklift licence", 12)
        first_aid = _competence(wid, "First aid", 24)
        read = _competence(wid, "Read PR-001", None, kind="document", document_id=procedure.id)
        role = Role(workspace_id=wid, name="Forklift driver", created_at=NOW - timedelta(days=200))
        session.add_all([forklift, first_aid, read, role])
        session.flush()
        session.add_all(
            [
                RoleMember(workspace_id=wid, role_id=role.id, user_id=person)
                for person in (BEN, ANNA)
            ]
            + [
                Requirement(workspace_id=wid, competence_id=forklift.id, role_id=role.id),
                Requirement(workspace_id=wid, competence_id=first_aid.id, role_id=role.id),
                Requirement(workspace_id=wid, competence_id=read.id, user_id=ANNA),
                _completion(wid, ANNA, forklift, date(2026, 3, 1), date(2027, 3, 1)),
                _completion(wid, BEN, forklift, date(2025, 12, 10), date(2026, 12, 10)),
                _completion(wid, ANNA, first_aid, date(2024, 6, 1), date(2026, 6, 1)),
                _completion(wid, ANNA, read, date(2026, 11, 23), None),
                _completion(wid, CAROL, first_aid, date(2026, 1, 5), date(2028, 1, 5)),
            ]
        )


@pytest.fixture
def workspace(db: Database) -> Workspace:
    workspace = make_workspace(db, NOW)
    seed(db, workspace)
    return workspace


def export_csv(db: Database, tmp_path: Path, **options: object) -> Path:
    write_csv_files(Export(db=db, default_tz="Europe/Berlin", now=NOW, **options), tmp_path)  # type: ignore[arg-type]
    return tmp_path


def test_the_documents_register_revisions_and_read_confirmations(
    db: Database, workspace: Workspace, tmp_path: Path
) -> None:
    out = export_csv(db, tmp_path)
    documents = read_csv(out / "documents.csv")
    assert tuple(documents[0]) == DOCUMENT_COLUMNS
    assert [(d["reference"], d["version"], d["active"]) for d in documents] == [
        ("PR-001", "2", "yes"),
        ("PR-002", "1", "no"),
    ]
    assert {d["iso_clause"] for d in documents} == {"ISO 9001 7.5"}
    assert documents[1]["title"] == '\'=HYPERLINK("http://x","y")'
    assert documents[0]["updated_at_utc"] == "2026-11-21T10:00:00Z"
    assert documents[0]["updated_at_local"] == "2026-11-21T11:00:00+01:00"
    (revision,) = read_csv(out / "document_revisions.csv")
    assert tuple(revision) == REVISION_COLUMNS
    assert (revision["document_reference"], revision["version"]) == ("PR-001", "2")
    assert revision["reread_required"] == "yes" and revision["approver"] == "ULEAD"
    assert revision["what_changed"] == "'-Step 4 now asks for a second signature"
    acks = read_csv(out / "acknowledgements.csv")
    assert tuple(acks[0]) == ACKNOWLEDGEMENT_COLUMNS
    assert [(a["person"], a["document_reference"], a["version"]) for a in acks] == [
        (ANNA, "PR-001", "2"),
        (BEN, "PR-001", "2"),
    ]
    assert acks[1]["read_at_utc"] == "2026-11-23T09:30:00Z"
    assert acks[1]["read_at_local"] == "2026-11-23T10:30:00+01:00"


def test_competences_roles_completions_and_the_matrix(
    db: Database, workspace: Workspace, tmp_path: Path
) -> None:
    out = export_csv(db, tmp_path)
    competences = read_csv(out / "competences.csv")
    assert tuple(competences[0]) == COMPETENCE_COLUMNS
    assert [
        (c["competence"], c["validity_months"], c["document_reference"]) for c in competences
    ] == [
        ("First aid", "24", ""),
        ("Forklift licence", "12", ""),
        ("Read PR-001", "", "PR-001"),
    ]
    (role,) = read_csv(out / "roles.csv")
    assert tuple(role) == ROLE_COLUMNS
    assert (role["role"], role["member_count"], role["members"]) == (
        "Forklift driver",
        "2",
        f"{ANNA}, {BEN}",
    )
    assert role["required_competences"] == "First aid; Forklift licence"
    completions = read_csv(out / "completions.csv")
    assert tuple(completions[0]) == COMPLETION_COLUMNS
    assert len(completions) == 5
    assert completions[0] == {
        "team_id": "T0KEEL",
        "person": ANNA,
        "competence": "First aid",
        "iso_clause": "ISO 9001 7.2",
        "completed_date": "2024-06-01",
        "expiry_date": "2026-06-01",
        "evidence": "Certificate for First aid",
        "confirmed_by": "ULEAD",
        "created_at_utc": "2024-06-01T10:00:00Z",
        "created_at_local": "2024-06-01T12:00:00+02:00",
    }
    matrix = read_csv(out / "training_matrix.csv")
    assert tuple(matrix[0]) == MATRIX_COLUMNS
    assert [
        (m["person"], m["competence"], m["required_by"], m["state"], m["expiry_date"])
        for m in matrix
    ] == [
        (ANNA, "Forklift licence", "Forklift driver", "valid", "2027-03-01"),
        (ANNA, "First aid", "Forklift driver", "expired", "2026-06-01"),
        (ANNA, "Read PR-001", "directly", "valid", ""),
        (BEN, "Forklift licence", "Forklift driver", "expiring", "2026-12-10"),
        (BEN, "First aid", "Forklift driver", "missing", ""),
    ]
    assert matrix[3]["completed_date"] == "2025-12-10" and matrix[4]["completed_date"] == ""
    assert {m["as_of_date"] for m in matrix} == {"2026-11-23"}


def test_a_period_keeps_revisions_reads_and_completions_in_it_and_every_register(
    db: Database, workspace: Workspace, tmp_path: Path
) -> None:
    out = export_csv(db, tmp_path, period=Period(date(2026, 11, 23), date(2026, 11, 23)))
    assert read_csv(out / "document_revisions.csv") == []
    assert len(read_csv(out / "acknowledgements.csv")) == 2
    assert [c["competence"] for c in read_csv(out / "completions.csv")] == ["Read PR-001"]
    assert len(read_csv(out / "documents.csv")) == 2
    assert len(read_csv(out / "training_matrix.csv")) == 5


def test_each_workspace_exports_only_its_own_documents_and_people(
    db: Database, workspace: Workspace, tmp_path: Path
) -> None:
    other = make_workspace(db, NOW, team_id="T0OTHER", channel=None)
    with db.transaction() as session:
        session.add(_document(other.id, "PR-001", "Someone else's procedure"))
        session.add(Role(workspace_id=other.id, name="Welder", created_at=NOW))
        session.flush()
        welding = _competence(other.id, "Forklift licence", 12)
        session.add(welding)
        session.flush()
        session.add(Requirement(workspace_id=other.id, competence_id=welding.id, user_id=CAROL))
    mine = export_csv(db, tmp_path / "mine", team_ids=["T0KEEL"])
    for name in SUPPORT_FILES:
        assert {row["team_id"] for row in read_csv(mine / name)} == {"T0KEEL"}, name
    both = export_csv(db, tmp_path / "both")
    documents = read_csv(both / "documents.csv")
    assert [(d["team_id"], d["title"]) for d in documents][-1] == (
        "T0OTHER",
        "Someone else's procedure",
    )
    matrix = read_csv(both / "training_matrix.csv")
    assert [(m["team_id"], m["person"], m["state"]) for m in matrix][-1] == (
        "T0OTHER",
        CAROL,
        "missing",
    )
    assert len(matrix) == 6  # CAROL's first aid in T0KEEL is held, not required there


def test_the_xlsx_has_the_support_sheets_with_neutralised_titles(
    db: Database, workspace: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "keel.xlsx"
    write_xlsx(Export(db=db, default_tz="UTC", now=NOW), path)
    book = load_workbook(path, read_only=True)
    assert set(book.sheetnames) >= {name.removesuffix(".csv") for name in SUPPORT_FILES}
    rows = list(book["documents"].iter_rows(values_only=True))
    assert rows[0] == DOCUMENT_COLUMNS
    assert rows[2][3] == '\'=HYPERLINK("http://x","y")'
    assert len(list(book["training_matrix"].iter_rows(values_only=True))) == 6


def test_the_audit_pack_holds_and_lists_the_support_tables(
    db: Database, workspace: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "pack.zip"
    export = Export(db=db, default_tz="UTC", now=NOW)
    write_zip(export, path, review_html="<p>pack</p>", index_html=index_html)
    with zipfile.ZipFile(path) as pack:
        assert set(pack.namelist()) >= SUPPORT_FILES
        index = pack.read("index.html").decode()
        matrix = pack.read("training_matrix.csv").decode("utf-8-sig")
    for name in SUPPORT_FILES:
        assert f'<a href="{name}">' in index
    assert "<td>5</td>" in index.split("training_matrix.csv</a>")[1][:30]
    assert matrix.splitlines()[0] == ",".join(MATRIX_COLUMNS)
    assert export.counts["acknowledgements"] == 2
