"""Write the export: one CSV per table, one XLSX workbook, or the ZIP audit pack.

Rows stream from the database to the file; nothing holds a whole table. Every text cell is
neutralised (bot.domain.evidence.neutralise) so no spreadsheet runs it as a formula."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import IO, Literal

from rustpy_xlsxwriter import FastExcel

from bot.domain.evidence import FORMULA_FIRST
from bot.queries import export as q
from bot.queries import export_support
from bot.queries.export import ExportWorkspace, Period
from bot.reports.spool import spooled
from bot.reports.tables import TABLES, Cell, Table
from storage.db import Database, is_sqlite

Format = Literal["csv", "xlsx", "zip"]
Row = list[Cell]
# Excel's limit is 1,048,576 rows a sheet, the header's included; a longer table goes on in
# "history (2)".
XLSX_ROWS_A_SHEET = 1_048_575
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
    # A table of at least this many rows is built ahead by a helper process (xlsx only).
    build_ahead_from: int = 200_000

    def workspaces(self) -> list[ExportWorkspace]:
        with self.db.reading() as session:
            return q.workspaces(
                session=session, team_ids=self.team_ids, default_tz=self.default_tz, now=self.now
            )

    def expected_rows(self, workspaces: list[ExportWorkspace]) -> int:
        return sum(self.table_counts(workspaces).values())

    def table_counts(self, workspaces: list[ExportWorkspace]) -> dict[str, int]:
        """Each table's rows across the workspaces, counted ahead."""
        totals: dict[str, int] = {}
        with self.db.reading() as session:
            for ws in workspaces:
                for counter in (q.count_rows, export_support.count_rows):
                    counts = counter(session=session, workspace=ws, period=self.period)
                    for name, count in counts.items():
                        totals[name] = totals.get(name, 0) + count
        return totals

    def rows(
        self, table: Table, workspaces: list[ExportWorkspace], built: Iterator[Row] | None = None
    ) -> Iterator[Row]:
        """A table's rows across the workspaces, neutralised and counted as they go; `built`
        when a helper process built them (`spooled`)."""
        written = 0
        for row in self.neutralised(table, workspaces) if built is None else built:
            yield row
            written += 1
            if written % PROGRESS_EVERY == 0:
                self.progress.advance(PROGRESS_EVERY)
        self.progress.advance(written % PROGRESS_EVERY)
        self.counts[table.name] = written

    def neutralised(self, table: Table, workspaces: list[ExportWorkspace]) -> Iterator[Row]:
        with self.db.reading() as session:
            for ws in workspaces:
                for row in table.rows(session, ws, self.period):
                    yield safe_row(row)

    def recipe(self, table: Table, workspaces: list[ExportWorkspace]) -> Recipe:
        url = self.db.engine.url.render_as_string(hide_password=False)
        return Recipe(url, table.name, workspaces, self.period, self.default_tz, self.now)

    def built_ahead(self, counts: dict[str, int]) -> list[Table]:
        """The tables a helper process builds while the writer works (`bot.reports.spool`):
        those long enough to repay starting one, on a database another process can open."""
        database = self.db.engine.url.database
        if is_sqlite(self.db.engine) and database in (None, "", ":memory:"):
            return []
        return [table for table in TABLES if counts.get(table.name, 0) >= self.build_ahead_from]


def safe_row(row: Sequence[Cell]) -> Row:
    """The row with every text cell neutralised; `neutralise` inlined, as this runs for each of
    the export's millions of cells."""
    return [
        ("'" + cell if cell[:1] in FORMULA_FIRST else cell) if cell.__class__ is str else cell
        for cell in row
    ]


def write_csv(stream: IO[str], table: Table, rows: Iterator[Row]) -> None:
    """One table as CSV (the caller opens `stream` with encoding utf-8-sig, newline="")."""
    writer = csv.writer(stream)
    writer.writerow(table.columns)
    writer.writerows(rows)


def write_xlsx(export: Export, path: Path) -> None:
    """Every table as a sheet, streamed: rustpy-xlsxwriter (the Rust rust_xlsxwriter under a
    Python binding) pulls each sheet's rows from its generator as it writes, in constant
    memory. XlsxWriter alone, in pure Python, needs about 4 µs a cell: 80 s for the 18 million
    cells of 100,000 records, where the target is 30 s.

    Text is written as text: a cell that starts with "=" is never a formula, a URL never a
    link, "012" never a number; control characters are escaped. Text is neutralised all the
    same, so the cell reads as it does in the CSV."""
    workspaces = export.workspaces()
    counts = export.table_counts(workspaces)
    export.progress.start(sum(counts.values()))
    with ExitStack() as helpers:
        built = {
            table.name: helpers.enter_context(spooled(build_rows, export.recipe(table, workspaces)))
            for table in export.built_ahead(counts)
        }
        book = FastExcel(path).format(bold_headers=True).freeze(row=1)
        streams = []
        for table in TABLES:
            rows = export.rows(table, workspaces, built.get(table.name))
            parts = max(1, -(-counts.get(table.name, 0) // XLSX_ROWS_A_SHEET))
            for part in range(1, parts + 1):
                name = table.name if part == 1 else f"{table.name} ({part})"
                book.sheet(name, _records(table, islice(rows, XLSX_ROWS_A_SHEET)))
            streams.append(rows)
        book.save()
        # Counted ahead, so a row added during the export would have no sheet: say so.
        if any(next(rows, None) is not None for rows in streams):
            path.unlink(missing_ok=True)
            raise ExportChanged
    export.progress.finish()


@dataclass(frozen=True)
class Recipe:
    """What a helper process needs to build one table's rows: all picklable."""

    url: str
    table: str
    workspaces: list[ExportWorkspace]
    period: Period
    default_tz: str
    now: datetime


def build_rows(recipe: Recipe) -> Iterator[Row]:
    """A table's neutralised rows, in a helper process, from a connection of its own."""
    db = Database.from_url(recipe.url)
    try:
        export = Export(db=db, default_tz=recipe.default_tz, now=recipe.now, period=recipe.period)
        table = next(table for table in TABLES if table.name == recipe.table)
        yield from export.neutralised(table, recipe.workspaces)
    finally:
        db.dispose()


class ExportChanged(RuntimeError):
    def __init__(self) -> None:
        super().__init__("Records were added while the workbook was written: export again.")


def _records(table: Table, rows: Iterator[Row]) -> Iterator[dict[str, Cell]]:
    """A sheet's rows as the writer takes them, keyed by the header. An empty table still
    has its header: a row of blank cells, which the writer leaves out, gives the header alone."""
    columns = table.columns
    empty = True
    for row in rows:
        empty = False
        yield dict(zip(columns, row, strict=True))
    if empty:
        yield dict.fromkeys(columns, "")


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
