"""`python -m bot check` as an installer meets it, against the fake Slack and a real database:
one line per check, ✓ or ✗ with what to do, and a non-zero exit on any ✗."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select, update

from bot.__main__ import main
from bot.jobs.registry import JOBS
from bot.jobs.scheduler import run_job
from bot.services.job_runs import record_job_run
from storage.db import Database, make_engine
from storage.migrate import alembic_config
from storage.models import JobRun, Workspace
from tests.conftest import NOW, QUALITY_CHANNEL, RunningKeel
from tests.database.helpers import make_workspace
from tests.fake_slack import FakeSlack

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def installed(
    fake_slack: FakeSlack,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> FakeSlack:
    """A complete HTTP-mode installation in the environment, and its Slack; each test spoils
    one part."""
    for name in list(os.environ):
        if name.startswith(("SLACK_", "KEEL_", "DATABASE_URL")):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no .env from the repository
    env = {
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_SIGNING_SECRET": "s3cret",
        "SLACK_API_URL": fake_slack.api_url,
        "DATABASE_URL": database_url,
        "KEEL_QUALITY_CHANNEL": QUALITY_CHANNEL,
        "KEEL_TIMEZONE": "Europe/Berlin",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return fake_slack


def clock_ran(database_url: str, *, ago: timedelta = timedelta(minutes=1)) -> None:
    db = Database.from_url(database_url)
    with db.transaction() as session:
        record_job_run(
            session=session,
            job="deliver-outbox",
            outcome="sent 0, retrying 0, failed 0",
            now=datetime.now(UTC) - ago,
        )
    db.dispose()


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    code = main(["check", *args])
    return code, capsys.readouterr().out.splitlines()


def failures(lines: list[str]) -> list[str]:
    return [line for line in lines if line.startswith("✗")]


def test_a_complete_installation_passes_every_check(
    installed: FakeSlack, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    clock_ran(database_url)
    code, lines = check(capsys)
    assert code == 0, lines
    assert failures(lines) == []
    checks = [line for line in lines if line.startswith("✓")]
    assert len(checks) == 7
    assert any("HTTP mode" in line and "SLACK_SIGNING_SECRET is set" in line for line in checks)
    assert any("the token works" in line and "T0KEEL" in line for line in checks)
    assert any("all 10 scopes manifest.yml asks for" in line for line in checks)
    assert any("up to date (revision " in line for line in checks)
    assert any("Europe/Berlin (KEEL_TIMEZONE) is valid" in line for line in checks)
    assert f"✓ the quality channel {QUALITY_CHANNEL} exists and Keel is a member" in lines
    assert any(line.startswith("✓ the clock last ran deliver-outbox at ") for line in checks)
    assert lines[-1] == "Keel is ready: all 7 checks passed."


def test_a_token_slack_refuses_fails_with_where_to_copy_it(
    installed: FakeSlack, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    clock_ran(database_url)
    installed.reject_token()
    code, lines = check(capsys)
    assert code == 1
    assert failures(lines) == [
        "✗ Slack refused SLACK_BOT_TOKEN (invalid_auth): copy the Bot User OAuth Token "
        "(xoxb-...) again from your app's 'OAuth & Permissions' page"
    ]


def test_a_missing_scope_is_named_with_how_to_reinstall(
    installed: FakeSlack, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    clock_ran(database_url)
    installed.granted_scopes.remove("im:history")
    code, lines = check(capsys)
    assert code == 1
    (line,) = failures(lines)
    assert line.startswith("✗ the token lacks the scopes im:history: paste manifest.yml")
    assert "reinstall the app" in line


@pytest.mark.parametrize("channels_read", [False, True], ids=["history", "conversations.info"])
def test_a_quality_channel_keel_is_not_in_says_to_invite_it(
    installed: FakeSlack,
    database_url: str,
    capsys: pytest.CaptureFixture[str],
    channels_read: bool,
) -> None:
    clock_ran(database_url)
    fake = installed
    fake.add_channel(QUALITY_CHANNEL, member=False)
    if channels_read:
        fake.granted_scopes.append("channels:read")
    code, lines = check(capsys)
    assert code == 1
    assert failures(lines) == [
        f"✗ Keel is not a member of the quality channel {QUALITY_CHANNEL}: "
        "type `/invite @Keel` in that channel"
    ]
    assert fake.calls_to("conversations.info", ok_only=channels_read)


def test_a_quality_channel_that_is_gone_says_to_choose_another(
    installed: FakeSlack, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    clock_ran(database_url)
    del installed.channels[QUALITY_CHANNEL]
    code, lines = check(capsys)
    assert code == 1
    (line,) = failures(lines)
    assert "does not exist" in line and "`/nc channel #channel`" in line


def test_no_quality_channel_says_how_to_set_one(
    installed: FakeSlack,
    database_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock_ran(database_url)
    monkeypatch.delenv("KEEL_QUALITY_CHANNEL")
    code, lines = check(capsys)
    assert code == 1
    (line,) = failures(lines)
    assert line.startswith("✗ no quality channel is set, so new records reach only their reporter")
    assert "`/nc channel #channel`" in line and "KEEL_QUALITY_CHANNEL" in line


def test_the_workspaces_stored_channels_win_over_the_variables(
    installed: FakeSlack,
    database_url: str,
    db: Database,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Once Keel has heard from the workspace, /nc channel and /nc digest decide."""
    clock_ran(database_url)
    make_workspace(db, NOW, channel="CGENERAL")
    installed.add_channel("CDIGEST", member=False)
    with db.transaction() as session:
        session.execute(update(Workspace).values(digest_channel="CDIGEST"))
    code, lines = check(capsys)
    assert code == 1
    assert "✓ the quality channel CGENERAL exists and Keel is a member" in lines
    assert failures(lines) == [
        "✗ Keel is not a member of the digest channel CDIGEST: type `/invite @Keel` in that channel"
    ]


def test_http_mode_without_a_signing_secret_fails_and_socket_mode_needs_none(
    installed: FakeSlack,
    database_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock_ran(database_url)
    monkeypatch.delenv("SLACK_SIGNING_SECRET")
    code, lines = check(capsys)
    assert code == 1
    (line,) = failures(lines)
    assert line.startswith("✗ serve will use HTTP mode (SLACK_APP_TOKEN is not set), but")
    assert "SLACK_SIGNING_SECRET is not set" in line

    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1-test")
    code, lines = check(capsys)
    assert code == 0, lines
    assert lines[0].startswith("✓ serve will use Socket Mode (SLACK_APP_TOKEN is set)")


def test_an_unmigrated_database_says_to_run_migrate(
    installed: FakeSlack,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "old.db"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    code, lines = check(capsys)
    assert code == 1
    (line,) = failures(lines)
    assert line.startswith(f"✗ the database ({path.resolve()}) is at revision 0002, Keel needs ")
    assert line.endswith(": run `python -m bot migrate`")


def test_a_missing_sqlite_file_is_not_created_by_check(
    installed: FakeSlack,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    monkeypatch.chdir(fresh)
    monkeypatch.setenv("DATABASE_URL", "sqlite:///keel.db")
    code, lines = check(capsys)
    assert code == 1
    assert failures(lines) == [
        f"✗ there is no database at {fresh.resolve() / 'keel.db'} yet: run "
        "`python -m bot migrate` (serve and clock create it too)"
    ]
    assert not (fresh / "keel.db").exists()


def test_no_job_run_says_to_start_the_clock(
    installed: FakeSlack, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines = check(capsys)
    assert code == 1
    assert failures(lines) == [
        "✗ no scheduled job has run: start `python -m bot clock`, or `python -m bot serve` "
        "without --no-scheduler"
    ]


def test_a_clock_silent_for_hours_is_not_running(
    installed: FakeSlack, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    clock_ran(database_url, ago=timedelta(hours=3))
    code, lines = check(capsys)
    assert code == 1
    (line,) = failures(lines)
    assert line.startswith("✗ the clock last ran deliver-outbox at ")
    assert "3 hours ago: it is not running, start `python -m bot clock`" in line


def test_every_scheduled_run_is_recorded_for_check(keel: RunningKeel) -> None:
    run_job(JOBS["forget-old-events"], keel.runtime.deps, keel.runtime.relay, NOW)
    run_job(JOBS["deliver-outbox"], keel.runtime.deps, keel.runtime.relay, NOW)
    with keel.db.reading() as session:
        runs = {run.job: run for run in session.scalars(select(JobRun))}
    assert set(runs) == {"forget-old-events", "deliver-outbox"}
    assert runs["forget-old-events"].outcome == "forgot 0 old event ids"
    assert runs["deliver-outbox"].finished_at == NOW


def test_check_as_a_process_exits_non_zero_without_a_traceback(
    installed: FakeSlack, tmp_path: Path
) -> None:
    env = {**os.environ, "SLACK_BOT_TOKEN": "xoxb-revoked", "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "check"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "✗ Slack refused SLACK_BOT_TOKEN (invalid_auth)" in result.stdout
    assert result.stderr == ""
