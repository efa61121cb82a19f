"""What a sent or refused outbox row changes: a posted card or action message is remembered
(to be edited in place later) and a card's reporter told; a card or a named channel post
Slack will not take is reported to people."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.domain.outbox import OutboxKind
from bot.services import notify, outbox
from bot.services.records import set_card
from storage.models import Action, OutboxMessage, Record, Workspace


def after_sent(
    session: Session,
    message: OutboxMessage,
    record: Record | None,
    result: dict[str, Any],
    now: datetime,
) -> None:
    """What a delivered message changes: a posted card or action message is remembered
    (to be edited in place later), a card's reporter told."""
    if message.kind in (OutboxKind.POST_ACTION, OutboxKind.DM_ACTION) and result:
        action = session.get_one(Action, message.action_id)
        if message.kind == OutboxKind.POST_ACTION:
            action.thread_channel, action.thread_ts = result["channel"], result["ts"]
        else:
            action.dm_channel, action.dm_ts = result["channel"], result["ts"]
        return
    if message.kind == OutboxKind.POST_RECORD_CARD and result and record is not None:
        card_of = session.merge(record, load=False)
        set_card(record=card_of, channel=result["channel"], ts=result["ts"])
        if card_of.reporter_id:
            outbox.enqueue(
                session=session,
                workspace_id=message.workspace_id,
                kind=OutboxKind.CONFIRM_TO_REPORTER,
                record_id=card_of.id,
                now=now,
            )


def after_refused(session: Session, message: OutboxMessage, error: str, now: datetime) -> None:
    """A card Slack will not take is reported to the quality leads and the reporter; a
    channel post that names what it is (`about`), to the quality leads."""
    if message.kind == OutboxKind.CHANNEL_POST and message.payload.get("about"):
        notify.dm(
            session=session,
            workspace_id=message.workspace_id,
            users=[],
            to_leads=True,
            now=now,
            text=(
                f"Keel could not post {message.payload['about']} to "
                f"<#{message.payload['channel']}> (Slack said `{error}`). Invite Keel "
                "there with `/invite @Keel`, or choose another channel."
            ),
        )
        return
    if message.kind == OutboxKind.POST_RECORD_CARD and message.record_id:
        workspace = session.get_one(Workspace, message.workspace_id)
        outbox.enqueue(
            session=session,
            workspace_id=message.workspace_id,
            kind=OutboxKind.CARD_UNDELIVERABLE,
            record_id=message.record_id,
            payload={
                "error": error,
                "channel": message.payload.get("channel") or workspace.quality_channel,
            },
            now=now,
        )
