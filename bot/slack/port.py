"""Sending many messages now, for jobs that cannot leave them to the outbox relay.

Outcomes are what a ledger needs to know: sent (with where), not sent (safe to try again),
or unknown — Slack answered 5xx or the connection broke after the request went out, so the
message may exist. Rate limits are honoured by waiting Retry-After, within a bound.

Messages go out concurrently over pooled keep-alive connections (asyncio and aiohttp through
slack_sdk's AsyncWebClient): a digest run sends thousands of DMs, and a fresh connection per
call costs more than the call.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.errors import Failure, classify

MAX_RATE_LIMIT_WAIT_SECONDS = 60.0
# Errors after which Slack may have posted the message.
_AMBIGUOUS = frozenset(
    {"internal_error", "fatal_error", "TimeoutError", "ServerDisconnectedError", "timeout"}
)


@dataclass(frozen=True)
class Sent:
    channel: str
    ts: str


@dataclass(frozen=True)
class NotSent:
    failure: Failure
    maybe_delivered: bool  # True: Slack may have it; never send it again


def send_messages(
    client: WebClient,
    messages: Sequence[dict[str, Any]],
    *,
    concurrency: int,
    max_wait: float = MAX_RATE_LIMIT_WAIT_SECONDS,
) -> list[Sent | NotSent]:
    """chat.postMessage each of `messages` (keyword arguments), `concurrency` at a time, with
    the token and API URL of `client`; outcomes in the same order."""
    return asyncio.run(_send_all(client, messages, concurrency, max_wait))


async def _send_all(
    client: WebClient, messages: Sequence[dict[str, Any]], concurrency: int, max_wait: float
) -> list[Sent | NotSent]:
    limit = asyncio.Semaphore(concurrency)
    async with aiohttp.ClientSession() as session:
        sender = AsyncWebClient(
            token=client.token, base_url=client.base_url, timeout=client.timeout, session=session
        )

        async def one(message: dict[str, Any]) -> Sent | NotSent:
            async with limit:
                return await _post(sender, message, max_wait)

        return list(await asyncio.gather(*(one(message) for message in messages)))


async def _post(client: AsyncWebClient, message: dict[str, Any], max_wait: float) -> Sent | NotSent:
    waited = 0.0
    while True:
        try:
            response = await client.chat_postMessage(**message)
            return Sent(channel=str(response["channel"]), ts=str(response["ts"]))
        except (SlackApiError, OSError, aiohttp.ClientError) as error:
            failure = classify(error)
        if failure.retry_after is not None and waited + failure.retry_after <= max_wait:
            await asyncio.sleep(failure.retry_after)
            waited += failure.retry_after
            continue
        return NotSent(failure=failure, maybe_delivered=_ambiguous(failure))


def _ambiguous(failure: Failure) -> bool:
    """5xx, internal_error, fatal_error and broken or timed-out calls may have posted it."""
    if failure.permanent or failure.retry_after is not None:
        return False
    return failure.code.startswith("http_5") or failure.code in _AMBIGUOUS
