"""Workspaces, as the scheduled jobs go over them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Workspace


def every_workspace(session: Session) -> list[Workspace]:
    """Every workspace, oldest first."""
    return list(session.scalars(select(Workspace).order_by(Workspace.id)))
