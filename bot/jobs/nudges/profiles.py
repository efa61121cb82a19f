"""Who is who: the profiles Keel knows, refreshed from Slack when the people a run needs are
missing or old."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from bot.domain.people import stale
from bot.jobs.nudges.context import WorkspaceRun
from bot.jobs.nudges.planner import Roster
from bot.queries.people import known
from bot.services import people
from bot.slack.directory import fetch_all
from bot.slack.errors import classify

log = logging.getLogger(__name__)


def refreshed(run: WorkspaceRun, roster: Roster, wanted: set[str]) -> Roster:
    """`roster`, or a new one from Slack's `users.list` when it lacks people in `wanted` or
    knows them from too long ago (time zones change)."""
    if not stale(roster.profiles, wanted, run.now):
        return roster
    try:
        members = fetch_all(run.client)
    except (SlackApiError, OSError) as error:
        # One workspace Slack cannot answer for must not stop the others' digests.
        log.warning(
            "users.list failed in %s (%s); using known profiles",
            run.workspace.team_id,
            classify(error).code,
        )
        return roster
    members += people.unlisted(wanted, members)
    with run.db.transaction() as session:
        people.store(session=session, workspace_id=run.workspace.id, members=members, now=run.now)
    with run.db.reading() as session:
        profiles = known(session=session, workspace_id=run.workspace.id)
    return Roster(profiles, now=run.now, default_tz=roster.default_tz, lead_ids=roster.lead_ids)
