"""Sorting failed Slack calls into permanent and transient."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.slack_response import SlackResponse

from bot.slack.errors import DEFAULT_RATE_LIMIT_WAIT, Failure, classify


def api_error(
    data: dict[str, Any], *, status: int = 200, headers: dict[str, str] | None = None
) -> SlackApiError:
    response = SlackResponse(
        client=None,
        http_verb="POST",
        api_url="https://slack.com/api/chat.postMessage",
        req_args={},
        data=data,
        headers=headers or {},
        status_code=status,
    )
    return SlackApiError("The request to the Slack API failed.", response)


def test_rate_limiting_is_transient_and_waits_as_long_as_slack_asks() -> None:
    error = api_error(
        {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "7"}
    )
    assert classify(error) == Failure(code="ratelimited", permanent=False, retry_after=7.0)


def test_retry_after_is_read_whatever_its_case() -> None:
    error = api_error(
        {"ok": False, "error": "ratelimited"}, status=429, headers={"retry-after": "12"}
    )
    assert classify(error).retry_after == 12.0


@pytest.mark.parametrize("headers", [{}, {"Retry-After": "soon"}])
def test_rate_limiting_without_a_usable_retry_after_waits_the_default(
    headers: dict[str, str],
) -> None:
    error = api_error({"ok": False, "error": "ratelimited"}, status=429, headers=headers)
    assert classify(error).retry_after == DEFAULT_RATE_LIMIT_WAIT


def test_a_negative_retry_after_is_no_wait() -> None:
    error = api_error({"ok": False}, status=429, headers={"Retry-After": "-5"})
    assert classify(error).retry_after == 0.0


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_server_error_is_transient(status: int) -> None:
    failure = classify(api_error({"ok": False, "error": "internal_error"}, status=status))
    assert failure == Failure(code=f"http_{status}", permanent=False)


@pytest.mark.parametrize(
    "code",
    [
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "msg_too_long",
        "invalid_blocks",
        "account_inactive",
        "user_not_found",
    ],
)
def test_errors_slack_will_always_repeat_are_permanent(code: str) -> None:
    assert classify(api_error({"ok": False, "error": code})) == Failure(code=code, permanent=True)


@pytest.mark.parametrize("code", ["internal_error", "fatal_error"])
def test_slack_side_failures_in_an_ok_false_answer_are_transient(code: str) -> None:
    assert classify(api_error({"ok": False, "error": code})) == Failure(code=code, permanent=False)


def test_a_transient_failure_has_no_retry_after_of_its_own() -> None:
    assert classify(api_error({"ok": False, "error": "internal_error"})).retry_after is None


def test_an_answer_without_an_error_code_is_named_by_its_status() -> None:
    assert classify(api_error({"ok": False}, status=400)).code == "http_400"


@pytest.mark.parametrize(
    "error", [ConnectionError("refused"), ConnectionResetError(), TimeoutError("timed out")]
)
def test_connection_errors_are_transient(error: OSError) -> None:
    assert classify(error) == Failure(code=type(error).__name__, permanent=False)
