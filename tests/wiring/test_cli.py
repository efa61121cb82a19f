"""The command line as an operator meets it: help, migrate, and one-line configuration errors."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from contextlib import closing
from pathlib import Path

from tests.fake_slack import FakeSlack

REPO = Path(__file__).resolve().parents[2]


def operator_env(**env: str) -> dict[str, str]:
    """This environment without Keel's own variables, plus `env`: what an operator sets. The
    process runs this checkout's Keel, whatever the interpreter has installed."""
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "KEEL_", "DATABASE_URL"))
    }
    return {**clean, "PYTHONPATH": str(REPO), **env}


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own CLI, no shell
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=operator_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_help_lists_every_command(tmp_path: Path) -> None:
    result = run(["--help"], tmp_path)
    assert result.returncode == 0
    for command in ("serve", "clock", "run-job", "migrate", "check"):
        assert command in result.stdout


def test_migrate_creates_the_schema_on_a_fresh_sqlite_file(tmp_path: Path) -> None:
    result = run(["migrate"], tmp_path, DATABASE_URL=f"sqlite:///{tmp_path}/keel.db")
    assert result.returncode == 0, result.stderr
    assert "database is at revision" in result.stdout
    assert (tmp_path / "keel.db").exists()


def test_serve_without_a_token_says_what_to_set_in_one_line(tmp_path: Path) -> None:
    result = run(["serve", "--http"], tmp_path, DATABASE_URL=f"sqlite:///{tmp_path}/keel.db")
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_bad_database_url_is_one_readable_line(tmp_path: Path) -> None:
    result = run(["migrate"], tmp_path, SLACK_BOT_TOKEN="xoxb-x", DATABASE_URL="nonsense://")
    assert result.returncode == 2
    assert "DATABASE_URL" in result.stderr and "Traceback" not in result.stderr


def test_http_mode_without_a_signing_secret_says_what_to_set(tmp_path: Path) -> None:
    result = run(
        ["serve", "--http"],
        tmp_path,
        SLACK_BOT_TOKEN="xoxb-x",
        DATABASE_URL=f"sqlite:///{tmp_path}/keel.db",
        SLACK_API_URL="http://127.0.0.1:9/api/",
    )
    assert result.returncode == 2
    assert "SLACK_SIGNING_SECRET" in result.stderr and "Traceback" not in result.stderr


def test_an_unreachable_slack_is_one_readable_line(tmp_path: Path) -> None:
    result = run(
        ["serve", "--http"],
        tmp_path,
        SLACK_BOT_TOKEN="xoxb-x",
        SLACK_SIGNING_SECRET="s",
        DATABASE_URL=f"sqlite:///{tmp_path}/keel.db",
        SLACK_API_URL="http://127.0.0.1:9/api/",
    )
    assert result.returncode == 2
    assert "Could not reach Slack at SLACK_API_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_token_slack_refuses_is_one_readable_line(tmp_path: Path, fake_slack: FakeSlack) -> None:
    result = run(
        ["serve", "--http"],
        tmp_path,
        SLACK_BOT_TOKEN="xoxb-revoked",
        SLACK_SIGNING_SECRET="s",
        DATABASE_URL=f"sqlite:///{tmp_path}/keel.db",
        SLACK_API_URL=fake_slack.api_url,
    )
    assert result.returncode == 2
    assert "Slack refused SLACK_BOT_TOKEN" in result.stderr and "invalid_auth" in result.stderr
    assert "Traceback" not in result.stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_health(port: int, process: subprocess.Popen[str]) -> int:
    """The /healthz status once serve answers (or fails the test if it exits first)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "serve exited before it answered /healthz"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                return int(answer.status)
        except OSError:
            time.sleep(0.1)
    raise AssertionError("serve did not answer /healthz within a minute")


def test_serve_answers_healthz_and_stops_cleanly_without_warnings(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    port = free_port()
    env = operator_env(
        SLACK_BOT_TOKEN="xoxb-test-token",
        SLACK_SIGNING_SECRET="s",
        DATABASE_URL=f"sqlite:///{tmp_path}/keel.db",
        SLACK_API_URL=fake_slack.api_url,
    )
    process = subprocess.Popen(  # noqa: S603 - our own CLI, no shell
        [sys.executable, "-m", "bot", "serve", "--http", "--no-scheduler", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert wait_for_health(port, process) == 200
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert "WARNING" not in stderr and "Traceback" not in stderr, stderr


def test_backup_copies_sqlite_while_keel_holds_it_open(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/keel.db"
    assert run(["migrate"], tmp_path, DATABASE_URL=url).returncode == 0
    holder = sqlite3.connect(tmp_path / "keel.db")  # a running Keel, mid-transaction
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = run(["backup", "copy.db"], tmp_path, DATABASE_URL=url)
    finally:
        holder.rollback()
        holder.close()
    assert result.returncode == 0, result.stderr
    assert "copied" in result.stdout
    versions = set()
    for name in ("keel.db", "copy.db"):
        with closing(sqlite3.connect(tmp_path / name)) as database:
            versions.add(database.execute("SELECT version_num FROM alembic_version").fetchone())
    assert len(versions) == 1


def test_backup_of_postgresql_points_to_pg_dump(tmp_path: Path) -> None:
    result = run(
        ["backup", "copy.db"], tmp_path, DATABASE_URL="postgresql+psycopg://keel@db:5432/keel"
    )
    assert result.returncode == 2
    assert "pg_dump" in result.stderr and "Traceback" not in result.stderr
