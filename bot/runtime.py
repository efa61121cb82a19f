"""Wiring: settings -> database -> Slack clients -> relay -> app. The only place that
reads the real clock and starts threads."""

from __future__ import annotations

from dataclasses import dataclass

from slack_bolt import App
from slack_bolt.error import BoltError
from slack_sdk.errors import SlackApiError

from bot.app import build_app
from bot.clock import Clock, SystemClock
from bot.process.deps import Deps, SingleWorkspaceClients
from bot.settings import ConfigError, Settings
from bot.slack.directory import Directory
from bot.slack.relay import Relay, RelayWorker
from storage.db import Database
from storage.migrate import upgrade


@dataclass
class Runtime:
    deps: Deps
    relay: Relay
    worker: RelayWorker

    def start_relay(self) -> None:
        self.worker.start()
        self.deps.wake_relay = self.worker.wake

    def stop(self) -> None:
        self.worker.stop()
        self.deps.db.dispose()


def build_runtime(
    settings: Settings,
    *,
    clock: Clock | None = None,
    migrate: bool = True,
    relay_poll_seconds: float = 5.0,
) -> Runtime:
    """Everything but the app and the servers; migrates the schema first unless told not to."""
    db = Database.from_url(settings.database_url)
    if migrate:
        upgrade(db.engine)
    clients = SingleWorkspaceClients(token=settings.bot_token(), base_url=settings.slack_api_url)
    deps = Deps(
        settings=settings,
        db=db,
        clock=clock or SystemClock(),
        clients=clients,
        directory=Directory(),
    )
    relay = Relay(db=db, clients=clients, directory=deps.directory, clock=deps.clock)
    return Runtime(
        deps=deps, relay=relay, worker=RelayWorker(relay, poll_seconds=relay_poll_seconds)
    )


def build_bolt_app(runtime: Runtime, *, socket_mode: bool) -> App:
    """The Bolt app; its constructor checks the token with auth.test, so a wrong token or an
    unreachable SLACK_API_URL is reported here, in one line."""
    settings = runtime.deps.settings
    try:
        return build_app(settings, runtime.deps, socket_mode=socket_mode)
    except SlackApiError as error:
        raise ConfigError(
            f"Slack refused SLACK_BOT_TOKEN ({error.response.get('error')}): copy the Bot User "
            "OAuth Token (xoxb-...) again from your app's 'OAuth & Permissions' page."
        ) from None
    except BoltError as error:  # Bolt's own auth.test check: the token is not valid
        raise ConfigError(
            f"Slack refused SLACK_BOT_TOKEN ({error}): copy the Bot User OAuth Token "
            "(xoxb-...) again from your app's 'OAuth & Permissions' page."
        ) from None
    except OSError as error:
        raise ConfigError(
            f"Could not reach Slack at SLACK_API_URL ({settings.slack_api_url}): {error}. Check "
            "the network, or unset SLACK_API_URL to use https://slack.com/api/."
        ) from None
