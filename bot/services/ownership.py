"""A record's owner from its first triage: nobody is left without someone to ask."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.services import notify
from bot.services.history import Source, record_change_to
from bot.services.permissions import Actor
from storage.models import Process, Record


def owner_on_triage(*, session: Session, record: Record, actor: Actor, now: datetime) -> None:
    """A lead who triages an ownerless record (status, severity, root cause, an action) gives
    it an owner: the owner of its process, else that lead. History says it came from triage."""
    if record.owner_id is not None or not actor.is_lead:
        return
    process_owner = None
    if record.process_id is not None:
        process_owner = session.scalar(
            select(Process.owner_id).where(
                Process.workspace_id == record.workspace_id, Process.id == record.process_id
            )
        )
    owner = process_owner or actor.user_id
    record.owner_id = owner
    record_change_to(
        record,
        session=session,
        event="owner_set_at_triage",  # shown as "owner set at triage: owner — → @owner"
        actor_id=actor.user_id,
        source=Source.FORM,
        at=now,
        before={"owner": None},
        after={"owner": owner},
    )
    if owner != actor.user_id:
        notify.dm(
            session=session,
            workspace_id=record.workspace_id,
            users=[owner],
            now=now,
            record_id=record.id,
            text=f"You own {record.reference}, as the owner of its process: <@{actor.user_id}> "
            f"has started on it. See it with `/nc {record.reference}`.",
        )
