"""What `python -m bot check` reads: a workspace's channels and time zone, the clock's last run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import JobRun, Workspace


@dataclass(frozen=True)
class WorkspaceSetup:
    """The settings of a workspace that Keel has already heard from."""

    quality_channel: str | None
    digest_channel: str | None
    timezone: str | None


@dataclass(frozen=True)
class LastRun:
    job: str
    outcome: str
    finished_at: datetime


def workspace_setup(session: Session, team_id: str) -> WorkspaceSetup | None:
    """The stored settings of `team_id`, or None before Keel's first request from it."""
    row = session.execute(
        select(Workspace.quality_channel, Workspace.digest_channel, Workspace.timezone).where(
            Workspace.team_id == team_id
        )
    ).one_or_none()
    if row is None:
        return None
    return WorkspaceSetup(quality_channel=row[0], digest_channel=row[1], timezone=row[2])


def last_job_run(session: Session) -> LastRun | None:
    """The scheduled job that finished last, or None if none ever has."""
    row = session.scalars(select(JobRun).order_by(JobRun.finished_at.desc()).limit(1)).first()
    if row is None:
        return None
    return LastRun(job=row.job, outcome=row.outcome, finished_at=row.finished_at)
