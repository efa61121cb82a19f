"""Driving Keel as people do: /nc, buttons found by their label, modals filled in and saved.

Messages are read back from the fake Slack as it holds them now, so a button clicked after
an edit is the button Slack would show after that edit.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from storage.models import Action, Record
from tests.blocks import button_labels, find_button, find_option, mrkdwn_texts
from tests.conftest import QUALITY_CHANNEL, RunningKeel
from tests.slack_requests import Answer, block_action, form_values, view_submission
from tests.wiring.test_raise_record import open_form

_views = itertools.count(1)


@dataclass(frozen=True)
class Message:
    """A message as Slack keeps it: the channel it answered with (D… for a DM) and its ts."""

    channel: str
    ts: str


# -- reading what Slack shows -------------------------------------------------------------------


def stored(keel: RunningKeel, message: Message) -> dict[str, Any]:
    return dict(keel.fake.messages[(message.channel, message.ts)])


def blocks_of(keel: RunningKeel, message: Message) -> list[dict[str, Any]]:
    return list(stored(keel, message)["blocks"] or [])


def labels(keel: RunningKeel, message: Message) -> list[str]:
    return button_labels(blocks_of(keel, message))


def text_of(keel: RunningKeel, message: Message) -> str:
    """Header, mrkdwn and fallback text of a message, bold marks removed."""
    blocks = blocks_of(keel, message)
    headers = [b["text"]["text"] for b in blocks if b.get("type") == "header"]
    words = [*headers, *mrkdwn_texts(blocks), str(stored(keel, message).get("text") or "")]
    return " ".join(words).replace("*", "")


def messages_in(keel: RunningKeel, channel: str, *, thread_ts: str | None = None) -> list[Message]:
    """Messages Keel posted in `channel`: top-level ones, or the replies in one thread."""
    found = [
        Message(key[0], key[1])
        for key, message in dict(keel.fake.messages).items()
        if key[0] == channel and message.get("thread_ts") == thread_ts
    ]
    return sorted(found, key=lambda m: float(m.ts))


def edits_of(keel: RunningKeel, message: Message) -> int:
    return sum(
        1
        for call in keel.fake.calls_to("chat.update")
        if (call.args.get("channel"), call.args.get("ts")) == (message.channel, message.ts)
    )


def dm_channel(user_id: str) -> str:
    """The DM channel the fake Slack opens for a user."""
    return "D" + user_id


def responses(keel: RunningKeel) -> int:
    """How many answers Keel has sent through response_url so far."""
    return len(keel.fake.calls_to("response_url"))


# -- acting -------------------------------------------------------------------------------------


def raise_and_get_card(
    keel: RunningKeel, *, user: str = "UALICE", process: str | None = None, **form: Any
) -> Message:
    """Raise a record with /nc and its form (about `process`, picked by name, if given);
    the card it gets in the quality channel."""
    before = len(messages_in(keel, QUALITY_CHANNEL))
    view = open_form(keel, user=user)
    values = form_values(**form)
    if process is not None:
        picked = option_named(view, "process", process)
        values["process"] = {"input": {"type": "static_select", "selected_option": picked}}
    answer = keel.slack.interaction(
        view_submission(view, values, user=user, view_id=f"VRAISE{next(_views):04d}")
    )
    assert answer.status == 200, answer.body
    cards = keel.fake.wait_for(lambda: messages_in(keel, QUALITY_CHANNEL)[before:])
    keel.fake.wait_for(lambda: _card_noted(keel, cards[0].ts))  # before anyone replies to it
    return cards[0]


def _card_noted(keel: RunningKeel, ts: str) -> bool:
    with keel.db.reading() as session:
        return session.scalar(select(Record.id).where(Record.card_ts == ts)) is not None


def click(keel: RunningKeel, message: Message, label: str, *, user: str) -> Answer:
    """Click the button labelled `label` on `message`, as `user`; or, when no button has
    that label, pick the option so labelled in the message's overflow menu."""
    blocks = blocks_of(keel, message)
    try:
        button = find_button(blocks, label)
        action_id, value, picked = button["action_id"], button["value"], None
    except LookupError:
        menu, picked = find_option(blocks, label)
        action_id, value = menu["action_id"], ""
    answer = keel.slack.interaction(
        block_action(
            action_id,
            value,
            user=user,
            channel=message.channel,
            message_ts=message.ts,
            response_url=keel.fake.response_url(),
            selected_option=picked,
        )
    )
    # Not checked here: a click Keel refuses may be answered 404 (see test_actions_flow).
    return answer


def open_modal(keel: RunningKeel, message: Message, label: str, *, user: str) -> dict[str, Any]:
    """Click a button that opens a form; the form as Keel asked Slack to show it."""
    before = len(keel.fake.calls_to("views.open"))
    answer = click(keel, message, label, user=user)
    assert answer.status == 200, answer.body
    opened = keel.fake.wait_for(lambda: keel.fake.calls_to("views.open")[before:])
    return dict(opened[0].args["view"])


def submit_modal(
    keel: RunningKeel, view: dict[str, Any], values: dict[str, Any], *, user: str
) -> Answer:
    answer = keel.slack.interaction(
        view_submission(view, values, user=user, view_id=f"VMODAL{next(_views):04d}")
    )
    assert answer.status == 200, answer.body
    return answer


def refused(keel: RunningKeel, before: int) -> dict[str, Any]:
    """The answer Keel sent through response_url after the first `before` ones."""
    answers = keel.fake.wait_for(lambda: keel.fake.calls_to("response_url")[before:])
    return dict(answers[0].args)


def option_named(view: dict[str, Any], block_id: str, label: str) -> dict[str, Any]:
    """The option labelled `label` in the select of the form's block `block_id`."""
    block = next(b for b in view["blocks"] if b.get("block_id") == block_id)
    return next(o for o in block["element"]["options"] if o["text"]["text"] == label)


# -- form values, shaped as Slack sends view.state.values ---------------------------------------


def typed(value: str | None) -> dict[str, Any]:
    return {"input": {"type": "plain_text_input", "value": value}}


def picked_user(user_id: str | None) -> dict[str, Any]:
    return {"input": {"type": "users_select", "selected_user": user_id}}


def picked_date(day: str | None) -> dict[str, Any]:
    return {"input": {"type": "datepicker", "selected_date": day}}


def chosen(value: str, *, element: str = "static_select") -> dict[str, Any]:
    option = {"text": {"type": "plain_text", "text": value}, "value": value}
    return {"input": {"type": element, "selected_option": option}}


def action_values(
    *,
    kind: str = "corrective",
    description: str = "Put label templates under document control",
    owner: str = "UBOB",
    due: str | None = "2026-12-04",
    check: str | None = "2027-01-15",
    criterion: str | None = "No mislabelled batch in 3 months",
) -> dict[str, Any]:
    return {
        "action_kind": chosen(kind),
        "description": typed(description),
        "owner": picked_user(owner),
        "due_date": picked_date(due),
        "check_date": picked_date(check),
        "criterion": typed(criterion),
    }


def whys_values(*, category: str = "machine") -> dict[str, Any]:
    return {
        "why_1": typed("The printer used the old label template"),
        "why_2": typed("Templates are copied by hand between lines"),
        "why_3": typed(None),
        "why_4": typed(None),
        "why_5": typed(None),
        "root_cause": typed("Label templates are not under document control"),
        "cause_category": chosen(category),
        "elsewhere": typed("Line 3 uses the same printer"),
    }


# -- whole steps --------------------------------------------------------------------------------


def assign_owner(keel: RunningKeel, card: Message, owner: str, *, user: str = "ULEAD") -> None:
    view = open_modal(keel, card, "Assign owner", user=user)
    answer = submit_modal(keel, view, {"owner": picked_user(owner)}, user=user)
    assert answer.body == "", answer.body


def record_five_whys(keel: RunningKeel, card: Message, *, user: str = "ULEAD") -> None:
    view = open_modal(keel, card, "Five whys", user=user)
    answer = submit_modal(keel, view, whys_values(), user=user)
    assert answer.body == "", answer.body


def add_action(
    keel: RunningKeel, card: Message, *, user: str = "ULEAD", **values: Any
) -> tuple[Message, Message]:
    """Add an action from the card; its reply in the card's thread and its owner's DM."""
    owner = str(values.get("owner", "UBOB"))
    in_thread = len(messages_in(keel, card.channel, thread_ts=card.ts))
    in_dm = len(messages_in(keel, dm_channel(owner)))
    view = open_modal(keel, card, "Add action", user=user)
    answer = submit_modal(keel, view, action_values(**values), user=user)
    assert answer.body == "", answer.body
    reply = keel.fake.wait_for(
        lambda: messages_in(keel, card.channel, thread_ts=card.ts)[in_thread:]
    )
    dm = keel.fake.wait_for(lambda: messages_in(keel, dm_channel(owner))[in_dm:])
    # A person replies seconds later; wait until Keel has noted where both messages are.
    keel.fake.wait_for(lambda: _action_messages_noted(keel, reply[0].ts, dm[0].ts))
    return reply[0], dm[0]


def _action_messages_noted(keel: RunningKeel, thread_ts: str, dm_ts: str) -> bool:
    with keel.db.reading() as session:
        found = session.scalar(
            select(Action.id).where(Action.thread_ts == thread_ts, Action.dm_ts == dm_ts)
        )
    return found is not None


def record_with_action(keel: RunningKeel) -> tuple[Message, Message, Message]:
    """NC-0001 owned by UCAROL with A1, a corrective action for UBOB due 2026-12-04:
    (card, A1 in the card's thread, A1 in UBOB's DM)."""
    card = raise_and_get_card(keel)
    assign_owner(keel, card, "UCAROL")
    in_thread, in_dm = add_action(keel, card)
    return card, in_thread, in_dm
