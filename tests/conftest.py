"""Fixtures: a migrated database (SQLite, or PostgreSQL from TEST_DATABASE_URL), the fake
Slack, and Keel itself serving HTTP on loopback."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import text

from bot.clock import FixedClock
from bot.process.server import HttpServer, make_server
from bot.runtime import Runtime, build_bolt_app, build_runtime
from bot.settings import Settings
from storage.db import Database, make_engine
from storage.migrate import upgrade
from storage.models import Base
from tests.fake_slack import FakeSlack
from tests.slack_requests import SIGNING_SECRET, SlackSender

# Tests assert what happens, never how fast: a loaded CI machine must not fail an example.
hypothesis_settings.register_profile("keel", deadline=None)
hypothesis_settings.load_profile("keel")

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
QUALITY_CHANNEL = "CQUALITY"
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)

requires_postgres = pytest.mark.skipif(not TEST_DATABASE_URL, reason="TEST_DATABASE_URL is not set")


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database migrated once per run: a SQLite file to copy, or the PostgreSQL database."""
    if TEST_DATABASE_URL:
        engine = make_engine(TEST_DATABASE_URL)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        upgrade(engine)
        engine.dispose()
        return TEST_DATABASE_URL
    path = tmp_path_factory.mktemp("template") / "keel.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return str(path)


@pytest.fixture
def database_url(migrated_template: str, tmp_path: Path) -> str:
    """A clean, migrated database for one test."""
    if TEST_DATABASE_URL:
        engine = make_engine(TEST_DATABASE_URL)
        tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
        with engine.begin() as connection:
            # TRUNCATE does not fire history's append-only row triggers; DELETE would.
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        engine.dispose()
        return TEST_DATABASE_URL
    path = tmp_path / "keel.db"
    shutil.copyfile(migrated_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database.from_url(database_url)
    yield database
    database.dispose()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    fake.add_channel(QUALITY_CHANNEL)
    fake.add_channel("CGENERAL")
    yield fake
    fake.stop()


@pytest.fixture
def settings(fake_slack: FakeSlack, database_url: str) -> Settings:
    return Settings(
        slack_bot_token="xoxb-test-token",
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake_slack.api_url,
        database_url=database_url,
        KEEL_QUALITY_CHANNEL=QUALITY_CHANNEL,
        KEEL_ADMINS="ULEAD",
        KEEL_TIMEZONE="Europe/Berlin",
    )


@dataclass
class RunningKeel:
    runtime: Runtime
    slack: SlackSender
    fake: FakeSlack
    clock: FixedClock
    url: str

    @property
    def db(self) -> Database:
        return self.runtime.deps.db


def start_keel(
    settings: Settings, fake: FakeSlack, clock: FixedClock
) -> tuple[RunningKeel, HttpServer]:
    runtime = build_runtime(settings, clock=clock, migrate=False, relay_poll_seconds=0.05)
    app = build_bolt_app(runtime, socket_mode=False)
    runtime.start_relay()
    server = make_server(app, host="127.0.0.1", port=0, signing_secret=SIGNING_SECRET)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.port}/slack/events"
    sender = SlackSender(url, response_url=fake.response_url())
    return RunningKeel(runtime, sender, fake, clock, url), server


@pytest.fixture
def keel(settings: Settings, fake_slack: FakeSlack, clock: FixedClock) -> Iterator[RunningKeel]:
    """Keel serving HTTP on loopback against the fake Slack, as `python -m bot serve --http`."""
    running, server = start_keel(settings, fake_slack, clock)
    yield running
    server.stop()
    running.runtime.stop()
