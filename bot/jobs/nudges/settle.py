"""Settling digests whose fate is unknown: Slack's answer was lost (5xx, a timeout), or the
run that claimed them stopped before it sent. Every digest carries metadata naming its
ledger row, so the person's DM says what happened: found, it is sent (and edited in place
later); not there, it is failed and sent again. Until Slack can say, it is left alone — a
duplicate teaches people to mute Keel."""

from __future__ import annotations

import logging
from typing import NamedTuple

from slack_sdk.errors import SlackApiError

from bot.jobs.nudges.context import DIGEST_EVENT, WorkspaceRun
from bot.queries import ledger
from bot.queries.ledger import Claim, LedgerStatus
from bot.slack import history
from bot.slack.errors import classify
from bot.views.digest import DIGEST_BLOCK_PREFIX

log = logging.getLogger(__name__)


class _Looked(NamedTuple):
    outcome: ledger.Outcome | None  # None: Slack cannot say now
    slack_busy: bool = False  # rate limited: the rest wait for a later run


def settle(run: WorkspaceRun, unsettled: list[Claim]) -> set[str]:
    """Look for each unsettled digest in its person's DM, by the metadata it carries, and
    record what was found. Returns the people whose digest was certainly not delivered:
    they may have one now. Each row is taken first (see ledger.take): of two runs, one
    settles it. A row Slack cannot say about now is put back for a later run."""
    with run.db.reading() as session:
        items = ledger.items_of(session, [claim.ledger_id for claim in unsettled])
    undelivered: set[str] = set()
    for claim in unsettled:
        with run.db.transaction() as session:
            taken = ledger.take(
                session,
                claim.ledger_id,
                status=claim.status,
                claimed_at=claim.claimed_at,
                now=run.now,
            )
        if not taken:
            continue  # another run is settling it, or has
        looked = _look_for(run, claim, items.get(claim.ledger_id, []))
        outcome = looked.outcome
        with run.db.transaction() as session:
            if outcome is None:
                ledger.give_back(
                    session,
                    claim.ledger_id,
                    taken_at=run.now,
                    status=claim.status,
                    claimed_at=claim.claimed_at,
                )
            else:
                ledger.settle(session, outcome, taken_at=run.now, now=run.now)
                if outcome.status == LedgerStatus.UNDELIVERABLE:
                    run.tell_leads_undeliverable(session, claim.user_id, outcome.error or "")
        if outcome is not None:
            run.report.digests_settled += 1
            if outcome.status == LedgerStatus.FAILED:
                undelivered.add(claim.user_id)
        if looked.slack_busy:
            break
    return undelivered


def _look_for(run: WorkspaceRun, claim: Claim, keys: list[str]) -> _Looked:
    """What became of one digest, from the person's DM."""
    try:
        opened = run.client.conversations_open(users=claim.user_id)
    except (SlackApiError, OSError) as error:
        failure = classify(error)
        if not failure.permanent:
            return _Looked(None, slack_busy=failure.retry_after is not None)
        # The person cannot get a DM at all (deactivated, say): nothing was delivered.
        return _Looked(
            ledger.Outcome(claim.ledger_id, LedgerStatus.UNDELIVERABLE, keys, error=failure.code)
        )
    try:
        found = history.find_posted(
            run.client,
            str(opened["channel"]["id"]),
            event_type=DIGEST_EVENT,
            key="ledger_id",
            value=claim.ledger_id,
            since=claim.claimed_at,
        )
    except (SlackApiError, OSError, history.CannotSay) as unsure:
        log.info("could not look for %s's digest: %s", claim.user_id, unsure)
        busy = isinstance(unsure, SlackApiError) and classify(unsure).retry_after is not None
        return _Looked(None, slack_busy=busy)
    if found is None:
        return _Looked(
            ledger.Outcome(claim.ledger_id, LedgerStatus.FAILED, keys, error="not_in_dm")
        )
    # A run that stopped before recording its items left none: the message names them.
    shown = keys or [
        str(block["block_id"]).removeprefix(DIGEST_BLOCK_PREFIX)
        for block in found.get("blocks") or []
        if str(block.get("block_id", "")).startswith(DIGEST_BLOCK_PREFIX)
    ]
    return _Looked(
        ledger.Outcome(
            claim.ledger_id,
            LedgerStatus.SENT,
            shown,
            channel=str(found["channel"]),
            ts=str(found["ts"]),
        )
    )
