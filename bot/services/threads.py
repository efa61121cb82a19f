"""Replies in a record's thread: its conversation, kept in its history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.services.history import Source, record_change
from storage.models import Record


class ReplyChange(StrEnum):
    POSTED = "thread_reply"
    EDITED = "thread_reply_edited"
    DELETED = "thread_reply_deleted"


@dataclass(frozen=True)
class ThreadReply:
    change: ReplyChange
    channel: str
    thread_ts: str
    ts: str
    user_id: str | None
    text: str
    previous_text: str | None = None


def _from_person(message: dict[str, Any], bot_user_id: str | None) -> bool:
    return (
        bool(message.get("user"))
        and not message.get("bot_id")
        and message.get("user") != bot_user_id
    )


def parse_thread_message(event: dict[str, Any], *, bot_user_id: str | None) -> ThreadReply | None:
    """A person's reply in some thread (posted, edited or deleted); None for anything else."""
    subtype = event.get("subtype")
    channel = str(event.get("channel") or "")
    if subtype in (None, "thread_broadcast", "file_share"):
        thread_ts, ts = event.get("thread_ts"), event.get("ts")
        if not (thread_ts and ts and thread_ts != ts and _from_person(event, bot_user_id)):
            return None
        return ThreadReply(
            ReplyChange.POSTED, channel, thread_ts, ts, event["user"], str(event.get("text") or "")
        )
    if subtype == "message_changed":
        new, old = event.get("message") or {}, event.get("previous_message") or {}
        thread_ts = new.get("thread_ts") or old.get("thread_ts")
        ts = new.get("ts") or old.get("ts")
        edited = new.get("text") != old.get("text")
        if not (thread_ts and ts and thread_ts != ts and edited and _from_person(new, bot_user_id)):
            return None
        return ThreadReply(
            ReplyChange.EDITED,
            channel,
            thread_ts,
            ts,
            new["user"],
            str(new.get("text") or ""),
            previous_text=str(old.get("text") or ""),
        )
    if subtype == "message_deleted":
        old = event.get("previous_message") or {}
        thread_ts, ts = old.get("thread_ts"), old.get("ts") or event.get("deleted_ts")
        if not (thread_ts and ts and thread_ts != ts and _from_person(old, bot_user_id)):
            return None
        return ThreadReply(
            ReplyChange.DELETED,
            channel,
            thread_ts,
            ts,
            old["user"],
            "",
            previous_text=str(old.get("text") or ""),
        )
    return None


def record_for_thread(
    *, session: Session, workspace_id: int, channel: str, thread_ts: str
) -> Record | None:
    return session.scalar(
        select(Record).where(
            Record.workspace_id == workspace_id,
            Record.card_channel == channel,
            Record.card_ts == thread_ts,
        )
    )


def capture(
    *,
    session: Session,
    workspace_id: int,
    reply: ThreadReply,
    now: datetime,
    record: Record | None = None,
) -> Record | None:
    """Keep a reply in its record's history (found by its thread unless given); replies in
    other threads are not Keel's."""
    record = record or record_for_thread(
        session=session, workspace_id=workspace_id, channel=reply.channel, thread_ts=reply.thread_ts
    )
    if record is None:
        return None
    record_change(
        session=session,
        workspace_id=workspace_id,
        entity="record",
        entity_id=record.id,
        record_id=record.id,
        event=reply.change.value,
        actor_id=reply.user_id,
        source=Source.THREAD,
        at=now,
        before={"text": reply.previous_text} if reply.previous_text is not None else None,
        after={"text": reply.text, "ts": reply.ts}
        if reply.change is not ReplyChange.DELETED
        else {"ts": reply.ts},
    )
    return record
