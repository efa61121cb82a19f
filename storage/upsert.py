"""INSERT … ON CONFLICT, which SQLAlchemy spells once per dialect."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def on_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def insert(session: Session, entity: Any) -> postgresql.Insert | sqlite.Insert:
    """An INSERT into `entity` with `on_conflict_do_nothing` / `on_conflict_do_update`, for
    the database `session` is bound to (Keel supports SQLite and PostgreSQL only)."""
    if on_postgresql(session):
        return postgresql.insert(entity)
    return sqlite.insert(entity)
