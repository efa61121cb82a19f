"""build_app(): the Bolt app with every listener, built without touching Slack at import."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.request import BoltRequest

from bot.handlers import (
    actions,
    audits,
    commands,
    documents,
    errors,
    events,
    objectives,
    processes,
    records,
    registers,
    review,
    stale,
    suggestions,
    training,
)
from bot.handlers import settings as settings_form
from bot.process.deps import Deps
from bot.process.prompt_ack import PromptAckExecutor, signal_ack
from bot.services.events import claim_event
from bot.settings import Settings

log = logging.getLogger(__name__)

LISTENER_THREADS = 32


def build_app(settings: Settings, deps: Deps, *, socket_mode: bool = False) -> App:
    """The Bolt app. Its constructor calls auth.test at SLACK_API_URL."""
    app = App(
        client=deps.clients.for_team(""),
        signing_secret="" if socket_mode else settings.signing_secret(),
        request_verification_enabled=not socket_mode,
        # Listeners run in Bolt's thread pool; ack() answers Slack while they go on (at
        # once: see bot/prompt_ack.py).
        process_before_response=False,
        # No token check at start beyond Bolt's own auth.test.
        token_verification_enabled=True,
        raise_error_for_unhandled_request=False,
        # Bolt's default pool has 5 threads; work after ack() (views.open, Slack calls) must
        # not keep the next request waiting for a thread to run its ack().
        listener_executor=PromptAckExecutor(
            max_workers=LISTENER_THREADS, thread_name_prefix="keel-listener"
        ),
        logger=_bolt_logger(),
    )
    app.use(signal_ack)
    app.use(_dedupe_events(deps))
    errors.register(app)
    commands.register(app, deps)
    records.register(app, deps)
    registers.register(app, deps)  # /nc list and /nc actions pagers
    suggestions.register(app, deps)
    settings_form.register(app, deps)
    actions.register(app, deps)
    processes.register(app, deps)
    objectives.register(app, deps)
    audits.register(app, deps)  # internal audits (issue 11)
    training.register(app, deps)  # competence and training (issue 13)
    documents.register(app, deps)  # the documents register (issue 13)
    review.register(app, deps)  # the management review (issue 12)
    events.register(app, deps)
    stale.register(app)  # last: it takes whatever no listener above took
    return app


class _SameTokenWarning(logging.Filter):
    """Bolt warns that SLACK_BOT_TOKEN "will be unused" whenever that variable is set and a
    client is given, though Keel's client is made from that very token (to reach
    SLACK_API_URL). A warning at every start that means nothing teaches people to ignore them."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


def _bolt_logger() -> logging.Logger:
    logger = logging.getLogger("slack_bolt")
    if not any(isinstance(each, _SameTokenWarning) for each in logger.filters):
        logger.addFilter(_SameTokenWarning())
    return logger


def _dedupe_events(deps: Deps) -> Callable[..., BoltResponse | None]:
    """Events API retries (same event_id) are answered 200 and not handled twice."""

    def dedupe(
        body: dict[str, Any], request: BoltRequest, next: Callable[[], None]
    ) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id:
            with deps.db.transaction() as session:
                first = claim_event(session=session, event_id=str(event_id), now=deps.clock.now())
            if not first:
                log.info(
                    "event %s already handled (Slack retry %s)",
                    event_id,
                    request.headers.get("x-slack-retry-num"),
                )
                return BoltResponse(status=200, body="")
        next()
        return None

    return dedupe
