"""Importing a register: dry run, all or nothing, re-import, and files that must be refused."""

from __future__ import annotations

import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from bot.domain.directory import PeopleIndex, Person
from bot.domain.import_columns import ImportKind
from bot.imports.run import Options, Outcome, report, run_import
from bot.imports.source import Refused
from storage.db import Database
from storage.models import Action, Completion, Document, History, OriginalReference, Record
from tests.database.helpers import make_workspace

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
PEOPLE = PeopleIndex(
    [
        Person("U0ALICE01", "alice@example.com", "Alice Martin", "alice"),
        Person("U0BOB0001", "bob@example.com", "Bob Stone", "bob"),
        Person("U0BOB0002", "bob.k@example.com", "Bob Stone", "bobk"),
    ]
)
RECORDS = (
    "Ref,Title,What happened,Type,Status,Date raised,Responsible,Cost\n"
    "CAR-2023-014,Wrong label,Batch 2231 left with the label of 2213,NC,Open,"
    "14/03/2023,alice@example.com,120\n"
    "CAR-2023-015,Late delivery,,Complaint,Closed,2023-04-02,U0ALICE01,0\n"
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(
    db: Database, path: Path, kind: ImportKind = ImportKind.RECORDS, **options: object
) -> Outcome:
    workspace = make_workspace(db, NOW)
    return run_import(
        db=db,
        workspace_id=workspace.id,
        people=PEOPLE,
        kind=kind,
        path=path,
        options=Options(**options),  # type: ignore[arg-type]
        now=NOW,
    )


def count(db: Database, model: type) -> int:
    with db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_records_are_imported_with_their_original_reference_and_history(
    db: Database, tmp_path: Path
) -> None:
    outcome = run(db, write(tmp_path, "register.csv", RECORDS))
    assert outcome.errors == []
    assert outcome.written == 2
    assert outcome.checked.unknown_columns == ["Cost"]
    with db.reading() as session:
        records = session.scalars(select(Record).order_by(Record.number)).all()
        aliases = session.scalars(select(OriginalReference.reference)).all()
        history = session.scalars(select(History).order_by(History.id)).all()
    assert [(r.number, r.kind, r.status, r.owner_id) for r in records] == [
        (1, "nonconformity", "investigating", "U0ALICE01"),
        (2, "customer_complaint", "closed", "U0ALICE01"),
    ]
    assert records[0].occurred_date == date(2023, 3, 14)
    assert records[1].description == "Late delivery"
    assert records[1].closed_at is not None
    assert sorted(aliases) == ["CAR-2023-014", "CAR-2023-015"]
    assert [h.after["imported_from"] for h in history if h.after] == [
        "register.csv, row 2",
        "register.csv, row 3",
    ]


def test_importing_the_same_file_twice_creates_nothing_new(db: Database, tmp_path: Path) -> None:
    path = write(tmp_path, "register.csv", RECORDS)
    run(db, path)
    again = run(db, path)
    assert (again.written, again.already_imported) == (0, 2)
    assert count(db, Record) == 2
    assert count(db, History) == 2
    assert "2 rows imported before: left as they are." in report(again, Options())


def test_a_dry_run_checks_every_row_and_writes_nothing(db: Database, tmp_path: Path) -> None:
    outcome = run(db, write(tmp_path, "register.csv", RECORDS), dry_run=True)
    assert outcome.would_write == 2
    assert count(db, Record) == 0
    assert report(outcome, Options(dry_run=True))[-1] == (
        "Dry run: 2 rows would be imported; nothing was written."
    )


MALFORMED = (
    "Reference,Title,Date,Owner\n"
    "CAR-1,Fine,2023-01-05,alice\n"
    "CAR-2,Wrong date,next week,alice\n"
    "CAR-3,Nobody,2023-01-05,carol@example.com\n"
    "CAR-4,Two Bobs,2023-01-05,Bob Stone\n"
    "car-1,Duplicate,2023-01-06,alice\n"
    'CAR-6,=HYPERLINK("x"),2023-01-06,alice\n'
    ",No reference,2023-01-06,alice\n"
)


def test_one_bad_row_means_nothing_is_written(db: Database, tmp_path: Path) -> None:
    outcome = run(db, write(tmp_path, "bad.csv", MALFORMED))
    assert count(db, Record) == 0
    reasons = {error.row: "; ".join(error.reasons) for error in outcome.errors}
    assert reasons == {
        3: "Date “next week” is not a date (write it as 2024-03-31 or 31/03/2024)",
        4: "Owner no one in this workspace has the email address “carol@example.com”",
        5: "Owner “Bob Stone” could be 2 people; give their email address instead",
        6: "Reference is the same as on row 2",
        7: "Title is a formula; save the sheet with values instead (Paste Special)",
        8: "Reference is empty",
    }
    assert report(outcome, Options())[-1].startswith("Nothing was written.")


def test_skip_invalid_writes_the_valid_rows_and_a_file_of_the_rest(
    db: Database, tmp_path: Path
) -> None:
    rejected = tmp_path / "bad.rejected.csv"
    outcome = run(
        db, write(tmp_path, "bad.csv", MALFORMED), skip_invalid=True, rejected_path=rejected
    )
    assert outcome.written == 1
    assert count(db, Record) == 1
    lines = rejected.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 7
    assert lines[0] == "Row,Why it was not imported,Reference,Title,Date,Owner"


def test_missing_required_columns_are_named(db: Database, tmp_path: Path) -> None:
    outcome = run(db, write(tmp_path, "cols.csv", "Ref,Notes\nCAR-1,x\n"))
    lines = report(outcome, Options())
    assert "needs the columns Title, Date" in lines[-2]
    assert count(db, Record) == 0


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.csv", b"", "is empty"),
        ("blank.csv", b"\n\n", "has no header row"),
        ("photo.xlsx", b"\x89PNG\r\n\x1a\nnot a workbook", "is not an Excel workbook"),
        ("binary.csv", b"PK\x03\x04\x00\x00binary", "is not a CSV file"),
        ("notes.pdf", b"%PDF-1.4", "is not a .csv or .xlsx file"),
    ],
)
def test_files_that_are_not_spreadsheets_are_refused(
    db: Database, tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(Refused, match=reason):
        run(db, path)


def test_a_ten_megabyte_cell_is_refused(db: Database, tmp_path: Path) -> None:
    path = write(
        tmp_path, "huge.csv", "Ref,Title,Date\nCAR-1," + "x" * 10_000_000 + ",2023-01-01\n"
    )
    with pytest.raises(Refused, match="longer than 32,767 characters"):
        run(db, path)
    assert count(db, Record) == 0


def test_a_file_over_the_size_limit_is_refused(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.imports.source.MAX_FILE_BYTES", 100)
    with pytest.raises(Refused, match="Keel imports files up to 0 MB"):
        run(db, write(tmp_path, "big.csv", "Ref,Title,Date\n" + "CAR-1,x,2023-01-01\n" * 10))


def xlsx(tmp_path: Path, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    path = tmp_path / "register.xlsx"
    workbook.save(path)
    return path


def test_xlsx_dates_and_formulas(db: Database, tmp_path: Path) -> None:
    path = xlsx(
        tmp_path,
        [
            ["Reference", "Subject", "Date raised", "Owner"],
            ["CAR-7", "Real dates", datetime(2023, 5, 1), "Alice Martin"],
            ["CAR-8", "=A2", datetime(2023, 5, 2), "alice"],
        ],
    )
    outcome = run(db, path)
    assert [(e.row, e.reasons) for e in outcome.errors] == [
        (3, ["Title is a formula; save the sheet with values instead (Paste Special)"])
    ]
    fixed = xlsx(
        tmp_path, [["Reference", "Subject", "Date raised"], ["CAR-7", "Ok", date(2023, 5, 1)]]
    )
    assert run(db, fixed).written == 1


def test_xlsx_with_a_ten_megabyte_cell_is_refused(db: Database, tmp_path: Path) -> None:
    # openpyxl cuts what it writes at 32,767 characters; a hostile file is written by hand.
    made = xlsx(tmp_path, [["Reference", "Title", "Date"], ["CAR-1", "PLACEHOLDER", "2023-01-01"]])
    path = tmp_path / "hostile.xlsx"
    with zipfile.ZipFile(made) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename).replace(b"PLACEHOLDER", b"x" * 10_000_000)
            target.writestr(item, data)
    with pytest.raises(Refused, match="a cell may hold at most 32,767"):
        run(db, path)


def test_actions_hang_on_imported_records_and_keep_past_due_dates(
    db: Database, tmp_path: Path
) -> None:
    run(db, write(tmp_path, "register.csv", RECORDS))
    actions = write(
        tmp_path,
        "actions.csv",
        "Action ref,CAR,Action,Assigned to,Target date\n"
        "A-1,car-2023-014,Relabel the batch,alice,2023-04-01\n"
        "A-2,CC-0001,Call the customer,alice,2023-05-01\n"
        "A-3,CAR-1999-001,Unknown record,alice,2023-05-01\n",
    )
    outcome = run(db, actions, ImportKind.ACTIONS)
    assert [(e.row, e.reasons) for e in outcome.errors] == [
        (4, ["Record “CAR-1999-001” is not in Keel: import the records first"])
    ]
    assert count(db, Action) == 0
    fixed = write(tmp_path, "actions.csv", "\n".join(actions.read_text().splitlines()[:3]))
    assert run(db, fixed, ImportKind.ACTIONS).written == 2
    with db.reading() as session:
        due = session.scalars(select(Action.due_date).order_by(Action.id)).all()
    assert due == [date(2023, 4, 1), date(2023, 5, 1)]
    assert run(db, fixed, ImportKind.ACTIONS).written == 0


def test_documents_and_training_import(db: Database, tmp_path: Path) -> None:
    documents = write(
        tmp_path,
        "documents.csv",
        "Doc No,Title,Rev,Owner,URL,Review interval,Last reviewed\n"
        "PR-012,Control of nonconforming output,3,alice,https://drive.example/pr012,24,2025-01-15\n",
    )
    assert run(db, documents, ImportKind.DOCUMENTS).written == 1
    with db.reading() as session:
        document = session.scalars(select(Document)).one()
    assert (document.version, document.next_review_date) == ("3", date(2027, 1, 15))
    training = write(
        tmp_path,
        "training.csv",
        "Employee,Course,Date completed,Valid for (months),Trainer\n"
        "alice,Forklift licence,2025-06-30,12,bob@example.com\n"
        "bob@example.com,Forklift licence,2024-01-10,12,alice\n",
    )
    assert run(db, training, ImportKind.TRAINING).written == 2
    with db.reading() as session:
        expiries = session.scalars(select(Completion.expiry_date).order_by(Completion.id)).all()
    assert expiries == [date(2026, 6, 30), date(2025, 1, 10)]
    assert run(db, training, ImportKind.TRAINING).written == 0
