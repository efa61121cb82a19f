"""The training matrix: who needs what, who holds what, and what is about to lapse."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.competence import MatrixCell, Standing, standing
from storage.models import Competence, Completion, Requirement, RoleMember


def requirements(
    *, session: Session, workspace_id: int, user_id: str | None = None
) -> dict[str, set[int]]:
    """Person -> the competences they need, through their roles or directly (one person's
    alone with `user_id`)."""
    needed: dict[str, set[int]] = defaultdict(set)
    direct = select(Requirement.user_id, Requirement.competence_id).where(
        Requirement.workspace_id == workspace_id, Requirement.user_id.is_not(None)
    )
    by_role = (
        select(RoleMember.user_id, Requirement.competence_id)
        .join(Requirement, Requirement.role_id == RoleMember.role_id)
        .where(Requirement.workspace_id == workspace_id)
    )
    if user_id is not None:
        direct = direct.where(Requirement.user_id == user_id)
        by_role = by_role.where(RoleMember.user_id == user_id)
    for person, competence_id in [*session.execute(direct), *session.execute(by_role)]:
        needed[str(person)].add(int(competence_id))
    return needed


def latest_completions(*, session: Session, workspace_id: int) -> dict[tuple[str, int], Completion]:
    """(person, competence) -> their most recent completion."""
    latest: dict[tuple[str, int], Completion] = {}
    for completion in session.scalars(
        select(Completion)
        .where(Completion.workspace_id == workspace_id)
        .order_by(Completion.completed_date, Completion.id)
    ):
        latest[(completion.user_id, completion.competence_id)] = completion
    return latest


def matrix(*, session: Session, workspace_id: int, today: date) -> list[MatrixCell]:
    """People by competences: every requirement, and every completion held without one."""
    needed = requirements(session=session, workspace_id=workspace_id)
    latest = latest_completions(session=session, workspace_id=workspace_id)
    pairs = {(user, cid) for user, cids in needed.items() for cid in cids} | set(latest)
    cells = []
    for user_id, competence_id in sorted(pairs):
        held = latest.get((user_id, competence_id))
        expiry_date = held.expiry_date if held else None
        cells.append(
            MatrixCell(
                user_id,
                competence_id,
                standing(expiry_date, completed=held is not None, today=today),
                expiry_date,
                held.completed_date if held else None,
            )
        )
    return cells


@dataclass(frozen=True)
class MatrixSummary:
    people: int
    valid: int
    expiring: int
    gaps: int  # missing or expired where required


def summary(cells: list[MatrixCell], needed: dict[str, set[int]]) -> MatrixSummary:
    count: dict[Standing, int] = defaultdict(int)
    for cell in cells:
        if cell.standing.is_gap and cell.competence_id not in needed.get(cell.user_id, set()):
            continue  # a lapsed completion nobody requires is no gap
        count[cell.standing] += 1
    return MatrixSummary(
        people=len({cell.user_id for cell in cells}),
        valid=count[Standing.VALID],
        expiring=count[Standing.EXPIRING],
        gaps=count[Standing.MISSING] + count[Standing.EXPIRED],
    )


def names(*, session: Session, workspace_id: int) -> dict[int, str]:
    rows = session.execute(
        select(Competence.id, Competence.name).where(Competence.workspace_id == workspace_id)
    )
    return {int(cid): name for cid, name in rows}


def with_expiry(*, session: Session, workspace_id: int, until: date) -> list[Completion]:
    """Completions expiring on or before `until`, for the refresher reminders."""
    return list(
        session.scalars(
            select(Completion).where(
                Completion.workspace_id == workspace_id,
                Completion.expiry_date.is_not(None),
                Completion.expiry_date <= until,
            )
        )
    )
