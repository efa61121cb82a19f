"""Keel's tables. Every row belongs to one workspace; times are UTC.

One module per part of the system, each under 400 lines; everything is imported here so that
`from storage.models import Record` and Alembic's metadata see every table."""

from storage.models.base import NAMING_CONVENTION, Base, Id
from storage.models.core import (
    Action,
    History,
    Process,
    Record,
    ReferenceCounter,
    ReferenceSequence,
    Workspace,
)
from storage.models.delivery import (
    DeliveryLedger,
    Escalation,
    JobRun,
    Measurement,
    Objective,
    OutboxMessage,
    SlackEvent,
    SlackUser,
)
from storage.models.evidence import (
    Audit,
    AuditCounter,
    AuditFinding,
    AuditorQualification,
    ManagementReview,
    OriginalReference,
    ReviewDecision,
)
from storage.models.support import (
    Acknowledgement,
    Competence,
    Completion,
    Document,
    DocumentEscalation,
    DocumentRevision,
    Requirement,
    Role,
    RoleMember,
)

__all__ = [
    "NAMING_CONVENTION",
    "Acknowledgement",
    "Action",
    "Audit",
    "AuditCounter",
    "AuditFinding",
    "AuditorQualification",
    "Base",
    "Competence",
    "Completion",
    "DeliveryLedger",
    "Document",
    "DocumentEscalation",
    "DocumentRevision",
    "Escalation",
    "History",
    "Id",
    "JobRun",
    "ManagementReview",
    "Measurement",
    "Objective",
    "OriginalReference",
    "OutboxMessage",
    "Process",
    "Record",
    "ReferenceCounter",
    "ReferenceSequence",
    "Requirement",
    "ReviewDecision",
    "Role",
    "RoleMember",
    "SlackEvent",
    "SlackUser",
    "Workspace",
]
