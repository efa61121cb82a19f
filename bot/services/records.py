"""Records: raising one, finding one, listing the open ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.domain.errors import NotFound
from bot.domain.records import (
    OPEN_STATUSES,
    RecordKind,
    RecordStatus,
    format_reference,
    prefix_for,
)
from bot.forms.record import RecordForm
from bot.services import notify, outbox
from bot.services.history import Source, record_change
from bot.views.record_card import CardExtras
from storage import upsert
from storage.models import (
    Action,
    OutboxMessage,
    Process,
    Record,
    ReferenceCounter,
    ReferenceSequence,
    Workspace,
)


@dataclass(frozen=True)
class Raised:
    record: Record
    created: bool  # False when the same modal was submitted again and its record found


def next_number(*, session: Session, workspace_id: int) -> int:
    """Issue the workspace's next record number, gapless: the counter row is created or bumped
    in the caller's transaction (one statement, which locks the row until commit), so a
    rolled-back record gives its number back."""
    bumped = session.execute(
        upsert.insert(session, ReferenceCounter)
        .values(workspace_id=workspace_id, last_number=1)
        .on_conflict_do_update(
            index_elements=["workspace_id"],
            set_={"last_number": ReferenceCounter.last_number + 1},
        )
        .returning(ReferenceCounter.last_number)
    )
    return int(bumped.scalar_one())


def next_reference(*, session: Session, workspace: Workspace, kind: RecordKind) -> str:
    """Issue the next reference under the kind's prefix (NM-0003), gapless per prefix: as
    `next_number`, one statement that holds the sequence row's lock until commit."""
    prefix = prefix_for(kind, workspace.reference_prefixes)
    bumped = session.execute(
        upsert.insert(session, ReferenceSequence)
        .values(workspace_id=workspace.id, prefix=prefix, last_number=1)
        .on_conflict_do_update(
            index_elements=["workspace_id", "prefix"],
            set_={"last_number": ReferenceSequence.last_number + 1},
        )
        .returning(ReferenceSequence.last_number)
    )
    return format_reference(int(bumped.scalar_one()), prefix)


def find_by_view(*, session: Session, workspace_id: int, view_id: str) -> Record | None:
    return session.scalar(
        select(Record).where(Record.workspace_id == workspace_id, Record.source_view_id == view_id)
    )


def raise_record(
    *,
    session: Session,
    workspace: Workspace,
    form: RecordForm,
    reporter_id: str,
    view_id: str | None,
    now: datetime,
    look_for_earlier: bool = True,
) -> Raised:
    """Store a new record, write its history and queue its card and confirmation.

    The record made from the same modal (`view_id`) earlier is returned instead, unless
    `look_for_earlier` is False: then a repeat fails on the unique view id (IntegrityError),
    for callers that try the common case first and look only when that fails.

    An anonymous report stores no trace of the reporter: not on the record, not in history,
    not in the outbox.
    """
    if view_id is not None and look_for_earlier:
        earlier = find_by_view(session=session, workspace_id=workspace.id, view_id=view_id)
        if earlier is not None:
            return Raised(record=earlier, created=False)
    known_reporter = None if form.anonymous else reporter_id
    process = _process(session, workspace.id, form.process_id)
    record = Record(
        workspace_id=workspace.id,
        number=next_number(session=session, workspace_id=workspace.id),
        reference=next_reference(session=session, workspace=workspace, kind=form.kind),
        kind=form.kind.value,
        title=form.title,
        description=form.description,
        location=form.location,
        occurred_date=form.occurred_date,
        severity=form.severity.value,
        containment=form.containment,
        reporter_id=known_reporter,
        anonymous=form.anonymous,
        owner_id=process.owner_id if process else None,
        process_id=process.id if process else None,
        status=RecordStatus.NEW.value,
        source_permalink=form.permalink,
        source_view_id=view_id,
        created_at=now,
        updated_at=now,
    )
    session.add(record)
    session.flush()
    record_change(
        session=session,
        workspace_id=workspace.id,
        entity="record",
        entity_id=record.id,
        record_id=record.id,
        event="raised",
        actor_id=known_reporter,
        source=Source.FORM,
        at=now,
        after=snapshot(record),
    )
    if workspace.quality_channel:
        outbox.enqueue(
            session=session,
            workspace_id=workspace.id,
            kind=outbox.OutboxKind.POST_RECORD_CARD,
            record_id=record.id,
            now=now,
        )
    elif known_reporter is not None:
        outbox.enqueue(
            session=session,
            workspace_id=workspace.id,
            kind=outbox.OutboxKind.CONFIRM_TO_REPORTER,
            record_id=record.id,
            now=now,
        )
    if not workspace.quality_channel:
        _ask_leads_for_channel(session=session, workspace_id=workspace.id, now=now)
    if process is not None:
        _route_to_process_owner(session, record, process, now)
    return Raised(record=record, created=True)


def _process(session: Session, workspace_id: int, process_id: int | None) -> Process | None:
    if process_id is None:
        return None
    return session.scalar(
        select(Process).where(Process.workspace_id == workspace_id, Process.id == process_id)
    )


def _route_to_process_owner(
    session: Session, record: Record, process: Process, now: datetime
) -> None:
    """A record about a process goes to its owner; an unowned process to the quality leads."""
    reference = format_reference(record.number)
    if process.owner_id:
        text = (
            f"{reference} was raised about {process.name}, which you own, so it is yours: "
            f"triage it from its card or with `/nc {reference}`."
        )
        notify.dm(
            session=session,
            workspace_id=record.workspace_id,
            users=[process.owner_id],
            text=text,
            now=now,
            record_id=record.id,
        )
    else:
        text = (
            f"{reference} was raised about {process.name}, which has no owner: please assign "
            "it from its card, and give the process an owner with `/nc processes`."
        )
        notify.dm(
            session=session,
            workspace_id=record.workspace_id,
            users=[],
            to_leads=True,
            text=text,
            now=now,
            record_id=record.id,
        )


# Quality leads are reminded at most this often that records have no channel to go to.
CHANNEL_REMINDER_INTERVAL = timedelta(days=7)


def _ask_leads_for_channel(*, session: Session, workspace_id: int, now: datetime) -> None:
    recent = session.scalar(
        select(OutboxMessage.id).where(
            OutboxMessage.workspace_id == workspace_id,
            OutboxMessage.kind == outbox.OutboxKind.ASK_FOR_CHANNEL.value,
            OutboxMessage.created_at > now - CHANNEL_REMINDER_INTERVAL,
        )
    )
    if recent is None:
        outbox.enqueue(
            session=session,
            workspace_id=workspace_id,
            kind=outbox.OutboxKind.ASK_FOR_CHANNEL,
            now=now,
        )


def snapshot(record: Record) -> dict[str, object]:
    """The fields of a record worth keeping in its history."""
    return {
        "reference": record.reference,
        "kind": record.kind,
        "title": record.title,
        "description": record.description,
        "location": record.location,
        "occurred_date": record.occurred_date.isoformat(),
        "severity": record.severity,
        "containment": record.containment,
        "anonymous": record.anonymous,
        "status": record.status,
        "source_permalink": record.source_permalink,
        "process_id": record.process_id,
        "owner": record.owner_id,
    }


def get_by_number(*, session: Session, workspace_id: int, number: int) -> Record:
    record = session.scalar(
        select(Record).where(Record.workspace_id == workspace_id, Record.number == number)
    )
    if record is None:
        raise NotFound(f"There is no record {format_reference(number)} in this workspace.")
    return record


def get_by_reference(*, session: Session, workspace_id: int, reference: str) -> Record:
    """The record people know as `reference` (NM-0003, or NC-0007 from before prefixes)."""
    record = session.scalar(
        select(Record).where(Record.workspace_id == workspace_id, Record.reference == reference)
    )
    if record is None:
        raise NotFound(f"There is no record {reference} in this workspace.")
    return record


@dataclass(frozen=True)
class RecordPage:
    records: list[Record]
    page: int
    total: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def list_open(
    *, session: Session, workspace_id: int, user_id: str | None, page: int, page_size: int = 10
) -> RecordPage:
    """Open records, newest first; only those the user reported or owns when `user_id` is set."""
    conditions = [
        Record.workspace_id == workspace_id,
        Record.status.in_([status.value for status in OPEN_STATUSES]),
    ]
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


def card_extras(*, session: Session, record: Record) -> CardExtras:
    """What the card shows besides the record: its process, actions and a possible repeat."""
    process_name = None
    if record.process_id is not None:
        process_name = session.scalar(select(Process.name).where(Process.id == record.process_id))
    repeat_of = None
    if record.repeat_of_id is not None:
        number = session.scalar(select(Record.number).where(Record.id == record.repeat_of_id))
        repeat_of = format_reference(number) if number is not None else None
    actions = session.scalars(
        select(Action)
        .where(Action.workspace_id == record.workspace_id, Action.record_id == record.id)
        .order_by(Action.number)
    )
    return CardExtras(process_name=process_name, actions=list(actions), repeat_of=repeat_of)


def set_card(*, record: Record, channel: str, ts: str) -> None:
    """Remember where the record's card is: its thread is the record's conversation."""
    record.card_channel = channel
    record.card_ts = ts
