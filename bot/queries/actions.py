"""Actions as the rest of Keel reads them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.actions import action_reference
from bot.domain.errors import NotFound
from storage.models import Action, Record


def get(
    *, session: Session, workspace_id: int, action_id: int, for_update: bool = False
) -> tuple[Action, Record]:
    """The action and its record. `for_update` locks the action's row until commit, so that
    two clicks at once (a double click, two leads) change it once, not twice."""
    query = select(Action).where(Action.workspace_id == workspace_id, Action.id == action_id)
    action = session.scalar(query.with_for_update() if for_update else query)
    if action is None:
        raise NotFound("That action no longer exists in this workspace.")
    return action, session.get_one(Record, action.record_id)


def reference(action: Action, record: Record) -> str:
    """How people name the action: its record's reference and its number on it."""
    return action_reference(record.reference, action.number)


def lock(session: Session, action: Action) -> None:
    """Read the action again, locked until commit: of two clicks at once (a double click, two
    leads), the second sees what the first did. (SQLite serialises writers anyway.)"""
    session.refresh(action, with_for_update=True)
