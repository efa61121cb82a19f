"""What the outbox holds: the kinds of Slack write Keel queues, and where each row stands."""

from __future__ import annotations

from enum import StrEnum


class OutboxKind(StrEnum):
    POST_RECORD_CARD = "post_record_card"
    UPDATE_RECORD_CARD = "update_record_card"
    CONFIRM_TO_REPORTER = "confirm_to_reporter"
    CARD_UNDELIVERABLE = "card_undeliverable"
    ASK_FOR_CHANNEL = "ask_for_channel"
    POST_ACTION = "post_action"  # the action's reply in its record's thread
    DM_ACTION = "dm_action"  # the action, to its owner
    UPDATE_ACTION = "update_action"  # both of the above, edited in place
    EDIT_FORMER_DM = "edit_former_dm"  # a reassigned action's DM to its former owner
    DIRECT_MESSAGE = "direct_message"
    THREAD_REPLY = "thread_reply"
    REACTION = "reaction"
    CHANNEL_POST = "channel_post"
    UPDATE_DIGESTS = "update_digests"  # daily digests listing payload["keys"], edited in place


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
