"""Refreshers in the daily digest (ISO 9001 7.2, ISO 45001 7.2): every completion with a
validity is reminded to its holder 30 days before it expires and on the day it expires,
whether or not a role requires it; each once. Only a person's latest completion of a
competence is reminded: a newer one silences the older one.

A reminder's line is `refresher:<completion id>:<soon|expired>`. When a digest listing it
is claimed, the reminder is claimed too (bot/services/refreshers.py), naming that digest;
a reminder whose digest went out is never listed again, one whose digest Slack certainly
did not take (failed) is listed in the next digest."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session, aliased

from bot.domain.competence import EXPIRING_SOON_DAYS, Refresher, refresher_due
from bot.domain.schedule import Urgency
from bot.queries.digest_items import Candidate, DigestLine, Scope
from bot.queries.ledger import LedgerStatus
from storage.models import Competence, Completion, DeliveryLedger, Workspace

KIND = "refresher"
LEDGER_KIND = "refresher"  # one claim per reminder: (holder, "refresher", "<id>:<which>")
DIGEST = "digest"
REFRESHER_DESCRIPTION = "Refresher"


def refresher_key(completion_id: int, which: Refresher) -> str:
    return f"{KIND}:{completion_id}:{which.value}"


def refresher_keys(completion_id: int) -> list[str]:
    return [refresher_key(completion_id, which) for which in Refresher]


def ledger_period(key: str) -> str:
    """`refresher:12:soon` -> `12:soon`, the reminder's claim period."""
    return key.split(":", 1)[1]


def _latest() -> ColumnElement[bool]:
    """No later completion of the same competence by the same person."""
    newer = aliased(Completion)
    return ~(
        select(newer.id)
        .where(
            newer.workspace_id == Completion.workspace_id,
            newer.user_id == Completion.user_id,
            newer.competence_id == Completion.competence_id,
            or_(
                newer.completed_date > Completion.completed_date,
                and_(newer.completed_date == Completion.completed_date, newer.id > Completion.id),
            ),
        )
        .exists()
    )


def refresher_candidates(session: Session, scope: Scope) -> list[Candidate]:
    """Latest completions expiring within 30 days of today anywhere, each reminder not yet
    given; both reminders of one may be candidates, the planner keeps the one due today."""
    rows = session.execute(
        select(
            Completion.id,
            Completion.user_id,
            Completion.competence_id,
            Completion.expiry_date,
            Competence.name,
        )
        .join(Competence, Competence.id == Completion.competence_id)
        .where(
            Completion.workspace_id == scope.workspace_id,
            Completion.expiry_date.is_not(None),
            Completion.expiry_date <= scope.latest_today + timedelta(days=EXPIRING_SOON_DAYS),
            _latest(),
        )
    ).all()
    keys = {
        refresher_key(completion_id, which): (completion_id, user, competence_id, expiry, name)
        for completion_id, user, competence_id, expiry, name in rows
        if user not in scope.done and expiry is not None
        for which in Refresher
    }
    taken = given(session, scope.workspace_id, keys)
    return [
        Candidate(
            key=key,
            kind=KIND,
            action_id=competence_id,  # Log completion opens on this competence
            reference=name,
            description=REFRESHER_DESCRIPTION,
            due=expiry,
            owner_id=user,
            record_owner_id=None,
            escalates=False,
        )
        for key, (completion_id, user, competence_id, expiry, name) in keys.items()
        if key not in taken
    ]


def given(
    session: Session, workspace_id: int, keys: Collection[str], *, ledger_kind: str = LEDGER_KIND
) -> set[str]:
    """The reminders already claimed for a digest that was not certainly lost (refreshers'
    by default; the management review's reminder is claimed the same way)."""
    if not keys:
        return set()
    periods = {ledger_period(key): key for key in keys}
    claims = session.execute(
        select(DeliveryLedger.period, DeliveryLedger.items).where(
            DeliveryLedger.workspace_id == workspace_id,
            DeliveryLedger.kind == ledger_kind,
            DeliveryLedger.period.in_(list(periods)),
        )
    ).all()
    digest_of = {periods[period]: digest_named(items) for period, items in claims}
    lost = set(
        session.scalars(
            select(DeliveryLedger.id).where(
                DeliveryLedger.id.in_([d for d in digest_of.values() if d is not None]),
                DeliveryLedger.status == LedgerStatus.FAILED,
            )
        )
    )
    return {key for key, digest_id in digest_of.items() if digest_id not in lost}


def digest_named(items: object) -> int | None:
    """A reminder's claim lists the digest it went in: `["<digest ledger id>"]`."""
    if isinstance(items, list) and items and str(items[0]).isdigit():
        return int(items[0])
    return None


def which_of(key: str) -> Refresher:
    return Refresher(key.rsplit(":", 1)[1])


def refresher_urgency(candidate: Candidate, today: date) -> Urgency | None:
    """A reminder belongs in a digest for `today` only when it is the one due today: the
    first from 30 days before expiry until the day before, the second from the day on."""
    if refresher_due(candidate.due, today) is not which_of(candidate.key):
        return None
    return Urgency.OVERDUE if which_of(candidate.key) is Refresher.EXPIRED else Urgency.DUE_SOON


def refresher_lines(
    session: Session, workspace: Workspace, items: list[str]
) -> dict[str, DigestLine]:
    """A sent digest's reminders as they stand now: ticked off once a newer completion of
    the competence is logged (for editing the digest in place)."""
    wanted = {int(key.split(":")[1]): key for key in items if key.startswith(f"{KIND}:")}
    if not wanted:
        return {}
    rows = session.execute(
        select(
            Completion.id,
            Completion.competence_id,
            Completion.expiry_date,
            Competence.name,
            _latest(),
        )
        .join(Competence, Competence.id == Completion.competence_id)
        .where(Completion.workspace_id == workspace.id, Completion.id.in_(list(wanted)))
    ).all()
    lines = {}
    for completion_id, competence_id, expiry, name, latest in rows:
        if expiry is None:
            continue  # never a refresher: valid for good
        key = wanted[completion_id]
        lines[key] = DigestLine(
            key=key,
            kind=KIND,
            action_id=competence_id,
            reference=name,
            description=REFRESHER_DESCRIPTION,
            due=expiry,
            urgency=(Urgency.OVERDUE if which_of(key) is Refresher.EXPIRED else Urgency.DUE_SOON)
            if latest
            else None,
        )
    return lines
