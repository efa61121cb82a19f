"""A document register entry as entered: parsed and checked before it is stored."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.domain.documents import DEFAULT_REVIEW_MONTHS


class DocumentFields(BaseModel):
    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    reference: str = Field(min_length=1, max_length=32)
    title: str = Field(min_length=1, max_length=200)
    version: str = Field(default="1", min_length=1, max_length=16)
    owner_id: str = Field(pattern=r"^[UW][A-Z0-9]{2,31}$")
    link: str | None = Field(default=None, max_length=500)
    process_id: int | None = None
    review_months: int = Field(default=DEFAULT_REVIEW_MONTHS, ge=1, le=120)
    last_reviewed: date | None = None

    @field_validator("link")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        if value and not value.lower().startswith(("https://", "http://")):
            raise ValueError("The link must be a web address starting with https://")
        return value or None


class RevisionFields(BaseModel):
    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    version: str = Field(min_length=1, max_length=16)
    what_changed: str = Field(min_length=1, max_length=3000)
    reread_required: bool = True
