"""Keel's command line: `python -m bot --help`."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import time
from datetime import UTC, datetime
from types import FrameType

from bot import __version__
from bot.imports import cli as import_cli
from bot.jobs.registry import JOBS
from bot.process import interpreter
from bot.reports import cli as reports_cli
from bot.settings import ConfigError, Settings, load_settings

log = logging.getLogger("keel")

DESCRIPTION = """\
Keel keeps an ISO 9001 / 45001 / 14001 management system alive in Slack.

Configuration comes from environment variables (and a .env file): SLACK_BOT_TOKEN,
SLACK_SIGNING_SECRET, SLACK_APP_TOKEN, SLACK_API_URL, DATABASE_URL, KEEL_QUALITY_CHANNEL,
KEEL_DIGEST_CHANNEL, KEEL_ADMINS, KEEL_TIMEZONE, PORT. See README.md.
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"keel {__version__}")
    parser.add_argument(
        "--log-level", default=None, help="DEBUG, INFO, WARNING (default: $KEEL_LOG_LEVEL or INFO)"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    serve = commands.add_parser(
        "serve", help="answer Slack (HTTP, or Socket Mode when SLACK_APP_TOKEN is set)"
    )
    serve.add_argument("--port", type=int, default=None, help="HTTP port (default: $PORT or 3000)")
    serve.add_argument("--host", default="0.0.0.0", help="address to listen on (default 0.0.0.0)")  # noqa: S104
    serve.add_argument(
        "--http", action="store_true", help="use HTTP even when SLACK_APP_TOKEN is set"
    )
    serve.add_argument(
        "--no-scheduler",
        action="store_true",
        help="do not run the scheduled jobs here (run `clock` elsewhere)",
    )

    commands.add_parser(
        "clock", help="run the scheduled jobs only (one such process per deployment)"
    )

    run_job = commands.add_parser("run-job", help="run one scheduled job once and exit")
    run_job.add_argument(
        "name", nargs="?", choices=sorted(JOBS), metavar="NAME", help="the job (see --list)"
    )
    run_job.add_argument("--now", help="run as if the clock read this ISO-8601 time (default: now)")
    run_job.add_argument("--list", action="store_true", help="print the job names, one a line")

    commands.add_parser("migrate", help="bring the database schema up to date")

    backup = commands.add_parser(
        "backup", help="copy the SQLite database to PATH, safely while Keel runs"
    )
    backup.add_argument("path", metavar="PATH", help="the new file to write")

    check = commands.add_parser(
        "check",
        help="check the installation: token, scopes, channels, mode, database, time zone, clock",
        description="Check that Keel can run here, one line per check (✓ or ✗ with what to do); "
        "exits 1 if any check fails. It changes nothing.",
    )
    check.add_argument(
        "--http",
        action="store_true",
        help="check for `serve --http` even when SLACK_APP_TOKEN is set",
    )
    reports_cli.add_commands(commands)
    import_cli.add_parser(commands)  # issue 13: bringing in an existing register
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=(args.log_level or "INFO").upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # slack_sdk logs request details at DEBUG; keep it quiet so no token can reach a log.
    logging.getLogger("slack_sdk").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    if args.command is None:
        parser.print_help()
        return 0
    if args.command == "run-job" and args.list:
        print("\n".join(sorted(JOBS)))
        return 0
    if args.command == "check":
        return _check(args.http)
    try:
        settings = load_settings()
        if args.log_level is None:
            logging.getLogger().setLevel(settings.log_level.upper())
        if args.command == "migrate":
            return _migrate(settings)
        if args.command == "backup":
            return _backup(settings, args.path)
        if args.command == "run-job":
            return _run_job(settings, args.name, args.now, parser)
        if args.command == "export":
            return reports_cli.run_export(settings, args)
        if args.command == "report":
            return reports_cli.run_review(settings, args)
        if args.command == "clock":
            return _clock(settings)
        if args.command == "import":
            return import_cli.run(settings, args)
        return _serve(settings, args)
    except ConfigError as error:
        print(f"keel: {error}", file=sys.stderr)
        return 2


def _migrate(settings: Settings) -> int:
    from storage.db import Database
    from storage.migrate import current_revision, upgrade

    db = Database.from_url(settings.database_url)
    upgrade(db.engine)
    print(f"database is at revision {current_revision(db.engine)}")
    db.dispose()
    return 0


def _backup(settings: Settings, path: str) -> int:
    from pathlib import Path

    from bot.process.backup import backup_sqlite

    source = backup_sqlite(settings.database_url, Path(path))
    print(f"copied {source.resolve()} to {Path(path).resolve()}")
    return 0


def _check(http: bool) -> int:
    from bot.process.check import run_checks, summary

    # Each failed call is told in its ✗ line; slack_sdk's own error log would repeat it.
    logging.getLogger("slack_sdk").setLevel(logging.CRITICAL)
    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"✗ {error}")
        return 1
    results = run_checks(settings, http=http, now=datetime.now(UTC))
    for result in results:
        print(result.line)
    print(summary(results))
    return 0 if all(result.ok for result in results) else 1


def _parse_now(raw: str | None, parser: argparse.ArgumentParser) -> datetime | None:
    if raw is None:
        return None
    try:
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        parser.error(f"--now {raw!r} is not an ISO-8601 time, e.g. 2026-11-23T09:00:00+00:00")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _run_job(
    settings: Settings, name: str | None, raw_now: str | None, parser: argparse.ArgumentParser
) -> int:
    from bot.jobs.scheduler import run_job
    from bot.runtime import build_runtime

    if name is None:
        parser.error("run-job needs a job NAME (see `python -m bot run-job --list`)")
    now = _parse_now(raw_now, parser)
    interpreter.tune()
    runtime = build_runtime(settings)
    interpreter.freeze_start_up_objects()
    try:
        print(f"{name}: {run_job(JOBS[name], runtime.deps, runtime.relay, now)}")
    finally:
        runtime.stop()
    return 0


def _clock(settings: Settings) -> int:
    from bot.jobs.scheduler import build_scheduler
    from bot.runtime import build_runtime

    interpreter.tune()
    runtime = build_runtime(settings)
    interpreter.freeze_start_up_objects()
    runtime.start_relay()
    scheduler = build_scheduler(runtime.deps, runtime.relay, blocking=True)
    _on_termination(lambda: scheduler.shutdown(wait=False))
    log.info("Keel clock started: %s", ", ".join(JOBS))
    try:
        scheduler.start()
    finally:
        runtime.stop()
    return 0


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    from bot.jobs.scheduler import build_scheduler
    from bot.process.server import make_server
    from bot.runtime import build_bolt_app, build_runtime

    socket_mode = settings.slack_app_token is not None and not args.http
    interpreter.tune()
    runtime = build_runtime(settings)
    app = build_bolt_app(runtime, socket_mode=socket_mode)
    interpreter.freeze_start_up_objects()
    runtime.start_relay()
    scheduler = None
    if not args.no_scheduler:
        scheduler = build_scheduler(runtime.deps, runtime.relay, blocking=False)
        scheduler.start()
    try:
        if socket_mode:
            from bot.process.socket_mode import KeelSocketModeHandler

            assert settings.slack_app_token is not None
            handler = KeelSocketModeHandler(app, settings.slack_app_token.get_secret_value())
            termination = _Termination()
            _on_termination(termination.request)
            handler.connect()
            log.info("Keel is connected to Slack in Socket Mode")
            termination.wait()
            handler.close()
        else:
            port = args.port or settings.port
            server = make_server(
                app, host=args.host, port=port, signing_secret=settings.signing_secret()
            )
            _on_termination(server.stop)
            log.info("Keel is listening on http://%s:%s/slack/events", args.host, port)
            server.serve_forever()
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        runtime.stop()
    return 0


class _Termination:
    """A stop request a signal handler can make without taking a lock.

    The kernel may hand SIGTERM to any thread; Python then runs the handler on the main
    thread only when that thread next runs bytecode. A main thread blocked in an untimed
    ``Event.wait()`` never does, and ``Event.set()`` from a handler can deadlock on the
    event's own lock. So the handler sets a plain attribute and the main thread polls.
    """

    POLL_SECONDS = 0.5

    def __init__(self) -> None:
        self.requested = False

    def request(self) -> None:
        self.requested = True

    def wait(self) -> None:
        while not self.requested:
            time.sleep(self.POLL_SECONDS)


def _on_termination(stop: object) -> None:
    def handler(signum: int, _frame: FrameType | None) -> None:
        log.info("received signal %s, stopping", signum)
        stop()  # type: ignore[operator]

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


if __name__ == "__main__":
    sys.exit(main())
