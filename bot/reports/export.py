"""Write the export: one CSV per table, one XLSX workbook, or the ZIP audit pack.

Rows stream from the database to the file; nothing holds a whole table. Every text cell is
neutralised (bot.domain.evidence.neutralise) so no spreadsheet runs it as a formula."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Literal

import xlsxwriter

from bot.domain.evidence import neutralise
from bot.queries import export as q
from bot.queries import export_support
from bot.queries.export import ExportWorkspace, Period
from bot.reports.tables import TABLES, Cell, Table
from storage.db import Database

Format = Literal["csv", "xlsx", "zip"]
# Excel's limit is 1,048,576 rows a sheet; a longer table goes on in "history (2)".
XLSX_MAX_ROWS = 1_048_576
PROGRESS_EVERY = 5_000


@dataclass
class Progress:
    """Told the expected total once, then every few thousand rows; the CLI draws it."""

    start: Callable[[int], None] = lambda total: None
    advance: Callable[[int], None] = lambda rows: None
    finish: Callable[[], None] = lambda: None


@dataclass
class Export:
    """What to export and from where; `now` is the export's moment (the training matrix's day)."""

    db: Database
    default_tz: str
    now: datetime
    period: Period = field(default_factory=Period)
    team_ids: Sequence[str] | None = None
    progress: Progress = field(default_factory=Progress)
    counts: dict[str, int] = field(default_factory=dict)

    def workspaces(self) -> list[ExportWorkspace]:
        with self.db.reading() as session:
            return q.workspaces(
                session=session, team_ids=self.team_ids, default_tz=self.default_tz, now=self.now
            )

    def expected_rows(self, workspaces: list[ExportWorkspace]) -> int:
        """The long tables' rows; the small registers are not counted ahead."""
        total = 0
        with self.db.reading() as session:
            for ws in workspaces:
                for counter in (q.count_rows, export_support.count_rows):
                    total += sum(
                        counter(session=session, workspace=ws, period=self.period).values()
                    )
        return total

    def rows(self, table: Table, workspaces: list[ExportWorkspace]) -> Iterator[tuple[Cell, ...]]:
        """A table's rows across the workspaces, counted as they go."""
        written = 0
        with self.db.reading() as session:
            for ws in workspaces:
                for row in table.rows(session, ws, self.period):
                    yield row
                    written += 1
                    if written % PROGRESS_EVERY == 0:
                        self.progress.advance(PROGRESS_EVERY)
        self.progress.advance(written % PROGRESS_EVERY)
        self.counts[table.name] = written


def safe_row(row: Sequence[Cell]) -> list[Cell]:
    return [neutralise(cell) if isinstance(cell, str) else cell for cell in row]


def write_csv(stream: IO[str], table: Table, rows: Iterator[tuple[Cell, ...]]) -> None:
    """One table as CSV (the caller opens `stream` with encoding utf-8-sig, newline="")."""
    writer = csv.writer(stream)
    writer.writerow(table.columns)
    writer.writerows(safe_row(row) for row in rows)


def write_xlsx(export: Export, path: Path) -> None:
    """Every table as a sheet, streamed (XlsxWriter's constant_memory mode)."""
    workspaces = export.workspaces()
    export.progress.start(export.expected_rows(workspaces))
    workbook = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            # Text stays text: no formula, URL or number guessing.
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    header = workbook.add_format({"bold": True})
    for table in TABLES:
        part = 1
        sheet = _sheet(workbook, table, part, header)
        row_number = 1
        for row in export.rows(table, workspaces):
            if row_number == XLSX_MAX_ROWS:
                part += 1
                sheet = _sheet(workbook, table, part, header)
                row_number = 1
            _write_row(sheet, row_number, row)
            row_number += 1
    workbook.close()
    export.progress.finish()


def _write_row(sheet: xlsxwriter.worksheet.Worksheet, row_number: int, row: Sequence[Cell]) -> None:
    """One row, cell by cell with the typed writers (`write_row` guesses each cell's type,
    which costs more). Empty text is left out: the cell stays blank, as in the CSV."""
    write_string, write_number = sheet.write_string, sheet.write_number
    for column, cell in enumerate(row):
        if cell.__class__ is str:
            if cell:
                write_string(row_number, column, neutralise(cell))
        else:
            write_number(row_number, column, cell)


def _sheet(
    workbook: xlsxwriter.Workbook, table: Table, part: int, header: object
) -> xlsxwriter.worksheet.Worksheet:
    sheet = workbook.add_worksheet(table.name if part == 1 else f"{table.name} ({part})")
    sheet.write_row(0, 0, table.columns, header)
    sheet.freeze_panes(1, 0)
    return sheet


def write_csv_files(export: Export, directory: Path) -> list[Path]:
    """One CSV per table in `directory`: UTF-8 with a byte-order mark, so Excel reads it."""
    workspaces = export.workspaces()
    export.progress.start(export.expected_rows(workspaces))
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for table in TABLES:
        path = directory / f"{table.name}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as stream:
            write_csv(stream, table, export.rows(table, workspaces))
        paths.append(path)
    export.progress.finish()
    return paths


def write_zip(
    export: Export, target: IO[bytes] | Path, *, review_html: str, index_html: Callable[..., str]
) -> None:
    """The audit pack: every table as CSV, the management review pack and an index.html."""
    workspaces = export.workspaces()
    export.progress.start(export.expected_rows(workspaces))
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as pack:
        for table in TABLES:
            with (
                pack.open(f"{table.name}.csv", "w", force_zip64=True) as raw,
                io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as stream,
            ):
                write_csv(stream, table, export.rows(table, workspaces))
        pack.writestr("management-review.html", review_html)
        pack.writestr(
            "index.html", index_html(tables=TABLES, counts=export.counts, period=export.period)
        )
    export.progress.finish()
