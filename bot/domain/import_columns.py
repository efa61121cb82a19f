"""Which column of an imported register means what: headers matched case-insensitively,
with the synonyms registers commonly use."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class ImportKind(StrEnum):
    RECORDS = "records"
    ACTIONS = "actions"
    DOCUMENTS = "documents"
    TRAINING = "training"


@dataclass(frozen=True)
class Column:
    field: str
    label: str  # how the report names it
    synonyms: tuple[str, ...]
    required: bool = False


_REFERENCE = ("reference", "ref", "id", "number", "no", "ref no", "reference number")
_OWNER = ("owner", "responsible", "assigned to", "assignee", "action owner", "responsible person")
_DESCRIPTION = ("description", "what happened", "details", "detail", "problem", "issue")

COLUMNS: dict[ImportKind, tuple[Column, ...]] = {
    ImportKind.RECORDS: (
        Column("reference", "Reference", _REFERENCE, required=True),
        Column("title", "Title", ("title", "subject", "summary", "short description"), True),
        Column("description", "Description", _DESCRIPTION),
        Column("kind", "Kind", ("kind", "type", "category", "record type")),
        Column("severity", "Severity", ("severity", "priority", "grade", "classification")),
        Column("status", "Status", ("status", "state")),
        Column(
            "occurred_date",
            "Date",
            ("date", "date raised", "raised", "raised on", "occurred", "date occurred", "opened"),
            required=True,
        ),
        Column("owner", "Owner", _OWNER),
        Column("location", "Location", ("location", "site", "where", "area")),
        Column("root_cause", "Root cause", ("root cause", "cause")),
        Column("closed_date", "Closed", ("closed", "date closed", "closed on", "closure date")),
    ),
    ImportKind.ACTIONS: (
        Column("reference", "Reference", (*_REFERENCE, "action ref", "action no"), required=True),
        Column(
            "record",
            "Record",
            ("record", "nc", "ncr", "car", "parent", "record reference", "nonconformity"),
            required=True,
        ),
        Column(
            "description",
            "Description",
            ("description", "action", "action description", "what", "action to take", "details"),
            required=True,
        ),
        Column("owner", "Owner", _OWNER, required=True),
        Column("due_date", "Due", ("due", "due date", "target date", "target", "deadline"), True),
        Column("kind", "Kind", ("kind", "type", "action type")),
        Column("status", "Status", ("status", "state")),
        Column("done_date", "Done", ("done", "completed", "date completed", "done on")),
    ),
    ImportKind.DOCUMENTS: (
        Column("reference", "Reference", (*_REFERENCE, "document", "doc no"), required=True),
        Column("title", "Title", ("title", "name", "document title", "subject"), required=True),
        Column("version", "Version", ("version", "revision", "rev", "issue")),
        Column("owner", "Owner", (*_OWNER, "author", "document owner"), required=True),
        Column("link", "Link", ("link", "url", "location", "where it lives")),
        Column("process", "Process", ("process", "area", "department")),
        Column(
            "review_months",
            "Review interval",
            ("review interval", "review months", "review interval (months)", "interval"),
        ),
        Column("last_reviewed", "Last reviewed", ("last reviewed", "reviewed", "last review")),
        Column(
            "next_review", "Next review", ("next review", "next review due", "review due", "due")
        ),
    ),
    ImportKind.TRAINING: (
        Column(
            "person", "Person", ("person", "name", "employee", "member", "who", "trainee"), True
        ),
        Column(
            "competence",
            "Competence",
            ("competence", "course", "training", "skill", "licence", "license", "qualification"),
            required=True,
        ),
        Column(
            "completed_date",
            "Completed",
            ("completed", "date", "date completed", "completed on", "passed"),
            required=True,
        ),
        Column(
            "validity_months",
            "Valid for (months)",
            ("valid for", "validity", "valid for (months)", "validity (months)"),
        ),
        Column("expiry_date", "Expires", ("expires", "expiry", "expiry date", "valid until")),
        Column("evidence", "Evidence", ("evidence", "certificate", "note", "notes")),
        Column("confirmed_by", "Confirmed by", ("confirmed by", "trainer", "assessor")),
    ),
}


@dataclass(frozen=True)
class HeaderMatch:
    positions: dict[str, int]  # field -> column index
    unknown: list[str]  # headers Keel does not use, as written
    missing: list[str]  # labels of required columns not found
    repeated: list[str]  # labels matched by more than one header


def _normal(header: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z()]+", " ", header.lower()).split())


def match_header(kind: ImportKind, header: list[str]) -> HeaderMatch:
    lookup = {_normal(synonym): column for column in COLUMNS[kind] for synonym in column.synonyms}
    positions: dict[str, int] = {}
    unknown: list[str] = []
    repeated: list[str] = []
    for index, name in enumerate(header):
        if not name.strip():
            continue
        column = lookup.get(_normal(name))
        if column is None:
            unknown.append(name)
        elif column.field in positions:
            repeated.append(column.label)
        else:
            positions[column.field] = index
    missing = [c.label for c in COLUMNS[kind] if c.required and c.field not in positions]
    return HeaderMatch(positions, unknown, missing, sorted(set(repeated)))
