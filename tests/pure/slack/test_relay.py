"""The relay's wait between attempts at a Slack call."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.slack.relay import BACKOFF_MAX, GIVE_UP_AFTER, backoff


@pytest.mark.parametrize(
    ("attempts", "seconds"), [(0, 2), (1, 2), (2, 4), (3, 8), (4, 16), (5, 32), (6, 60), (7, 60)]
)
def test_backoff_doubles_from_two_seconds_up_to_a_minute(attempts: int, seconds: int) -> None:
    assert backoff(attempts) == timedelta(seconds=seconds)


def test_backoff_over_the_first_retries_rises_to_a_minute_and_stays_there() -> None:
    waits = [backoff(attempts) for attempts in range(40)]
    assert waits == sorted(waits)
    assert waits[-1] == BACKOFF_MAX


# A row is retried until GIVE_UP_AFTER (48 h); at about a minute apart that is thousands of
# attempts, so backoff must hold for every attempt count up to there and beyond.
PLAUSIBLE_ATTEMPTS = int(GIVE_UP_AFTER / BACKOFF_MAX) * 2


def test_backoff_after_many_attempts_is_a_minute() -> None:
    assert backoff(47) == BACKOFF_MAX
    assert backoff(PLAUSIBLE_ATTEMPTS) == BACKOFF_MAX


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=PLAUSIBLE_ATTEMPTS))
def test_backoff_is_capped_at_a_minute_and_never_decreases(attempts: int) -> None:
    assert timedelta(seconds=2) <= backoff(attempts) <= BACKOFF_MAX
    assert backoff(attempts + 1) >= backoff(attempts)
