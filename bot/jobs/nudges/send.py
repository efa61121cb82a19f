"""Sending the claimed digests, a few at a time (each DM waits on Slack), then recording
every outcome in one statement."""

from __future__ import annotations

from bot.jobs.nudges.context import DIGEST_EVENT, WorkspaceRun
from bot.jobs.nudges.planner import Plan, Roster
from bot.queries import ledger
from bot.queries.ledger import LedgerStatus
from bot.slack import history
from bot.slack.port import Sent, send_messages
from bot.views.digest import digest_blocks, digest_text

# DMs in flight at once per workspace: Slack answers in ~100 ms, so sending one at a time
# would take a large workspace minutes; chat.postMessage limits are per channel.
SEND_CONCURRENCY = 8


def send(run: WorkspaceRun, claimed: dict[str, int], plan: Plan, roster: Roster) -> None:
    """Send each claimed person (-> ledger id) their digest and record what Slack did."""
    people = list(claimed)
    lines_of = {person: sorted(plan.lines[person], key=lambda line: line.due) for person in people}
    messages = [
        {
            "channel": person,
            "text": digest_text(lines_of[person]),
            "blocks": digest_blocks(lines_of[person], roster.today(person)),
            "unfurl_links": False,
            "metadata": history.metadata(DIGEST_EVENT, ledger_id=claimed[person]),
        }
        for person in people
    ]
    sent = send_messages(run.client, messages, concurrency=SEND_CONCURRENCY)
    report = run.report
    results = []
    undeliverable = []
    for person, outcome in zip(people, sent, strict=True):
        ledger_id = claimed[person]
        items = [line.key for line in lines_of[person]]
        if isinstance(outcome, Sent):
            result = ledger.Outcome(
                ledger_id, LedgerStatus.SENT, items, channel=outcome.channel, ts=outcome.ts
            )
            report.digests_sent += 1
        elif outcome.failure.permanent:
            result = ledger.Outcome(
                ledger_id, LedgerStatus.UNDELIVERABLE, items, error=outcome.failure.code
            )
            undeliverable.append((person, outcome.failure.code))
            report.digests_failed += 1
        elif outcome.maybe_delivered:
            result = ledger.Outcome(
                ledger_id, LedgerStatus.UNKNOWN, items, error=outcome.failure.code
            )
            report.digests_unknown += 1
        else:
            result = ledger.Outcome(
                ledger_id, LedgerStatus.FAILED, items, error=outcome.failure.code
            )
            report.digests_failed += 1
        results.append(result)
    with run.db.transaction() as session:
        ledger.record(session, results, run.now)
        for person, code in undeliverable:
            run.tell_leads_undeliverable(session, person, code)
