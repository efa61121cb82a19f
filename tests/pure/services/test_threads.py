"""Which message events are a person's reply in a thread, shaped as Slack sends them."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.threads import ReplyChange, ThreadReply, parse_thread_message

BOT_USER = "UKEELBOT"
PARENT_TS = "1726133698.626339"
REPLY_TS = "1726133700.887259"

# Shaped after Slack's own payloads (see slack-samples/ beside SLACK.md).
THREAD_REPLY: dict[str, Any] = {
    "user": "W222",
    "type": "message",
    "ts": REPLY_TS,
    "text": "Checked the batch: labels swapped.",
    "team": "T111",
    "user_team": "T111",
    "source_team": "T111",
    "user_profile": {},
    "thread_ts": PARENT_TS,
    "parent_user_id": "UKEELBOT",
    "channel": "C111",
    "event_ts": REPLY_TS,
    "channel_type": "channel",
}

THREAD_BROADCAST: dict[str, Any] = {
    "type": "message",
    "subtype": "thread_broadcast",
    "text": "Also sent to the channel",
    "user": "U111",
    "ts": "1633670813.007500",
    "thread_ts": "1633663824.000500",
    "root": {
        "type": "message",
        "text": "NC-0007 card",
        "user": BOT_USER,
        "ts": "1633663824.000500",
        "thread_ts": "1633663824.000500",
        "reply_count": 17,
    },
    "channel": "C111",
    "event_ts": "1633670813.007500",
    "channel_type": "channel",
}

# When a reply arrives, Slack also sends message_changed for the parent (reply_count bumps).
PARENT_CHANGED: dict[str, Any] = {
    "type": "message",
    "subtype": "message_changed",
    "message": {
        "text": "NC-0007 card",
        "user": "U222",
        "type": "message",
        "edited": {},
        "thread_ts": PARENT_TS,
        "reply_count": 2,
        "latest_reply": REPLY_TS,
        "ts": PARENT_TS,
    },
    "previous_message": {
        "text": "NC-0007 card",
        "user": "U222",
        "type": "message",
        "edited": {},
        "thread_ts": PARENT_TS,
        "reply_count": 1,
    },
    "channel": "C111",
    "hidden": True,
    "ts": "1726133701.028300",
    "event_ts": "1726133701.028300",
    "channel_type": "channel",
}

REPLY_EDITED: dict[str, Any] = {
    "type": "message",
    "subtype": "message_changed",
    "message": {
        "type": "message",
        "text": "Checked the batch: labels swapped on 12 boxes.",
        "user": "W222",
        "team": "T111",
        "edited": {"user": "W222", "ts": "1726133790.000000"},
        "ts": REPLY_TS,
        "thread_ts": PARENT_TS,
        "parent_user_id": BOT_USER,
    },
    "previous_message": {
        "type": "message",
        "text": "Checked the batch: labels swapped.",
        "user": "W222",
        "team": "T111",
        "ts": REPLY_TS,
        "thread_ts": PARENT_TS,
        "parent_user_id": BOT_USER,
    },
    "channel": "C111",
    "hidden": True,
    "ts": "1726133790.013600",
    "event_ts": "1726133790.013600",
    "channel_type": "channel",
}

REPLY_DELETED: dict[str, Any] = {
    "type": "message",
    "subtype": "message_deleted",
    "hidden": True,
    "deleted_ts": REPLY_TS,
    "previous_message": {
        "type": "message",
        "text": "Checked the batch: labels swapped.",
        "user": "W222",
        "ts": REPLY_TS,
        "thread_ts": PARENT_TS,
        "parent_user_id": BOT_USER,
    },
    "channel": "C111",
    "ts": "1726133800.000200",
    "event_ts": "1726133800.000200",
    "channel_type": "channel",
}

CLASSIC_BOT_MESSAGE: dict[str, Any] = {
    "type": "message",
    "subtype": "bot_message",
    "text": "Build passed",
    "ts": "1610262363.001600",
    "username": "classic-bot",
    "bot_id": "B888",
    "thread_ts": PARENT_TS,
    "channel": "C111",
    "event_ts": "1610262363.001600",
    "channel_type": "channel",
}

# Modern app bots post with bot_id and a bot user, and no subtype.
OTHER_APP_REPLY: dict[str, Any] = {
    "bot_id": "B999",
    "type": "message",
    "text": "Ticket created",
    "user": "UB111",
    "ts": "1610261539.000900",
    "thread_ts": PARENT_TS,
    "team": "T111",
    "bot_profile": {"id": "B999", "name": "other-app", "app_id": "A222"},
    "channel": "C111",
    "event_ts": "1610261539.000900",
    "channel_type": "channel",
}


def parse(event: dict[str, Any]) -> ThreadReply | None:
    return parse_thread_message(copy.deepcopy(event), bot_user_id=BOT_USER)


def test_a_persons_reply_is_captured() -> None:
    assert parse(THREAD_REPLY) == ThreadReply(
        change=ReplyChange.POSTED,
        channel="C111",
        thread_ts=PARENT_TS,
        ts=REPLY_TS,
        user_id="W222",
        text="Checked the batch: labels swapped.",
    )


def test_a_reply_also_sent_to_the_channel_is_captured() -> None:
    reply = parse(THREAD_BROADCAST)
    assert reply is not None
    assert (reply.change, reply.thread_ts, reply.user_id) == (
        ReplyChange.POSTED,
        "1633663824.000500",
        "U111",
    )


def test_a_reply_with_a_file_is_captured() -> None:
    event = dict(THREAD_REPLY, subtype="file_share", files=[{"id": "F1"}])
    reply = parse(event)
    assert reply is not None
    assert reply.change is ReplyChange.POSTED


def test_a_message_outside_any_thread_is_not_captured() -> None:
    event = {k: v for k, v in THREAD_REPLY.items() if k not in ("thread_ts", "parent_user_id")}
    assert parse(event) is None


def test_a_thread_parent_is_not_a_reply() -> None:
    assert parse(dict(THREAD_REPLY, ts=PARENT_TS)) is None


def test_the_parent_changing_when_replies_arrive_is_not_captured() -> None:
    assert parse(PARENT_CHANGED) is None


def test_a_classic_bot_message_in_a_thread_is_not_captured() -> None:
    assert parse(CLASSIC_BOT_MESSAGE) is None


def test_another_apps_reply_is_not_captured() -> None:
    assert parse(OTHER_APP_REPLY) is None


def test_keels_own_reply_is_not_captured() -> None:
    assert parse(dict(THREAD_REPLY, user=BOT_USER)) is None


def test_an_edited_reply_is_captured_with_both_texts() -> None:
    assert parse(REPLY_EDITED) == ThreadReply(
        change=ReplyChange.EDITED,
        channel="C111",
        thread_ts=PARENT_TS,
        ts=REPLY_TS,
        user_id="W222",
        text="Checked the batch: labels swapped on 12 boxes.",
        previous_text="Checked the batch: labels swapped.",
    )


def test_an_edit_that_keeps_the_text_is_not_captured() -> None:
    event = copy.deepcopy(REPLY_EDITED)
    event["message"]["text"] = event["previous_message"]["text"]
    assert parse(event) is None


def test_an_edit_of_a_message_outside_any_thread_is_not_captured() -> None:
    event = copy.deepcopy(REPLY_EDITED)
    del event["message"]["thread_ts"]
    del event["previous_message"]["thread_ts"]
    assert parse(event) is None


def test_a_deleted_reply_is_captured_with_its_old_text() -> None:
    assert parse(REPLY_DELETED) == ThreadReply(
        change=ReplyChange.DELETED,
        channel="C111",
        thread_ts=PARENT_TS,
        ts=REPLY_TS,
        user_id="W222",
        text="",
        previous_text="Checked the batch: labels swapped.",
    )


def test_deleting_the_thread_parent_is_not_captured() -> None:
    event = copy.deepcopy(REPLY_DELETED)
    event["previous_message"]["ts"] = PARENT_TS
    event["deleted_ts"] = PARENT_TS
    assert parse(event) is None


def test_other_subtypes_are_not_captured() -> None:
    for subtype in ("channel_join", "message_replied", "bot_message", "reminder_add"):
        assert parse(dict(THREAD_REPLY, subtype=subtype)) is None


KEYS = [
    "type",
    "subtype",
    "channel",
    "user",
    "bot_id",
    "text",
    "ts",
    "thread_ts",
    "deleted_ts",
    "event_ts",
    "hidden",
    "edited",
    "files",
]
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=20)
    | st.sampled_from(
        [
            PARENT_TS,
            REPLY_TS,
            "U1",
            BOT_USER,
            "B1",
            "message_changed",
            "message_deleted",
            "thread_broadcast",
            "file_share",
            "bot_message",
        ]
    )
)
messages = st.dictionaries(st.sampled_from(KEYS), scalars)
events = st.dictionaries(st.sampled_from(KEYS), scalars).flatmap(
    lambda base: st.fixed_dictionaries(
        {},
        optional={"message": st.none() | messages, "previous_message": st.none() | messages},
    ).map(lambda nested: {**base, **nested})
)


@settings(max_examples=300, deadline=None)
@given(events)
def test_parse_thread_message_never_raises_on_plausible_events(event: dict[str, Any]) -> None:
    reply = parse_thread_message(event, bot_user_id=BOT_USER)
    if reply is not None:
        assert reply.user_id
        assert reply.user_id != BOT_USER
        assert reply.thread_ts != reply.ts
