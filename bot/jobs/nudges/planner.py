"""What is due, for whom: decided from `now`, the workspace's policy, the people Keel knows
and the open items, with no database and no Slack, so every rule here is a plain function."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.people import Profile, quality_leads
from bot.domain.schedule import NudgePolicy, Step, digest_period, escalation_steps, horizon, urgency
from bot.queries.audit_digest import audit_urgency
from bot.queries.digest_items import Candidate, DigestLine, Scope
from bot.queries.document_digest import READ, document_urgency
from bot.queries.ledger import Claim, LedgerStatus
from bot.queries.refresher_digest import KIND as REFRESHER
from bot.queries.refresher_digest import refresher_urgency
from bot.queries.review_digest import KIND as REVIEW_KIND
from bot.queries.review_digest import review_urgency
from storage.models import Workspace

# A claim this old whose run never said what happened: that run stopped before it sent.
# Generous: one run stamps every workspace's claims with the time it started.
STALE_CLAIM = timedelta(hours=1)


def policy_of(workspace: Workspace) -> NudgePolicy:
    return NudgePolicy(
        nudge_hour=workspace.nudge_hour,
        quiet_hour=workspace.quiet_hour,
        working_days=frozenset(workspace.working_days),
        due_soon_days=workspace.due_soon_days,
        escalate_to_owner_days=workspace.escalate_to_owner_days,
        escalate_to_channel_days=workspace.escalate_to_channel_days,
        review_reminder_days=workspace.review_reminder_days,
    )


def first_zone(*names: str | None) -> ZoneInfo:
    """The first of `names` that is a time zone this machine knows, else UTC."""
    for name in names:
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError, OSError):
                continue
    return ZoneInfo("UTC")


class Roster:
    """The people of one workspace as of `now`: who can be nudged, their time zone, and their
    local date (asked once per item: worth remembering)."""

    def __init__(
        self,
        profiles: dict[str, Profile],
        *,
        now: datetime,
        default_tz: str,
        lead_ids: Iterable[str] = (),
    ) -> None:
        self.profiles = profiles
        self.now = now
        self.default_tz = default_tz
        self.lead_ids = list(lead_ids)
        self._todays: dict[str, date] = {}

    def reachable(self, user_id: str) -> bool:
        """Deactivated people and bots are never nudged."""
        profile = self.profiles.get(user_id)
        return profile is None or not (profile.deleted or profile.is_bot)

    def zone(self, user_id: str) -> ZoneInfo:
        profile = self.profiles.get(user_id)
        return first_zone(profile.tz if profile else None, self.default_tz)

    def today(self, user_id: str) -> date:
        today = self._todays.get(user_id)
        if today is None:
            today = self._todays[user_id] = self.now.astimezone(self.zone(user_id)).date()
        return today

    def leads(self) -> list[str]:
        leads = quality_leads(self.lead_ids, self.profiles.values)
        return [lead for lead in leads if self.reachable(lead)]


@dataclass
class Plan:
    lines: dict[str, list[DigestLine]] = field(default_factory=lambda: defaultdict(list))
    steps: list[tuple[Candidate, Step, int]] = field(default_factory=list)


def claim_periods(now: datetime) -> set[str]:
    """Every local date somewhere on Earth at `now`: today's claims are among them."""
    return {(now + timedelta(hours=offset)).date().isoformat() for offset in (-12, 0, 14)}


def todays_claims(claims: Iterable[Claim], roster: Roster) -> list[Claim]:
    """The claims made for each person's own local today."""
    return [claim for claim in claims if claim.period == roster.today(claim.user_id).isoformat()]


def unsettled(claim: Claim, now: datetime) -> bool:
    """Sent or not? Slack's answer was lost, or the run that claimed it stopped."""
    if claim.status == LedgerStatus.UNKNOWN:
        return True
    return claim.status == LedgerStatus.CLAIMED and claim.claimed_at < now - STALE_CLAIM


def scope(workspace_id: int, now: datetime, policy: NudgePolicy, done: set[str]) -> Scope:
    return Scope(
        workspace_id=workspace_id,
        horizon=horizon(now, policy),
        done=frozenset(done),
        escalating=(now - timedelta(days=policy.escalate_to_owner_days - 1)).date(),
        latest_today=(now + timedelta(hours=14)).date(),
    )


def wanted(candidates: Iterable[Candidate]) -> set[str]:
    """Everyone a digest line may go to or name."""
    return {person for c in candidates for person in (c.owner_id, c.record_owner_id) if person}


def working_hours(now: datetime, policy: NudgePolicy, zone: ZoneInfo) -> bool:
    """Whether the workspace's own digest window is open: escalation steps are taken (and
    the channel told) then, never at midnight or at the weekend. The people they reach
    see them in their own next digest either way."""
    if not policy.working_days or policy.nudge_hour >= policy.quiet_hour:
        return True  # no window at all: escalating at any hour beats never
    return digest_period(now, zone, policy) is not None


def plan(candidates: Iterable[Candidate], roster: Roster, policy: NudgePolicy) -> Plan:
    """Each person's digest lines, and the escalation steps the items have reached."""
    result = Plan()
    leads = roster.leads()
    for candidate in candidates:
        owner = candidate.owner_id
        reachable = owner is not None and roster.reachable(owner)
        if reachable and owner:
            recipients = [owner]
        elif candidate.kind == REFRESHER:
            continue  # a refresher is its holder's alone: nobody else can take the course
        elif owner and candidate.escalates:
            recipients = []  # the ladder below passes it on, at once
        elif owner and candidate.kind == READ:
            continue  # only the reader can read it: nobody is asked in their place
        else:
            recipients = list(leads)  # no owner, or a check its verifier cannot get
        if candidate.escalates and owner:
            owner_today = roster.today(owner)
            overdue_days = (owner_today - candidate.due).days
            for step in escalation_steps(
                candidate.due, owner_today, policy, owner_reachable=reachable
            ):
                result.steps.append((candidate, step, overdue_days))
                if step is Step.OWNERS:
                    extra = [candidate.record_owner_id, *leads]
                    recipients += [p for p in extra if p and p != owner and p not in recipients]
        for person in recipients:
            line = _line(
                candidate,
                roster.today(person),
                policy,
                escalated=person != owner and candidate.escalates,
            )
            if line is not None:
                result.lines[person].append(line)
    return result


def _line(
    candidate: Candidate, today: date, policy: NudgePolicy, *, escalated: bool
) -> DigestLine | None:
    if candidate.snoozed_until and candidate.snoozed_until > today and not escalated:
        return None
    if candidate.kind == "objective" and candidate.due > today:
        return None  # a period's value is asked for once the period has ended
    if candidate.kind.startswith("audit"):  # internal audits: their own reminder days
        how_urgent = audit_urgency(candidate, today, policy)
    elif candidate.kind == REFRESHER:  # competence refreshers: 30 days before, on expiry
        how_urgent = refresher_urgency(candidate, today)
    elif candidate.kind.startswith("document"):  # document reviews and read requests
        how_urgent = document_urgency(candidate, today, policy)
    elif candidate.kind == REVIEW_KIND:  # the management review: 14 days before, then daily
        how_urgent = review_urgency(candidate, today)
    else:
        how_urgent = urgency(candidate.due, today, policy)
    if how_urgent is None:
        return None
    note = ""
    if escalated and candidate.owner_id:
        # The line itself says "overdue by N days": the note names only whose it is.
        note = f"Escalated to you: owned by <@{candidate.owner_id}>"
    return DigestLine(
        key=candidate.key,
        kind=candidate.kind,
        action_id=candidate.action_id,
        reference=candidate.reference,
        description=candidate.description,
        due=candidate.due,
        urgency=how_urgent,
        note=note,
    )


def due_now(plan: Plan, roster: Roster, policy: NudgePolicy, now: datetime) -> dict[str, str]:
    """person -> the local date (period) of the digest due for them at this moment."""
    due: dict[str, str] = {}
    for person in plan.lines:
        if not roster.reachable(person):
            continue
        period = digest_period(now, roster.zone(person), policy)
        if period is not None:
            due[person] = period.isoformat()
    return due
