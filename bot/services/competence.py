"""Competences, roles, requirements and completions (ISO 9001 7.2, ISO 45001 7.2)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.domain.competence import CompetenceKind, expiry
from bot.domain.errors import NotAllowed, NotFound
from bot.queries.training import is_required
from bot.services.history import Source, record_change
from storage.models import Competence, Completion, Requirement, Role, RoleMember


def add_competence(
    *,
    session: Session,
    workspace_id: int,
    name: str,
    kind: CompetenceKind,
    validity_months: int | None,
    document_id: int | None = None,
    actor_id: str,
    now: datetime,
) -> Competence:
    competence = Competence(
        workspace_id=workspace_id,
        name=name.strip(),
        kind=kind.value,
        validity_months=validity_months,
        document_id=document_id,
        created_at=now,
    )
    session.add(competence)
    session.flush()
    _history(
        session,
        workspace_id,
        "competence",
        competence.id,
        "added",
        actor_id,
        now,
        {"name": competence.name, "validity_months": validity_months},
    )
    return competence


def add_role(
    *, session: Session, workspace_id: int, name: str, actor_id: str, now: datetime
) -> Role:
    role = Role(workspace_id=workspace_id, name=name.strip(), created_at=now)
    session.add(role)
    session.flush()
    _history(session, workspace_id, "role", role.id, "added", actor_id, now, {"name": role.name})
    return role


def add_member(
    *,
    session: Session,
    workspace_id: int,
    role_id: int,
    user_id: str,
    actor_id: str,
    now: datetime,
) -> None:
    _role(session, workspace_id, role_id)
    session.add(RoleMember(workspace_id=workspace_id, role_id=role_id, user_id=user_id))
    _history(
        session, workspace_id, "role", role_id, "member_added", actor_id, now, {"member": user_id}
    )


def require(
    *,
    session: Session,
    workspace_id: int,
    competence_id: int,
    role_id: int | None = None,
    user_id: str | None = None,
    actor_id: str,
    now: datetime,
) -> None:
    """A role requires a competence, or one person needs it directly."""
    if (role_id is None) == (user_id is None):
        raise NotAllowed("A requirement is for a role or for one person.")
    if role_id is not None:
        _role(session, workspace_id, role_id)
    get_competence(session, workspace_id, competence_id)
    if is_required(
        session=session,
        workspace_id=workspace_id,
        competence_id=competence_id,
        role_id=role_id,
        user_id=user_id,
    ):
        return  # NULLs never clash in the unique constraint: asked twice, kept once
    session.add(
        Requirement(
            workspace_id=workspace_id,
            competence_id=competence_id,
            role_id=role_id,
            user_id=user_id,
        )
    )
    _history(
        session,
        workspace_id,
        "competence",
        competence_id,
        "required",
        actor_id,
        now,
        {"role_id": role_id, "person": user_id},
    )


def log_completion(
    *,
    session: Session,
    workspace_id: int,
    user_id: str,
    competence_id: int,
    completed: date,
    evidence: str | None,
    confirmed_by: str,
    now: datetime,
) -> Completion:
    """Keep a completion; its competence's validity gives the expiry."""
    competence = get_competence(session, workspace_id, competence_id)
    # Today where it is latest (UTC+14): a day that is today for someone is not refused.
    if completed > (now + timedelta(hours=14)).date():
        raise NotAllowed("A completion cannot be dated in the future.")
    logged = session.scalar(
        select(Completion.id).where(
            Completion.workspace_id == workspace_id,
            Completion.user_id == user_id,
            Completion.competence_id == competence.id,
            Completion.completed_date == completed,
        )
    )
    if logged is not None:
        raise NotAllowed(f"{competence.name} is already logged as done on that day.")
    completion = Completion(
        workspace_id=workspace_id,
        user_id=user_id,
        competence_id=competence.id,
        completed_date=completed,
        expiry_date=expiry(completed, competence.validity_months),
        evidence=evidence,
        confirmed_by=confirmed_by,
        created_at=now,
    )
    try:
        with session.begin_nested():  # a double click saved twice at once: the first wins
            session.add(completion)
    except IntegrityError:
        raise NotAllowed(f"{competence.name} is already logged as done on that day.") from None
    _history(
        session,
        workspace_id,
        "completion",
        completion.id,
        "logged",
        confirmed_by,
        now,
        {
            "person": user_id,
            "competence": competence.name,
            "completed_date": completed.isoformat(),
            "expiry_date": completion.expiry_date.isoformat() if completion.expiry_date else None,
        },
    )
    return completion


def _role(session: Session, workspace_id: int, role_id: int) -> Role:
    role = session.scalar(select(Role).where(Role.workspace_id == workspace_id, Role.id == role_id))
    if role is None:
        raise NotFound("That role is not in this workspace.")
    return role


def get_competence(session: Session, workspace_id: int, competence_id: int) -> Competence:
    """The workspace's competence; NotFound for any other id."""
    competence = session.scalar(
        select(Competence).where(
            Competence.workspace_id == workspace_id, Competence.id == competence_id
        )
    )
    if competence is None:
        raise NotFound("That competence is not in this workspace.")
    return competence


def _history(
    session: Session,
    workspace_id: int,
    entity: str,
    entity_id: int,
    event: str,
    actor_id: str | None,
    now: datetime,
    after: dict[str, object],
) -> None:
    record_change(
        session=session,
        workspace_id=workspace_id,
        entity=entity,
        entity_id=entity_id,
        record_id=None,
        event=event,
        actor_id=actor_id,
        source=Source.FORM,
        at=now,
        after=after,
    )
