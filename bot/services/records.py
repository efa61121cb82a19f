"""Records: raising one, and remembering where its card is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.records import RecordKind, RecordStatus, format_reference, prefix_for
from bot.forms.record import RecordForm
from bot.queries.records import find_by_view
from bot.services import notify, outbox
from bot.services.history import Source, record_change
from storage import upsert
from storage.models import (
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
    return next_references(session=session, workspace=workspace, kind=kind, count=1)[0]


def next_references(
    *, session: Session, workspace: Workspace, kind: RecordKind, count: int
) -> list[str]:
    """Issue `count` references under the kind's prefix at once (an import), gapless."""
    prefix = prefix_for(kind, workspace.reference_prefixes)
    bumped = session.execute(
        upsert.insert(session, ReferenceSequence)
        .values(workspace_id=workspace.id, prefix=prefix, last_number=count)
        .on_conflict_do_update(
            index_elements=["workspace_id", "prefix"],
            set_={"last_number": ReferenceSequence.last_number + count},
        )
        .returning(ReferenceSequence.last_number)
    )
    last = int(bumped.scalar_one())
    return [format_reference(number, prefix) for number in range(last - count + 1, last + 1)]


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
    reference = record.reference
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


def set_card(*, record: Record, channel: str, ts: str) -> None:
    """Remember where the record's card is: its thread is the record's conversation."""
    record.card_channel = channel
    record.card_ts = ts
