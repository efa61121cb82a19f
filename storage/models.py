"""Keel's tables. Every row belongs to one workspace; times are UTC."""

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
    created_at: Mapped[datetime]


class ReferenceCounter(Base):
    """The last record number issued in a workspace; bumped in the record's transaction."""

    __tablename__ = "reference_counter"

    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id"), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class Record(Base):
    """A nonconformity, complaint, near miss, incident, idea or audit finding."""

    __tablename__ = "record"
    __table_args__ = (
        UniqueConstraint("workspace_id", "number"),
        UniqueConstraint("workspace_id", "source_view_id"),
        Index("ix_record_workspace_status", "workspace_id", "status"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id"))
    number: Mapped[int] = mapped_column(Integer)
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
