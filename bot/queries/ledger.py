"""The delivery ledger: scheduled messages claimed before they are sent, and what Slack did
with each. A row per (workspace, person, kind, period), unique, so whoever inserts it first
sends; a re-run, a second clock or a restart finds it and sends nothing more.

A run writes a workspace's claims, and later their outcomes, in one statement each. On
PostgreSQL the rows travel as a few arrays that `unnest` turns back into rows: one short
statement, where a multi-row VALUES or an executemany costs psycopg a parse or a round of
work per row (about three times the CPU for a hundred people). SQLite's executemany runs in
C and is already cheap.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

import orjson
from sqlalchemy import JSON, Integer, String, bindparam, case, cast, func, literal, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from storage import upsert
from storage.models import DeliveryLedger
from storage.types import UTCDateTime

_KEY = ["workspace_id", "user_id", "kind", "period"]


class LedgerStatus:
    CLAIMED = "claimed"
    SENT = "sent"
    FAILED = "failed"  # certainly not delivered: a later run may claim it again
    UNKNOWN = "unknown"  # may have been delivered: looked for before it is sent again
    UNDELIVERABLE = "undeliverable"  # Slack refuses for good (deactivated, ...)


@dataclass(frozen=True)
class Outcome:
    """What became of one claimed message."""

    ledger_id: int
    status: str
    items: list[str]
    channel: str | None = None
    ts: str | None = None
    error: str | None = None


class Claim(NamedTuple):
    """One claimed row, as a run reads it back."""

    ledger_id: int
    user_id: str
    period: str
    status: str
    claimed_at: datetime


def claims(
    session: Session, *, workspace_id: int, kind: str, periods: Iterable[str]
) -> list[Claim]:
    """The workspace's `kind` rows for any of `periods`, whatever their status."""
    rows = session.execute(
        select(
            DeliveryLedger.id,
            DeliveryLedger.user_id,
            DeliveryLedger.period,
            DeliveryLedger.status,
            DeliveryLedger.claimed_at,
        ).where(
            DeliveryLedger.workspace_id == workspace_id,
            DeliveryLedger.kind == kind,
            DeliveryLedger.period.in_(periods),
        )
    )
    return [Claim(*row) for row in rows]


def is_claimed(session: Session, *, workspace_id: int, kind: str, key: str, period: str) -> bool:
    """Whether `kind` was claimed for `key` (a person, or the workspace) and `period`."""
    found = session.scalar(
        select(DeliveryLedger.id).where(
            DeliveryLedger.workspace_id == workspace_id,
            DeliveryLedger.kind == kind,
            DeliveryLedger.user_id == key,
            DeliveryLedger.period == period,
        )
    )
    return found is not None


def items_of(session: Session, ledger_ids: Iterable[int]) -> dict[int, list[str]]:
    """The items each row lists (none yet for a row whose run stopped before recording)."""
    rows = session.execute(
        select(DeliveryLedger.id, DeliveryLedger.items).where(
            DeliveryLedger.id.in_(list(ledger_ids))
        )
    )
    return {ledger_id: list(items or []) for ledger_id, items in rows}


def claim(
    session: Session, *, workspace_id: int, kind: str, due: dict[str, str], now: datetime
) -> dict[str, int]:
    """Claim `kind` for each person -> period in `due`; returns person -> ledger id for the
    claims won here. One Slack certainly did not take earlier (failed) is claimed again."""
    if not due:
        return {}
    if upsert.on_postgresql(session):
        won = _insert_postgresql(session, workspace_id, kind, due, now)
    else:
        won = _insert_sqlite(session, workspace_id, kind, due, now)
    claimed = dict(won)
    failed = session.execute(
        select(DeliveryLedger.id, DeliveryLedger.user_id, DeliveryLedger.period).where(
            DeliveryLedger.workspace_id == workspace_id,
            DeliveryLedger.kind == kind,
            DeliveryLedger.status == LedgerStatus.FAILED,
            DeliveryLedger.period.in_(set(due.values())),
        )
    ).all()
    retry = [ledger_id for ledger_id, user_id, period in failed if due.get(user_id) == period]
    if retry:
        # Claimed again only if still failed: a second clock may have taken it meanwhile.
        again = session.execute(
            update(DeliveryLedger)
            .where(DeliveryLedger.id.in_(retry), DeliveryLedger.status == LedgerStatus.FAILED)
            .values(status=LedgerStatus.CLAIMED, claimed_at=now)
            .returning(DeliveryLedger.user_id, DeliveryLedger.id)
        ).all()
        claimed.update(dict(again))
    return claimed


def _insert_sqlite(
    session: Session, workspace_id: int, kind: str, due: dict[str, str], now: datetime
) -> list[tuple[str, int]]:
    statement = (
        upsert.insert(session, DeliveryLedger)
        .on_conflict_do_nothing(index_elements=_KEY)
        .returning(DeliveryLedger.user_id, DeliveryLedger.id)
    )
    rows = [
        {
            "workspace_id": workspace_id,
            "user_id": person,
            "kind": kind,
            "period": period,
            "status": LedgerStatus.CLAIMED,
            "items": [],
            "claimed_at": now,
        }
        for person, period in due.items()
    ]
    return [(user_id, ledger_id) for user_id, ledger_id in session.execute(statement, rows)]


def _insert_postgresql(
    session: Session, workspace_id: int, kind: str, due: dict[str, str], now: datetime
) -> list[tuple[str, int]]:
    people = (
        func.unnest(
            bindparam("people", list(due), type_=ARRAY(String)),
            bindparam("periods", list(due.values()), type_=ARRAY(String)),
        )
        .table_valued("user_id", "period")
        .render_derived(with_types=False)
    )
    rows = select(
        literal(workspace_id),
        people.c.user_id,
        literal(kind),
        people.c.period,
        literal(LedgerStatus.CLAIMED),
        literal([], JSON),
        literal(now, UTCDateTime()),
    )
    statement = (
        upsert.insert(session, DeliveryLedger)
        .from_select([*_KEY[:2], "kind", "period", "status", "items", "claimed_at"], rows)
        .on_conflict_do_nothing(index_elements=_KEY)
        .returning(DeliveryLedger.user_id, DeliveryLedger.id)
    )
    return [(user_id, ledger_id) for user_id, ledger_id in session.execute(statement)]


def record(session: Session, outcomes: list[Outcome], now: datetime) -> None:
    """Write each outcome to its row; `sent_at` is `now` for the sent ones."""
    if not outcomes:
        return
    if upsert.on_postgresql(session):
        _record_postgresql(session, outcomes, now)
        return
    session.execute(
        update(DeliveryLedger),
        [
            {
                "id": outcome.ledger_id,
                "status": outcome.status,
                "items": outcome.items,
                "channel": outcome.channel,
                "ts": outcome.ts,
                "error": outcome.error,
                "sent_at": now if outcome.status == LedgerStatus.SENT else None,
            }
            for outcome in outcomes
        ],
    )


def _record_postgresql(session: Session, outcomes: list[Outcome], now: datetime) -> None:
    rows = (
        func.unnest(
            bindparam("ids", [o.ledger_id for o in outcomes], type_=ARRAY(Integer)),
            bindparam("statuses", [o.status for o in outcomes], type_=ARRAY(String)),
            bindparam(
                "items", [orjson.dumps(o.items).decode() for o in outcomes], type_=ARRAY(String)
            ),
            bindparam("channels", [o.channel for o in outcomes], type_=ARRAY(String)),
            bindparam("tss", [o.ts for o in outcomes], type_=ARRAY(String)),
            bindparam("errors", [o.error for o in outcomes], type_=ARRAY(String)),
        )
        .table_valued("id", "status", "item_keys", "channel", "ts", "error")
        .render_derived(with_types=False)
    )
    session.execute(
        update(DeliveryLedger)
        .where(DeliveryLedger.id == rows.c.id)
        .values(
            status=rows.c.status,
            items=cast(rows.c.item_keys, JSON),
            channel=rows.c.channel,
            ts=rows.c.ts,
            error=rows.c.error,
            sent_at=case(
                (rows.c.status == LedgerStatus.SENT, literal(now, UTCDateTime())), else_=None
            ),
        )
        .execution_options(synchronize_session=False)
    )


def take(
    session: Session, ledger_id: int, *, status: str, claimed_at: datetime, now: datetime
) -> bool:
    """Take a row whose outcome is unsettled, to settle it: only if it is still as it was
    read (`status`, `claimed_at`), so that of two runs settling at once one goes on."""
    taken = session.execute(
        update(DeliveryLedger)
        .where(
            DeliveryLedger.id == ledger_id,
            DeliveryLedger.status == status,
            DeliveryLedger.claimed_at == claimed_at,
        )
        .values(status=LedgerStatus.CLAIMED, claimed_at=now)
        .returning(DeliveryLedger.id)
    ).first()
    return taken is not None


def settle(session: Session, outcome: Outcome, *, taken_at: datetime, now: datetime) -> None:
    """Write the outcome of a row taken at `taken_at`, unless another run took it since."""
    session.execute(
        update(DeliveryLedger)
        .where(
            DeliveryLedger.id == outcome.ledger_id,
            DeliveryLedger.status == LedgerStatus.CLAIMED,
            DeliveryLedger.claimed_at == taken_at,
        )
        .values(
            status=outcome.status,
            items=outcome.items,
            channel=outcome.channel,
            ts=outcome.ts,
            error=outcome.error,
            sent_at=now if outcome.status == LedgerStatus.SENT else None,
        )
    )


def give_back(
    session: Session, ledger_id: int, *, taken_at: datetime, status: str, claimed_at: datetime
) -> None:
    """Put a taken row back as it was read: Slack could not say, a later run asks again."""
    session.execute(
        update(DeliveryLedger)
        .where(
            DeliveryLedger.id == ledger_id,
            DeliveryLedger.status == LedgerStatus.CLAIMED,
            DeliveryLedger.claimed_at == taken_at,
        )
        .values(status=status, claimed_at=claimed_at)
    )
