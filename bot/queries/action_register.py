"""`/nc actions`: the open actions register, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from bot.domain.actions import ActionStatus
from storage.models import Action, Record


@dataclass(frozen=True)
class ActionRow:
    action: Action
    record_reference: str
    record_title: str


@dataclass(frozen=True)
class ActionPage:
    rows: list[ActionRow]
    page: int
    total: int
    overdue: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def open_actions(
    *,
    session: Session,
    workspace_id: int,
    owner_id: str | None,
    today: date,
    page: int,
    page_size: int = 10,
) -> ActionPage:
    """Open actions (only `owner_id`'s when given), earliest due first, so the overdue ones
    lead; then by record and action number, so that a page is the same each time."""
    conditions = [Action.workspace_id == workspace_id, Action.status == ActionStatus.OPEN.value]
    if owner_id is not None:
        conditions.append(Action.owner_id == owner_id)
    total, overdue = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(case((Action.due_date < today, 1), else_=0)), 0),
        )
        .select_from(Action)
        .where(*conditions)
    ).one()
    pages = max(1, -(-int(total) // page_size))
    page = min(max(page, 1), pages)
    found = session.execute(
        select(Action, Record.reference, Record.title)
        .join(Record, Record.id == Action.record_id)
        .where(*conditions, Record.workspace_id == workspace_id)
        .order_by(Action.due_date, Record.number, Action.number)
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    rows = [ActionRow(action, reference, title) for action, reference, title in found]
    return ActionPage(
        rows=rows, page=page, total=int(total), overdue=int(overdue), page_size=page_size
    )
