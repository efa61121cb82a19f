"""What `/nc training` shows: one person's competences, and the matrix summarised for the
quality leads (people x competences: valid, expiring within 30 days, missing or expired)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.domain.competence import Standing, standing
from bot.queries import competence as matrix_queries
from bot.queries.competence import MatrixSummary
from storage.models import Competence, Completion, Requirement, Role

GAPS_SHOWN = 8  # competences with the most gaps, in the leads' summary
PEOPLE_NAMED = 5  # people named per gap


@dataclass(frozen=True)
class PersonLine:
    """One competence of one person: needed (by a role or directly) or only held."""

    competence_id: int
    name: str
    standing: Standing
    expiry_date: date | None
    completed_date: date | None
    required: bool


@dataclass(frozen=True)
class Gap:
    """A competence some people need and lack (missing or expired)."""

    name: str
    people: tuple[str, ...]


@dataclass(frozen=True)
class Overview:
    """The matrix for the quality leads, summarised."""

    summary: MatrixSummary
    gaps: list[Gap]
    expiring: list[tuple[str, str, date]]  # (person, competence, expiry), soonest first
    competences: int
    roles: int


def catalogue(*, session: Session, workspace_id: int) -> list[Competence]:
    """The workspace's competences, by name."""
    return list(
        session.scalars(
            select(Competence)
            .where(Competence.workspace_id == workspace_id)
            .order_by(func.lower(Competence.name), Competence.id)
        )
    )


def mine(*, session: Session, workspace_id: int, user_id: str, today: date) -> list[PersonLine]:
    """Every competence a person needs or holds, gaps first, then by expiry."""
    names = matrix_queries.names(session=session, workspace_id=workspace_id)
    needed = matrix_queries.requirements(
        session=session, workspace_id=workspace_id, user_id=user_id
    ).get(user_id, set())
    held = {
        completion.competence_id: completion
        for completion in session.scalars(
            select(Completion)
            .where(Completion.workspace_id == workspace_id, Completion.user_id == user_id)
            .order_by(Completion.completed_date, Completion.id)
        )
    }
    lines = []
    for competence_id in needed | set(held):
        completion = held.get(competence_id)
        expiry_date = completion.expiry_date if completion else None
        lines.append(
            PersonLine(
                competence_id=competence_id,
                name=names.get(competence_id, "?"),
                standing=standing(expiry_date, completed=completion is not None, today=today),
                expiry_date=expiry_date,
                completed_date=completion.completed_date if completion else None,
                required=competence_id in needed,
            )
        )
    order = {Standing.MISSING: 0, Standing.EXPIRED: 1, Standing.EXPIRING: 2, Standing.VALID: 3}
    return sorted(
        lines,
        key=lambda line: (
            order[line.standing],
            line.expiry_date or date.max,
            line.name.lower(),
        ),
    )


def overview(*, session: Session, workspace_id: int, today: date) -> Overview:
    needed = matrix_queries.requirements(session=session, workspace_id=workspace_id)
    cells = matrix_queries.matrix(session=session, workspace_id=workspace_id, today=today)
    names = matrix_queries.names(session=session, workspace_id=workspace_id)
    lacking: dict[int, list[str]] = defaultdict(list)
    expiring = []
    for cell in cells:
        required = cell.competence_id in needed.get(cell.user_id, set())
        if cell.standing.is_gap and required:
            lacking[cell.competence_id].append(cell.user_id)
        elif cell.standing is Standing.EXPIRING and cell.expiry_date is not None:
            expiring.append((cell.user_id, names[cell.competence_id], cell.expiry_date))
    worst = sorted(lacking.items(), key=lambda item: (-len(item[1]), names[item[0]].lower()))
    roles = session.scalar(select(func.count(Role.id)).where(Role.workspace_id == workspace_id))
    return Overview(
        summary=matrix_queries.summary(cells, needed),
        gaps=[Gap(names[cid], tuple(sorted(people))) for cid, people in worst],
        expiring=sorted(expiring, key=lambda row: (row[2], row[1].lower(), row[0])),
        competences=len(names),
        roles=int(roles or 0),
    )


def valid_holders(
    *, session: Session, workspace_id: int, competence_id: int, today: date
) -> set[str]:
    """People whose latest completion of the competence still counts on `today`."""
    latest: dict[str, Completion] = {}
    for completion in session.scalars(
        select(Completion)
        .where(
            Completion.workspace_id == workspace_id,
            Completion.competence_id == competence_id,
            Completion.completed_date <= today,
        )
        .order_by(Completion.completed_date, Completion.id)
    ):
        latest[completion.user_id] = completion
    return {
        user_id
        for user_id, completion in latest.items()
        if not standing(completion.expiry_date, completed=True, today=today).is_gap
    }


def role_exists(*, session: Session, workspace_id: int, name: str) -> bool:
    found = session.scalar(
        select(Role.id).where(
            Role.workspace_id == workspace_id, func.lower(Role.name) == name.strip().lower()
        )
    )
    return found is not None


def competence_exists(*, session: Session, workspace_id: int, name: str) -> bool:
    found = session.scalar(
        select(Competence.id).where(
            Competence.workspace_id == workspace_id,
            func.lower(Competence.name) == name.strip().lower(),
        )
    )
    return found is not None


def is_required(
    *,
    session: Session,
    workspace_id: int,
    competence_id: int,
    role_id: int | None,
    user_id: str | None,
) -> bool:
    """Whether this requirement exists already (NULLs never clash in the unique constraint)."""
    found = session.scalar(
        select(Requirement.id).where(
            Requirement.workspace_id == workspace_id,
            Requirement.competence_id == competence_id,
            Requirement.role_id.is_(None) if role_id is None else Requirement.role_id == role_id,
            Requirement.user_id.is_(None) if user_id is None else Requirement.user_id == user_id,
        )
    )
    return found is not None


def completion_ids(
    *, session: Session, workspace_id: int, user_id: str, competence_id: int
) -> list[int]:
    """A person's completions of one competence so far."""
    return list(
        session.scalars(
            select(Completion.id).where(
                Completion.workspace_id == workspace_id,
                Completion.user_id == user_id,
                Completion.competence_id == competence_id,
            )
        )
    )
