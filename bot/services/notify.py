"""Queueing direct messages and thread replies: rendered now, sent by the relay."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import Block
from sqlalchemy.orm import Session

from bot.services import outbox
from bot.services.outbox import OutboxKind


def dm(
    *,
    session: Session,
    workspace_id: int,
    users: list[str],
    text: str,
    now: datetime,
    blocks: list[Block] | None = None,
    to_leads: bool = False,
    record_id: int | None = None,
) -> None:
    """A DM to each of `users` (and the quality leads if `to_leads`), once committed."""
    payload: dict[str, Any] = {"users": list(dict.fromkeys(users)), "text": text}
    if blocks:
        payload["blocks"] = [block.to_dict() for block in blocks]
    if to_leads:
        payload["to_leads"] = True
    if not payload["users"] and not to_leads:
        return
    outbox.enqueue(
        session=session,
        workspace_id=workspace_id,
        kind=OutboxKind.DIRECT_MESSAGE,
        record_id=record_id,
        payload=payload,
        now=now,
    )


def thread_reply(
    *, session: Session, workspace_id: int, channel: str, thread_ts: str, text: str, now: datetime
) -> None:
    outbox.enqueue(
        session=session,
        workspace_id=workspace_id,
        kind=OutboxKind.THREAD_REPLY,
        payload={"channel": channel, "thread_ts": thread_ts, "text": text},
        now=now,
    )


def react(
    *, session: Session, workspace_id: int, channel: str, ts: str, name: str, now: datetime
) -> None:
    outbox.enqueue(
        session=session,
        workspace_id=workspace_id,
        kind=OutboxKind.REACTION,
        payload={"channel": channel, "ts": ts, "name": name},
        now=now,
    )
