"""Sending many messages now, for jobs that cannot leave them to the outbox relay.

Outcomes are what a ledger needs to know: sent (with where), not sent (safe to try again),
or unknown — Slack answered 5xx or the connection broke after the request went out, so the
message may exist. Rate limits are honoured by waiting Retry-After, within a bound.

Messages go out concurrently over pooled keep-alive connections (asyncio and aiohttp): a
digest run sends thousands of DMs, and a fresh connection per call costs more than the
call. chat.postMessage is called with a JSON body, as slack_sdk does. What bounds a run is the
CPU each DM costs, so bodies are encoded with orjson (a tenth of the json module's time for a
digest) and sent through aiohttp directly rather than slack_sdk's AsyncWebClient (half).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp
import orjson
from slack_sdk import WebClient

from bot.slack.errors import Failure, classify, classify_answer

MAX_RATE_LIMIT_WAIT_SECONDS = 60.0
# Errors after which Slack may have posted the message.
_UNREADABLE = "unreadable_answer"  # a 200 whose body is not Slack's JSON
_AMBIGUOUS = frozenset(
    {
        "internal_error",
        "fatal_error",
        "TimeoutError",
        "ServerDisconnectedError",
        "timeout",
        _UNREADABLE,
    }
)
_POST_MESSAGE = "chat.postMessage"


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
    url = client.base_url + _POST_MESSAGE
    headers = {
        "Authorization": f"Bearer {client.token}",
        "Content-Type": "application/json;charset=utf-8",
    }
    timeout = aiohttp.ClientTimeout(total=client.timeout)
    outcomes: dict[int, Sent | NotSent] = {}
    waiting = iter(enumerate(messages))
    async with aiohttp.ClientSession(headers=headers, timeout=timeout) as session:

        async def sender() -> None:
            # `concurrency` senders share one iterator: a few coroutines, not one per message.
            for index, message in waiting:
                outcomes[index] = await _post(session, url, orjson.dumps(message), max_wait)

        await asyncio.gather(*(sender() for _ in range(min(concurrency, len(messages)))))
    return [outcomes[index] for index in range(len(messages))]


async def _post(
    session: aiohttp.ClientSession, url: str, body: bytes, max_wait: float
) -> Sent | NotSent:
    waited = 0.0
    while True:
        result = await _attempt(session, url, body)
        if isinstance(result, Sent):
            return result
        failure = result
        if failure.retry_after is not None and waited + failure.retry_after <= max_wait:
            await asyncio.sleep(failure.retry_after)
            waited += failure.retry_after
            continue
        return NotSent(failure=failure, maybe_delivered=_ambiguous(failure))


async def _attempt(session: aiohttp.ClientSession, url: str, body: bytes) -> Sent | Failure:
    try:
        async with session.post(url, data=body) as response:
            raw = await response.read()
            status, headers = response.status, response.headers
    except (TimeoutError, OSError, aiohttp.ClientError) as broken:
        return classify(broken)
    try:
        answer = orjson.loads(raw) if raw else {}
    except orjson.JSONDecodeError:
        answer = {}
    if status == 200 and not isinstance(answer, dict):
        return Failure(code=_UNREADABLE, permanent=False)  # Slack took it; may have posted
    if status == 200 and answer.get("ok"):
        return Sent(channel=str(answer.get("channel", "")), ts=str(answer.get("ts", "")))
    error = answer.get("error") if isinstance(answer, dict) else None
    if status == 200 and error is None:
        return Failure(code=_UNREADABLE, permanent=False)
    return classify_answer(status, error, headers)


def _ambiguous(failure: Failure) -> bool:
    """5xx, internal_error, fatal_error and broken or timed-out calls may have posted it."""
    if failure.permanent or failure.retry_after is not None:
        return False
    return failure.code.startswith("http_5") or failure.code in _AMBIGUOUS
