"""`python -m bot check`: is this installation ready to run? One line per check, ✓ or ✗, and
for each ✗ what to do about it.

The judgements are pure functions of what was found; `run_checks` finds it (Slack, the
database, the settings) and never writes anything.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.domain.text import plural
from bot.queries.installation import LastRun, WorkspaceSetup, last_job_run, workspace_setup
from bot.settings import ConfigError, Settings
from bot.slack.client import make_client
from storage.db import Database, make_engine
from storage.migrate import alembic_config, current_revision

MANIFEST = Path(__file__).resolve().parents[2] / "manifest.yml"
# manifest.yml's oauth_config.scopes.bot, for an install that has no manifest.yml beside it.
BOT_SCOPES = (
    "commands",
    "chat:write",
    "im:write",
    "users:read",
    "users:read.email",
    "channels:history",
    "groups:history",
    "im:history",
    "reactions:write",
    "files:write",
)
# deliver-outbox runs every minute: a clock silent for longer than this is not running.
CLOCK_SILENT_AFTER = timedelta(minutes=10)
DATABASE_CONNECT_SECONDS = 5
START_THE_CLOCK = "start `python -m bot clock`, or `python -m bot serve` without --no-scheduler"
REINSTALL = (
    "paste manifest.yml on your app's 'App Manifest' page, save, and reinstall the app "
    "when Slack asks, then copy the new Bot User OAuth Token into SLACK_BOT_TOKEN"
)


@dataclass(frozen=True)
class Result:
    ok: bool
    text: str

    @property
    def line(self) -> str:
        return f"{'✓' if self.ok else '✗'} {self.text}"


def passed(text: str) -> Result:
    return Result(True, text)


def failed(text: str) -> Result:
    return Result(False, text)


# -- the judgements ---------------------------------------------------------------------------
def bot_scopes_of_manifest(text: str) -> list[str]:
    """The `oauth_config: scopes: bot:` list of a Slack app manifest (the small YAML subset
    manifest.yml uses: block lists, comments)."""
    scopes: list[str] = []
    path: list[tuple[int, str]] = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        item = re.fullmatch(r"\s*-\s+(\S+)", line)
        if item is not None:
            if [key for _, key in path] == ["oauth_config", "scopes", "bot"]:
                scopes.append(item.group(1).strip("'\""))
            continue
        key = re.fullmatch(r"\s*([\w.-]+):.*", line)
        if key is None:
            continue
        path = [(level, name) for level, name in path if level < indent]
        path.append((indent, key.group(1)))
    return scopes


def manifest_bot_scopes(manifest: Path = MANIFEST) -> list[str]:
    """The bot scopes manifest.yml asks for, or Keel's own list when there is no manifest."""
    if manifest.is_file():
        found = bot_scopes_of_manifest(manifest.read_text(encoding="utf-8"))
        if found:
            return found
    return list(BOT_SCOPES)


def scopes_result(granted: str | None, wanted: Sequence[str]) -> Result:
    """Compare the token's scopes (Slack's x-oauth-scopes header) with the manifest's."""
    if granted is None:
        return failed(f"Slack did not say which scopes the token has: {REINSTALL}")
    have = {scope.strip() for scope in granted.split(",") if scope.strip()}
    missing = [scope for scope in wanted if scope not in have]
    if missing:
        return failed(f"the token lacks the scopes {', '.join(missing)}: {REINSTALL}")
    return passed(f"the token has all {plural(len(wanted), 'scope')} manifest.yml asks for")


def mode_result(settings: Settings, *, http: bool) -> Result:
    """Which way Slack reaches Keel, and whether that way is configured."""
    if settings.slack_app_token is not None and not http:
        if not settings.slack_app_token.get_secret_value().startswith("xapp-"):
            return failed(
                "SLACK_APP_TOKEN is not an app-level token (xapp-...): generate one with the "
                "connections:write scope on your app's 'Basic Information' page"
            )
        return passed("serve will use Socket Mode (SLACK_APP_TOKEN is set): no public URL needed")
    why = "--http" if http else "SLACK_APP_TOKEN is not set"
    try:
        settings.signing_secret()
    except ConfigError as error:
        return failed(f"serve will use HTTP mode ({why}), but {error}")
    return passed(f"serve will use HTTP mode ({why}) and SLACK_SIGNING_SECRET is set")


def database_result(where: str, current: str | None, head: str, known: set[str]) -> Result:
    """Whether the schema is the one this version of Keel needs."""
    if current == head:
        return passed(f"the database {where} is reachable and up to date (revision {head})")
    if current is None:
        return failed(f"the database {where} has no schema yet: run `python -m bot migrate`")
    if current not in known:
        return failed(
            f"the database {where} is at revision {current}, which this version of Keel does "
            "not know: a newer Keel upgraded it, so run that version"
        )
    return failed(
        f"the database {where} is at revision {current}, Keel needs {head}: "
        "run `python -m bot migrate`"
    )


def timezone_result(name: str, source: str) -> Result:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return failed(
            f"the time zone {name!r} ({source}) is not a time zone: use an IANA name such "
            "as Europe/Berlin"
        )
    return passed(f"the time zone {name} ({source}) is valid")


def channel_result(purpose: str, channel: str, answer: str, change: str) -> Result:
    """`answer`: "ok" or the Slack error met when looking at the channel."""
    named = f"the {purpose} {channel}"
    if answer == "ok":
        return passed(f"{named} exists and Keel is a member")
    if answer == "not_in_channel":
        return failed(f"Keel is not a member of {named}: type `/invite @Keel` in that channel")
    if answer == "channel_not_found":
        return failed(
            f"{named} does not exist, or is private and Keel is not in it: type `/invite @Keel` "
            f"in the channel, or choose another with `{change}`"
        )
    if answer == "is_archived":
        return failed(f"{named} is archived: choose another with `{change}`")
    return failed(f"Slack answered {answer} when Keel looked at {named}")


def no_quality_channel(*, workspace_known: bool) -> Result:
    how = "run `/nc channel #channel` in Slack"
    if not workspace_known:
        how += ", or set KEEL_QUALITY_CHANNEL to the channel's ID before anyone uses Keel"
    return failed(
        "no quality channel is set, so new records reach only their reporter: invite Keel to "
        f"the channel with `/invite @Keel`, then {how}"
    )


def when(at: datetime, zone: ZoneInfo, now: datetime) -> str:
    local = at.astimezone(zone)
    year = "" if local.year == now.astimezone(zone).year else f" {local.year}"
    return f"{local:%a} {local.day} {local:%b}{year} {local:%H:%M} ({zone.key})"


def ago(elapsed: timedelta) -> str:
    minutes = max(0, int(elapsed.total_seconds() // 60))
    if minutes < 120:
        return f"{plural(minutes, 'minute')} ago"
    if minutes < 48 * 60:
        return f"{plural(minutes // 60, 'hour')} ago"
    return f"{plural(minutes // (24 * 60), 'day')} ago"


def clock_result(last: LastRun | None, now: datetime, zone: ZoneInfo) -> Result:
    if last is None:
        return failed(f"no scheduled job has run: {START_THE_CLOCK}")
    ran = f"the clock last ran {last.job} at {when(last.finished_at, zone, now)}"
    elapsed = now - last.finished_at
    if elapsed > CLOCK_SILENT_AFTER:
        return failed(f"{ran}, {ago(elapsed)}: it is not running, {START_THE_CLOCK}")
    return passed(ran)


# -- finding out ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Team:
    team_id: str
    granted_scopes: str | None


def check_token(client: WebClient, api_url: str) -> tuple[Result, Team | None]:
    try:
        answer = client.auth_test()
    except SlackApiError as error:
        return failed(
            f"Slack refused SLACK_BOT_TOKEN ({error.response.get('error')}): copy the Bot User "
            "OAuth Token (xoxb-...) again from your app's 'OAuth & Permissions' page"
        ), None
    except (SlackClientError, OSError) as error:
        return failed(
            f"cannot reach Slack at SLACK_API_URL ({api_url}): {error}; check the network, "
            "or unset SLACK_API_URL"
        ), None
    headers = {name.lower(): value for name, value in (answer.headers or {}).items()}
    scopes = headers.get("x-oauth-scopes")
    granted = scopes[0] if isinstance(scopes, list) else scopes
    team = Team(team_id=str(answer.get("team_id")), granted_scopes=granted)
    return passed(
        f"the token works: Keel is @{answer.get('user')} in {answer.get('team')} ({team.team_id})"
    ), team


def look_at_channel(client: WebClient, channel: str) -> str:
    """`ok` when the channel exists and Keel is in it, else Slack's error. conversations.info
    takes channels:read, which Keel does not ask for; without it, reading the channel's latest
    message (channels:history, groups:history) tells the same."""
    try:
        found = client.conversations_info(channel=channel)["channel"]
    except SlackApiError as error:
        if error.response.get("error") != "missing_scope":
            return str(error.response.get("error"))
    else:
        if found.get("is_archived"):
            return "is_archived"
        return "ok" if found.get("is_member") else "not_in_channel"
    try:
        client.conversations_history(channel=channel, limit=1)
    except SlackApiError as error:
        return str(error.response.get("error"))
    return "ok"


def open_database(url: str) -> tuple[Result | None, Database | None, str]:
    """The database, or a ✗ saying why it cannot be used; also how to name it to a person."""
    try:
        parsed = make_url(url)
        where = f"({parsed.render_as_string(hide_password=True)})"
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            path = Path(str(parsed.database))
            where = f"({path.resolve()})"
            if not path.is_file():
                return (
                    failed(
                        f"there is no database at {path.resolve()} yet: run "
                        "`python -m bot migrate` (serve and clock create it too)"
                    ),
                    None,
                    where,
                )
        # A database host that drops packets must not leave check hanging.
        options: dict[str, object] = {}
        if parsed.get_backend_name() == "postgresql":
            options["connect_args"] = {"connect_timeout": DATABASE_CONNECT_SECONDS}
        return None, Database(make_engine(url, **options)), where
    except ConfigError as error:
        return failed(str(error)), None, "(DATABASE_URL)"


def database_revisions(engine: Engine) -> tuple[str | None, str, set[str]]:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config())
    head = scripts.get_current_head()
    assert head is not None
    known = {script.revision for script in scripts.walk_revisions()}
    return current_revision(engine), head, known


def run_checks(settings: Settings, *, http: bool, now: datetime) -> list[Result]:
    """Every check, in the order an installer meets them."""
    results = [mode_result(settings, http=http)]
    team: Team | None = None
    client: WebClient | None = None
    try:
        client = make_client(token=settings.bot_token(), base_url=settings.slack_api_url)
    except ConfigError as error:
        results.append(failed(str(error)))
    if client is not None:
        token, team = check_token(client, settings.slack_api_url)
        results.append(token)
    if team is not None:
        results.append(scopes_result(team.granted_scopes, manifest_bot_scopes()))

    problem, db, where = open_database(settings.database_url)
    stored: WorkspaceSetup | None = None
    last: LastRun | None = None
    ready = False
    if db is not None:
        try:
            current, head, known = database_revisions(db.engine)
            problem = database_result(where, current, head, known)
            ready = problem.ok
            if ready:
                with db.reading() as session:
                    last = last_job_run(session)
                    stored = workspace_setup(session, team.team_id) if team else None
        except SQLAlchemyError as error:
            reason = str(error.orig if hasattr(error, "orig") else error).splitlines()[0]
            problem = failed(
                f"cannot reach the database {where}: {reason}; check DATABASE_URL and that "
                "the database server is running"
            )
        finally:
            db.dispose()
    assert problem is not None
    results.append(problem)

    results.append(timezone_result(settings.timezone, "KEEL_TIMEZONE"))
    if stored is not None and stored.timezone:
        results.append(timezone_result(stored.timezone, "the workspace's own setting"))

    if client is not None and team is not None:
        results.extend(_channels(client, settings, stored))
    if ready:
        results.append(clock_result(last, now, ZoneInfo(settings.timezone)))
    return results


def _channels(client: WebClient, settings: Settings, stored: WorkspaceSetup | None) -> list[Result]:
    """Once Keel has heard from the workspace its stored settings apply, else the variables."""
    quality = stored.quality_channel if stored else settings.quality_channel
    digest = stored.digest_channel if stored else settings.digest_channel
    if quality is None:
        results = [no_quality_channel(workspace_known=stored is not None)]
    else:
        answer = look_at_channel(client, quality)
        results = [channel_result("quality channel", quality, answer, "/nc channel #channel")]
    if digest is not None and digest != quality:
        answer = look_at_channel(client, digest)
        results.append(channel_result("digest channel", digest, answer, "/nc digest #channel"))
    return results


def summary(results: Sequence[Result]) -> str:
    failures = sum(not result.ok for result in results)
    if failures == 0:
        return f"Keel is ready: all {plural(len(results), 'check')} passed."
    return (
        f"{plural(failures, 'check')} of {len(results)} failed: do what each ✗ says, then run "
        "`python -m bot check` again."
    )
