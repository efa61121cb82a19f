"""Workspaces, records, their actions, processes and the append-only history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
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
    # What the workspace calls its management system ("HSEQ": "HSEQ leads", "the HSEQ
    # channel"); None: "quality" (bot.domain.terms).
    system_name: Mapped[str | None] = mapped_column(String(32))
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
