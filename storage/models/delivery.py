"""What Keel sends and receives, and what it measures: the outbox, Slack events and users,
the daily digest's ledger, escalations, objectives and their measurements, job runs."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Double,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, Id


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
