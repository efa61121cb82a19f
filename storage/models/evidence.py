"""Internal audits, the management review and references brought in by an import."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, Id


class AuditCounter(Base):
    """The last audit number issued in a workspace (`AUD-n`); bumped in the audit's
    transaction, like ReferenceCounter for records."""

    __tablename__ = "audit_counter"

    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id"), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class Audit(Base):
    """An internal audit in the programme (ISO 9001 9.2): a process or named area, its date,
    auditors, auditee, scope and criteria; its report; the one it recurs from."""

    __tablename__ = "audit"
    __table_args__ = (
        UniqueConstraint("workspace_id", "number"),
        # A recurring audit makes its next one once, however often its report is saved.
        UniqueConstraint("previous_id"),
        Index("ix_audit_workspace_status_planned", "workspace_id", "status", "planned_date"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id"))
    number: Mapped[int] = mapped_column(Integer)
    process_id: Mapped[int | None] = mapped_column(ForeignKey("process.id"))
    area: Mapped[str | None] = mapped_column(String(80))
    planned_date: Mapped[date] = mapped_column(Date)
    # The day it was held: the planned day, or earlier when brought forward.
    held_date: Mapped[date | None] = mapped_column(Date)
    lead_auditor_id: Mapped[str] = mapped_column(String(32))
    auditor_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    auditee_id: Mapped[str | None] = mapped_column(String(32))
    scope: Mapped[str | None] = mapped_column(Text)
    standards: Mapped[list[str]] = mapped_column(JSON, default=list)
    clauses: Mapped[list[str]] = mapped_column(JSON, default=list)
    recurrence: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[str] = mapped_column(String(16))
    postponements: Mapped[int] = mapped_column(Integer, default=0)
    # A quality lead let an auditor audit their own work: why (shown on the audit).
    impartiality_override: Mapped[str | None] = mapped_column(Text)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    close_reason: Mapped[str | None] = mapped_column(Text)
    report_summary: Mapped[str | None] = mapped_column(Text)
    report_strengths: Mapped[str | None] = mapped_column(Text)
    report_conclusion: Mapped[str | None] = mapped_column(Text)
    clauses_covered: Mapped[list[str] | None] = mapped_column(JSON)
    reported_by: Mapped[str | None] = mapped_column(String(32))
    reported_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("audit.id"))
    created_by: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class AuditFinding(Base):
    """One finding of an audit: its grade, clause and objective evidence; a nonconformity or
    an opportunity for improvement is also a record (`record_id`)."""

    __tablename__ = "audit_finding"
    __table_args__ = (UniqueConstraint("audit_id", "number"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id"))
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id"))
    number: Mapped[int] = mapped_column(Integer)
    grade: Mapped[str] = mapped_column(String(16))
    clause: Mapped[str | None] = mapped_column(String(40))
    evidence: Mapped[str] = mapped_column(Text)
    spoken_to: Mapped[str | None] = mapped_column(String(200))
    record_id: Mapped[int | None] = mapped_column(ForeignKey("record.id"))
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]


class AuditorQualification(Base):
    """A person on the workspace's list of qualified internal auditors (`/nc auditors`);
    when the list is not empty, only they lead audits."""

    __tablename__ = "auditor_qualification"
    __table_args__ = (UniqueConstraint("workspace_id", "user_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id"))
    user_id: Mapped[str] = mapped_column(String(32))
    added_by: Mapped[str] = mapped_column(String(32))
    added_at: Mapped[datetime]


class ManagementReview(Base):
    """A management review (ISO 9001 9.3): planned with a date and attendees, then held; its
    decisions' actions hang on `record_id`, a record of kind "management_review", so they are
    tracked, nudged and closed like any other action."""

    __tablename__ = "management_review"
    __table_args__ = (UniqueConstraint("workspace_id", "number"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id"))
    number: Mapped[int] = mapped_column(Integer)
    planned_date: Mapped[date] = mapped_column(Date)
    attendee_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The pack covers period_start_date to the review's date.
    period_start_date: Mapped[date] = mapped_column(Date)
    next_review_date: Mapped[date | None] = mapped_column(Date)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("record.id"))
    held_at: Mapped[datetime | None]
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ReviewDecision(Base):
    """One output of a management review (ISO 9001 9.3.3), optionally with its action."""

    __tablename__ = "review_decision"
    # A form Slack delivers twice (a double click, a retry) records its decision once.
    __table_args__ = (UniqueConstraint("workspace_id", "source_view_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id"))
    review_id: Mapped[int] = mapped_column(ForeignKey("management_review.id"))
    # improvement | change | resources
    category: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    action_id: Mapped[int | None] = mapped_column(ForeignKey("action.id"))
    source_view_id: Mapped[str | None] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]


class OriginalReference(Base):
    """A reference a record or action had before Keel (e.g. `CAR-2023-014` in the old
    register): `/nc CAR-2023-014` finds it, and importing the same file again finds it."""

    __tablename__ = "original_reference"
    __table_args__ = (UniqueConstraint("workspace_id", "entity", "reference"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id"))
    entity: Mapped[str] = mapped_column(String(32))
    # Upper-cased and trimmed: `car-2023-014` finds `CAR-2023-014`.
    reference: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime]
