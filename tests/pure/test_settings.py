"""Runtime configuration from the environment, refused in one readable line."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import DEFAULT_SLACK_API_URL, ConfigError, load_settings

VARIABLES = [
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "SLACK_API_URL",
    "SLACK_CLIENT_ID",
    "SLACK_CLIENT_SECRET",
    "DATABASE_URL",
    "KEEL_QUALITY_CHANNEL",
    "KEEL_DIGEST_CHANNEL",
    "KEEL_ADMINS",
    "KEEL_TIMEZONE",
    "KEEL_LOG_LEVEL",
    "PORT",
]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No variables from the machine and no .env file: only what each test sets."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def test_defaults_load_without_any_variables() -> None:
    settings = load_settings()
    assert settings.timezone == "UTC"
    assert settings.slack_api_url == DEFAULT_SLACK_API_URL


def test_an_empty_time_zone_means_utc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEEL_TIMEZONE", "")
    assert load_settings().timezone == "UTC"


def test_a_known_time_zone_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEEL_TIMEZONE", "Europe/Berlin")
    assert load_settings().timezone == "Europe/Berlin"


@pytest.mark.parametrize("zone", ["Mars/Olympus", "europe/berlin", "Berlin", "/etc/passwd"])
def test_an_unknown_time_zone_is_one_readable_config_error(
    monkeypatch: pytest.MonkeyPatch, zone: str
) -> None:
    monkeypatch.setenv("KEEL_TIMEZONE", zone)
    with pytest.raises(ConfigError) as raised:
        load_settings()
    message = str(raised.value)
    assert "\n" not in message
    assert "KEEL_TIMEZONE" in message
    assert "Europe/Berlin" in message  # says what a valid value looks like
    assert "Traceback" not in message


@pytest.mark.parametrize("zone", ["America", "Europe"])
def test_a_time_zone_region_is_a_config_error(monkeypatch: pytest.MonkeyPatch, zone: str) -> None:
    monkeypatch.setenv("KEEL_TIMEZONE", zone)
    with pytest.raises(ConfigError):
        load_settings()


def test_the_bot_token_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1-2-abc")
    assert load_settings().bot_token() == "xoxb-1-2-abc"


@pytest.mark.parametrize("value", [None, ""])
def test_no_bot_token_is_a_config_error_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    if value is not None:
        monkeypatch.setenv("SLACK_BOT_TOKEN", value)
    settings = load_settings()
    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN"):
        settings.bot_token()


def test_no_signing_secret_is_a_config_error_naming_the_variable() -> None:
    with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET"):
        load_settings().signing_secret()


def test_the_token_is_not_shown_when_settings_are_printed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1-2-secret")
    settings = load_settings()
    assert "xoxb-1-2-secret" not in repr(settings)
    assert "xoxb-1-2-secret" not in str(settings)


def test_the_api_url_gets_a_trailing_slash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:8888/api")
    assert load_settings().slack_api_url == "http://127.0.0.1:8888/api/"


def test_an_api_url_with_a_trailing_slash_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:8888/api/")
    assert load_settings().slack_api_url == "http://127.0.0.1:8888/api/"


def test_a_env_file_in_the_working_directory_is_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text("KEEL_TIMEZONE=Asia/Tokyo\n")
    assert load_settings().timezone == "Asia/Tokyo"


@pytest.mark.parametrize("value", ["", "   "])
def test_blank_channel_and_admins_are_unset(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("KEEL_QUALITY_CHANNEL", value)
    monkeypatch.setenv("KEEL_ADMINS", value)
    settings = load_settings()
    assert settings.quality_channel is None
    assert settings.admin_ids == []


def test_admins_are_split_on_commas_without_blanks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEEL_ADMINS", " ULEAD, ,UBOSS ,")
    assert load_settings().admin_ids == ["ULEAD", "UBOSS"]
