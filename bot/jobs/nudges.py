"""The daily digest and the escalation ladder, decided per workspace and per person.

Exactly once: a ledger row (workspace, person, "digest", local date) is claimed in the same
transaction that decides to send, before anything is sent; a re-run, a second clock or a
restart finds the claim and sends nothing. After the send the row says what happened:
sent (with the message, to edit in place); failed (Slack certainly did not take it: rate
limited, connection refused) and claimed again by a later run the same day; unknown (5xx or
a timeout: the DM may exist). A run killed between claim and send leaves a claimed row.
Every digest carries metadata naming its ledger row, so the next run settles an unknown (or
long-claimed) row by looking in the person's DM: found, it is sent (and edited in place
later); not there, it is failed and sent again. Until Slack can say, it is left alone — a
duplicate teaches people to mute Keel.

Statements grow with workspaces, not with actions or people: each workspace costs a fixed
handful of queries; claims, escalations and results are written in bulk.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import insert as insert_rows
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.schedule import NudgePolicy, Step, digest_period, escalation_steps, horizon, urgency
from bot.queries import ledger
from bot.queries.audit_digest import audit_candidates, audit_urgency
from bot.queries.digest_items import SOURCES, Candidate, Scope
from bot.queries.ledger import LedgerStatus
from bot.services import notify, outbox, people
from bot.services.history import Source
from bot.slack import history
from bot.slack.errors import classify
from bot.slack.port import Sent, send_messages
from bot.slack.relay import ClientProvider
from bot.views.digest import DIGEST_BLOCK_PREFIX, DigestLine, digest_blocks, digest_text
from storage import upsert
from storage.db import Database
from storage.models import Action, DeliveryLedger, Escalation, History, Workspace

log = logging.getLogger(__name__)

DIGEST = "digest"
DIGEST_EVENT = "keel_digest"  # message metadata: {"ledger_id": ...}
# A claim this old whose run never said what happened: that run stopped before it sent.
# Generous: one run stamps every workspace's claims with the time it started.
STALE_CLAIM = timedelta(hours=1)
# DMs in flight at once per workspace: Slack answers in ~100 ms, so sending one at a time
# would take a large workspace minutes; chat.postMessage limits are per channel.
SEND_CONCURRENCY = 8


@dataclass
class NudgeReport:
    workspaces: int = 0
    workspaces_failed: int = 0
    digests_sent: int = 0
    digests_unknown: int = 0
    digests_failed: int = 0
    digests_settled: int = 0  # unknown ones found in the DM, or found missing
    escalations: int = 0

    def __str__(self) -> str:
        return (
            f"{self.workspaces} workspaces, {self.digests_sent} digests sent, "
            f"{self.digests_failed} failed, {self.digests_unknown} unknown, "
            f"{self.escalations} escalation steps"
            + (f", {self.digests_settled} earlier digests settled" if self.digests_settled else "")
            + (f", {self.workspaces_failed} workspaces failed" if self.workspaces_failed else "")
        )


def policy_of(workspace: Workspace) -> NudgePolicy:
    return NudgePolicy(
        nudge_hour=workspace.nudge_hour,
        quiet_hour=workspace.quiet_hour,
        working_days=frozenset(workspace.working_days),
        due_soon_days=workspace.due_soon_days,
        escalate_to_owner_days=workspace.escalate_to_owner_days,
        escalate_to_channel_days=workspace.escalate_to_channel_days,
    )


def run_nudges(
    now: datetime, db: Database, clients: ClientProvider, default_tz: str
) -> NudgeReport:
    """One pass over every workspace, as if the clock read `now`."""
    report = NudgeReport()
    with db.reading() as session:
        workspaces = list(session.scalars(select(Workspace).order_by(Workspace.id)))
    for workspace in workspaces:
        report.workspaces += 1
        client = clients.for_team(workspace.team_id)
        try:
            _Workspace(now, db, client, workspace, default_tz, report).run()
        except Exception:
            # One workspace's bad row or bug must not cost every other workspace its
            # digests; the error is logged in full, and the next run tries again.
            log.exception("nudges failed for workspace %s", workspace.team_id)
            report.workspaces_failed += 1
    return report


class _Claim(NamedTuple):
    ledger_id: int
    user_id: str
    status: str
    claimed_at: datetime


@dataclass
class _Plan:
    lines: dict[str, list[DigestLine]] = field(default_factory=lambda: defaultdict(list))
    steps: list[tuple[Candidate, Step, int]] = field(default_factory=list)


class _Workspace:
    def __init__(
        self,
        now: datetime,
        db: Database,
        client: WebClient,
        workspace: Workspace,
        default_tz: str,
        report: NudgeReport,
    ) -> None:
        self.now, self.db, self.client, self.workspace = now, db, client, workspace
        self.policy = policy_of(workspace)
        self.default_tz = workspace.timezone or default_tz
        self.report = report
        self.profiles: dict[str, people.Profile] = {}
        self._todays: dict[str, date] = {}
        self._slack_busy = False  # Slack rate limited the settling of earlier digests

    def run(self) -> None:
        with self.db.reading() as session:
            self.profiles = people.known(session=session, workspace_id=self.workspace.id)
            claims = self._todays_claims(session)
            done = {claim.user_id for claim in claims if claim.status != LedgerStatus.FAILED}
            candidates = self._candidates(session, done)
        unsettled = [claim for claim in claims if self._unsettled(claim)]
        if unsettled:
            undelivered = self._settle(unsettled)
            if undelivered:
                with self.db.reading() as session:
                    candidates = self._candidates(session, done - undelivered)
                done -= undelivered
        if not candidates:
            return
        self._refresh_profiles(candidates)
        plan = self._plan(candidates)
        due_now = {p: day for p, day in self._due_now(plan).items() if p not in done}
        with self.db.transaction() as session:
            claimed = ledger.claim(
                session, workspace_id=self.workspace.id, kind=DIGEST, due=due_now, now=self.now
            )
            if self._working_hours():
                self._escalate(session, plan.steps)
        if claimed:
            self._send(claimed, plan)

    def _candidates(self, session: Session, done: set[str]) -> list[Candidate]:
        scope = Scope(
            workspace_id=self.workspace.id,
            horizon=horizon(self.now, self.policy),
            done=frozenset(done),
            escalating=(self.now - timedelta(days=self.policy.escalate_to_owner_days - 1)).date(),
            latest_today=(self.now + timedelta(hours=14)).date(),
        )
        return [c for source in (*SOURCES, audit_candidates) for c in source(session, scope)]

    def _todays_claims(self, session: Session) -> list[_Claim]:
        """Digests claimed for each person's local today: people whose claim is not failed
        need no other (their items need not even be read); failed ones may be claimed again."""
        days = {(self.now + timedelta(hours=offset)).date().isoformat() for offset in (-12, 0, 14)}
        rows = session.execute(
            select(
                DeliveryLedger.id,
                DeliveryLedger.user_id,
                DeliveryLedger.period,
                DeliveryLedger.status,
                DeliveryLedger.claimed_at,
            ).where(
                DeliveryLedger.workspace_id == self.workspace.id,
                DeliveryLedger.kind == DIGEST,
                DeliveryLedger.period.in_(days),
            )
        )
        return [
            _Claim(ledger_id, user, status, claimed_at)
            for ledger_id, user, period, status, claimed_at in rows
            if period == self._today(user).isoformat()
        ]

    def _unsettled(self, claim: _Claim) -> bool:
        """Sent or not? Slack's answer was lost, or the run that claimed it stopped."""
        if claim.status == LedgerStatus.UNKNOWN:
            return True
        return claim.status == LedgerStatus.CLAIMED and claim.claimed_at < self.now - STALE_CLAIM

    def _settle(self, unsettled: list[_Claim]) -> set[str]:
        """Look for each unsettled digest in its person's DM, by the metadata it carries, and
        record what was found. Returns the people whose digest was certainly not delivered:
        they may have one now. Each row is taken first (see ledger.take): of two runs, one
        settles it. A row Slack cannot say about now is put back for a later run."""
        with self.db.reading() as session:
            items = {
                ledger_id: keys
                for ledger_id, keys in session.execute(
                    select(DeliveryLedger.id, DeliveryLedger.items).where(
                        DeliveryLedger.id.in_([claim.ledger_id for claim in unsettled])
                    )
                )
            }
        undelivered: set[str] = set()
        self._slack_busy = False
        for claim in unsettled:
            if self._slack_busy:
                break  # rate limited: the rest wait for a later run
            with self.db.transaction() as session:
                taken = ledger.take(
                    session,
                    claim.ledger_id,
                    status=claim.status,
                    claimed_at=claim.claimed_at,
                    now=self.now,
                )
            if not taken:
                continue  # another run is settling it, or has
            outcome = self._look_for(claim, list(items.get(claim.ledger_id) or []))
            with self.db.transaction() as session:
                if outcome is None:
                    ledger.give_back(
                        session,
                        claim.ledger_id,
                        taken_at=self.now,
                        status=claim.status,
                        claimed_at=claim.claimed_at,
                    )
                    continue
                ledger.settle(session, outcome, taken_at=self.now, now=self.now)
                if outcome.status == LedgerStatus.UNDELIVERABLE:
                    self._tell_leads_undeliverable(session, claim.user_id, outcome.error or "")
            self.report.digests_settled += 1
            if outcome.status == LedgerStatus.FAILED:
                undelivered.add(claim.user_id)
        return undelivered

    def _look_for(self, claim: _Claim, keys: list[str]) -> ledger.Outcome | None:
        """What became of one digest, from the person's DM; None when Slack cannot say."""
        try:
            opened = self.client.conversations_open(users=claim.user_id)
        except (SlackApiError, OSError) as error:
            failure = classify(error)
            if not failure.permanent:
                self._slack_busy = failure.retry_after is not None
                return None
            # The person cannot get a DM at all (deactivated, say): nothing was delivered.
            return ledger.Outcome(
                claim.ledger_id, LedgerStatus.UNDELIVERABLE, keys, error=failure.code
            )
        try:
            found = history.find_posted(
                self.client,
                str(opened["channel"]["id"]),
                event_type=DIGEST_EVENT,
                key="ledger_id",
                value=claim.ledger_id,
                since=claim.claimed_at,
            )
        except (SlackApiError, OSError, history.CannotSay) as unsure:
            log.info("could not look for %s's digest: %s", claim.user_id, unsure)
            if isinstance(unsure, SlackApiError):
                self._slack_busy = classify(unsure).retry_after is not None
            return None
        if found is None:
            return ledger.Outcome(claim.ledger_id, LedgerStatus.FAILED, keys, error="not_in_dm")
        # A run that stopped before recording its items left none: the message names them.
        shown = keys or [
            str(block["block_id"]).removeprefix(DIGEST_BLOCK_PREFIX)
            for block in found.get("blocks") or []
            if str(block.get("block_id", "")).startswith(DIGEST_BLOCK_PREFIX)
        ]
        return ledger.Outcome(
            claim.ledger_id,
            LedgerStatus.SENT,
            shown,
            channel=str(found["channel"]),
            ts=str(found["ts"]),
        )

    # -- who is who --------------------------------------------------------------------------
    def _refresh_profiles(self, candidates: list[Candidate]) -> None:
        wanted = {c.owner_id for c in candidates if c.owner_id} | {
            c.record_owner_id for c in candidates if c.record_owner_id
        }
        if not people.stale(self.profiles, wanted, self.now):
            return
        try:
            members = people.fetch_all(self.client)
        except (SlackApiError, OSError) as error:
            # One workspace Slack cannot answer for must not stop the others' digests.
            log.warning(
                "users.list failed in %s (%s); using known profiles",
                self.workspace.team_id,
                classify(error).code,
            )
            return
        members += people.unlisted(wanted, members)
        with self.db.transaction() as session:
            people.store(
                session=session, workspace_id=self.workspace.id, members=members, now=self.now
            )
        with self.db.reading() as session:
            self.profiles = people.known(session=session, workspace_id=self.workspace.id)
        self._todays.clear()  # time zones may have changed

    def _reachable(self, user_id: str) -> bool:
        """Deactivated people and bots are never nudged."""
        profile = self.profiles.get(user_id)
        return profile is None or not (profile.deleted or profile.is_bot)

    def _zone(self, user_id: str) -> ZoneInfo:
        profile = self.profiles.get(user_id)
        return first_zone(profile.tz if profile else None, self.default_tz)

    def _working_hours(self) -> bool:
        """Whether the workspace's own digest window is open: escalation steps are taken (and
        the channel told) then, never at midnight or at the weekend. The people they reach
        see them in their own next digest either way."""
        if not self.policy.working_days or self.policy.nudge_hour >= self.policy.quiet_hour:
            return True  # no window at all: escalating at any hour beats never
        return digest_period(self.now, first_zone(self.default_tz), self.policy) is not None

    def _today(self, user_id: str) -> date:
        """The person's local date now (asked once per item: worth remembering)."""
        today = self._todays.get(user_id)
        if today is None:
            today = self._todays[user_id] = self.now.astimezone(self._zone(user_id)).date()
        return today

    def _leads(self) -> list[str]:
        if self.workspace.lead_ids:
            return [lead for lead in self.workspace.lead_ids if self._reachable(lead)]
        return [
            p.user_id for p in self.profiles.values() if p.is_admin and self._reachable(p.user_id)
        ]

    # -- what is due, for whom ---------------------------------------------------------------
    def _plan(self, candidates: list[Candidate]) -> _Plan:
        plan = _Plan()
        leads = self._leads()
        for candidate in candidates:
            owner = candidate.owner_id
            reachable = owner is not None and self._reachable(owner)
            if reachable and owner:
                recipients = [owner]
            elif owner and candidate.escalates:
                recipients = []  # the ladder below passes it on, at once
            else:
                recipients = list(leads)  # no owner, or a check its verifier cannot get
            if candidate.escalates and owner:
                owner_today = self._today(owner)
                overdue_days = (owner_today - candidate.due).days
                for step in escalation_steps(
                    candidate.due, owner_today, self.policy, owner_reachable=reachable
                ):
                    plan.steps.append((candidate, step, overdue_days))
                    if step is Step.OWNERS:
                        extra = [candidate.record_owner_id, *leads]
                        recipients += [p for p in extra if p and p != owner and p not in recipients]
            for person in recipients:
                self._add_line(
                    plan, candidate, person, escalated=person != owner and candidate.escalates
                )
        return plan

    def _add_line(self, plan: _Plan, candidate: Candidate, person: str, *, escalated: bool) -> None:
        today = self._today(person)
        if candidate.snoozed_until and candidate.snoozed_until > today and not escalated:
            return
        if candidate.kind == "objective" and candidate.due > today:
            return  # a period's value is asked for once the period has ended
        if candidate.kind.startswith("audit"):  # internal audits (issue 11)
            how_urgent = audit_urgency(candidate, today, self.policy)
        else:
            how_urgent = urgency(candidate.due, today, self.policy)
        if how_urgent is None:
            return
        note = ""
        if escalated and candidate.owner_id:
            days = (today - candidate.due).days
            note = f"Escalated to you: owned by <@{candidate.owner_id}>"
            note += f", {days} days overdue" if days > 0 else ""
        plan.lines[person].append(
            DigestLine(
                key=candidate.key,
                kind=candidate.kind,
                action_id=candidate.action_id,
                reference=candidate.reference,
                description=candidate.description,
                due=candidate.due,
                urgency=how_urgent,
                note=note,
            )
        )

    def _due_now(self, plan: _Plan) -> dict[str, str]:
        """person -> the local date (period) of the digest due for them at this moment."""
        due: dict[str, str] = {}
        for person in plan.lines:
            if not self._reachable(person):
                continue
            period = digest_period(self.now, self._zone(person), self.policy)
            if period is not None:
                due[person] = period.isoformat()
        return due

    # -- claims ------------------------------------------------------------------------------
    def _escalate(self, session: Session, steps: list[tuple[Candidate, Step, int]]) -> None:
        """Take each escalation step once per item, with its history; the channel step posts."""
        if not steps:
            return
        won = set(
            session.execute(
                upsert.insert(session, Escalation)
                .on_conflict_do_nothing(index_elements=["action_id", "step"])
                .returning(Escalation.action_id, Escalation.step),
                [
                    {
                        "workspace_id": self.workspace.id,
                        "action_id": c.action_id,
                        "step": step.value,
                        "at": self.now,
                    }
                    for c, step, _ in steps
                ],
            ).all()
        )
        taken = [(c, step, days) for c, step, days in steps if (c.action_id, step.value) in won]
        if not taken:
            return
        self.report.escalations += len(taken)
        record_ids = _record_ids(session, [c.action_id for c, _, _ in taken])
        session.execute(
            insert_rows(History),
            [
                {
                    "workspace_id": self.workspace.id,
                    "entity": "action",
                    "entity_id": c.action_id,
                    "record_id": record_ids.get(c.action_id),
                    "event": f"escalated_to_{step.value}",
                    "actor_id": None,
                    "source": Source.JOB.value,
                    "before": None,
                    "after": {"overdue_days": days, "owner": c.owner_id},
                    "at": self.now,
                }
                for c, step, days in taken
            ],
        )
        to_channel = [(c, days) for c, step, days in taken if step is Step.CHANNEL]
        if to_channel:
            self._post_to_channel(session, to_channel)

    def _post_to_channel(self, session: Session, items: list[tuple[Candidate, int]]) -> None:
        lines = "\n".join(
            f"• *{c.reference}* owned by <@{c.owner_id}>: {days} days overdue" for c, days in items
        )
        days = self.policy.escalate_to_channel_days
        text = f":rotating_light: Overdue for {days} days or more:\n{lines}"
        if self.workspace.quality_channel:
            outbox.enqueue(
                session=session,
                workspace_id=self.workspace.id,
                kind=outbox.OutboxKind.CHANNEL_POST,
                payload={"channel": self.workspace.quality_channel, "text": text},
                now=self.now,
            )
        else:
            notify.dm(
                session=session,
                workspace_id=self.workspace.id,
                users=[],
                to_leads=True,
                text=text,
                now=self.now,
            )

    # -- sending -----------------------------------------------------------------------------
    def _send(self, claimed: dict[str, int], plan: _Plan) -> None:
        """Send the claimed digests a few at a time (each DM waits on Slack), then record
        every outcome in one statement."""

        people = list(claimed)
        lines_of = {
            person: sorted(plan.lines[person], key=lambda line: line.due) for person in people
        }
        messages = [
            {
                "channel": person,
                "text": digest_text(lines_of[person]),
                "blocks": digest_blocks(lines_of[person], self._today(person)),
                "unfurl_links": False,
                "metadata": history.metadata(DIGEST_EVENT, ledger_id=claimed[person]),
            }
            for person in people
        ]
        sent = send_messages(self.client, messages, concurrency=SEND_CONCURRENCY)
        outcomes = {
            person: (lines_of[person], outcome)
            for person, outcome in zip(people, sent, strict=True)
        }
        results = []
        undeliverable = []
        for person, ledger_id in claimed.items():
            lines, outcome = outcomes[person]
            items = [line.key for line in lines]
            if isinstance(outcome, Sent):
                result = ledger.Outcome(
                    ledger_id, LedgerStatus.SENT, items, channel=outcome.channel, ts=outcome.ts
                )
                self.report.digests_sent += 1
            elif outcome.failure.permanent:
                result = ledger.Outcome(
                    ledger_id, LedgerStatus.UNDELIVERABLE, items, error=outcome.failure.code
                )
                undeliverable.append((person, outcome.failure.code))
                self.report.digests_failed += 1
            elif outcome.maybe_delivered:
                result = ledger.Outcome(
                    ledger_id, LedgerStatus.UNKNOWN, items, error=outcome.failure.code
                )
                self.report.digests_unknown += 1
            else:
                result = ledger.Outcome(
                    ledger_id, LedgerStatus.FAILED, items, error=outcome.failure.code
                )
                self.report.digests_failed += 1
            results.append(result)
        with self.db.transaction() as session:
            ledger.record(session, results, self.now)
            for person, code in undeliverable:
                self._tell_leads_undeliverable(session, person, code)

    def _tell_leads_undeliverable(self, session: Session, person: str, code: str) -> None:
        notify.dm(
            session=session,
            workspace_id=self.workspace.id,
            users=[],
            to_leads=True,
            now=self.now,
            text=f"Keel could not send <@{person}> their daily digest (Slack said "
            f"`{code}`). If they have left, reassign their actions.",
        )


def _record_ids(session: Session, action_ids: Iterable[int]) -> dict[int, int]:
    rows = session.execute(
        select(Action.id, Action.record_id).where(Action.id.in_(list(action_ids)))
    )
    return {action_id: record_id for action_id, record_id in rows}


def first_zone(*names: str | None) -> ZoneInfo:
    """The first of `names` that is a time zone this machine knows, else UTC."""
    for name in names:
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError, OSError):
                continue
    return ZoneInfo("UTC")
