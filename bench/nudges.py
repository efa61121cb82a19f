"""The nudge job at scale: 100 workspaces x 100 owners x 10 open actions (100,000 actions),
and 10 monthly objectives per workspace, each with a year of values but October's, and 20
internal audits per workspace, from five weeks ago to eight weeks ahead (some remind today),
and 10 competences per workspace that every owner completed, expiring over the next year
(some 30 days from today, some today: refreshers).

Seeds a scratch database (SQLite file, and PostgreSQL unless --no-postgres), runs the
`nudges` job once at a fixed `now` (Monday 09:30 UTC; every owner is in UTC, so every owner
with something due gets their digest), then again at the same `now`, against the fake
Slack in its own process. Prints, per run: wall time, SQL statements issued, DMs sent.
Then runs the `objectives-digest` job twice at the same `now` (one weekly digest queued per
workspace, then none).

Targets on a 2-core machine: first run <= 10 s; statements grow with workspaces, not with
actions (compare --actions 10 with --actions 2); DMs = people with something due; the re-run
sends 0 in <= 1 s.

Run from the repository root: `python bench/nudges.py` (add `--workspaces 10` for a quick look).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine, event, insert, text

from bot.jobs.nudges import run_nudges
from bot.jobs.objectives_digest import run_objectives_digest
from bot.process import interpreter
from bot.process.deps import SingleWorkspaceClients
from storage.db import Database
from storage.migrate import upgrade
from storage.models import (
    Action,
    Audit,
    AuditCounter,
    Competence,
    Completion,
    Measurement,
    Objective,
    Process,
    Record,
    SlackUser,
    Workspace,
)

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)  # a Monday
TODAY = NOW.date()


@dataclass
class Run:
    seconds: float
    cpu: float  # this process's CPU seconds (Keel's side; the fake Slack is another process)
    statements: int
    dms: int


def count_statements(engine: Engine) -> list[int]:
    counter = [0]

    @event.listens_for(engine, "before_cursor_execute")
    def _count(*_args: Any) -> None:
        counter[0] += 1

    return counter


def seed_objectives(db: Database, per_workspace: int) -> None:
    """Monthly objectives since November 2025, each owned by one of the first owners, with a
    value for every month up to September 2026: October's is due, and asked for."""
    created = NOW - timedelta(days=400)
    months = [date(2025 + (m + 10) // 12, (m + 10) % 12 + 1, 1) for m in range(11)]
    with db.transaction() as session:
        workspaces = session.execute(text("SELECT id, team_id FROM workspace")).all()
        session.execute(
            insert(Objective),
            [
                {
                    "workspace_id": workspace_id,
                    "number": n + 1,
                    "title": f"Objective {n}",
                    "owner_id": f"U{team_id[1:]}{n:04d}",
                    "unit": "%",
                    "target": 95.0,
                    "direction": "at_least",
                    "frequency": "FREQ=MONTHLY",
                    "start_date": months[0],
                    "active": True,
                    "created_at": created,
                    "updated_at": created,
                }
                for workspace_id, team_id in workspaces
                for n in range(per_workspace)
            ],
        )
        objectives = session.execute(text("SELECT id, workspace_id FROM objective")).all()
        session.execute(
            insert(Measurement),
            [
                {
                    "workspace_id": workspace_id,
                    "objective_id": objective_id,
                    "period_start": month,
                    "value": 90.0 + (objective_id + m) % 10,
                    "recorded_by": "USEED",
                    "recorded_at": created,
                }
                for objective_id, workspace_id in objectives
                for m, month in enumerate(months)
            ],
        )


# Days from today of each workspace's audits: today, 1, 7 and 14 days ahead remind; those in
# the past without a report are chased (and some escalate); the others wait quietly.
AUDIT_DAYS = (-35, -21, -14, -8, -3, -1, 0, 1, 2, 5, 7, 9, 14, 16, 21, 28, 35, 42, 49, 56)


def seed_audits(db: Database, owners: int) -> None:
    """Five processes and 20 audits per workspace, audited and audited by the owners."""
    created = NOW - timedelta(days=60)
    with db.transaction() as session:
        workspaces = session.execute(text("SELECT id, team_id FROM workspace")).all()
        session.execute(
            insert(Process),
            [
                {
                    "workspace_id": workspace_id,
                    "name": f"Process {p}",
                    "owner_id": f"U{team_id[1:]}{p % owners:04d}",
                    "active": True,
                    "created_at": created,
                }
                for workspace_id, team_id in workspaces
                for p in range(5)
            ],
        )
        processes = session.execute(text("SELECT id, workspace_id FROM process")).all()
        process_of: dict[int, list[int]] = {}
        for process_id, workspace_id in processes:
            process_of.setdefault(workspace_id, []).append(process_id)
        rows = []
        for workspace_id, team_id in workspaces:
            person = [f"U{team_id[1:]}{o:04d}" for o in range(owners)]
            for n, days in enumerate(AUDIT_DAYS):
                day = TODAY + timedelta(days=days)
                rows.append(
                    {
                        "workspace_id": workspace_id,
                        "number": n + 1,
                        "process_id": process_of[workspace_id][n % 5],
                        "planned_date": day,
                        "held_date": day if days < 0 else None,
                        "lead_auditor_id": person[(2 * n + 1) % owners],
                        "auditor_ids": [person[(2 * n + 2) % owners]],
                        "auditee_id": person[(2 * n + 3) % owners],
                        "standards": ["iso_9001"],
                        "clauses": ["8.4"],
                        "recurrence": "FREQ=YEARLY",
                        "status": "in_progress" if days < 0 else "planned",
                        "postponements": 0,
                        "created_by": f"U{team_id[1:]}L",
                        "created_at": created,
                        "updated_at": created,
                    }
                )
        session.execute(insert(Audit), rows)
        session.execute(
            insert(AuditCounter),
            [{"workspace_id": w, "last_number": len(AUDIT_DAYS)} for w, _team in workspaces],
        )


def seed_completions(db: Database, owners: int) -> None:
    """10 yearly competences per workspace, each completed by every owner on a day of the
    past year: one in 365 expires today, one in 365 in 30 days (their refreshers are due)."""
    created = NOW - timedelta(days=400)
    with db.transaction() as session:
        workspaces = session.execute(text("SELECT id, team_id FROM workspace")).all()
        session.execute(
            insert(Competence),
            [
                {
                    "workspace_id": w,
                    "name": f"Course {c}",
                    "kind": "course",
                    "validity_months": 12,
                    "created_at": created,
                }
                for w, _team in workspaces
                for c in range(10)
            ],
        )
        competences = session.execute(text("SELECT id, workspace_id FROM competence")).all()
        team_of = dict(workspaces)
        rows = []
        for competence_id, workspace_id in competences:
            team_id = team_of[workspace_id]
            for o in range(owners):
                done = TODAY - timedelta(days=(o * 37 + competence_id * 11) % 365)
                rows.append(
                    {
                        "workspace_id": workspace_id,
                        "user_id": f"U{team_id[1:]}{o:04d}",
                        "competence_id": competence_id,
                        "completed_date": done,
                        "expiry_date": done + timedelta(days=365),
                        "created_at": created,
                    }
                )
        session.execute(insert(Completion), rows)


def seed(db: Database, workspaces: int, owners: int, per_owner: int) -> None:
    """Bulk rows, as Keel would have them after months of use; profiles already cached."""
    created = NOW - timedelta(days=30)
    with db.transaction() as session:
        session.execute(
            insert(Workspace),
            [
                {
                    "team_id": f"T{w:05d}",
                    "lead_ids": [f"U{w:05d}L"],
                    "created_at": created,
                    "quality_channel": "CQUALITY",
                }
                for w in range(workspaces)
            ],
        )
        ids = dict(session.execute(text("SELECT team_id, id FROM workspace")).all())
        session.execute(
            insert(SlackUser),
            [
                {
                    "workspace_id": ids[f"T{w:05d}"],
                    "user_id": user_id,
                    "tz": "UTC",
                    "fetched_at": NOW,
                }
                for w in range(workspaces)
                # the owners, one person with nothing, and the lead (who owns the records)
                for user_id in [*(f"U{w:05d}{o:04d}" for o in range(owners + 1)), f"U{w:05d}L"]
            ],
        )
        session.execute(
            insert(Record),
            [
                {
                    "workspace_id": ids[f"T{w:05d}"],
                    "number": o + 1,
                    "reference": f"NC-{o + 1:04d}",
                    "kind": "nonconformity",
                    "title": f"Record {o}",
                    "description": "Seeded.",
                    "occurred_date": TODAY,
                    "severity": "medium",
                    "anonymous": False,
                    "owner_id": f"U{w:05d}L",
                    "status": "actions_planned",
                    "created_at": created,
                    "updated_at": created,
                }
                for w in range(workspaces)
                for o in range(owners)
            ],
        )
        records = session.execute(text("SELECT id, workspace_id, number FROM record")).all()
        team_of = {v: k for k, v in ids.items()}
        rows = []
        for record_id, workspace_id, number in records:
            owner = f"U{team_of[workspace_id][1:]}{number - 1:04d}"
            for a in range(per_owner):
                rows.append(
                    {
                        "workspace_id": workspace_id,
                        "record_id": record_id,
                        "number": a + 1,
                        "kind": "correction",
                        "description": f"Action {a}",
                        "owner_id": owner,
                        # Some overdue (a few days, below escalation), some due soon.
                        "due_date": TODAY + timedelta(days=(a % 6) - 3),
                        "status": "open",
                        "extension_count": 0,
                        "created_at": created,
                        "updated_at": created,
                    }
                )
        for start in range(0, len(rows), 5000):
            session.execute(insert(Action), rows[start : start + 5000])


def settle(db: Database) -> None:
    """Statistics and visibility maps as months of use leave them, so that autovacuum does not
    run over the fresh rows during the measured runs."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        with db.engine.begin() as connection:
            connection.execute(text("ANALYZE"))


def measure(db: Database, api_url: str) -> Run:
    counter = count_statements(db.engine)
    interpreter.freeze_start_up_objects()  # as `clock` does once it is built
    clients = SingleWorkspaceClients(token="xoxb-test-token", base_url=api_url)
    started, cpu_started = time.perf_counter(), time.process_time()
    report = run_nudges(NOW, db, clients, "UTC")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return Run(seconds=seconds, cpu=cpu, statements=counter[0], dms=report.digests_sent)


def measure_weekly(db: Database) -> Run:
    """The objectives-digest job; `dms` counts the weekly digests it queued."""
    counter = count_statements(db.engine)
    started, cpu_started = time.perf_counter(), time.process_time()
    report = run_objectives_digest(NOW, db, "UTC")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return Run(seconds=seconds, cpu=cpu, statements=counter[0], dms=report.posted)


def bench(name: str, url: str, api_url: str, args: argparse.Namespace) -> None:
    db = Database.from_url(url)
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    upgrade(db.engine)
    started = time.perf_counter()
    seed(db, args.workspaces, args.owners, args.actions)
    seed_objectives(db, min(args.objectives, args.owners))
    seed_audits(db, args.owners)
    seed_completions(db, args.owners)
    settle(db)
    print(
        f"{name}: seeded {args.workspaces * args.owners * args.actions:,} actions, "
        f"{args.workspaces * len(AUDIT_DAYS):,} audits and "
        f"{args.workspaces * args.owners * 10:,} completions in "
        f"{time.perf_counter() - started:.1f} s"
    )
    first = measure(db, api_url)
    again = measure(db, api_url)
    for label, run in (("first run", first), ("re-run", again)):
        print(
            f"  {label:10} {run.seconds:7.2f} s wall {run.cpu:6.2f} s CPU "
            f"{run.statements:6,} statements {run.dms:6,} DMs"
        )
    weekly, weekly_again = measure_weekly(db), measure_weekly(db)
    for label, run in (("weekly", weekly), ("weekly re", weekly_again)):
        print(
            f"  {label:10} {run.seconds:7.2f} s wall {run.cpu:6.2f} s CPU "
            f"{run.statements:6,} statements {run.dms:6,} objectives digests queued"
        )
    db.dispose()


def main() -> None:
    interpreter.tune()  # as `python -m bot clock` does
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workspaces", type=int, default=100)
    parser.add_argument("--owners", type=int, default=100)
    parser.add_argument("--actions", type=int, default=10, help="open actions per owner")
    parser.add_argument("--objectives", type=int, default=10, help="objectives per workspace")
    parser.add_argument(
        "--postgres-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/keel_bench"
    )
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    args = parser.parse_args()
    fake = subprocess.Popen(  # noqa: S603 - our own script, no shell
        [sys.executable, str(Path(__file__).with_name("instant_slack.py"))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert fake.stdout is not None
        api_url = fake.stdout.readline().strip()
        print(
            f"{args.workspaces} workspaces x {args.owners} owners x {args.actions} open actions; "
            f"now = {NOW.isoformat()}; fake Slack at {api_url} (own process)"
        )
        if not args.no_sqlite:
            with tempfile.TemporaryDirectory() as folder:
                bench("sqlite", f"sqlite:///{folder}/bench.db", api_url, args)
        if not args.no_postgres:
            bench("postgresql", args.postgres_url, api_url, args)
    finally:
        assert fake.stdin is not None
        fake.stdin.close()
        fake.wait(timeout=10)


if __name__ == "__main__":
    main()
