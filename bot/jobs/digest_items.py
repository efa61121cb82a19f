"""What can appear in someone's digest. Each source finds candidates for a workspace in one
query; more sources (objective measurements, audits, document reviews, training) plug in by
being added to SOURCES."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.domain.actions import ActionKind, ActionStatus, action_reference
from bot.domain.records import format_reference
from storage.models import Action, Record


@dataclass(frozen=True)
class Candidate:
    """Something dated that someone must do; `owner_id` None means the quality leads."""

    key: str
    kind: str  # "action" | "verification"
    action_id: int
    reference: str
    description: str
    due: date
    owner_id: str | None
    record_owner_id: str | None
    snoozed_until: date | None = None
    escalates: bool = True  # overdue actions climb the ladder; checks are the verifier's own


Source = Callable[[Session, int, date], list[Candidate]]


def open_actions(session: Session, workspace_id: int, horizon: date) -> list[Candidate]:
    rows = session.execute(
        select(Action, Record.number, Record.owner_id)
        .join(Record, Record.id == Action.record_id)
        .where(
            Action.workspace_id == workspace_id,
            Action.status == ActionStatus.OPEN.value,
            Action.due_date <= horizon,
        )
    )
    return [
        Candidate(
            key=f"action:{action.id}",
            kind="action",
            action_id=action.id,
            reference=action_reference(format_reference(number), action.number),
            description=action.description,
            due=action.due_date,
            owner_id=action.owner_id,
            record_owner_id=record_owner,
            snoozed_until=action.snoozed_until,
        )
        for action, number, record_owner in rows
    ]


def effectiveness_checks(session: Session, workspace_id: int, horizon: date) -> list[Candidate]:
    """Done corrective actions whose check falls due: for the record's owner, or the quality
    leads when the record owner owns the action too (nobody checks their own work)."""
    rows = session.execute(
        select(Action, Record.number, Record.owner_id)
        .join(Record, Record.id == Action.record_id)
        .where(
            Action.workspace_id == workspace_id,
            Action.status == ActionStatus.DONE.value,
            Action.kind == ActionKind.CORRECTIVE.value,
            or_(
                Action.effectiveness_check_date.is_(None),
                Action.effectiveness_check_date <= horizon,
            ),
        )
    )
    candidates = []
    for action, number, record_owner in rows:
        verifier = record_owner if record_owner and record_owner != action.owner_id else None
        candidates.append(
            Candidate(
                key=f"verification:{action.id}",
                kind="verification",
                action_id=action.id,
                reference=action_reference(format_reference(number), action.number),
                description=action.effectiveness_criterion or action.description,
                due=action.effectiveness_check_date or action.due_date,
                owner_id=verifier,
                record_owner_id=record_owner,
                escalates=False,
            )
        )
    return candidates


SOURCES: tuple[Source, ...] = (open_actions, effectiveness_checks)
