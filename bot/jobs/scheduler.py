"""The clock: APScheduler 3 in UTC, one process, correctness kept in Keel's own rows.

APScheduler's in-memory store cannot be shared between processes, and its default
misfire_grace_time of 1 s silently drops runs missed while the process was down. So every
job runs once at start (catching up whatever was missed, once: the jobs are idempotent),
then on its interval with coalescing, so a backlog of missed runs collapses into one.
A job that raises is logged by APScheduler with its traceback and simply runs again at its
next tick.
"""

from __future__ import annotations

import logging
from datetime import datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.jobs.registry import JOBS, Job
from bot.process.deps import Deps
from bot.slack.relay import Relay

log = logging.getLogger(__name__)

MISFIRE_GRACE_SECONDS = 3600


def run_job(job: Job, deps: Deps, relay: Relay, now: datetime | None = None) -> str:
    """Run one job as if the clock read `now` (default: the real time)."""
    at = now or deps.clock.now()
    outcome = job.run(at, deps, relay)
    log.info("job %s at %s: %s", job.name, at.isoformat(), outcome)
    return outcome


def build_scheduler(deps: Deps, relay: Relay, *, blocking: bool) -> BaseScheduler:
    scheduler_class = BlockingScheduler if blocking else BackgroundScheduler
    scheduler: BaseScheduler = scheduler_class(
        timezone="UTC",
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": MISFIRE_GRACE_SECONDS,
        },
    )
    for job in JOBS.values():
        scheduler.add_job(
            run_job,
            IntervalTrigger(seconds=job.every.total_seconds(), timezone="UTC"),
            args=[job, deps, relay],
            id=job.name,
            name=job.name,
            next_run_time=deps.clock.now(),
        )
    return scheduler
