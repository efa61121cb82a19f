"""The XLSX export at scale: 100,000 records, each with 3 actions and 10 history rows
(1.4 million rows in all), exported by `python -m bot export --format xlsx`.

Seeds a scratch SQLite database (not timed, in a process of its own), then runs the export in a
child process and prints its wall time and peak RSS: the export process's own (its ru_maxrss)
and, sampled from /proc every 50 ms, the most the export and its helper processes held together.
Targets: <= 30 s, <= 300 MB (held together).

Run from the repository root: `python bench/export.py` (add `--records 10000` for a quick look,
`--floor` to time the XLSX writer alone writing as many cells: the least an XLSX export
can cost).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert

from bench.measure import run_cli
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Action, History, Record, Workspace

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
CHUNK = 10_000


def seed(db: Database, records: int) -> None:
    with db.transaction() as session:
        session.execute(insert(Workspace), [{"team_id": "TBENCH", "created_at": NOW}])
    for first in range(1, records + 1, CHUNK):
        numbers = range(first, min(first + CHUNK, records + 1))
        with db.transaction() as session:
            session.execute(
                insert(Record),
                [
                    {
                        "id": n, "workspace_id": 1, "number": n, "reference": f"NC-{n:04d}",
                        "kind": "nonconformity",
                        "title": f"Wrong label on batch {n}",
                        "description": "Batch left with the label of another batch.",
                        "occurred_date": date(2026, 1, 1) + timedelta(days=n % 300),
                        "severity": "medium", "status": "actions_planned", "owner_id": "UOWNER",
                        "reporter_id": "UREPORTER", "anonymous": False,
                        "created_at": NOW - timedelta(minutes=n), "updated_at": NOW,
                    }
                    for n in numbers
                ],
            )  # fmt: skip
            session.execute(
                insert(Action),
                [
                    {
                        "workspace_id": 1, "record_id": n, "number": a, "kind": "corrective",
                        "description": "Check the label against the batch card at packing.",
                        "owner_id": "UOWNER", "due_date": date(2026, 12, 4), "status": "open",
                        "extension_count": 0, "created_at": NOW, "updated_at": NOW,
                    }
                    for n in numbers
                    for a in (1, 2, 3)
                ],
            )  # fmt: skip
            session.execute(
                insert(History),
                [
                    {
                        "workspace_id": 1, "entity": "record", "entity_id": n, "record_id": n,
                        "event": "status_changed", "actor_id": "ULEAD", "source": "slack",
                        "before": {"status": "new"}, "after": {"status": "investigating"},
                        "at": NOW - timedelta(minutes=n, seconds=h),
                    }
                    for n in numbers
                    for h in range(10)
                ],
            )  # fmt: skip


def seed_file(url: str, records: int) -> None:
    db = Database.from_url(url)
    upgrade(db.engine)
    seed(db, records)
    db.dispose()


def count_cells(path: Path) -> int:
    """The cells the export wrote (the writer leaves an empty text cell out)."""
    import zipfile

    with zipfile.ZipFile(path) as book:
        return sum(
            book.read(name).count(b"<c ")
            for name in book.namelist()
            if name.startswith("xl/worksheets/")
        )


def write_bare(path: Path, cells: int, width: int = 13) -> None:
    """The floor: as many text cells of a typical length through the writer and the call the
    export uses (a generator of rows keyed by header), with no database and no row building."""
    from rustpy_xlsxwriter import FastExcel

    row = {f"column_{column:02d}": f"Text of cell {column:02d}" for column in range(width)}
    book, rows, part = FastExcel(path), cells // width, 0
    while rows > 0 or part == 0:
        part += 1
        book.sheet(f"floor {part}", (row for _ in range(min(rows, 1_000_000))))
        rows -= 1_000_000
    book.save()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument(
        "--floor",
        action="store_true",
        help="also time the XLSX writer alone writing as many cells as the export writes",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite:///{scratch}/bench.db"
        started = time.perf_counter()
        # Seeded in a process of its own: the export's child would otherwise inherit this
        # process's seeding footprint in its peak RSS (Linux keeps the pre-exec high-water mark).
        seeder = multiprocessing.get_context("spawn").Process(
            target=seed_file, args=(url, args.records)
        )
        seeder.start()
        seeder.join()
        if seeder.exitcode != 0:
            return 1
        print(f"seeded {args.records:,} records in {time.perf_counter() - started:.1f} s")
        out = Path(scratch) / "export.xlsx"
        env = {**os.environ, "DATABASE_URL": url, "SLACK_BOT_TOKEN": "xoxb-bench"}
        run = run_cli(["export", "--format", "xlsx", "--out", str(out)], env)
        if run.returncode != 0:
            return 1
        elapsed, peak_mb, together_mb = run.seconds, run.own_mb, run.together_mb
        size_mb = out.stat().st_size / 1_048_576
        print(
            f"export: {elapsed:.1f} s, peak RSS {peak_mb:.0f} MB (export process), "
            f"{together_mb:.0f} MB (export and helpers together), file {size_mb:.0f} MB"
        )
        print(f"targets: <= 30 s ({'met' if elapsed <= 30 else 'MISSED'}), "
              f"<= 300 MB ({'met' if together_mb <= 300 else 'MISSED'})")  # fmt: skip
        if args.floor:
            cells = count_cells(out)
            started = time.perf_counter()
            write_bare(Path(scratch) / "floor.xlsx", cells)
            print(f"floor: the writer alone wrote {cells:,} cells in "
                  f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
