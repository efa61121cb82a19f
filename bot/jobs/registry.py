"""Scheduled jobs by name: each runs as if the clock read `now`, and is safe to repeat."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.jobs.nudges import run_nudges
from bot.jobs.objectives_digest import run_objectives_digest
from bot.process.deps import Deps
from bot.services.events import forget_old_events
from bot.slack.relay import Relay


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    run: Callable[[datetime, Deps, Relay], str]
    description: str


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


def _forget_old_events(now: datetime, deps: Deps, relay: Relay) -> str:
    with deps.db.transaction() as session:
        removed = forget_old_events(session=session, now=now)
    return f"forgot {removed} old event ids"


JOBS: dict[str, Job] = {
    job.name: job
    for job in (
        Job(
            "deliver-outbox",
            timedelta(minutes=1),
            _deliver_outbox,
            "send Slack messages that are queued or waiting for a retry",
        ),
        Job(
            "nudges",
            timedelta(minutes=5),
            _nudges,
            "daily digests of due and overdue items, in each person's morning; escalations",
        ),
        Job(
            "objectives-digest",
            timedelta(minutes=5),
            _objectives_digest,
            "the weekly objectives digest, posted to the digest channel on the first working day",
        ),
        Job(
            "forget-old-events",
            timedelta(hours=1),
            _forget_old_events,
            "drop event ids older than a day (kept to ignore Slack's retries)",
        ),
    )
}
