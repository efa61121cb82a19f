"""One import from start to end: read, check every row, resolve against Keel, and write all
of it in one transaction, or nothing."""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TextIO

from bot.domain.directory import PeopleIndex
from bot.domain.import_columns import ImportKind
from bot.imports.check import Checked, RowError, check_table
from bot.imports.source import open_table
from bot.services import import_write, imports
from storage.db import Database


@dataclass(frozen=True)
class Options:
    dry_run: bool = False
    skip_invalid: bool = False
    rejected_path: Path | None = None  # where --skip-invalid writes the rejected rows


@dataclass
class Outcome:
    checked: Checked
    errors: list[RowError] = field(default_factory=list)
    already_imported: int = 0
    written: int = 0
    would_write: int = 0
    rejected_file: Path | None = None


def run_import(
    *,
    db: Database,
    workspace_id: int,
    people: PeopleIndex,
    kind: ImportKind,
    path: Path,
    options: Options,
    now: datetime,
    progress: Callable[[int, int | None], None] = lambda _row, _total: None,
) -> Outcome:
    """Raises source.Refused for a file that cannot be read at all. `progress` hears each
    row number and the number of rows to expect (None when unknown)."""
    table = open_table(path)
    checked = check_table(kind, table, people, lambda row: progress(row, table.total))
    outcome = Outcome(checked=checked, errors=list(checked.errors))
    if not checked.readable:
        return outcome
    with db.transaction() as session:
        resolution = imports.resolve(
            session=session, workspace_id=workspace_id, kind=kind, rows=checked.rows
        )
        outcome.already_imported = resolution.already_imported
        outcome.errors += [RowError(row, [reason]) for row, reason in resolution.errors.items()]
        outcome.errors.sort(key=lambda error: error.row)
        outcome.would_write = len(resolution.new)
        if options.dry_run or (outcome.errors and not options.skip_invalid):
            session.rollback()
            return outcome
        outcome.written = import_write.write(
            session=session,
            workspace_id=workspace_id,
            kind=kind,
            resolution=resolution,
            origin=import_write.Origin(file_name=path.name, actor_id=None, now=now),
        )
    if outcome.errors and options.rejected_path is not None:
        _write_rejected(options.rejected_path, checked.header, outcome.errors)
        outcome.rejected_file = options.rejected_path
    return outcome


def _write_rejected(path: Path, header: list[str], errors: list[RowError]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Row", "Why it was not imported", *header])
        for error in errors:
            writer.writerow([error.row, "; ".join(error.reasons), *error.cells])


def _rows(count: int) -> str:
    return f"{count:,} row" + ("" if count == 1 else "s")  # with thousands separators


def report(outcome: Outcome, options: Options, limit: int = 50) -> list[str]:
    """What happened, for the person who ran the import."""
    checked = outcome.checked
    lines = []
    if checked.unknown_columns:
        names = ", ".join(f"“{name}”" for name in checked.unknown_columns)
        lines.append(f"Columns Keel does not use (left out): {names}.")
    if checked.missing_columns:
        names = ", ".join(checked.missing_columns)
        what = "column" if len(checked.missing_columns) == 1 else "columns"
        lines.append(f"{checked.file_name} cannot be imported: it needs the {what} {names}.")
        lines.append("Nothing was written.")
        return lines
    for error in outcome.errors[:limit]:
        lines.append(f"  row {error.row}: " + "; ".join(error.reasons))
    if len(outcome.errors) > limit:
        lines.append(f"  … and {_rows(len(outcome.errors) - limit)} more.")
    if outcome.errors:
        lines.insert(
            len(lines) - min(len(outcome.errors), limit + 1),
            f"Rejected {_rows(len(outcome.errors))}:",
        )
    if outcome.already_imported:
        lines.append(f"{_rows(outcome.already_imported)} imported before: left as they are.")
    if options.dry_run:
        lines.append(
            f"Dry run: {_rows(outcome.would_write)} would be imported; nothing was written."
        )
    elif outcome.errors and not options.skip_invalid:
        lines.append(
            f"Nothing was written. Fix the rows above, or run again with --skip-invalid to "
            f"import the other {_rows(outcome.would_write)}."
        )
    else:
        lines.append(f"Imported {_rows(outcome.written)} from {checked.file_name}.")
    if outcome.rejected_file is not None:
        lines.append(f"The rejected rows are in {outcome.rejected_file}.")
    return lines


class ProgressBar:
    """A one-line bar on a terminal; silent when output is not a terminal."""

    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self._stream = stream
        self._shown = -1
        self._on = stream.isatty()

    def __call__(self, row: int, total: int | None) -> None:
        if not self._on or not total:
            return
        percent = min(100, (row - 1) * 100 // total)
        if percent != self._shown:
            self._shown = percent
            bar = "#" * (percent // 4)
            self._stream.write(f"\rChecking rows [{bar:<25}] {percent:3d}%")
            self._stream.flush()

    def done(self) -> None:
        if self._on:
            self._stream.write("\n")
