"""A document register entry as entered: parsed and checked before it is stored."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.domain.documents import DEFAULT_REVIEW_MONTHS, looks_like_reference
from bot.forms.buttons import PAGE_MAX, Button
from bot.forms.ids import RowId
from bot.forms.metadata import _Ref
from bot.forms.state import Collector, selected_value
from bot.ids import Block

LINK_MAX = 500


class DocumentFields(BaseModel):
    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    reference: str = Field(min_length=1, max_length=32)
    title: str = Field(min_length=1, max_length=200)
    version: str = Field(default="1", min_length=1, max_length=16)
    owner_id: str = Field(pattern=r"^[UW][A-Z0-9]{2,31}$")
    link: str | None = Field(default=None, max_length=LINK_MAX)
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


# -- the register's forms and buttons (bot/handlers/documents.py) ----------------------------

_REFERENCE_HINT = "A reference such as PR-012: letters, a dash, then letters or numbers."
DAMAGED_DOCUMENT = (
    "That document is not in the register any more, or this button is out of date, so Keel "
    "did nothing. See the register again with `/nc documents`."
)


class DocumentRef(_Ref):
    """A form about one document: `{"document": 4}`."""

    document: RowId


class DocumentButton(Button):
    """Edit, Revised: the value is the document's id."""

    damaged: ClassVar[str] = DAMAGED_DOCUMENT
    value: RowId

    @property
    def id(self) -> int:
        return self.value


class ReviewButton(Button):
    """Reviewed, no change: `<document id>:<the due date it answers>`, so a second click (or
    an old digest) finds the review recorded and moves nothing again."""

    damaged: ClassVar[str] = DAMAGED_DOCUMENT
    document_id: RowId
    due: date

    @classmethod
    def fields_of(cls, action: dict[str, Any]) -> dict[str, Any]:
        raw_id, _, raw_due = str(action.get("value") or "").partition(":")
        return {"document_id": raw_id, "due": raw_due}


class ReadButton(Button):
    """I have read it: `<document id>:<version>`."""

    damaged: ClassVar[str] = DAMAGED_DOCUMENT
    document_id: RowId
    version: str = Field(min_length=1, max_length=16)

    @classmethod
    def fields_of(cls, action: dict[str, Any]) -> dict[str, Any]:
        raw_id, _, version = str(action.get("value") or "").partition(":")
        return {"document_id": raw_id, "version": version}


class RevisionButton(Button):
    """Approve revision: the revision's id."""

    damaged: ClassVar[str] = DAMAGED_DOCUMENT
    value: RowId


class PageButton(Button):
    """The register's pager: the page number."""

    damaged: ClassVar[str] = DAMAGED_DOCUMENT
    value: int = Field(ge=1, le=PAGE_MAX)


def _link(form: Collector) -> str | None:
    raw = form.text(Block.DOC_LINK, "", required=False)
    if raw is None:
        return None
    parts = urlsplit(raw)
    if (
        parts.scheme.lower() not in ("http", "https")
        or not parts.netloc
        or any(c.isspace() or c in "<>|" for c in raw)
        or len(raw) > LINK_MAX
    ):
        form.errors[Block.DOC_LINK.value] = (
            "Paste the document's web address, starting with https:// "
            "(SharePoint, Drive, Confluence…)."
        )
        return None
    return raw


def parse_document(values: dict[str, Any], *, processes: set[int], today: date) -> DocumentFields:
    """The Add document / Edit form: every bad field named at once."""
    form = Collector(values)
    reference = form.text(Block.DOC_REFERENCE, _REFERENCE_HINT)
    if reference is not None and (len(reference) > 32 or not looks_like_reference(reference)):
        form.errors[Block.DOC_REFERENCE.value] = _REFERENCE_HINT
    title = form.text(Block.TITLE, "Give the document's title.")
    if title is not None and len(title) > 200:
        form.errors[Block.TITLE.value] = "Keep the title under 200 characters."
    version = form.text(Block.DOC_VERSION, "Give the current version, such as 3 or B.")
    if version is not None and len(version) > 16:
        form.errors[Block.DOC_VERSION.value] = "Keep the version under 16 characters."
    owner = form.user(Block.OWNER, "Choose who owns the document.")
    link = _link(form)
    process_id: int | None = None
    raw_process = selected_value(form.values, Block.PROCESS)
    if raw_process is not None:
        if raw_process.isascii() and raw_process.isdigit() and int(raw_process) in processes:
            process_id = int(raw_process)
        else:
            form.errors[Block.PROCESS.value] = "Choose a process from the list."
    months_text = form.text(Block.REVIEW_MONTHS, "How many months between reviews? (e.g. 12)")
    months = DEFAULT_REVIEW_MONTHS
    if months_text is not None:
        if months_text.isascii() and months_text.isdigit() and 1 <= int(months_text) <= 120:
            months = int(months_text)
        else:
            form.errors[Block.REVIEW_MONTHS.value] = "A whole number of months, from 1 to 120."
    last = form.date(Block.LAST_REVIEWED, None, late_message="Pick today or an earlier day.")
    if last is not None and last > today:
        form.errors[Block.LAST_REVIEWED.value] = "Pick today or an earlier day."
    form.done()
    return DocumentFields(
        reference=reference or "",
        title=title or "",
        version=version or "",
        owner_id=owner,
        link=link,
        process_id=process_id,
        review_months=months,
        last_reviewed=last,
    )


def parse_revision(values: dict[str, Any], *, current: str) -> RevisionFields:
    """The Revised form: the new version, what changed, and whether people read it again."""
    form = Collector(values)
    version = form.text(Block.DOC_VERSION, "Give the new version, such as 4.")
    if version is not None and len(version) > 16:
        form.errors[Block.DOC_VERSION.value] = "Keep the version under 16 characters."
    elif version is not None and version == current:
        form.errors[Block.DOC_VERSION.value] = f"The document is at version {current} already."
    changed = form.text(Block.WHAT_CHANGED, "Say in a line what changed.")
    reread = form.choice(Block.REREAD, "Say whether people must read it again.")
    if reread and reread not in ("yes", "no"):
        form.errors[Block.REREAD.value] = "Say whether people must read it again."
    form.done()
    return RevisionFields(
        version=version or "", what_changed=changed or "", reread_required=reread == "yes"
    )
