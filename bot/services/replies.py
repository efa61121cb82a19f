"""Thread replies that act: "done", "blocked: ...", "due 12 Dec because ..." on an action.

A reply in an action's DM thread is about that action. A reply in a record's thread is about
the action it names ("A2 done"), or else the one open action the person owns there; any
other reply is conversation, kept in the record's history. Keel confirms what it understood
with a reaction, and with a short thread reply when it changed something or refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.actions import ActionStatus
from bot.domain.dates import readable_date
from bot.domain.errors import KeelError
from bot.domain.intents import Blocked, Done, MoveDue, Note, Unclear, parse_reply
from bot.domain.terms import terms_for
from bot.domain.text import escape, plural
from bot.queries import actions as action_queries
from bot.services import actions, due_dates, notify
from bot.services.history import Source
from bot.services.permissions import Actor, require_action_party
from bot.services.threads import ReplyChange, ThreadReply, capture, record_for_thread
from storage.models import Action, Record, Workspace


@dataclass(frozen=True)
class Target:
    action: Action | None
    record: Record


def find_target(*, session: Session, workspace_id: int, reply: ThreadReply) -> Target | None:
    """The action or record a reply is about; None for threads that are not Keel's."""
    action = session.scalar(
        select(Action).where(
            Action.workspace_id == workspace_id,
            Action.dm_channel == reply.channel,
            Action.dm_ts == reply.thread_ts,
        )
    )
    if action is not None:
        return Target(action, session.get_one(Record, action.record_id))
    record = record_for_thread(
        session=session, workspace_id=workspace_id, channel=reply.channel, thread_ts=reply.thread_ts
    )
    return Target(None, record) if record is not None else None


def _open_actions_of(session: Session, record: Record, user_id: str | None) -> list[Action]:
    return list(
        session.scalars(
            select(Action)
            .where(
                Action.workspace_id == record.workspace_id,
                Action.record_id == record.id,
                Action.owner_id == user_id,
                Action.status == ActionStatus.OPEN.value,
            )
            .order_by(Action.number)
        )
    )


def _action_named(
    session: Session, record: Record, number: int | None, user_id: str | None
) -> Action | None:
    """A2 when named; else the replier's only open action on the record."""
    query = select(Action).where(
        Action.workspace_id == record.workspace_id, Action.record_id == record.id
    )
    if number is not None:
        return session.scalar(query.where(Action.number == number))
    mine = list(
        session.scalars(
            query.where(Action.owner_id == user_id, Action.status == ActionStatus.OPEN.value)
        )
    )
    return mine[0] if len(mine) == 1 else None


def handle_reply(
    *,
    session: Session,
    workspace: Workspace,
    reply: ThreadReply,
    is_lead: Callable[[str], bool],
    today: date,
    now: datetime,
) -> bool:
    """Act on one thread reply; returns whether it was in one of Keel's threads."""
    target = find_target(session=session, workspace_id=workspace.id, reply=reply)
    if target is None:
        return False
    if reply.change is not ReplyChange.POSTED or reply.user_id is None:
        _keep_edit(session, target, reply, now)
        return True
    parsed = parse_reply(reply.text, today=today)
    action = target.action
    if action is None:
        action = _action_named(session, target.record, parsed.action_ref, reply.user_id)
    if action is None or (parsed.action_ref is not None and action.number != parsed.action_ref):
        capture(
            session=session, workspace_id=workspace.id, reply=reply, now=now, record=target.record
        )
        mine = _open_actions_of(session, target.record, reply.user_id)
        if parsed.action_ref is None and len(mine) > 1 and not isinstance(parsed.intent, Note):
            numbers = " or ".join(f"`A{a.number} …`" for a in mine[:5])
            _say(
                session,
                workspace,
                reply,
                f"You own several open actions here: start your reply with {numbers} "
                "so that I know which one you mean.",
                now,
            )
        elif parsed.action_ref is not None:
            _say(
                session,
                workspace,
                reply,
                f"There is no action A{parsed.action_ref} on this record.",
                now,
            )
        return True
    actor = Actor(
        user_id=reply.user_id,
        is_lead=is_lead(reply.user_id),
        terms=terms_for(workspace.system_name),
    )
    _apply(session, workspace, target.record, action, reply, parsed.intent, actor, today, now)
    return True


def _apply(
    session: Session,
    workspace: Workspace,
    record: Record,
    action: Action,
    reply: ThreadReply,
    intent: Done | Blocked | MoveDue | Note | Unclear,
    actor: Actor,
    today: date,
    now: datetime,
) -> None:
    ref = action_queries.reference(action, record)
    try:
        match intent:
            case Done(evidence=evidence):
                actions.complete(
                    session=session,
                    action=action,
                    record=record,
                    evidence=evidence,
                    actor=actor,
                    source=Source.THREAD,
                    now=now,
                )
                _confirm(session, workspace, reply, "white_check_mark", f"Marked {ref} done.", now)
            case Blocked(reason=reason):
                actions.set_blocked(
                    session=session,
                    action=action,
                    record=record,
                    reason=reason,
                    actor=actor,
                    source=Source.THREAD,
                    now=now,
                )
                _confirm(session, workspace, reply, "construction", f"Marked {ref} blocked.", now)
            case MoveDue(new_date=new_date, reason=""):
                require_action_party(actor, action, record, "change its due date")
                capture(
                    session=session, workspace_id=workspace.id, reply=reply, now=now, record=record
                )
                _say(
                    session, workspace, reply, _why_move(ref, action.due_date, new_date, today), now
                )
            case MoveDue(new_date=new_date, reason=reason):
                outcome = due_dates.extend(
                    session=session,
                    action=action,
                    record=record,
                    workspace=workspace,
                    new_date=new_date,
                    reason=reason,
                    actor=actor,
                    source=Source.THREAD,
                    today=today,
                    now=now,
                )
                said = (
                    f"{ref} is now due {readable_date(new_date, today)}."
                    if outcome.applied
                    else f"{ref} has been extended {action.extension_count} times: "
                    f"{actor.terms.a_lead} has been asked to approve "
                    f"{readable_date(new_date, today)}."
                )
                _confirm(session, workspace, reply, "calendar", said, now)
            case Unclear(message=message):
                capture(
                    session=session, workspace_id=workspace.id, reply=reply, now=now, record=record
                )
                _say(session, workspace, reply, escape(message), now)
            case Note(text=text):
                actions.note(
                    session=session,
                    action=action,
                    text=text,
                    actor=actor,
                    source=Source.THREAD,
                    now=now,
                )
                notify.react(
                    session=session,
                    workspace_id=workspace.id,
                    channel=reply.channel,
                    ts=reply.ts,
                    name="memo",
                    now=now,
                )
    except KeelError as refused:
        _say(session, workspace, reply, f"I did not change {ref}: {refused}", now)


def _why_move(ref: str, old: date, new: date, today: date) -> str:
    """Asks for the reason of a move, naming both dates and which way it goes."""
    days = abs((new - old).days)
    gap = f"{plural(days, 'day')} {'later' if new > old else 'earlier'}"
    typed = readable_date(new, today).split(" ", 1)[1]  # "4 Dec": what people type
    return (
        f"{ref} is due {readable_date(old, today)}; you asked to move it to "
        f"{readable_date(new, today)}, {gap}. Why? Reply `due {typed} because …`: "
        "the reason is kept as evidence."
    )


def _keep_edit(session: Session, target: Target, reply: ThreadReply, now: datetime) -> None:
    """Edited and deleted replies are evidence too: kept, never acted on again."""
    if target.action is None:
        capture(
            session=session,
            workspace_id=target.record.workspace_id,
            reply=reply,
            now=now,
            record=target.record,
        )
        return
    actions.note(
        session=session,
        action=target.action,
        text=f"{reply.change.value.replace('_', ' ')}: {reply.previous_text or ''} -> {reply.text}",
        actor=Actor(user_id=reply.user_id or ""),
        source=Source.THREAD,
        now=now,
    )


def _confirm(
    session: Session,
    workspace: Workspace,
    reply: ThreadReply,
    reaction: str,
    text: str,
    now: datetime,
) -> None:
    notify.react(
        session=session,
        workspace_id=workspace.id,
        channel=reply.channel,
        ts=reply.ts,
        name=reaction,
        now=now,
    )
    _say(session, workspace, reply, text, now)


def _say(
    session: Session, workspace: Workspace, reply: ThreadReply, text: str, now: datetime
) -> None:
    notify.thread_reply(
        session=session,
        workspace_id=workspace.id,
        channel=reply.channel,
        thread_ts=reply.thread_ts,
        text=text,
        now=now,
    )
