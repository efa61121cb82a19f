"""Workspaces, as the scheduled jobs go over them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Workspace


def every_workspace(session: Session) -> list[Workspace]:
    """Every workspace, oldest first."""
    return list(session.scalars(select(Workspace).order_by(Workspace.id)))


def first_workspace(session: Session, team_id: str | None = None) -> Workspace | None:
    """The workspace `team_id` names, or the oldest: a single-workspace install's own."""
    query = select(Workspace).order_by(Workspace.id)
    if team_id:
        query = query.where(Workspace.team_id == team_id)
    return session.scalars(query).first()
