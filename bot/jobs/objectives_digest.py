"""The weekly objectives digest: where every objective stands, posted to a channel once a
week, on the workspace's first working day of the week from its nudge hour.

Exactly once a week: a ledger row (workspace, "#digest", "objectives_digest", ISO week) is
claimed in the transaction that queues the post (the outbox then sends it, with retries),
so a re-run, a second clock or a restart
finds the claim. A clock that was down on Monday morning posts on its return, still once;
a week with no working day open to the clock (or no objectives) gets no post.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from bot.domain.schedule import digest_period, week_start
from bot.jobs.nudges.planner import first_zone, policy_of
from bot.queries import audits, ledger, objectives
from bot.queries.workspaces import every_workspace
from bot.services import outbox
from bot.views.audits import month_text
from bot.views.objectives import weekly_digest_blocks, weekly_digest_text
from storage.db import Database
from storage.models import Workspace

log = logging.getLogger(__name__)

KIND = "objectives_digest"
# The ledger is keyed by person; the weekly digest belongs to the workspace as a whole.
WORKSPACE_KEY = "#digest"
ABOUT = "the weekly objectives digest"


@dataclass
class ObjectivesDigestReport:
    workspaces: int = 0
    posted: int = 0

    def __str__(self) -> str:
        return f"{self.workspaces} workspaces, {self.posted} weekly objectives digests queued"


def run_objectives_digest(now: datetime, db: Database, default_tz: str) -> ObjectivesDigestReport:
    """Queue this week's digest for every workspace whose moment has come at `now`."""
    report = ObjectivesDigestReport()
    with db.reading() as session:
        workspaces = every_workspace(session)
    for workspace in workspaces:
        report.workspaces += 1
        try:
            if _post_if_due(now, db, workspace, default_tz):
                report.posted += 1
        except Exception:
            # As in the nudges job: one workspace must not stop the others.
            log.exception("objectives digest failed for workspace %s", workspace.team_id)
    return report


def _post_if_due(now: datetime, db: Database, workspace: Workspace, default_tz: str) -> bool:
    channel = workspace.digest_channel or workspace.quality_channel
    if channel is None:
        return False  # the quality leads were asked to choose a channel when records came in
    zone = first_zone(workspace.timezone, default_tz)
    policy = policy_of(workspace)
    today = digest_period(now, zone, policy)
    if today is None:
        return False
    first_day = week_start(today, policy.working_days)
    week = first_day.isoformat()
    # Read first: a claimed week costs every later run of the week one short read, not a
    # write transaction.
    with db.reading() as session:
        if ledger.is_claimed(
            session, workspace_id=workspace.id, kind=KIND, key=WORKSPACE_KEY, period=week
        ):
            return False
        items = objectives.overviews(session=session, workspace_id=workspace.id, today=today)
        programme = audits.this_month(session=session, workspace_id=workspace.id, today=today)
    line = month_text(programme, today)
    with db.transaction() as session:
        won = ledger.claim(
            session,
            workspace_id=workspace.id,
            kind=KIND,
            due={WORKSPACE_KEY: week},
            now=now,
        )
        if not won or not items:
            return False  # another clock claimed it a moment ago, or nothing to say
        outbox.enqueue(
            session=session,
            workspace_id=workspace.id,
            kind=outbox.OutboxKind.CHANNEL_POST,
            payload={
                "channel": channel,
                "text": weekly_digest_text(items, line),
                "blocks": weekly_digest_blocks(items, first_day, line),
                "about": ABOUT,
            },
            now=now,
        )
    return True
