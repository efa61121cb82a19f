"""Runtime configuration, read from the environment and a `.env` file."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SLACK_API_URL = "https://slack.com/api/"


class ConfigError(Exception):
    """A configuration problem, told to the operator in one line."""


class Settings(BaseSettings):
    """Every variable of the runtime contract (see README, "Configuration")."""

    # An empty variable (SLACK_APP_TOKEN=) means unset, not an empty value.
    model_config = SettingsConfigDict(
        env_file=".env", extra="ignore", populate_by_name=True, env_ignore_empty=True
    )

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = DEFAULT_SLACK_API_URL
    database_url: str = "sqlite:///keel.db"
    quality_channel: str | None = Field(default=None, alias="KEEL_QUALITY_CHANNEL")
    digest_channel: str | None = Field(default=None, alias="KEEL_DIGEST_CHANNEL")
    admins: str | None = Field(default=None, alias="KEEL_ADMINS")
    timezone: str = Field(default="UTC", alias="KEEL_TIMEZONE")
    port: int = 3000
    log_level: str = Field(default="INFO", alias="KEEL_LOG_LEVEL")

    @field_validator("slack_api_url")
    @classmethod
    def _ends_with_slash(cls, value: str) -> str:
        # slack_sdk joins method names onto the base URL as plain strings.
        return value if value.endswith("/") else value + "/"

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError) as error:
            # OSError: a tzdata folder such as "Europe" is not a zone.
            raise ValueError(
                f"unknown time zone {value!r} (use an IANA name such as Europe/Berlin)"
            ) from error
        return value

    @field_validator(
        "slack_bot_token",
        "slack_signing_secret",
        "slack_app_token",
        "quality_channel",
        "digest_channel",
        "admins",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def admin_ids(self) -> list[str]:
        """The user IDs in KEEL_ADMINS, in order, without blanks."""
        return [part.strip() for part in (self.admins or "").split(",") if part.strip()]

    def bot_token(self) -> str:
        """The bot token, or a ConfigError that says how to set it."""
        if self.slack_bot_token is None or not self.slack_bot_token.get_secret_value():
            raise ConfigError(
                "SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token (xoxb-...) from "
                "your Slack app's 'OAuth & Permissions' page into SLACK_BOT_TOKEN."
            )
        return self.slack_bot_token.get_secret_value()

    def signing_secret(self) -> str:
        """The signing secret, or a ConfigError that says how to set it."""
        if self.slack_signing_secret is None or not self.slack_signing_secret.get_secret_value():
            raise ConfigError(
                "SLACK_SIGNING_SECRET is not set: HTTP mode needs it to verify requests. Copy it "
                "from your Slack app's 'Basic Information' page, or set SLACK_APP_TOKEN to use "
                "Socket Mode."
            )
        return self.slack_signing_secret.get_secret_value()


def load_settings() -> Settings:
    """Read the settings, turning validation errors into one readable ConfigError."""
    try:
        return Settings()
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in issue['loc']).upper()}: {issue['msg']}"
            for issue in error.errors()
        )
        raise ConfigError(f"invalid configuration: {problems}") from None
