"""Reading a CSV or XLSX file into rows of cells, refusing what is too big or not a table.

XLSX is read by openpyxl in read-only mode; with defusedxml installed (a dependency of Keel)
openpyxl parses the workbook's XML through it, so entity-expansion and external-entity
attacks are refused rather than followed.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import BinaryIO

MAX_FILE_BYTES = 50 * 1024 * 1024
# Excel's own limit for one cell; anything longer did not come from a spreadsheet.
MAX_CELL_CHARS = 32_767
MAX_COLUMNS = 200

Cell = str | int | float | date | datetime | time | None


class Refused(Exception):
    """The file cannot be imported at all; the message says why, for the person importing."""


@dataclass(frozen=True)
class Table:
    """A file's header and its data rows, each with its row number as a spreadsheet shows it
    (the header is row 1)."""

    name: str
    header: list[str]
    rows: Iterator[tuple[int, list[Cell]]]
    total: int | None  # rows to expect, when the file says (for the progress bar)


def open_table(path: Path) -> Table:
    """The table in a .csv or .xlsx file, or Refused with a clear reason."""
    if not path.is_file():
        raise Refused(f"{path} is not a file.")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise Refused(
            f"{path.name} is {size / 1_048_576:.0f} MB; Keel imports files up to "
            f"{MAX_FILE_BYTES // 1_048_576} MB. Split it, or save only the columns you need."
        )
    if size == 0:
        raise Refused(f"{path.name} is empty.")
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _xlsx(path)
    if suffix in (".csv", ".txt"):
        return _csv(path)
    raise Refused(f"{path.name} is not a .csv or .xlsx file.")


def _csv(path: Path) -> Table:
    raw = path.read_bytes()
    if b"\x00" in raw[:8192]:
        raise Refused(f"{path.name} is not a CSV file (it holds binary data).")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:8192], ",;\t")
    except csv.Error:
        dialect = csv.excel
    csv.field_size_limit(MAX_CELL_CHARS + 1)
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise Refused(f"{path.name} could not be read as CSV: {error}.") from error
    if header is None or not any(cell.strip() for cell in header):
        raise Refused(f"{path.name} has no header row.")
    _check_width(path.name, len(header))
    total = max(text.count("\n") - 1, 0)

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        number = 1
        try:
            for row in reader:
                number += 1
                if any(cell.strip() for cell in row):
                    _check_cells(path.name, number, row)
                    yield number, list(row)
        except csv.Error as error:
            raise Refused(
                f"{path.name}, row {number + 1}, could not be read: {_csv_reason(error)}."
            ) from error

    return Table(path.name, [cell.strip() for cell in header], rows(), total)


def _csv_reason(error: csv.Error) -> str:
    if "field larger than field limit" in str(error):
        return f"a cell is longer than {MAX_CELL_CHARS:,} characters"
    return str(error)


def _xlsx(path: Path) -> Table:
    import openpyxl  # imported here: only the import command needs it
    from openpyxl.utils.exceptions import InvalidFileException

    if not zipfile.is_zipfile(path):
        raise Refused(f"{path.name} is not an Excel workbook (.xlsx).")
    handle: BinaryIO = path.open("rb")
    try:
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        handle.close()
        raise Refused(f"{path.name} is not a readable Excel workbook: {error}.") from error
    sheet = workbook.worksheets[0]
    cells = sheet.iter_rows(values_only=True)
    header_row = next(cells, None)
    if header_row is None or not any(cell not in (None, "") for cell in header_row):
        workbook.close()
        handle.close()
        raise Refused(f"{path.name} has no header row on its first sheet.")
    header = [str(cell).strip() if cell is not None else "" for cell in header_row]
    while header and not header[-1]:
        header.pop()
    _check_width(path.name, len(header))
    total = max((sheet.max_row or 1) - 1, 0) if sheet.max_row else None

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        try:
            for number, row in enumerate(cells, start=2):
                values: list[Cell] = list(row)
                if any(value not in (None, "") for value in values):
                    _check_cells(path.name, number, values)
                    yield number, values
        finally:
            workbook.close()
            handle.close()

    return Table(path.name, header, rows(), total)


def _check_width(name: str, width: int) -> None:
    if width > MAX_COLUMNS:
        raise Refused(f"{name} has {width} columns; Keel reads at most {MAX_COLUMNS}.")


def _check_cells(name: str, number: int, row: Sequence[Cell]) -> None:
    for value in row:
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            raise Refused(
                f"{name}, row {number}, has a cell of {len(value):,} characters; "
                f"a cell may hold at most {MAX_CELL_CHARS:,}."
            )
