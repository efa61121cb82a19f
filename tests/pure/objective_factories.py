"""Objectives and values built in memory, for pure tests."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from bot.domain.objectives import Direction, Frequency
from storage.models import Measurement, Objective

TODAY = date(2026, 12, 2)
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


def make_objective(number: int = 1, **overrides: Any) -> Objective:
    fields: dict[str, Any] = {
        "id": number,
        "workspace_id": 1,
        "number": number,
        "title": "On-time delivery",
        "owner_id": "UBOB",
        "unit": "%",
        "target": 95.0,
        "direction": Direction.AT_LEAST.value,
        "frequency": Frequency.MONTHLY.value,
        "start_date": date(2026, 1, 1),
        "active": True,
        "created_at": NOW,
        "updated_at": NOW,
    }
    fields.update(overrides)
    return Objective(**fields)


def value(objective: Objective, start: date, amount: float) -> Measurement:
    return Measurement(
        objective_id=objective.id,
        workspace_id=1,
        period_start=start,
        value=amount,
        recorded_by="UBOB",
        recorded_at=NOW,
    )
