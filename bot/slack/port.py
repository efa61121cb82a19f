"""Sending one message now, for jobs that cannot leave it to the outbox relay.

Outcomes are what a ledger needs to know: sent (with where), not sent (safe to try again),
or unknown — Slack answered 5xx or timed out, so the message may exist. Rate limits are
honoured by waiting Retry-After, within a bound, before giving up for this run.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.errors import Failure, classify

MAX_RATE_LIMIT_WAIT_SECONDS = 60.0


@dataclass(frozen=True)
class Sent:
    channel: str
    ts: str


@dataclass(frozen=True)
class NotSent:
    failure: Failure
    maybe_delivered: bool  # True: Slack may have it; never send it again


def post_message(
    client: WebClient,
    *,
    sleep: Callable[[float], None] = time.sleep,
    max_wait: float = MAX_RATE_LIMIT_WAIT_SECONDS,
    **message: Any,
) -> Sent | NotSent:
    waited = 0.0
    while True:
        try:
            response = client.chat_postMessage(**message)
            return Sent(channel=str(response["channel"]), ts=str(response["ts"]))
        except (SlackApiError, OSError) as error:
            failure = classify(error)
        if failure.retry_after is not None and waited + failure.retry_after <= max_wait:
            sleep(failure.retry_after)
            waited += failure.retry_after
            continue
        return NotSent(failure=failure, maybe_delivered=_ambiguous(failure))


def _ambiguous(failure: Failure) -> bool:
    """5xx, internal_error, fatal_error and timeouts may have posted the message."""
    if failure.permanent or failure.retry_after is not None:
        return False
    code = failure.code
    return code.startswith("http_5") or code in (
        "internal_error",
        "fatal_error",
        "TimeoutError",
        "timeout",
    )
