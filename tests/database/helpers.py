"""Building blocks for database tests."""

from __future__ import annotations

from datetime import date, datetime

from bot.domain.records import RecordKind, Severity
from bot.forms.record import RecordForm
from bot.services.records import Raised, raise_record
from bot.services.workspaces import WorkspaceDefaults, ensure_workspace
from storage.db import Database
from storage.models import Workspace


def make_workspace(
    db: Database, now: datetime, *, team_id: str = "T0KEEL", channel: str | None = "CQUALITY"
) -> Workspace:
    with db.transaction() as session:
        return ensure_workspace(
            session=session,
            team_id=team_id,
            enterprise_id=None,
            defaults=WorkspaceDefaults(quality_channel=channel, lead_ids=["ULEAD"]),
            now=now,
        )


def a_form(**overrides: object) -> RecordForm:
    fields: dict[str, object] = {
        "kind": RecordKind.NONCONFORMITY,
        "title": "Wrong label on batch 2231",
        "description": "Batch 2231 left with the label of 2213.",
        "occurred_date": date(2026, 11, 20),
        "severity": Severity.MEDIUM,
    }
    fields.update(overrides)
    return RecordForm.model_validate(fields)


def raise_one(
    db: Database,
    workspace: Workspace,
    now: datetime,
    *,
    view_id: str | None = None,
    reporter: str = "UALICE",
    **overrides: object,
) -> Raised:
    with db.transaction() as session:
        return raise_record(
            session=session,
            workspace=workspace,
            form=a_form(**overrides),
            reporter_id=reporter,
            view_id=view_id,
            now=now,
        )
