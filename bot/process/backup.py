"""`python -m bot backup PATH`: a consistent copy of the SQLite database while Keel runs."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.settings import ConfigError


def backup_sqlite(database_url: str, target: Path) -> Path:
    """Copy the database with SQLite's online backup API, in one step: under WAL the copy
    reads one consistent snapshot and never blocks Keel's writers. Returns the source."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise ConfigError(
            "backup copies a SQLite database; for PostgreSQL use pg_dump, e.g. "
            "pg_dump --format=custom --file keel.dump postgresql://USER@HOST:5432/keel"
        )
    source = Path(str(url.database or ""))
    if not url.database or url.database == ":memory:" or not source.is_file():
        raise ConfigError(f"there is no SQLite database at {source.resolve()} to back up")
    if target.exists():
        raise ConfigError(f"{target} already exists: give a new file name")
    with closing(sqlite3.connect(source)) as original, closing(sqlite3.connect(target)) as copy:
        original.execute("PRAGMA busy_timeout = 15000")
        original.backup(copy)
    return source
