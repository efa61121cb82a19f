"""Importing a large register: 100,000 records from CSV (and XLSX with --xlsx) into a scratch
database, with 500 people in the directory, then the same file again (nothing new).

Target on a 2-core machine: the first import <= 60 s; the re-import writes 0 rows.

Run from the repository root: `python bench/import.py` (add `--rows 10000` for a quick look,
`--database-url postgresql+psycopg://…` for PostgreSQL, `--xlsx --floor` to time openpyxl
reading the XLSX file alone, the least an XLSX import can cost).
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text

from bot.domain.directory import PeopleIndex, Person
from bot.domain.import_columns import ImportKind
from bot.imports.run import Options, run_import
from bot.services.workspaces import WorkspaceDefaults, ensure_workspace
from storage.db import Database
from storage.migrate import upgrade

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
PEOPLE = 500
HEADER = ["Ref", "Title", "What happened", "Type", "Status", "Date raised", "Responsible"]


def _row(number: int) -> list[str]:
    return [
        f"CAR-{number:06d}",
        f"Finding {number}",
        f"Batch {number} left with the wrong label; found at goods-in.",
        ("NC", "Complaint", "Near miss", "Incident")[number % 4],
        ("Open", "Closed")[number % 2],
        f"{1 + number % 28:02d}/{1 + number % 12:02d}/2023",
        f"person{number % PEOPLE}@example.com",
    ]


def write_csv(path: Path, rows: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for number in range(1, rows + 1):
            writer.writerow(_row(number))


def write_xlsx(path: Path, rows: int) -> None:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADER)
    for number in range(1, rows + 1):
        sheet.append(_row(number))
    workbook.save(path)


def read_xlsx_bare(path: Path) -> int:
    """Every cell of the first sheet read as the import reads it (read-only, values only), and
    nothing done with it: what openpyxl costs before Keel does any work."""
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    cells = sum(len(row) for row in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return cells


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--xlsx", action="store_true", help="also import the same rows as XLSX")
    parser.add_argument("--database-url", help="default: a scratch SQLite file")
    parser.add_argument(
        "--floor", action="store_true", help="also time openpyxl alone reading the XLSX file"
    )
    args = parser.parse_args()
    people = PeopleIndex(
        [
            Person(f"U{n:08d}", f"person{n}@example.com", f"Person {n}", f"p{n}")
            for n in range(PEOPLE)
        ]
    )
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        files = [folder / "register.csv"]
        write_csv(files[0], args.rows)
        if args.xlsx:
            files.append(folder / "register.xlsx")
            write_xlsx(files[1], args.rows)
        for path in files:
            url = args.database_url or f"sqlite:///{folder / (path.suffix[1:] + '.db')}"
            db = Database.from_url(url)
            if args.database_url:
                with db.engine.begin() as connection:
                    connection.execute(text("DROP SCHEMA public CASCADE"))
                    connection.execute(text("CREATE SCHEMA public"))
            upgrade(db.engine)
            with db.transaction() as session:
                workspace = ensure_workspace(
                    session=session,
                    team_id="T0BENCH",
                    enterprise_id=None,
                    defaults=WorkspaceDefaults(quality_channel=None, lead_ids=[]),
                    now=NOW,
                )
            size = path.stat().st_size / 1_048_576
            if args.floor and path.suffix == ".xlsx":
                started = time.perf_counter()
                cells = read_xlsx_bare(path)
                print(
                    f"{path.name} read by openpyxl alone (the floor): "
                    f"{time.perf_counter() - started:.1f} s, {cells:,} cells"
                )
            for attempt in ("first", "again"):
                started = time.perf_counter()
                outcome = run_import(
                    db=db,
                    workspace_id=workspace.id,
                    people=people,
                    kind=ImportKind.RECORDS,
                    path=path,
                    options=Options(),
                    now=NOW,
                )
                elapsed = time.perf_counter() - started
                print(
                    f"{path.name} ({size:.1f} MB, {db.engine.dialect.name}) {attempt}: "
                    f"{elapsed:.1f} s, {outcome.written:,} written, "
                    f"{outcome.already_imported:,} imported before, {len(outcome.errors)} errors"
                )
            db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
