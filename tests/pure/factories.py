"""Records and history entries built in memory, as the database would hand them back."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from storage.models import History, Record

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)


def make_record(**overrides: Any) -> Record:
    fields: dict[str, Any] = {
        "id": 1,
        "workspace_id": 1,
        "number": 7,
        "reference": "NC-0007",
        "kind": "nonconformity",
        "title": "Wrong label on batch 2231",
        "description": "Batch 2231 left with the label of 2213.",
        "location": None,
        "occurred_date": date(2026, 11, 20),
        "severity": "medium",
        "containment": None,
        "reporter_id": "UALICE",
        "anonymous": False,
        "owner_id": None,
        "status": "new",
        "rejection_reason": None,
        "source_permalink": None,
        "source_view_id": "VFORM0001",
        "card_channel": None,
        "card_ts": None,
        "created_at": NOW,
        "updated_at": NOW,
    }
    fields.update(overrides)
    if "number" in overrides and "reference" not in overrides:
        fields["reference"] = f"NC-{fields['number']:04d}"
    return Record(**fields)


def make_history(n: int = 0, **overrides: Any) -> History:
    fields: dict[str, Any] = {
        "id": n + 1,
        "workspace_id": 1,
        "entity": "record",
        "entity_id": 1,
        "record_id": 1,
        "event": "thread_reply",
        "actor_id": "UBOB",
        "source": "thread",
        "before": None,
        "after": {"text": "Checked the batch: labels swapped.", "ts": "1726133700.887259"},
        "at": NOW + timedelta(minutes=n),
    }
    fields.update(overrides)
    return History(**fields)
