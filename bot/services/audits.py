"""Internal audits: planned by a quality lead, started, postponed, cancelled, their findings
raised as records, their report recorded, closed. Every change writes history (entity
"audit", before → after); the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.domain import audits as rules
from bot.domain.dates import readable_date
from bot.domain.errors import KeelError, NotAllowed
from bot.forms.audits import AuditPlan, Postponement
from bot.forms.record import FormErrors
from bot.ids import Block
from bot.queries import audits as queries
from bot.queries.people import known as known_profiles
from bot.services.history import Source, record_change
from bot.services.permissions import Actor, require_lead
from storage import upsert
from storage.models import (
    Audit,
    AuditCounter,
    AuditorQualification,
    Process,
)

ENTITY = queries.ENTITY
SUGGESTED = 3


@dataclass(frozen=True)
class Planned:
    audit: Audit
    warnings: list[str]
    suggested: list[str]  # auditors who audited least in the last 12 months


def next_number(*, session: Session, workspace_id: int) -> int:
    """The workspace's next audit number, gapless, bumped in the caller's transaction."""
    bumped = session.execute(
        upsert.insert(session, AuditCounter)
        .values(workspace_id=workspace_id, last_number=1)
        .on_conflict_do_update(
            index_elements=["workspace_id"],
            set_={"last_number": AuditCounter.last_number + 1},
        )
        .returning(AuditCounter.last_number)
    )
    return int(bumped.scalar_one())


def snapshot(audit: Audit) -> dict[str, Any]:
    """The fields of an audit worth keeping in its history."""
    return {
        "reference": rules.format_reference(audit.number),
        "status": audit.status,
        "process_id": audit.process_id,
        "area": audit.area,
        "planned_date": audit.planned_date.isoformat(),
        "held_date": audit.held_date.isoformat() if audit.held_date else None,
        "lead_auditor": audit.lead_auditor_id,
        "auditors": list(audit.auditor_ids),
        "auditee": audit.auditee_id,
        "scope": audit.scope,
        "standards": list(audit.standards),
        "clauses": list(audit.clauses),
        "recurrence": audit.recurrence,
    }


def write_history(
    session: Session,
    audit: Audit,
    event: str,
    actor_id: str | None,
    now: datetime,
    *,
    source: Source = Source.FORM,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    record_change(
        session=session,
        workspace_id=audit.workspace_id,
        entity=ENTITY,
        entity_id=audit.id,
        record_id=None,
        event=event,
        actor_id=actor_id,
        source=source,
        at=now,
        before=before,
        after=after,
    )


# -- planning --------------------------------------------------------------------------------


def plan(
    *, session: Session, workspace_id: int, plan: AuditPlan, actor: Actor, now: datetime
) -> Planned:
    """Put an audit in the programme, or raise FormErrors saying what to change."""
    require_lead(actor, "plan audits")
    process = _process(session, workspace_id, plan.process_id)
    auditee = plan.auditee or (process.owner_id if process else None)
    team = rules.Team(
        lead_auditor=plan.lead_auditor,
        auditors=plan.auditors,
        auditee=auditee,
        process_owner=process.owner_id if process else None,
    )
    _check_team(session, workspace_id, team, plan.override_reason, plan.planned_date)
    held = plan.planned_date if plan.held_already else None
    audit = Audit(
        workspace_id=workspace_id,
        number=next_number(session=session, workspace_id=workspace_id),
        process_id=process.id if process else None,
        area=plan.area,
        planned_date=plan.planned_date,
        held_date=held,
        lead_auditor_id=plan.lead_auditor,
        auditor_ids=list(plan.auditors),
        auditee_id=auditee,
        scope=plan.scope,
        standards=[standard.value for standard in plan.standards],
        clauses=list(plan.clauses),
        recurrence=plan.recurrence.value,
        status=(rules.AuditStatus.IN_PROGRESS if held else rules.AuditStatus.PLANNED).value,
        postponements=0,
        impartiality_override=plan.override_reason if rules.conflicts(team) else None,
        created_by=actor.user_id,
        created_at=now,
        updated_at=now,
    )
    session.add(audit)
    session.flush()
    after = snapshot(audit)
    if audit.impartiality_override:
        after["impartiality_override"] = audit.impartiality_override
    write_history(session, audit, "planned", actor.user_id, now, after=after)
    warnings = []
    previous = queries.previous_lead(
        session=session,
        workspace_id=workspace_id,
        process_id=audit.process_id,
        before=audit.planned_date,
    )
    if warning := rules.rotation_warning(audit.lead_auditor_id, previous):
        warnings.append(warning)
    return Planned(
        audit,
        warnings,
        suggest(session=session, workspace_id=workspace_id, team=team, today=plan.planned_date),
    )


def _process(session: Session, workspace_id: int, process_id: int | None) -> Process | None:
    if process_id is None:
        return None
    process = session.scalar(
        select(Process).where(Process.workspace_id == workspace_id, Process.id == process_id)
    )
    if process is None or not process.active:
        raise FormErrors({Block.AUDIT_PROCESS.value: "That process is retired: choose another."})
    return process


def _unqualified(person: str, pool: queries.Qualified, on: date) -> str:
    if pool.competence is None:
        return (
            f"<@{person}> is not on the list of qualified auditors (`/nc auditors`): choose "
            "one of them."
        )
    listed = " nor on the list of qualified auditors (`/nc auditors`)" if pool.listed else ""
    return (
        f"<@{person}> holds no valid {pool.competence} on {readable_date(on, on)}{listed}: choose "
        "a qualified auditor."
    )


def _check_team(
    session: Session,
    workspace_id: int,
    team: rules.Team,
    override_reason: str | None,
    on: date,
) -> None:
    """Refuse bots, deactivated people, an unqualified lead, and auditors of their own work
    (unless a reason overrides it)."""
    errors: dict[str, str] = {}
    profiles = known_profiles(session=session, workspace_id=workspace_id)
    for block, users in (
        (Block.LEAD_AUDITOR, [team.lead_auditor]),
        (Block.AUDITORS, team.auditors),
    ):
        for user in users:
            profile = profiles.get(user)
            if profile is not None and (profile.is_bot or profile.deleted):
                what = "a bot" if profile.is_bot else "deactivated"
                errors[block.value] = f"<@{user}> is {what}: choose a person on the team."
    # Qualified on the day of the audit: a qualification that lapses before it does not count.
    pool = queries.qualified(session=session, workspace_id=workspace_id, on=on)
    if (
        pool.kept
        and team.lead_auditor not in pool.people
        and Block.LEAD_AUDITOR.value not in errors
    ):
        errors[Block.LEAD_AUDITOR.value] = _unqualified(team.lead_auditor, pool, on)
    found = rules.conflicts(team)
    if found and not override_reason:
        for conflict in found:
            block = Block.LEAD_AUDITOR if conflict.auditor == team.lead_auditor else Block.AUDITORS
            errors.setdefault(block.value, conflict.message)
    if errors:
        raise FormErrors(errors)


def suggest(*, session: Session, workspace_id: int, team: rules.Team, today: date) -> list[str]:
    """People who audited least in the 12 months before `today`: the qualified auditors when
    the workspace keeps a list, else everyone who audited in that time."""
    taken = queries.participation(
        session=session,
        workspace_id=workspace_id,
        since=today - timedelta(days=rules.LOOKBACK_DAYS),
    )
    pool = queries.qualified(session=session, workspace_id=workspace_id, on=today).people or taken
    exclude = {team.lead_auditor, *team.auditors, team.auditee, team.process_owner} - {None}
    return rules.least_used(pool, taken, exclude=exclude, limit=SUGGESTED)  # type: ignore[arg-type]


def set_qualified(
    *, session: Session, workspace_id: int, user_ids: list[str], actor: Actor, now: datetime
) -> list[str]:
    """Replace the list of qualified internal auditors (empty: anyone may lead)."""
    require_lead(actor, "keep the list of qualified auditors")
    before = queries.qualified_auditors(session=session, workspace_id=workspace_id)
    session.execute(
        delete(AuditorQualification).where(AuditorQualification.workspace_id == workspace_id)
    )
    wanted = list(dict.fromkeys(user_ids))
    session.add_all(
        AuditorQualification(
            workspace_id=workspace_id, user_id=user, added_by=actor.user_id, added_at=now
        )
        for user in wanted
    )
    record_change(
        session=session,
        workspace_id=workspace_id,
        entity="workspace",
        entity_id=workspace_id,
        record_id=None,
        event="qualified_auditors_set",
        actor_id=actor.user_id,
        source=Source.COMMAND,
        at=now,
        before={"qualified_auditors": before},
        after={"qualified_auditors": wanted},
    )
    return wanted


# -- its life --------------------------------------------------------------------------------


def require_party(actor: Actor, audit: Audit, doing: str) -> None:
    """Auditors, the auditee and quality leads press an audit's buttons."""
    if actor.is_lead or actor.user_id in (audit.lead_auditor_id, audit.auditee_id):
        return
    if actor.user_id in audit.auditor_ids:
        return
    raise NotAllowed(f"Only the audit's auditors, its auditee or {actor.terms.a_lead} can {doing}.")


def apply_move(audit: Audit, what: rules.AuditMove) -> None:
    try:
        audit.status = rules.move(rules.AuditStatus(audit.status), what).value
    except ValueError as refused:
        raise KeelError(f"{rules.format_reference(audit.number)}: {refused}") from None


def start(*, session: Session, audit: Audit, actor: Actor, today: date, now: datetime) -> None:
    """Start the audit: on its day, or earlier, which brings it forward to today."""
    require_party(actor, audit, "start it")
    _start(session, audit, actor.user_id, today, now, Source.BUTTON)


def _start(
    session: Session, audit: Audit, actor_id: str | None, today: date, now: datetime, source: Source
) -> None:
    before = {"status": audit.status, "held_date": None}
    apply_move(audit, rules.AuditMove.START)
    audit.held_date = min(today, audit.planned_date)
    audit.updated_at = now
    after = {"status": audit.status, "held_date": audit.held_date.isoformat()}
    write_history(
        session, audit, "started", actor_id, now, source=source, before=before, after=after
    )


def start_if_due(session: Session, audit: Audit, actor_id: str, today: date, now: datetime) -> None:
    """A planned audit starts itself on its day: whatever is done with it from then on."""
    if rules.auto_start(rules.AuditStatus(audit.status), audit.planned_date, today):
        _start(session, audit, None, today, now, Source.JOB)


def postpone(
    *, session: Session, audit: Audit, postponement: Postponement, actor: Actor, now: datetime
) -> None:
    """Move a planned audit to a new day: the old day's reminders are void, the new day's
    come afresh (reminders follow the current date)."""
    require_party(actor, audit, "postpone it")
    apply_move(audit, rules.AuditMove.POSTPONE)
    before = {"planned_date": audit.planned_date.isoformat(), "postponements": audit.postponements}
    audit.planned_date = postponement.new_date
    audit.postponements += 1
    audit.updated_at = now
    after = {
        "planned_date": audit.planned_date.isoformat(),
        "postponements": audit.postponements,
        "reason": postponement.reason,
    }
    write_history(session, audit, "postponed", actor.user_id, now, before=before, after=after)


def cancel(*, session: Session, audit: Audit, reason: str, actor: Actor, now: datetime) -> None:
    require_lead(actor, "cancel audits")
    before = {"status": audit.status}
    apply_move(audit, rules.AuditMove.CANCEL)
    audit.cancel_reason = reason
    audit.updated_at = now
    after = {"status": audit.status, "reason": reason}
    write_history(session, audit, "cancelled", actor.user_id, now, before=before, after=after)


def close(*, session: Session, audit: Audit, reason: str, actor: Actor, now: datetime) -> None:
    require_lead(actor, "close audits")
    close_now(session, audit, reason, actor.user_id, now)


def close_now(
    session: Session, audit: Audit, reason: str | None, actor_id: str | None, now: datetime
) -> None:
    before = {"status": audit.status}
    apply_move(audit, rules.AuditMove.CLOSE)
    audit.close_reason = reason
    audit.closed_at = now
    audit.updated_at = now
    after = {"status": audit.status, "reason": reason}
    write_history(
        session,
        audit,
        "closed",
        actor_id,
        now,
        source=Source.JOB if actor_id is None else Source.FORM,
        before=before,
        after=after,
    )
