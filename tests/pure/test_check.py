"""The judgements of `python -m bot check`: manifest scopes, scopes, the clock's last run."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.process.check import (
    BOT_SCOPES,
    MANIFEST,
    bot_scopes_of_manifest,
    clock_result,
    manifest_bot_scopes,
    scopes_result,
    summary,
)
from bot.queries.installation import LastRun

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")


def test_keels_own_list_is_the_manifests() -> None:
    assert bot_scopes_of_manifest(MANIFEST.read_text(encoding="utf-8")) == list(BOT_SCOPES)


def test_only_the_bot_scopes_are_read_and_comments_are_skipped() -> None:
    manifest = """
oauth_config:
  redirect_urls:
    - https://example.com/oauth
  scopes:
    user:
      - search:read
    bot:
      # what Keel needs
      - commands
      - "chat:write"  # cards
settings:
  event_subscriptions:
    bot_events:
      - app_home_opened
"""
    assert bot_scopes_of_manifest(manifest) == ["commands", "chat:write"]


def test_without_a_manifest_keels_own_list_applies(tmp_path: Path) -> None:
    assert manifest_bot_scopes(tmp_path / "manifest.yml") == list(BOT_SCOPES)


def test_scopes_granted_beyond_the_manifest_are_fine_and_missing_ones_named() -> None:
    assert scopes_result("commands,chat:write,channels:read", ["commands", "chat:write"]).ok
    missing = scopes_result("commands", ["commands", "chat:write", "im:history"])
    assert not missing.ok
    assert missing.text.startswith("the token lacks the scopes chat:write, im:history: ")
    assert scopes_result("commands", ["commands"]).text == (
        "the token has all 1 scope manifest.yml asks for"
    )


def test_the_clocks_last_run_reads_in_the_workspaces_time() -> None:
    last = LastRun("nudges", "sent 3 digests", NOW - timedelta(minutes=1))
    result = clock_result(last, NOW, BERLIN)
    assert result.ok
    assert result.line == "✓ the clock last ran nudges at Mon 23 Nov 10:59 (Europe/Berlin)"


def test_a_silent_clock_says_how_long_and_what_to_start() -> None:
    last = LastRun("nudges", "", datetime(2025, 11, 20, 9, 0, tzinfo=UTC))
    result = clock_result(last, NOW, BERLIN)
    assert not result.ok
    assert result.text.startswith(
        "the clock last ran nudges at Thu 20 Nov 2025 10:00 (Europe/Berlin), 368 days ago: "
        "it is not running, start `python -m bot clock`"
    )
    assert clock_result(None, NOW, BERLIN).text.startswith("no scheduled job has run: start")


def test_the_summary_counts_in_words() -> None:
    ok, bad = clock_result(LastRun("x", "", NOW), NOW, BERLIN), clock_result(None, NOW, BERLIN)
    assert summary([ok]) == "Keel is ready: all 1 check passed."
    assert summary([ok, bad]).startswith("1 check of 2 failed: do what each ✗ says")
