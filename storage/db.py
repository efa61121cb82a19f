"""Engines and transactions: SQLite tuned for concurrent writers, PostgreSQL as is."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import ConfigError

SQLITE_BUSY_TIMEOUT_MS = 15_000
# Sessions that only read take no write lock on SQLite (see _tune_sqlite).
READ_ONLY_OPTION = "keel_read_only"


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url`, or a ConfigError that says what is wrong with it."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(
            f"DATABASE_URL is not a valid SQLAlchemy URL ({url!r}); use e.g. sqlite:///keel.db "
            "or postgresql+psycopg://user@host:5432/keel"
        ) from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise ConfigError(
            f"DATABASE_URL names a database Keel does not support ({parsed.get_backend_name()!r}); "
            "use sqlite:///keel.db or postgresql+psycopg://user@host:5432/keel"
        )
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        # psycopg 3 is the driver Keel ships with; plain postgresql:// would ask for psycopg2.
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        if parsed.get_backend_name() == "sqlite":
            engine = create_engine(parsed, **kwargs)
            _tune_sqlite(engine)
        else:
            engine = create_engine(parsed, pool_pre_ping=True, **kwargs)
    except (NoSuchModuleError, ModuleNotFoundError) as error:
        raise ConfigError(
            f"DATABASE_URL needs a database driver that is not installed ({error}); for "
            "PostgreSQL run: python -m pip install 'keel[postgres]'"
        ) from None
    return engine


def _tune_sqlite(engine: Engine) -> None:
    """WAL, a busy timeout, foreign keys, and BEGIN IMMEDIATE for every transaction.

    A deferred transaction that reads and then writes fails with "database is locked" when
    another writer got there first, whatever the timeout; IMMEDIATE takes the write lock up
    front, so writers queue on busy_timeout instead. Readers are not blocked under WAL.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN, rather than the sqlite3 module.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        read_only = connection.get_execution_options().get(READ_ONLY_OPTION, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


class Database:
    """The engine and a session factory; `transaction()` is the unit of work."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # SQLite has one writer at a time, and its busy handler sleeps in growing steps rather
        # than queueing, so under load some writers lose again and again. Within a process,
        # writers queue fairly on this lock instead; other processes still meet busy_timeout.
        self._write_lock: AbstractContextManager[object] = (
            threading.RLock() if is_sqlite(engine) else nullcontext()
        )
        self.sessions = sessionmaker(engine, expire_on_commit=False)
        self._read_sessions = sessionmaker(
            engine.execution_options(**{READ_ONLY_OPTION: True}), expire_on_commit=False
        )

    @classmethod
    def from_url(cls, url: str) -> Database:
        return cls(make_engine(url))

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work commits on success and rolls back on any error."""
        with self._write_lock, self.sessions() as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads only: on SQLite it does not queue behind writers."""
        with self._read_sessions() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
