"""Planned internal audits start themselves on their day (ISO 9001 9.2): from then on the
programme shows them in progress and the lead auditor is asked for the report."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from bot.jobs.nudges.planner import first_zone
from bot.queries import audits as audit_queries
from bot.queries.workspaces import every_workspace
from bot.services import audits
from storage.db import Database

log = logging.getLogger(__name__)


@dataclass
class AuditStartReport:
    started: int = 0

    def __str__(self) -> str:
        return f"{self.started} planned audits started on their day"


def start_due_audits(now: datetime, db: Database, default_tz: str) -> AuditStartReport:
    """Start every planned audit whose day has come in its workspace's time zone."""
    report = AuditStartReport()
    with db.reading() as session:
        workspaces = every_workspace(session)
    for workspace in workspaces:
        today = now.astimezone(first_zone(workspace.timezone, default_tz)).date()
        try:
            with db.transaction() as session:
                for audit in audit_queries.due_to_start(
                    session=session, workspace_id=workspace.id, today=today
                ):
                    audits.start_if_due(session, audit, "", today, now)
                    report.started += 1
        except Exception:
            # As in the other jobs: one workspace must not stop the others.
            log.exception("starting audits failed for workspace %s", workspace.team_id)
    return report
