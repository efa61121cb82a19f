"""Keel's tables. Every row belongs to one workspace; times are UTC."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Double,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage.types import UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# BigInteger ids on PostgreSQL, INTEGER PRIMARY KEY (the rowid) on SQLite.
Id = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON()}


class Workspace(Base):
    """A Slack workspace that installed Keel, with its settings."""

    __tablename__ = "workspace"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), unique=True)
    enterprise_id: Mapped[str | None] = mapped_column(String(32))
    quality_channel: Mapped[str | None] = mapped_column(String(32))
    digest_channel: Mapped[str | None] = mapped_column(String(32))
    # Quality leads; empty means the workspace's own Slack admins and owners act as leads.
    lead_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    # None: KEEL_TIMEZONE applies. A person's own Slack time zone wins over both.
    timezone: Mapped[str | None] = mapped_column(String(64))
    # None: the default list (bot.domain.actions.DEFAULT_CAUSE_CATEGORIES).
    cause_categories: Mapped[list[str] | None] = mapped_column(JSON)
    # Due-date extensions an action may have before a quality lead must approve the next.
    extension_limit: Mapped[int] = mapped_column(Integer, default=2)
    # The daily digest: at this local hour, on these weekdays (0 = Monday), never from
    # quiet_hour on; items due within due_soon_days are included.
    nudge_hour: Mapped[int] = mapped_column(Integer, default=9)
    quiet_hour: Mapped[int] = mapped_column(Integer, default=18)
    working_days: Mapped[list[int]] = mapped_column(JSON, default=lambda: [0, 1, 2, 3, 4])
    due_soon_days: Mapped[int] = mapped_column(Integer, default=3)
    # Escalation ladder: overdue this many days -> record owner and leads; -> the channel.
    escalate_to_owner_days: Mapped[int] = mapped_column(Integer, default=7)
    escalate_to_channel_days: Mapped[int] = mapped_column(Integer, default=14)
    # Record kind -> reference prefix; None or a missing kind: bot.domain.records.DEFAULT_PREFIXES.
    reference_prefixes: Mapped[dict[str, str] | None] = mapped_column(JSON)
    # The standards it is certified to (bot.domain.settings.Standard); None: ISO 9001 alone.
    standards: Mapped[list[str] | None] = mapped_column(JSON)
    # Documents: a review joins its owner's digest this many days before it is due; a
    # revision needs someone other than its author to approve it when this is on.
    review_reminder_days: Mapped[int] = mapped_column(Integer, default=14)
    revision_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    # The competence that qualifies an internal auditor: people holding a valid completion
    # of it may lead audits as well as those on the list (`/nc auditors`). None: the list.
    auditor_competence_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime]


class ReferenceCounter(Base):
    """The last record number issued in a workspace; bumped in the record's transaction."""

    __tablename__ = "reference_counter"

    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id"), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class ReferenceSequence(Base):
    """The last number issued under one reference prefix (NC, NM, ...) in a workspace."""

    __tablename__ = "reference_sequence"

    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id"), primary_key=True)
    prefix: Mapped[str] = mapped_column(String(8), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class Record(Base):
    """A nonconformity, complaint, near miss, incident, idea or audit finding."""

    __tablename__ = "record"
    __table_args__ = (
        UniqueConstraint("workspace_id", "number"),
        Index("uq_record_workspace_id_reference", "workspace_id", "reference", unique=True),
        UniqueConstraint("workspace_id", "source_view_id"),
        Index("ix_record_workspace_status", "workspace_id", "status"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id"))
    # Keel's own sequence (the record's number in buttons); people see `reference` (NM-0003).
    number: Mapped[int] = mapped_column(Integer)
    # Nullable in the schema only, so SQLite could add it without rebuilding the table; every
    # record has one (migration 0003 gave the older ones theirs).
    reference: Mapped[str] = mapped_column(String(16), nullable=True)
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(String(200))
    occurred_date: Mapped[date] = mapped_column(Date)
    severity: Mapped[str] = mapped_column(String(16))
    containment: Mapped[str | None] = mapped_column(Text)
    # None when reported anonymously: Keel keeps no trace of who reported it.
    reporter_id: Mapped[str | None] = mapped_column(String(32))
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    owner_id: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(32))
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    source_permalink: Mapped[str | None] = mapped_column(String(500))
    # The modal that created it: a resubmitted modal finds its record instead of making another.
    source_view_id: Mapped[str | None] = mapped_column(String(64))
    card_channel: Mapped[str | None] = mapped_column(String(32))
    card_ts: Mapped[str | None] = mapped_column(String(32))
    process_id: Mapped[int | None] = mapped_column(ForeignKey("process.id"))
    # Five whys: the chain of answers, the root-cause statement and its category.
    whys: Mapped[list[str] | None] = mapped_column(JSON)
    root_cause: Mapped[str | None] = mapped_column(Text)
    cause_category: Mapped[str | None] = mapped_column(String(64))
    elsewhere: Mapped[str | None] = mapped_column(Text)
    repeat_of_id: Mapped[int | None] = mapped_column(ForeignKey("record.id"))
    # The internal audit that found it (kind audit finding, or an improvement from an audit).
    audit_id: Mapped[int | None] = mapped_column(ForeignKey("audit.id"))
    closed_at: Mapped[datetime | None]
    # Asked on closing (ISO 9001 10.2.1 e, f): do the risks and opportunities need updating,
    # does the management system need changing, and what changes. None: not asked.
    risks_update_needed: Mapped[bool | None] = mapped_column(Boolean)
    system_change_needed: Mapped[bool | None] = mapped_column(Boolean)
    closing_changes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Process(Base):
    """A process or area of the organisation, with its owner (ISO 9001 clause 5)."""

    __tablename__ = "process"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id"))
    name: Mapped[str] = mapped_column(String(80))
    owner_id: Mapped[str | None] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]


class Action(Base):
    """A correction, corrective or preventive action, or improvement, on a record."""

    __tablename__ = "action"
    __table_args__ = (
        UniqueConstraint("record_id", "number"),
        Index("ix_action_workspace_status_due", "workspace_id", "status", "due_date"),
        Index("ix_action_workspace_owner", "workspace_id", "owner_id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id"))
    record_id: Mapped[int] = mapped_column(ForeignKey("record.id"))
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[str] = mapped_column(String(32))
    due_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    blocked_reason: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[str | None] = mapped_column(Text)
    done_at: Mapped[datetime | None]
    effectiveness_check_date: Mapped[date | None] = mapped_column(Date)
    effectiveness_criterion: Mapped[str | None] = mapped_column(Text)
    verifier_id: Mapped[str | None] = mapped_column(String(32))
    verified_at: Mapped[datetime | None]
    verification_note: Mapped[str | None] = mapped_column(Text)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    extension_count: Mapped[int] = mapped_column(Integer, default=0)
    # An extension waiting for a quality lead: {"due_date", "reason", "requested_by"}.
    pending_extension: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Its reply in the record's thread, and its DM to the owner: both edited in place.
    thread_channel: Mapped[str | None] = mapped_column(String(32))
    thread_ts: Mapped[str | None] = mapped_column(String(32))
    dm_channel: Mapped[str | None] = mapped_column(String(32))
    dm_ts: Mapped[str | None] = mapped_column(String(32))
    # Left out of its owner's digest until this date.
    snoozed_until: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class History(Base):
    """One change to anything, append-only: the evidence (ISO 9001 7.5.3, 10.2.2)."""

    __tablename__ = "history"
    __table_args__ = (Index("ix_history_entity", "workspace_id", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id"))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int] = mapped_column(BigInteger)
    # Which record the change belongs to, so a record's history includes its actions.
    record_id: Mapped[int | None] = mapped_column(ForeignKey("record.id"))
    event: Mapped[str] = mapped_column(String(64))
    actor_id: Mapped[str | None] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(16))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    at: Mapped[datetime]


class OutboxMessage(Base):
    """A Slack write queued in the transaction that caused it, sent after commit."""

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id"))
    kind: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[int | None] = mapped_column(ForeignKey("record.id"))
    action_id: Mapped[int | None] = mapped_column(ForeignKey("action.id"))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    # A sender leases the row until this time, so two senders never send it twice.
    locked_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class SlackEvent(Base):
    """An Events API event_id already handled: Slack retries, and neither it nor Bolt dedupes."""

    __tablename__ = "slack_event"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(index=True)


class SlackUser(Base):
    """What Keel knows of a person from Slack (users.list): time zone, bot, deactivated."""

    __tablename__ = "slack_user"
    __table_args__ = (UniqueConstraint("workspace_id", "user_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id"))
    user_id: Mapped[str] = mapped_column(String(32))
    tz: Mapped[str | None] = mapped_column(String(64))
    is_bot: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    fetched_at: Mapped[datetime]


class DeliveryLedger(Base):
    """One scheduled message per (workspace, person, kind, period), claimed before it is sent:
    a re-run, a second clock or a restart finds the claim and sends nothing more."""

    __tablename__ = "delivery_ledger"
    __table_args__ = (UniqueConstraint("workspace_id", "user_id", "kind", "period"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id"))
    user_id: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(32))
    period: Mapped[str] = mapped_column(String(32))
    # claimed -> sent; or unknown (Slack may or may not have it: never resent) or failed.
    status: Mapped[str] = mapped_column(String(16))
    items: Mapped[list[str]] = mapped_column(JSON, default=list)
    channel: Mapped[str | None] = mapped_column(String(32))
    ts: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(String(200))
    claimed_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class Escalation(Base):
    """A step of the escalation ladder taken for one action: each happens once."""

    __tablename__ = "escalation"
    __table_args__ = (UniqueConstraint("action_id", "step"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id"))
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id"))
    step: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime]


class Objective(Base):
    """A measurable objective (ISO 9001 6.2): what is measured, by whom, against what target,
    and how often (an RRULE from `start_date`, cutting time into periods)."""

    __tablename__ = "objective"
    __table_args__ = (UniqueConstraint("workspace_id", "number"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    owner_id: Mapped[str] = mapped_column(String(32))
    unit: Mapped[str | None] = mapped_column(String(40))
    target: Mapped[float] = mapped_column(Double)
    direction: Mapped[str] = mapped_column(String(16))
    frequency: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[date] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The plan to achieve it (ISO 9001 6.2.2), each part optional: what will be done, what
    # resources it needs, who is responsible, when it will be completed, how results are
    # evaluated.
    plan_actions: Mapped[str | None] = mapped_column(Text)
    plan_resources: Mapped[str | None] = mapped_column(Text)
    plan_responsible: Mapped[str | None] = mapped_column(String(200))
    plan_due: Mapped[date | None] = mapped_column(Date)
    plan_evaluation: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Measurement(Base):
    """An objective's value for one period; logging it again replaces it, with history."""

    __tablename__ = "measurement"
    __table_args__ = (UniqueConstraint("objective_id", "period_start"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id"))
    objective_id: Mapped[int] = mapped_column(ForeignKey("objective.id"))
    period_start: Mapped[date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Double)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(32))
    recorded_at: Mapped[datetime]


class JobRun(Base):
    """When each scheduled job last finished, and what it did (one row per job, for the whole
    installation): `python -m bot check` tells from it whether the clock is running."""

    __tablename__ = "job_run"

    job: Mapped[str] = mapped_column(String(64), primary_key=True)
    outcome: Mapped[str] = mapped_column(String(200))
    finished_at: Mapped[datetime]


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

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id"))
    review_id: Mapped[int] = mapped_column(ForeignKey("management_review.id"))
    # improvement | change | resources
    category: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    action_id: Mapped[int | None] = mapped_column(ForeignKey("action.id"))
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


class Document(Base):
    """A controlled document (ISO 9001 7.5): where it lives, who owns it, when it is reviewed.
    Keel keeps no files, only the link."""

    __tablename__ = "document"
    __table_args__ = (UniqueConstraint("workspace_id", "reference"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id"))
    reference: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(16))
    owner_id: Mapped[str] = mapped_column(String(32))
    link: Mapped[str | None] = mapped_column(String(500))
    process_id: Mapped[int | None] = mapped_column(ForeignKey("process.id"))
    review_months: Mapped[int] = mapped_column(Integer, default=12)
    last_reviewed_date: Mapped[date | None] = mapped_column(Date)
    next_review_date: Mapped[date] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class DocumentRevision(Base):
    """A new version of a document: what changed, and whether people must read it again."""

    __tablename__ = "document_revision"
    __table_args__ = (UniqueConstraint("document_id", "version"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id"))
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"))
    version: Mapped[str] = mapped_column(String(16))
    what_changed: Mapped[str] = mapped_column(Text)
    reread_required: Mapped[bool] = mapped_column(Boolean, default=True)
    author_id: Mapped[str] = mapped_column(String(32))
    # None until approved, when the workspace asks for a second person's approval.
    approver_id: Mapped[str | None] = mapped_column(String(32))
    approved_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class Acknowledgement(Base):
    """A person has read and understood one version of a document."""

    __tablename__ = "acknowledgement"
    __table_args__ = (UniqueConstraint("document_id", "version", "user_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id"))
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"))
    version: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime]


class DocumentEscalation(Base):
    """A step of the escalation ladder taken for one overdue review of a document: each
    happens once per review cycle (a document is reviewed again every interval)."""

    __tablename__ = "document_escalation"
    __table_args__ = (UniqueConstraint("document_id", "due_date", "step"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id"))
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"))
    due_date: Mapped[date] = mapped_column(Date)
    step: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime]


class Competence(Base):
    """A skill, licence, course or document to have read (ISO 9001 7.2, ISO 45001 7.2),
    valid for some months after completion, or for good."""

    __tablename__ = "competence"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id"))
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16))
    validity_months: Mapped[int | None] = mapped_column(Integer)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))
    created_at: Mapped[datetime]


class Role(Base):
    """A role people hold (e.g. "Forklift driver") and the competences it requires."""

    __tablename__ = "role"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id"))
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime]


class RoleMember(Base):
    __tablename__ = "role_member"
    __table_args__ = (UniqueConstraint("role_id", "user_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id"))
    role_id: Mapped[int] = mapped_column(ForeignKey("role.id"))
    user_id: Mapped[str] = mapped_column(String(32))


class Requirement(Base):
    """A competence a role requires (role_id set) or one person needs directly (user_id)."""

    __tablename__ = "requirement"
    __table_args__ = (UniqueConstraint("workspace_id", "competence_id", "role_id", "user_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id"))
    competence_id: Mapped[int] = mapped_column(ForeignKey("competence.id"))
    role_id: Mapped[int | None] = mapped_column(ForeignKey("role.id"))
    user_id: Mapped[str | None] = mapped_column(String(32))


class Completion(Base):
    """A person completed a competence on a date, with evidence; validity gives the expiry."""

    __tablename__ = "completion"
    __table_args__ = (
        UniqueConstraint("workspace_id", "user_id", "competence_id", "completed_date"),
        Index("ix_completion_workspace_expiry", "workspace_id", "expiry_date"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id"))
    user_id: Mapped[str] = mapped_column(String(32))
    competence_id: Mapped[int] = mapped_column(ForeignKey("competence.id"))
    completed_date: Mapped[date] = mapped_column(Date)
    expiry_date: Mapped[date | None] = mapped_column(Date)
    evidence: Mapped[str | None] = mapped_column(Text)
    confirmed_by: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime]
