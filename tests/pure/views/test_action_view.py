"""An action as Slack shows it in its record's thread and its owner's DM, and the approval ask."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from bot.domain.actions import ActionKind, ActionStatus
from bot.views.action import action_blocks, approval_blocks, fallback_text
from tests.blocks import button_labels, find_button, mrkdwn_texts
from tests.pure.action_factories import make_action
from tests.pure.blockkit import MESSAGE_BLOCKS_MAX, message_blocks, without
from tests.pure.factories import make_record

PING = "<!channel>"
HOSTILE = f"{PING} R&D <@UEVE> <https://evil.example|x>"
RECORD = make_record(number=7)
THREAD_HINT_PREFIX = "Reply in this thread to update it"
OPEN_BUTTONS = ["Mark done", "Extend due date", "Reassign", "Blocked", "Cancel action"]


def blocks_for(record: Any = RECORD, today: date | None = None, **fields: Any) -> list[dict]:
    return message_blocks(action_blocks(make_action(**fields), record, today=today))


def text_of(blocks: list[dict[str, Any]]) -> str:
    return "\n".join(mrkdwn_texts(blocks))


def assert_inert(text: str) -> None:
    rest = re.sub(r"&(amp|lt|gt);", "", without(text, "<@UOWEN>", "<@UREQ>"))
    assert "<" not in rest, text
    assert ">" not in rest, text
    assert "&" not in rest, text


@pytest.mark.parametrize("kind", list(ActionKind))
@pytest.mark.parametrize("status", list(ActionStatus))
def test_every_status_and_kind_is_valid_block_kit(kind: ActionKind, status: ActionStatus) -> None:
    blocks = blocks_for(kind=kind.value, status=status.value)
    assert len(blocks) <= MESSAGE_BLOCKS_MAX


@pytest.mark.parametrize("kind", list(ActionKind))
def test_an_open_action_offers_exactly_the_five_owner_buttons(kind: ActionKind) -> None:
    assert button_labels(blocks_for(kind=kind.value, status="open")) == OPEN_BUTTONS


def test_the_buttons_carry_the_action_id() -> None:
    blocks = blocks_for(id=31, status="open")
    expected = {
        "Mark done": "mark_done",
        "Extend due date": "extend_due",
        "Reassign": "reassign",
        "Blocked": "blocked",
        "Cancel action": "cancel_action",
    }
    for label, action_id in expected.items():
        button = find_button(blocks, label)
        assert (button["action_id"], button["value"]) == (action_id, "31")


def test_mark_done_is_the_primary_button() -> None:
    assert find_button(blocks_for(status="open"), "Mark done")["style"] == "primary"


def test_a_done_corrective_action_offers_verify_effectiveness() -> None:
    blocks = blocks_for(kind="corrective", status="done")
    assert button_labels(blocks) == ["Verify effectiveness", "Cancel action"]
    assert find_button(blocks, "Verify effectiveness")["action_id"] == "verify"


@pytest.mark.parametrize("kind", ["correction", "preventive", "improvement"])
def test_a_done_action_needing_no_check_offers_no_buttons(kind: str) -> None:
    assert button_labels(blocks_for(kind=kind, status="done")) == []


@pytest.mark.parametrize("kind", list(ActionKind))
@pytest.mark.parametrize("status", ["verified", "cancelled"])
def test_a_verified_or_cancelled_action_offers_no_buttons(kind: ActionKind, status: str) -> None:
    blocks = blocks_for(kind=kind.value, status=status)
    assert button_labels(blocks) == []
    assert not any(block["type"] == "actions" for block in blocks)


def test_the_action_names_its_reference_owner_due_date_status_and_kind() -> None:
    text = text_of(blocks_for(number=2, status="open"))
    assert "*NC-0007/A2* · Wrong label on batch 2231" in text
    assert "*Owner*\n<@UOWEN>" in text
    assert "*Due*\nTue 1 Dec" in text
    assert "*Status*\nOpen" in text
    assert "*Kind*\nCorrective action" in text
    assert "*Effectiveness check*\nMon 1 Mar 2027" in text


def test_a_correction_shows_no_effectiveness_check() -> None:
    text = text_of(blocks_for(kind="correction", effectiveness_check_date=date(2027, 3, 1)))
    assert "Effectiveness check" not in text


def test_an_open_action_past_its_due_date_is_marked_overdue() -> None:
    text = text_of(blocks_for(status="open", today=date(2026, 12, 2)))
    assert "*Due*\nTue 1 Dec :warning: overdue" in text


@pytest.mark.parametrize(
    ("status", "today"), [("open", date(2026, 12, 1)), ("done", date(2026, 12, 2)), ("open", None)]
)
def test_an_action_not_past_due_or_not_open_is_not_overdue(status: str, today: date | None) -> None:
    assert "overdue" not in text_of(blocks_for(status=status, today=today))


def test_a_blocked_open_action_says_what_it_waits_for() -> None:
    text = text_of(blocks_for(status="open", blocked_reason="Waiting for the new printer."))
    assert ":construction: Blocked: Waiting for the new printer." in text


def test_a_pending_extension_is_shown() -> None:
    pending = {"due_date": "2027-01-15", "reason": "Supplier late.", "requested_by": "UREQ"}
    text = text_of(blocks_for(pending_extension=pending))
    assert "Move to Fri 15 Jan 2027 requested, waiting for approval." in text


def test_evidence_review_and_cancel_reason_are_shown() -> None:
    text = text_of(
        blocks_for(
            status="cancelled",
            evidence="QP-12 rev 3.",
            verification_note="Seen again in March.",
            cancel_reason="Superseded by A3.",
        )
    )
    assert "Evidence: QP-12 rev 3." in text
    assert "Effectiveness review: Seen again in March." in text
    assert "Cancelled: Superseded by A3." in text


def test_the_action_tells_how_to_update_it_in_the_thread() -> None:
    text = text_of(blocks_for(number=2))
    assert "Reply in this thread to update it: `A2 done &lt;evidence&gt;`" in text


def test_the_dm_copy_asks_for_a_reply_in_its_own_thread() -> None:
    blocks = message_blocks(action_blocks(make_action(), RECORD, in_dm=True))
    text = text_of(blocks)
    assert "Reply to this message in a thread to update it: `done &lt;evidence&gt;`" in text
    assert "Reply in this thread" not in text


@pytest.mark.parametrize("status", ["verified", "cancelled"])
def test_a_finished_action_offers_no_done_or_blocked(status: str) -> None:
    text = text_of(blocks_for(status=status))
    assert "`done" not in text and "blocked:" not in text
    assert "nothing more to do" in text


def test_a_done_action_waits_for_its_check_without_offering_done() -> None:
    text = text_of(blocks_for(status="done", kind="corrective"))
    assert "waiting for its effectiveness check" in text
    assert "`done" not in text


@pytest.mark.parametrize("status", list(ActionStatus))
def test_user_text_is_escaped_in_every_mrkdwn_text(status: ActionStatus) -> None:
    blocks = blocks_for(
        record=make_record(title=HOSTILE),
        status=status.value,
        description=HOSTILE,
        blocked_reason=HOSTILE,
        evidence=HOSTILE,
        effectiveness_criterion=HOSTILE,
        verification_note=HOSTILE,
        cancel_reason=HOSTILE,
        pending_extension={"due_date": "2027-01-15", "reason": HOSTILE, "requested_by": "UREQ"},
    )
    texts = [t for t in mrkdwn_texts(blocks) if not t.startswith(THREAD_HINT_PREFIX)]
    for text in texts:
        assert_inert(text)
    assert "&lt;!channel&gt; R&amp;D &lt;@UEVE&gt;" in "\n".join(texts)


def test_the_thread_hint_escapes_its_own_angle_brackets() -> None:
    (hint,) = [t for t in mrkdwn_texts(blocks_for()) if t.startswith(THREAD_HINT_PREFIX)]
    assert_inert(hint)


def test_very_long_user_text_still_makes_valid_blocks() -> None:
    blocks = blocks_for(
        record=make_record(title="&" * 200),
        description="&" * 5000,
        blocked_reason="<" * 3000,
        evidence=">" * 5000,
        effectiveness_criterion="&" * 3000,
        verification_note="&" * 3000,
        cancel_reason="&" * 3000,
    )
    assert len(blocks) <= MESSAGE_BLOCKS_MAX


def test_the_fallback_text_escapes_the_description() -> None:
    text = fallback_text(make_action(description=f"{PING} & co", number=2), RECORD)
    assert text == (
        "NC-0007/A2 Corrective action for <@UOWEN>, due Tue 1 Dec (open): &lt;!channel&gt; &amp; co"
    )


# Approval of an extension past the workspace's limit


def pending_action(reason: str = "Supplier ships on the 30th.", **fields: Any) -> Any:
    pending = {"due_date": "2027-01-15", "reason": reason, "requested_by": "UREQ"}
    return make_action(pending_extension=pending, extension_count=2, **fields)


def test_approval_is_valid_block_kit_with_approve_and_decline() -> None:
    blocks = message_blocks(approval_blocks(pending_action(id=31), RECORD))
    assert button_labels(blocks) == ["Approve", "Decline"]
    approve, decline = find_button(blocks, "Approve"), find_button(blocks, "Decline")
    assert (approve["action_id"], approve["value"], approve["style"]) == (
        "approve_extension",
        "31",
        "primary",
    )
    assert (decline["action_id"], decline["value"]) == ("decline_extension", "31")


def test_approval_says_who_asks_what_and_why() -> None:
    text = text_of(message_blocks(approval_blocks(pending_action(number=2), RECORD)))
    assert "<@UREQ> asks to move *NC-0007/A2* from Tue 1 Dec to *Fri 15 Jan 2027*" in text
    assert "Reason: Supplier ships on the 30th." in text
    assert "extended 2 times already" in text


def test_approval_escapes_the_reason() -> None:
    texts = mrkdwn_texts(message_blocks(approval_blocks(pending_action(HOSTILE), RECORD)))
    for text in texts:
        assert_inert(text)
    assert "Reason: &lt;!channel&gt; R&amp;D" in "\n".join(texts)
