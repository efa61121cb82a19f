"""Processes and areas, each with an owner who receives the records raised about it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.domain.errors import KeelError, NotFound
from bot.services.history import Source, record_change
from bot.services.permissions import Actor, require_lead
from storage.models import Process

NAME_MAX = 80


def active(*, session: Session, workspace_id: int) -> list[Process]:
    return list(
        session.scalars(
            select(Process)
            .where(Process.workspace_id == workspace_id, Process.active.is_(True))
            .order_by(func.lower(Process.name))
        )
    )


def get(*, session: Session, workspace_id: int, process_id: int) -> Process:
    process = session.scalar(
        select(Process).where(Process.workspace_id == workspace_id, Process.id == process_id)
    )
    if process is None:
        raise NotFound("That process no longer exists.")
    return process


def add(
    *,
    session: Session,
    workspace_id: int,
    name: str,
    owner_id: str | None,
    actor: Actor,
    now: datetime,
) -> Process:
    require_lead(actor, "change the list of processes")
    name = " ".join(name.split())
    if not name or len(name) > NAME_MAX:
        raise KeelError(f"A process needs a name of 1 to {NAME_MAX} characters.")
    clash = session.scalar(
        select(Process.id).where(
            Process.workspace_id == workspace_id, func.lower(Process.name) == name.lower()
        )
    )
    if clash is not None:
        raise KeelError(f"There is already a process called {name}.")
    process = Process(
        workspace_id=workspace_id, name=name, owner_id=owner_id, active=True, created_at=now
    )
    session.add(process)
    session.flush()
    record_change(
        session=session,
        workspace_id=workspace_id,
        entity="process",
        entity_id=process.id,
        record_id=None,
        event="process_added",
        actor_id=actor.user_id,
        source=Source.FORM,
        at=now,
        after={"name": name, "owner": owner_id},
    )
    return process


def set_owner(
    *, session: Session, process: Process, owner_id: str | None, actor: Actor, now: datetime
) -> None:
    require_lead(actor, "change who owns a process")
    if owner_id == process.owner_id:
        return
    before = process.owner_id
    process.owner_id = owner_id
    record_change(
        session=session,
        workspace_id=process.workspace_id,
        entity="process",
        entity_id=process.id,
        record_id=None,
        event="process_owner_changed",
        actor_id=actor.user_id,
        source=Source.FORM,
        at=now,
        before={"owner": before},
        after={"owner": owner_id},
    )
