"""The daily digest and the escalation ladder, decided per workspace and per person.

Exactly once: a ledger row (workspace, person, "digest", local date) is claimed in the same
transaction that decides to send, before anything is sent; a re-run, a second clock or a
restart finds the claim and sends nothing. After the send the row says what happened:
sent (with the message, to edit in place); failed (Slack certainly did not take it: rate
limited, connection refused) and claimed again by a later run the same day; unknown (5xx or
a timeout: the DM may exist). A run killed between claim and send leaves a claimed row.
The next run settles an unknown (or long-claimed) row by looking in the person's DM
(see `settle`).

A run per workspace: read the claims and the open items, settle, refresh profiles, `planner`
decides what is due for whom, then claim and `escalate` in one transaction, then `send`.
Statements grow with workspaces, not with actions or people: each workspace costs a fixed
handful of queries; claims, escalations and results are written in bulk.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.orm import Session

from bot.jobs.nudges import planner, profiles
from bot.jobs.nudges.context import DIGEST, NudgeReport, WorkspaceRun
from bot.jobs.nudges.escalate import escalate
from bot.jobs.nudges.planner import first_zone, policy_of
from bot.jobs.nudges.send import send
from bot.jobs.nudges.settle import settle
from bot.queries import ledger
from bot.queries.audit_digest import audit_candidates
from bot.queries.digest_items import SOURCES, Candidate
from bot.queries.document_digest import document_candidates
from bot.queries.ledger import LedgerStatus
from bot.queries.people import known as known_profiles
from bot.queries.refresher_digest import KIND as REFRESHER
from bot.queries.refresher_digest import refresher_candidates
from bot.queries.review_digest import review_candidates
from bot.queries.workspaces import every_workspace
from bot.services import refreshers, review_reminders
from bot.slack.relay import ClientProvider
from storage.db import Database

__all__ = [
    "NudgeReport",
    "first_zone",
    "policy_of",
    "run_nudges",
]

log = logging.getLogger(__name__)


def run_nudges(
    now: datetime, db: Database, clients: ClientProvider, default_tz: str
) -> NudgeReport:
    """One pass over every workspace, as if the clock read `now`."""
    report = NudgeReport()
    with db.reading() as session:
        workspaces = every_workspace(session)
    for workspace in workspaces:
        report.workspaces += 1
        run = WorkspaceRun(
            now=now,
            db=db,
            client=clients.for_team(workspace.team_id),
            workspace=workspace,
            policy=policy_of(workspace),
            default_tz=workspace.timezone or default_tz,
            report=report,
        )
        try:
            _run_workspace(run)
        except Exception:
            # One workspace's bad row or bug must not cost every other workspace its
            # digests; the error is logged in full, and the next run tries again.
            log.exception("nudges failed for workspace %s", workspace.team_id)
            report.workspaces_failed += 1
    return report


def _run_workspace(run: WorkspaceRun) -> None:
    workspace_id = run.workspace.id
    with run.db.reading() as session:
        roster = planner.Roster(
            known_profiles(session=session, workspace_id=workspace_id),
            now=run.now,
            default_tz=run.default_tz,
            lead_ids=run.workspace.lead_ids or (),
        )
        claims = planner.todays_claims(
            ledger.claims(
                session,
                workspace_id=workspace_id,
                kind=DIGEST,
                periods=planner.claim_periods(run.now),
            ),
            roster,
        )
        # People whose claim is not failed need no other (their items need not even be
        # read); failed ones may be claimed again.
        done = {claim.user_id for claim in claims if claim.status != LedgerStatus.FAILED}
        candidates = _candidates(session, run, done)
    unsettled = [claim for claim in claims if planner.unsettled(claim, run.now)]
    if unsettled:
        undelivered = settle(run, unsettled)
        if undelivered:
            with run.db.reading() as session:
                candidates = _candidates(session, run, done - undelivered)
            done -= undelivered
    if not candidates:
        return
    roster = profiles.refreshed(run, roster, planner.wanted(candidates))
    plan = planner.plan(candidates, roster, run.policy)
    due_now = {
        person: day
        for person, day in planner.due_now(plan, roster, run.policy, run.now).items()
        if person not in done
    }
    with run.db.transaction() as session:
        claimed = ledger.claim(
            session, workspace_id=workspace_id, kind=DIGEST, due=due_now, now=run.now
        )
        _claim_refreshers(session, run, plan, claimed)
        review_reminders.claim_in(session, run.workspace.id, plan.lines, claimed, run.now)
        if planner.working_hours(run.now, run.policy, first_zone(run.default_tz)):
            escalate(session, run, plan.steps)
    if claimed:
        send(run, claimed, plan, roster)


def _candidates(session: Session, run: WorkspaceRun, done: set[str]) -> list[Candidate]:
    scope = planner.scope(run.workspace.id, run.now, run.policy, done)
    sources = (
        *SOURCES,
        audit_candidates,
        refresher_candidates,
        document_candidates,
        review_candidates,
    )
    return [c for source in sources for c in source(session, scope)]


def _claim_refreshers(
    session: Session, run: WorkspaceRun, plan: planner.Plan, claimed: dict[str, int]
) -> None:
    """Each refresher reminder goes in one digest: claimed with it, or left out of it."""
    wanted = [
        (person, line.key, ledger_id)
        for person, ledger_id in claimed.items()
        for line in plan.lines[person]
        if line.kind == REFRESHER
    ]
    if not wanted:
        return
    won = refreshers.claim(
        session=session, workspace_id=run.workspace.id, lines=wanted, now=run.now
    )
    for person in claimed:
        plan.lines[person] = [
            line
            for line in plan.lines[person]
            if line.kind != REFRESHER or (person, line.key) in won
        ]
