"""Documented information (ISO 9001 7.5) and competence (ISO 9001 7.2)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
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
