"""Scheduled jobs by name: each runs as if the clock read `now`, and is safe to repeat."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.jobs.audits_start import start_due_audits
from bot.jobs.nudges import run_nudges
from bot.jobs.objectives_digest import run_objectives_digest
from bot.process.deps import Deps
from bot.services.events import forget_old_events
from bot.services.job_runs import record_job_run
from bot.slack.relay import Relay

JobFunction = Callable[[datetime, Deps, Relay], str]


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    run: JobFunction
    description: str


def _job(name: str, every: timedelta, run: JobFunction, description: str) -> Job:
    """A job whose every finished run is noted in `job_run`, at the moment it finished (by
    the injected clock), so `python -m bot check` can tell whether the clock is running."""

    def run_and_record(now: datetime, deps: Deps, relay: Relay) -> str:
        outcome = run(now, deps, relay)
        with deps.db.transaction() as session:
            record_job_run(session=session, job=name, outcome=outcome, now=deps.clock.now())
        return outcome

    return Job(name, every, run_and_record, description)


def _deliver_outbox(now: datetime, deps: Deps, relay: Relay) -> str:
    report = relay.deliver_due(now)
    return f"sent {report.sent}, retrying {report.retried}, failed {report.failed}"


def _nudges(now: datetime, deps: Deps, relay: Relay) -> str:
    report = run_nudges(now, deps.db, deps.clients, deps.settings.timezone)
    relay.deliver_due(now)  # escalations to the channel, notices to leads
    return str(report)


def _objectives_digest(now: datetime, deps: Deps, relay: Relay) -> str:
    report = run_objectives_digest(now, deps.db, deps.settings.timezone)
    relay.deliver_due(now)
    return str(report)


def _start_audits(now: datetime, deps: Deps, relay: Relay) -> str:
    return str(start_due_audits(now, deps.db, deps.settings.timezone))


def _forget_old_events(now: datetime, deps: Deps, relay: Relay) -> str:
    with deps.db.transaction() as session:
        removed = forget_old_events(session=session, now=now)
    return f"forgot {removed} old event ids"


JOBS: dict[str, Job] = {
    job.name: job
    for job in (
        _job(
            "deliver-outbox",
            timedelta(minutes=1),
            _deliver_outbox,
            "send Slack messages that are queued or waiting for a retry",
        ),
        _job(
            "nudges",
            timedelta(minutes=5),
            _nudges,
            "daily digests of due and overdue items, in each person's morning; escalations",
        ),
        _job(
            "objectives-digest",
            timedelta(minutes=5),
            _objectives_digest,
            "the weekly objectives digest, posted to the digest channel on the first working day",
        ),
        _job(
            "start-audits",
            timedelta(minutes=15),
            _start_audits,
            "planned internal audits start themselves on their day",
        ),
        _job(
            "forget-old-events",
            timedelta(hours=1),
            _forget_old_events,
            "drop event ids older than a day (kept to ignore Slack's retries)",
        ),
    )
}
