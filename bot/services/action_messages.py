"""An action is shown in two messages, in its record's thread and in its owner's DM: every
change to it edits both in place."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.services import outbox
from storage.models import Action


def edit_in_place(session: Session, action: Action, now: datetime) -> None:
    """The action changed: stamp it and ask for both its messages to be edited."""
    action.updated_at = now
    outbox.enqueue_action_update(
        session=session,
        workspace_id=action.workspace_id,
        action_id=action.id,
        record_id=action.record_id,
        now=now,
    )
