"""The clock's own trace: when each scheduled job last finished, kept for `python -m bot check`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from storage import upsert
from storage.models import JobRun

OUTCOME_MAX = 200


def record_job_run(*, session: Session, job: str, outcome: str, now: datetime) -> None:
    """Note that `job` finished at `now` with `outcome`; one row per job, replaced each run."""
    outcome = outcome[:OUTCOME_MAX]
    statement = upsert.insert(session, JobRun).values(job=job, outcome=outcome, finished_at=now)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["job"], set_={"outcome": outcome, "finished_at": now}
        )
    )
