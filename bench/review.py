"""The management review pack at scale: `python -m bot report review` over a year of a large
workspace, in HTML and in Markdown.

Seeds a scratch SQLite database (not timed, in a process of its own): N records (default
100,000) raised over two years, so half fall in the reviewed year and half in the year before
it, across every kind and 10 processes, 1 in 10 with a supplier cause, 1 in 20 anonymous; 3
actions and 10 history rows each; 20 monthly objectives with two years of values; 300 changes
to processes, objectives and settings; a management review's record with 8 decided actions.
Then renders the pack for the last year and prints, per format, the wall time, the peak RSS and
the size of the pack.

There is no target in the issue: the pack is rendered once before a meeting. What matters is
that it stays readable (long lists are cut with "…and N more") and that its time and memory
stay in proportion. Run from the repository root: `python bench/review.py [--records N]`.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert

from bench.measure import run_cli
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Action, History, Measurement, Objective, Process, Record, Workspace

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
START = NOW - timedelta(days=730)
CHUNK = 10_000
KINDS = ("nonconformity", "customer_complaint", "incident", "near_miss", "improvement")
STATUSES = ("new", "investigating", "actions_planned", "verifying", "closed", "closed")
ACTION_STATUSES = ("open", "done", "verified", "verified", "not_effective", "cancelled")


def _record(n: int, records: int) -> dict[str, object]:
    created = START + timedelta(minutes=n * 730 * 24 * 60 // records)
    return {
        "id": n, "workspace_id": 1, "number": n, "reference": f"NC-{n:04d}",
        "kind": KINDS[n % len(KINDS)], "title": f"Wrong label on batch {n}",
        "description": "Batch left with the label of another batch.",
        "occurred_date": created.date(), "severity": "medium",
        "status": STATUSES[n % len(STATUSES)], "owner_id": f"UOWNER{n % 40:02d}",
        "reporter_id": None if n % 20 == 0 else f"UREPORTER{n % 300:03d}",
        "anonymous": n % 20 == 0, "process_id": 1 + n % 10,
        "cause_category": "Supplier" if n % 10 == 0 else "Method",
        "repeat_of_id": n - 50 if n % 25 == 0 and n > 50 else None,
        "created_at": created, "updated_at": created + timedelta(days=3),
    }  # fmt: skip


def _actions(n: int, record_id: int | None = None) -> list[dict[str, object]]:
    return [
        {
            "workspace_id": 1, "record_id": record_id or n, "number": a,
            "kind": "preventive" if a == 3 else "corrective",
            "description": "Check the label against the batch card at packing.",
            "owner_id": f"UOWNER{(n + a) % 40:02d}",
            "due_date": (START + timedelta(days=n % 760)).date(),
            "status": ACTION_STATUSES[(n + a) % len(ACTION_STATUSES)], "extension_count": 0,
            "created_at": START, "updated_at": START + timedelta(days=n % 730),
        }
        for a in (1, 2, 3)
    ]  # fmt: skip


def seed(db: Database, records: int) -> None:
    with db.transaction() as session:
        session.execute(
            insert(Workspace),
            [{"team_id": "TBENCH", "created_at": START, "lead_ids": ["ULEAD"],
              "timezone": "Europe/London",
              "standards": ["iso9001", "iso45001", "iso14001"]}],
        )  # fmt: skip
        session.execute(
            insert(Process),
            [{"workspace_id": 1, "name": f"Process {p}", "created_at": START} for p in range(10)],
        )
        session.execute(
            insert(Objective),
            [
                {
                    "workspace_id": 1, "number": o, "title": f"Objective {o}",
                    "owner_id": "ULEAD", "unit": "%", "target": 95.0,
                    "direction": "at_least", "frequency": "FREQ=MONTHLY",
                    "start_date": START.date().replace(day=1), "active": True,
                    "created_at": START, "updated_at": START,
                }
                for o in range(1, 21)
            ],
        )  # fmt: skip
        month = START.date().replace(day=1)
        values = []
        while month < NOW.date().replace(day=1):
            following = (month + timedelta(days=32)).replace(day=1)
            values += [
                {"workspace_id": 1, "objective_id": o, "period_start": month,
                 "value": 90.0 + (o + month.month) % 10, "recorded_by": "ULEAD",
                 "recorded_at": datetime.combine(following, datetime.min.time(), UTC)
                 + timedelta(days=o % 9)}
                for o in range(1, 21)
            ]  # fmt: skip
            month = following
        session.execute(insert(Measurement), values)
        session.execute(
            insert(History),
            [
                {"workspace_id": 1, "entity": ("process", "objective", "workspace")[c % 3],
                 "entity_id": 1, "event": "updated", "actor_id": "ULEAD", "source": "slack",
                 "before": {"name": "old"}, "after": {"name": "new"},
                 "at": START + timedelta(days=c * 730 // 300)}
                for c in range(300)
            ],
        )  # fmt: skip
    for first in range(1, records + 1, CHUNK):
        numbers = range(first, min(first + CHUNK, records + 1))
        with db.transaction() as session:
            session.execute(insert(Record), [_record(n, records) for n in numbers])
            session.execute(insert(Action), [row for n in numbers for row in _actions(n)])
            session.execute(
                insert(History),
                [
                    {"workspace_id": 1, "entity": "record", "entity_id": n, "record_id": n,
                     "event": "status_changed", "actor_id": "ULEAD", "source": "slack",
                     "before": {"status": "new"}, "after": {"status": "investigating"},
                     "at": START + timedelta(minutes=n, seconds=h)}
                    for n in numbers
                    for h in range(10)
                ],
            )  # fmt: skip
    review = records + 1
    with db.transaction() as session:
        session.execute(
            insert(Record),
            [{**_record(review, records), "kind": "management_review",
              "reference": "MR-2025-11", "status": "investigating"}],
        )  # fmt: skip
        session.execute(
            insert(Action),
            [
                {**row, "number": a + 3 * i}
                for i in range(3)
                for a, row in enumerate(_actions(review + i, review), start=1)
            ][:8],
        )


def seed_file(url: str, records: int) -> None:
    db = Database.from_url(url)
    upgrade(db.engine)
    seed(db, records)
    db.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite:///{scratch}/bench.db"
        started = time.perf_counter()
        seeder = multiprocessing.get_context("spawn").Process(
            target=seed_file, args=(url, args.records)
        )
        seeder.start()
        seeder.join()
        if seeder.exitcode != 0:
            return 1
        print(f"seeded {args.records:,} records in {time.perf_counter() - started:.1f} s")
        env = {**os.environ, "DATABASE_URL": url, "SLACK_BOT_TOKEN": "xoxb-bench"}
        period = ["--from", "2025-11-23", "--to", "2026-11-22"]
        for fmt in ("html", "md"):
            out = Path(scratch) / f"review.{fmt}"
            run = run_cli(["report", "review", *period, "--format", fmt, "--out", str(out)], env)
            if run.returncode != 0:
                return 1
            text = out.read_text(encoding="utf-8")
            print(
                f"{fmt}: {run.seconds:.1f} s, peak RSS {run.own_mb:.0f} MB, "
                f"{len(text) / 1024:.0f} KB, {text.count(chr(10)):,} lines"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
