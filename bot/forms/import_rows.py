"""Each row of an imported register, validated into a typed model before anything is written.

Validate with `context={"people": PeopleIndex}`: people are matched through the directory.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

from bot.domain.actions import ActionKind, ActionStatus
from bot.domain.import_columns import ImportKind
from bot.domain.records import RecordKind, RecordStatus, Severity
from bot.forms import import_cells as cell

REFERENCE_MAX = 64
TITLE_MAX = 200
TEXT_MAX = 10_000

_RECORD_KINDS = (
    {kind.label.lower(): kind.value for kind in RecordKind}
    | {kind.value.replace("_", " "): kind.value for kind in RecordKind}
    | {
        "nc": "nonconformity",
        "ncr": "nonconformity",
        "nonconformance": "nonconformity",
        "non-conformity": "nonconformity",
        "non conformity": "nonconformity",
        "complaint": "customer_complaint",
        "ofi": "improvement",
        "opportunity": "improvement",
        "finding": "audit_finding",
        "audit": "audit_finding",
    }
)
_SEVERITIES = {severity.value: severity.value for severity in Severity} | {
    "minor": "low",
    "moderate": "medium",
    "major": "high",
}
# An imported open record has been looked at already: it starts under investigation.
_RECORD_STATUSES = (
    {status.label.lower(): status.value for status in RecordStatus}
    | {status.value.replace("_", " "): status.value for status in RecordStatus}
    | {"open": "investigating", "in progress": "investigating", "done": "closed"}
)
_ACTION_KINDS = (
    {kind.label.lower(): kind.value for kind in ActionKind}
    | {kind.value: kind.value for kind in ActionKind}
    | {"ca": "corrective", "pa": "preventive", "containment": "correction"}
)
_ACTION_STATUSES = (
    {status.label.lower(): status.value for status in ActionStatus}
    | {status.value.replace("_", " "): status.value for status in ActionStatus}
    | {"in progress": "open", "complete": "done", "completed": "done", "closed": "verified"}
)


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True)

    row: int


class RecordRow(_Row):
    reference: str
    title: str
    description: str | None = None  # the title, when the register has none
    kind: str = RecordKind.NONCONFORMITY.value
    severity: str = Severity.MEDIUM.value
    status: str = RecordStatus.INVESTIGATING.value
    occurred_date: date
    owner: str | None = None
    location: str | None = None
    root_cause: str | None = None
    closed_date: date | None = None

    _reference = field_validator("reference", mode="before")(
        lambda v: cell.required_text(v, REFERENCE_MAX)
    )
    _title = field_validator("title", mode="before")(lambda v: cell.required_text(v, TITLE_MAX))
    _kind = field_validator("kind", mode="before")(
        lambda v: cell.choice(v, _RECORD_KINDS, "kind of record") or RecordKind.NONCONFORMITY
    )
    _severity = field_validator("severity", mode="before")(
        lambda v: cell.choice(v, _SEVERITIES, "severity") or Severity.MEDIUM
    )
    _status = field_validator("status", mode="before")(
        lambda v: cell.choice(v, _RECORD_STATUSES, "status") or RecordStatus.INVESTIGATING
    )
    _dates = field_validator("occurred_date", "closed_date", mode="before")(cell.a_date)
    _owner = field_validator("owner", mode="before")(cell.person)

    @field_validator("description", "location", "root_cause", mode="before")
    @classmethod
    def _text(cls, value: Any) -> str | None:
        written = cell.text(value)
        return None if written is None else cell.limited(written, TEXT_MAX)


class ActionRow(_Row):
    reference: str
    record: str
    description: str
    owner: str
    due_date: date
    kind: str = ActionKind.CORRECTIVE.value
    status: str = ActionStatus.OPEN.value
    done_date: date | None = None

    _texts = field_validator("reference", "record", mode="before")(
        lambda v: cell.required_text(v, REFERENCE_MAX)
    )
    _description = field_validator("description", mode="before")(
        lambda v: cell.required_text(v, TEXT_MAX)
    )
    _kind = field_validator("kind", mode="before")(
        lambda v: cell.choice(v, _ACTION_KINDS, "kind of action") or ActionKind.CORRECTIVE
    )
    _status = field_validator("status", mode="before")(
        lambda v: cell.choice(v, _ACTION_STATUSES, "action status") or ActionStatus.OPEN
    )
    _dates = field_validator("due_date", "done_date", mode="before")(cell.a_date)

    @field_validator("owner", mode="before")
    @classmethod
    def _owner(cls, value: Any, info: ValidationInfo) -> str:
        found = cell.person(value, info)
        if found is None:
            raise ValueError("is empty")
        return found


class DocumentRow(_Row):
    reference: str
    title: str
    version: str = "1"
    owner: str
    link: str | None = None
    process: str | None = None
    review_months: int = 12
    last_reviewed: date | None = None
    next_review: date | None = None

    _reference = field_validator("reference", mode="before")(lambda v: cell.required_text(v, 32))
    _title = field_validator("title", mode="before")(lambda v: cell.required_text(v, TITLE_MAX))
    _version = field_validator("version", mode="before")(lambda v: cell.text(v) or "1")
    _months = field_validator("review_months", mode="before")(
        lambda v: cell.whole_number(v, low=1, high=120) or 12
    )
    _dates = field_validator("last_reviewed", "next_review", mode="before")(cell.a_date)
    _process = field_validator("process", mode="before")(cell.text)

    @field_validator("version")
    @classmethod
    def _short_version(cls, value: str) -> str:
        return cell.limited(value, 16)

    @field_validator("owner", mode="before")
    @classmethod
    def _owner(cls, value: Any, info: ValidationInfo) -> str:
        found = cell.person(value, info)
        if found is None:
            raise ValueError("is empty")
        return found

    @field_validator("link", mode="before")
    @classmethod
    def _link(cls, value: Any) -> str | None:
        written = cell.text(value)
        if written is None:
            return None
        if not written.lower().startswith(("https://", "http://")):
            raise ValueError("must be a web address starting with https://")
        return cell.limited(written, 500)


class CompletionRow(_Row):
    person: str
    competence: str
    completed_date: date
    validity_months: int | None = None
    expiry_date: date | None = None
    evidence: str | None = None
    confirmed_by: str | None = None

    _competence = field_validator("competence", mode="before")(lambda v: cell.required_text(v, 120))
    _dates = field_validator("completed_date", "expiry_date", mode="before")(cell.a_date)
    _months = field_validator("validity_months", mode="before")(
        lambda v: cell.whole_number(v, low=1, high=240)
    )
    _confirmed = field_validator("confirmed_by", mode="before")(cell.person)

    @field_validator("person", mode="before")
    @classmethod
    def _person(cls, value: Any, info: ValidationInfo) -> str:
        found = cell.person(value, info)
        if found is None:
            raise ValueError("is empty")
        return found

    @field_validator("evidence", mode="before")
    @classmethod
    def _evidence(cls, value: Any) -> str | None:
        written = cell.text(value)
        return None if written is None else cell.limited(written, TEXT_MAX)


ImportRow = RecordRow | ActionRow | DocumentRow | CompletionRow

ROW_MODELS: dict[ImportKind, type[RecordRow | ActionRow | DocumentRow | CompletionRow]] = {
    ImportKind.RECORDS: RecordRow,
    ImportKind.ACTIONS: ActionRow,
    ImportKind.DOCUMENTS: DocumentRow,
    ImportKind.TRAINING: CompletionRow,
}
