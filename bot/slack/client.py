"""Web API clients: every call goes to SLACK_API_URL."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler

# Calls made while a person waits (views.open has a 3-second trigger_id) must not sleep on
# Retry-After; outbox deliveries reschedule themselves instead of blocking a thread.
CALL_TIMEOUT_SECONDS = 10


def make_client(*, token: str | None, base_url: str) -> WebClient:
    return WebClient(
        token=token,
        base_url=base_url,
        timeout=CALL_TIMEOUT_SECONDS,
        retry_handlers=[ConnectionErrorRetryHandler(max_retry_count=1)],
    )
