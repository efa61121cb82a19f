"""Records as the rest of Keel reads them: one by number, the open ones a page at a time,
and what a card shows beside the record's own columns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.domain.errors import NotFound
from bot.domain.records import OPEN_STATUSES, REVIEW_RECORD_KIND, RecordKind, RecordStatus
from storage.models import Action, Process, Record

# The records people raise, as registers and counts show them: a management review's record
# only carries its decided actions, which `/nc review` shows.
REGISTERED = Record.kind != REVIEW_RECORD_KIND


@dataclass(frozen=True)
class CardExtras:
    """What a card shows beyond the record's own columns, loaded by the caller."""

    process_name: str | None = None
    actions: Sequence[Action] = ()
    repeat_of: str | None = None  # the reference of a closed record this may repeat


@dataclass(frozen=True)
class RecordPage:
    records: list[Record]
    page: int
    total: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def find_by_view(*, session: Session, workspace_id: int, view_id: str) -> Record | None:
    return session.scalar(
        select(Record).where(Record.workspace_id == workspace_id, Record.source_view_id == view_id)
    )


def get(*, session: Session, workspace_id: int, record_id: int, for_update: bool = False) -> Record:
    """The record; `for_update` locks its row until commit (two submissions at once)."""
    query = select(Record).where(Record.workspace_id == workspace_id, Record.id == record_id)
    record = session.scalar(query.with_for_update() if for_update else query)
    if record is None:
        raise NotFound("That record no longer exists in this workspace.")
    return record


def get_by_number(*, session: Session, workspace_id: int, number: int) -> Record:
    record = session.scalar(
        select(Record).where(Record.workspace_id == workspace_id, Record.number == number)
    )
    if record is None:
        raise NotFound("That record is not in Keel any more. `/nc list` shows the open ones.")
    return record


def get_by_reference(*, session: Session, workspace_id: int, reference: str) -> Record:
    """The record people know as `reference` (NM-0003, or NC-0007 from before prefixes)."""
    record = session.scalar(
        select(Record).where(Record.workspace_id == workspace_id, Record.reference == reference)
    )
    if record is None:
        raise NotFound(f"There is no record {reference} in this workspace.")
    return record


def list_open(
    *, session: Session, workspace_id: int, user_id: str | None, page: int, page_size: int = 10
) -> RecordPage:
    """Open records, newest first; only those the user reported or owns when `user_id` is set."""
    return list_records(
        session=session,
        workspace_id=workspace_id,
        statuses=OPEN_STATUSES,
        user_id=user_id,
        page=page,
        page_size=page_size,
    )


def list_records(
    *,
    session: Session,
    workspace_id: int,
    statuses: Sequence[RecordStatus],
    kind: RecordKind | None = None,
    process_id: int | None = None,
    user_id: str | None = None,
    page: int,
    page_size: int = 10,
) -> RecordPage:
    """The records register: records in `statuses` (of `kind`, about `process_id`, reported
    or owned by `user_id` when given), newest first, one page of them and how many in all."""
    conditions = [
        Record.workspace_id == workspace_id,
        Record.status.in_([status.value for status in statuses]),
        REGISTERED,
    ]
    if kind is not None:
        conditions.append(Record.kind == kind.value)
    if process_id is not None:
        conditions.append(Record.process_id == process_id)
    if user_id is not None:
        conditions.append(or_(Record.reporter_id == user_id, Record.owner_id == user_id))
    total = int(session.scalar(select(func.count()).select_from(Record).where(*conditions)) or 0)
    pages = max(1, -(-total // page_size))
    page = min(max(page, 1), pages)
    records = session.scalars(
        select(Record)
        .where(*conditions)
        .order_by(Record.number.desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    return RecordPage(records=list(records), page=page, total=total, page_size=page_size)


def actions_of(session: Session, record: Record) -> list[Action]:
    """The record's actions, in the order they were planned."""
    return list(
        session.scalars(
            select(Action)
            .where(Action.workspace_id == record.workspace_id, Action.record_id == record.id)
            .order_by(Action.number)
        )
    )


def card_extras(*, session: Session, record: Record) -> CardExtras:
    """What the card shows besides the record: its process, actions and a possible repeat."""
    process_name = None
    if record.process_id is not None:
        process_name = session.scalar(select(Process.name).where(Process.id == record.process_id))
    repeat_of = None
    if record.repeat_of_id is not None:
        repeat_of = session.scalar(select(Record.reference).where(Record.id == record.repeat_of_id))
    return CardExtras(
        process_name=process_name, actions=actions_of(session, record), repeat_of=repeat_of
    )
