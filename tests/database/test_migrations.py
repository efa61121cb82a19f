"""Upgrading a database that already holds records keeps every record's reference."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, text

from storage.db import make_engine
from storage.migrate import alembic_config
from tests.conftest import TEST_DATABASE_URL

SCHEMA = "keel_migration_test"


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
        yield engine
        engine.dispose()
        return
    if not TEST_DATABASE_URL:
        pytest.skip("TEST_DATABASE_URL is not set")
    # A schema of its own, so the suite's migrated database is left alone.
    engine = make_engine(TEST_DATABASE_URL, connect_args={"options": f"-csearch_path={SCHEMA}"})
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    yield engine
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA {SCHEMA} CASCADE"))
    engine.dispose()


def _upgrade(engine: Engine, revision: str) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def test_records_made_before_prefixes_keep_their_nc_references(empty_engine: Engine) -> None:
    _upgrade(empty_engine, "0002")
    with empty_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO workspace (id, team_id, lead_ids, extension_limit, nudge_hour,"
                " quiet_hour, working_days, due_soon_days, escalate_to_owner_days,"
                " escalate_to_channel_days, created_at)"
                " VALUES (1, 'T1', '[]', 2, 9, 18, '[0,1,2,3,4]', 3, 7, 14, '2026-11-01 09:00:00')"
            )
        )
        connection.execute(
            text("INSERT INTO reference_counter (workspace_id, last_number) VALUES (1, 12345)")
        )
        for number in (7, 12345):
            connection.execute(
                text(
                    "INSERT INTO record (workspace_id, number, kind, title, description,"
                    " occurred_date, severity, anonymous, status, created_at, updated_at)"
                    " VALUES (1, :number, 'near_miss', 'Old', 'Old.', '2026-11-01', 'low',"
                    " false, 'new', '2026-11-01 09:00:00', '2026-11-01 09:00:00')"
                ),
                {"number": number},
            )
    _upgrade(empty_engine, "head")
    with empty_engine.connect() as connection:
        references = connection.execute(
            text("SELECT reference FROM record ORDER BY number")
        ).scalars()
        assert list(references) == ["NC-0007", "NC-12345"]
        sequence = connection.execute(
            text("SELECT prefix, last_number FROM reference_sequence")
        ).all()
        assert [tuple(row) for row in sequence] == [("NC", 12345)]
