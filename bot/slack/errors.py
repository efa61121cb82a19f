"""What a failed Slack call means for retrying it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError

# Slack will give the same answer however often it is asked.
PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "msg_too_long",
        "invalid_blocks",
        "invalid_blocks_format",
        "account_inactive",
        "user_not_found",
        "user_disabled",
        "cannot_dm_bot",
        "messages_tab_disabled",
        "message_not_found",
        "cant_update_message",
        "no_text",
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "missing_scope",
        "restricted_action",
        "unknown_method",
        "method_not_supported_for_channel_type",
    }
)

DEFAULT_RATE_LIMIT_WAIT = 30.0


@dataclass(frozen=True)
class Failure:
    code: str
    permanent: bool
    retry_after: float | None = None  # seconds Slack asked us to wait, on 429


def classify(error: BaseException) -> Failure:
    """Sort a failed call into permanent (give up, tell someone) or transient (try again)."""
    if isinstance(error, SlackApiError):
        response = error.response
        if response is None:
            return Failure(code="unknown", permanent=False)
        return classify_answer(
            getattr(response, "status_code", 200),
            response.get("error"),
            getattr(response, "headers", {}) or {},
        )
    # Connection refused, reset, timed out: Slack never saw it, or did not answer.
    return Failure(code=type(error).__name__, permanent=False)


def classify_answer(status: int, error: object, headers: Mapping[str, str]) -> Failure:
    """The same sorting for an answer read off the wire: HTTP status, the body's `error`
    and the response headers."""
    code = str(error or f"http_{status}")
    if status == 429:
        return Failure(code="ratelimited", permanent=False, retry_after=_retry_after(headers))
    if status >= 500 or code in (
        "internal_error",
        "fatal_error",
        "service_unavailable",
        "request_timeout",
    ):
        return Failure(code=code if status < 500 else f"http_{status}", permanent=False)
    return Failure(code=code, permanent=code in PERMANENT_ERRORS)


def _retry_after(headers: Mapping[str, str]) -> float:
    for name, value in headers.items():
        if name.lower() == "retry-after":
            try:
                return max(float(value), 0.0)
            except (TypeError, ValueError):
                break
    return DEFAULT_RATE_LIMIT_WAIT
