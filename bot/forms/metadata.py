"""What Keel keeps in a modal's `private_metadata` between opening it and its submission.

Slack sends back what Keel stored, but the request is still input: each shape is a model,
and anything else is refused (FormErrors with no field errors: "start again")."""

from __future__ import annotations

import re
from typing import Self

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from bot.forms.ids import RowId
from bot.forms.state import FormErrors

# https://<workspace>.slack.com/archives/<channel>/p<ts digits>, with the thread's query
# string for a reply (see handlers' message_permalink). Enterprise Grid adds ".enterprise".
_PERMALINK = re.compile(
    r"https://[a-z0-9][a-z0-9-]{0,62}(\.enterprise)?\.slack\.com"
    r"/archives/[A-Z0-9]{1,40}/p[0-9]{1,20}"
    r"(\?thread_ts=[0-9]{1,12}\.[0-9]{1,8}&cid=[A-Z0-9]{1,40})?"
)


def slack_permalink(raw: str | None) -> str | None:
    """`raw` if it is a Slack message permalink, else None: it is put in a card unescaped."""
    if raw is None or _PERMALINK.fullmatch(raw) is None:
        return None
    return raw


class RecordMetadata(BaseModel):
    """The record form's metadata: where it was opened, and the message it was raised from."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    channel_id: str | None = None
    permalink: str | None = None

    @field_validator("permalink", mode="after")
    @classmethod
    def _only_a_permalink(cls, value: str | None) -> str | None:
        return slack_permalink(value)

    def dump(self) -> str:
        return self.model_dump_json(exclude_none=True)

    @classmethod
    def load(cls, raw: str | None) -> RecordMetadata:
        if not raw:
            return cls()
        try:
            return cls.model_validate_json(raw)
        except ValidationError:
            # Only the link and the channel are carried: a record is still worth raising.
            return cls()


class _Ref(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    def dump(self) -> str:
        return self.model_dump_json()

    @classmethod
    def load(cls, raw: str | None) -> Self:
        """The stored reference, or FormErrors({}) when it is missing or not ours."""
        try:
            return cls.model_validate_json(raw or "")
        except ValidationError:
            raise FormErrors({}) from None


class RecordRef(_Ref):
    """A form about one record: `{"record": 12}`."""

    record: RowId


class ActionRef(_Ref):
    """A form about one action: `{"action": 3}`."""

    action: RowId


class ObjectiveRef(_Ref):
    """A form about one objective: `{"objective": 4}`."""

    objective: RowId
