"""Actions and processes built in memory, as the database would hand them back."""

from __future__ import annotations

from datetime import date
from typing import Any

from storage.models import Action, Process
from tests.pure.factories import NOW


def make_action(**overrides: Any) -> Action:
    fields: dict[str, Any] = {
        "id": 31,
        "workspace_id": 1,
        "record_id": 1,
        "number": 2,
        "kind": "corrective",
        "description": "Print labels from the batch record, not by hand.",
        "owner_id": "UOWEN",
        "due_date": date(2026, 12, 1),
        "status": "open",
        "blocked_reason": None,
        "evidence": None,
        "done_at": None,
        "effectiveness_check_date": date(2027, 3, 1),
        "effectiveness_criterion": "No mislabelled batch in the next 3 months.",
        "verifier_id": None,
        "verified_at": None,
        "verification_note": None,
        "cancel_reason": None,
        "extension_count": 0,
        "pending_extension": None,
        "created_at": NOW,
        "updated_at": NOW,
    }
    fields.update(overrides)
    return Action(**fields)


def make_process(n: int = 1, **overrides: Any) -> Process:
    fields: dict[str, Any] = {
        "id": n,
        "workspace_id": 1,
        "name": f"Process {n}",
        "owner_id": f"UOWNER{n}",
        "active": True,
        "created_at": NOW,
    }
    fields.update(overrides)
    return Process(**fields)
