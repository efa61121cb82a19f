"""Refresher reminders: 30 days before a completion expires, and on the day; each once.

Each reminder is claimed in the delivery ledger (unique per holder, kind and period, the
period naming the completion and which reminder) in the transaction that claims the digest
it goes in, and the claim names that digest. So a re-run, a second clock or a restart
claims nothing twice; a digest Slack certainly did not take (failed), when claimed again
that day or the next, takes its reminders with it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.queries.ledger import LedgerStatus
from bot.queries.refresher_digest import LEDGER_KIND, digest_named, ledger_period
from storage import upsert
from storage.models import DeliveryLedger


def claim(
    *,
    session: Session,
    workspace_id: int,
    lines: Iterable[tuple[str, str, int]],
    now: datetime,
    ledger_kind: str = LEDGER_KIND,
) -> set[tuple[str, str]]:
    """Claim each (holder, reminder key, digest ledger id); returns the (holder, key) pairs
    that go in that digest: claimed here, claimed for this very digest before (a failed
    digest claimed again), or taken over from a digest that certainly never arrived.
    A handful of statements whatever the number of reminders."""
    wanted = {(person, ledger_period(key)): (key, digest_id) for person, key, digest_id in lines}
    if not wanted:
        return set()
    statement = (
        upsert.insert(session, DeliveryLedger)
        .on_conflict_do_nothing(index_elements=["workspace_id", "user_id", "kind", "period"])
        .returning(DeliveryLedger.user_id, DeliveryLedger.period)
    )
    rows = [
        {
            "workspace_id": workspace_id,
            "user_id": person,
            "kind": ledger_kind,
            "period": period,
            "status": LedgerStatus.CLAIMED,
            "items": [str(digest_id)],
            "claimed_at": now,
        }
        for (person, period), (_key, digest_id) in wanted.items()
    ]
    inserted = {(user, period) for user, period in session.execute(statement, rows)}
    won = {(person, wanted[(person, period)][0]) for person, period in inserted}
    taken = _take_over(
        session,
        workspace_id,
        {k: v for k, v in wanted.items() if k not in inserted},
        ledger_kind,
    )
    return won | taken


def _take_over(
    session: Session,
    workspace_id: int,
    existing: dict[tuple[str, str], tuple[str, int]],
    ledger_kind: str,
) -> set[tuple[str, str]]:
    """Claims that existed already: ours if they name this digest or one that failed. The
    holder's digest claim, held by this transaction, keeps any other run from doing this at
    once."""
    if not existing:
        return set()
    found = session.execute(
        select(
            DeliveryLedger.id, DeliveryLedger.user_id, DeliveryLedger.period, DeliveryLedger.items
        ).where(
            DeliveryLedger.workspace_id == workspace_id,
            DeliveryLedger.kind == ledger_kind,
            DeliveryLedger.user_id.in_({person for person, _period in existing}),
            DeliveryLedger.period.in_({period for _person, period in existing}),
        )
    ).all()
    named = {row.id: digest_named(row.items) for row in found}
    failed = set(
        session.scalars(
            select(DeliveryLedger.id).where(
                DeliveryLedger.id.in_({d for d in named.values() if d is not None}),
                DeliveryLedger.status == LedgerStatus.FAILED,
            )
        )
    )
    taken = set()
    for row in found:
        pair = (row.user_id, row.period)
        if pair not in existing:
            continue  # another person's reminder with the same period
        key, digest_id = existing[pair]
        earlier = named[row.id]
        if earlier == digest_id:
            taken.add((row.user_id, key))
        elif earlier in failed:
            session.execute(
                update(DeliveryLedger)
                .where(DeliveryLedger.id == row.id)
                .values(items=[str(digest_id)])
            )
            taken.add((row.user_id, key))
    return taken
