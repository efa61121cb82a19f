"""Events API deduplication: Slack retries events and nobody dedupes them for us."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from storage import upsert
from storage.models import SlackEvent

# Slack's last retry comes about 5 minutes after the first try; keep ids well past that.
KEEP_EVENT_IDS = timedelta(days=1)


def claim_event(*, session: Session, event_id: str, now: datetime) -> bool:
    """True the first time an event_id is seen, False for every retry of it."""
    # RETURNING yields the row only when it was inserted: rowcount is not reliable for
    # INSERT ... ON CONFLICT across drivers.
    inserted = session.scalar(
        upsert.insert(session, SlackEvent)
        .values(event_id=event_id, received_at=now)
        .on_conflict_do_nothing(index_elements=["event_id"])
        .returning(SlackEvent.event_id)
    )
    return inserted is not None


def forget_old_events(*, session: Session, now: datetime) -> int:
    result = session.execute(
        delete(SlackEvent).where(SlackEvent.received_at < now - KEEP_EVENT_IDS)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
