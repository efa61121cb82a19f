"""Event fields Keel relies on, checked before use: Slack sends strings, a forgery may not."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

# "1700000000.000100": seconds and a sequence. An integer here would reach the database,
# where PostgreSQL refuses to compare it with the text column.
Ts = Annotated[str, StringConstraints(strict=True, pattern=r"^[0-9]{1,12}\.[0-9]{1,8}$")]
SlackId = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=40)]


class _Event(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class HomeOpened(_Event):
    """`app_home_opened`: whose Home tab, and which tab."""

    user: SlackId
    tab: str | None = None

    @classmethod
    def read(cls, event: Any) -> HomeOpened | None:
        try:
            return cls.model_validate(event)
        except ValidationError:
            return None


class _Message(_Event):
    ts: Ts | None = None
    thread_ts: Ts | None = None
    user: SlackId | None = None
    text: str | None = None


class MessageEvent(_Message):
    """A `message` event as far as thread replies need it: ids and timestamps are text."""

    channel: SlackId | None = None
    deleted_ts: Ts | None = None
    message: _Message | None = None
    previous_message: _Message | None = None

    @classmethod
    def well_formed(cls, event: Any) -> bool:
        try:
            cls.model_validate(event)
        except ValidationError:
            return False
        return True
