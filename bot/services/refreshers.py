"""Refresher reminders: 30 days before a completion expires, and on the day; each once.

Each reminder is claimed in the delivery ledger (unique per person, kind and period) before
it joins a digest, so a re-run, a second clock or a restart claims nothing twice. A newer
completion of the same competence silences the older one's reminders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from bot.domain.competence import EXPIRING_SOON_DAYS, Refresher, refresher_due
from bot.queries import competence as matrix
from storage import upsert
from storage.models import DeliveryLedger

LEDGER_KIND = "refresher"


@dataclass(frozen=True)
class RefresherLine:
    user_id: str
    competence: str
    expiry_date: date
    refresher: Refresher


def claim_due(
    *, session: Session, workspace_id: int, today: date, now: datetime
) -> list[RefresherLine]:
    """The refreshers due today that no earlier run has claimed, now claimed."""
    latest = matrix.latest_completions(session=session, workspace_id=workspace_id)
    current = {completion.id for completion in latest.values()}
    names = matrix.names(session=session, workspace_id=workspace_id)
    lines = []
    for completion in matrix.with_expiry(
        session=session,
        workspace_id=workspace_id,
        until=today + timedelta(days=EXPIRING_SOON_DAYS),
    ):
        due = refresher_due(completion.expiry_date, today)
        if due is None or completion.id not in current or completion.expiry_date is None:
            continue
        claimed = session.execute(
            upsert.insert(session, DeliveryLedger)
            .values(
                workspace_id=workspace_id,
                user_id=completion.user_id,
                kind=LEDGER_KIND,
                period=f"{completion.id}:{due.value}",
                status="claimed",
                items=[],
                claimed_at=now,
            )
            .on_conflict_do_nothing(index_elements=["workspace_id", "user_id", "kind", "period"])
            .returning(DeliveryLedger.id)
        ).scalar_one_or_none()
        if claimed is not None:
            lines.append(
                RefresherLine(
                    completion.user_id,
                    names[completion.competence_id],
                    completion.expiry_date,
                    due,
                )
            )
    return lines
