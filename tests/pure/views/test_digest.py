"""The daily digest DM: valid Block Kit, one line per item, buttons to act on each."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from slack_sdk.models.blocks import Block

from bot.domain.schedule import Urgency
from bot.ids import ActionId
from bot.queries.digest_items import DigestLine
from bot.views.digest import digest_blocks, digest_text
from tests.blocks import button_labels, mrkdwn_texts
from tests.pure.blockkit import MESSAGE_BLOCKS_MAX, message_blocks, walk, without

TODAY = date(2026, 11, 23)
PING = "<!channel>"


def line(n: int = 1, **overrides: Any) -> DigestLine:
    fields: dict[str, Any] = {
        "key": f"action:{n}",
        "kind": "action",
        "action_id": n,
        "reference": f"NC-0001/A{n}",
        "description": f"Relabel batch {n}.",
        "due": TODAY,
        "urgency": Urgency.DUE_TODAY,
    }
    fields.update(overrides)
    return DigestLine(**fields)


def verification(n: int = 1, **overrides: Any) -> DigestLine:
    return line(n, key=f"verification:{n}", kind="verification", **overrides)


def rendered(lines: list[DigestLine], today: date = TODAY) -> list[dict[str, Any]]:
    """The digest's blocks as Slack receives them, after checking Slack would accept them
    (whether the view builds slack_sdk models or plain dicts)."""
    blocks = digest_blocks(lines, today)
    raw = [block.to_dict() if isinstance(block, Block) else block for block in blocks]
    parsed = [Block.parse(block) for block in raw]
    assert all(block is not None for block in parsed), raw
    checked = message_blocks([block for block in parsed if block is not None])
    assert checked == raw  # nothing Slack's models do not know was dropped on the way
    return raw


def actions_blocks(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [block for block in blocks if block["type"] == "actions"]


def datepickers(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [part for part in walk(blocks) if part.get("type") == "datepicker"]


def test_a_digest_is_valid_block_kit_with_a_header_for_the_day() -> None:
    blocks = rendered([line(1), line(2)])
    assert blocks[0]["type"] == "header"
    assert blocks[0]["text"]["text"] == "Your Keel items for Mon 23 Nov"


def test_forty_items_fit_in_one_message_and_say_how_many_more() -> None:
    lines = [line(n, due=TODAY - timedelta(days=n % 5)) for n in range(1, 41)]
    blocks = rendered(lines)
    assert len(blocks) <= MESSAGE_BLOCKS_MAX
    shown = len(actions_blocks(blocks))
    assert shown >= 1
    assert any(f"and {40 - shown} more" in text for text in mrkdwn_texts(blocks))


def test_each_action_has_mark_done_extend_and_a_snooze_datepicker() -> None:
    blocks = rendered([line(7), line(8)])
    assert button_labels(blocks) == ["Mark done", "Extend due date"] * 2
    buttons = [part for part in walk(blocks) if part.get("type") == "button"]
    assert [(b["action_id"], b["value"]) for b in buttons] == [
        (ActionId.MARK_DONE, "7"),
        (ActionId.EXTEND_DUE, "7"),
        (ActionId.MARK_DONE, "8"),
        (ActionId.EXTEND_DUE, "8"),
    ]
    pickers = datepickers(blocks)
    assert [p["placeholder"]["text"] for p in pickers] == ["Snooze until…"] * 2
    assert [p["action_id"] for p in pickers] == ["snooze:7", "snooze:8"]


def test_an_effectiveness_check_offers_verify_effectiveness_only() -> None:
    blocks = rendered([verification(5)])
    assert button_labels(blocks) == ["Verify effectiveness"]
    assert datepickers(blocks) == []
    assert any("Effectiveness check" in text for text in mrkdwn_texts(blocks))


def test_a_done_item_is_ticked_off_without_buttons() -> None:
    blocks = rendered([line(1, urgency=None), line(2)])
    ticked = [text for text in mrkdwn_texts(blocks) if "NC-0001/A1" in text]
    assert len(ticked) == 1 and ":white_check_mark:" in ticked[0] and "done" in ticked[0]
    assert [b["block_id"] for b in actions_blocks(blocks)] == ["digest:action:2"]


def test_the_fallback_text_counts_open_and_overdue_items() -> None:
    lines = [
        line(1, due=TODAY - timedelta(days=2), urgency=Urgency.OVERDUE),
        line(2),
        line(3, urgency=None),
    ]
    assert digest_text(lines) == "Keel: 2 things need you today, 1 overdue."


def test_the_fallback_text_reads_as_a_person_writes_it() -> None:
    late = {"due": TODAY - timedelta(days=2), "urgency": Urgency.OVERDUE}
    assert digest_text([line(1)]) == "Keel: 1 thing needs you today."
    assert digest_text([line(1, **late)]) == "Keel: 1 thing needs you today, and it is overdue."
    three = [line(n, **late) for n in (1, 2, 3)]
    assert digest_text(three) == "Keel: 3 things need you today, all overdue."
    assert digest_text([line(1, urgency=None)]) == "Keel: all done for today."


def footer_text(lines: list[DigestLine]) -> str:
    blocks = rendered(lines)
    assert blocks[-1]["type"] == "context"
    return str(blocks[-1]["elements"][0]["text"])


def test_the_footer_names_thread_replies_when_an_action_is_in_the_digest() -> None:
    assert "`A2 done …`" in footer_text([line(1), verification(2)])


def test_the_footer_says_only_what_applies_to_a_digest_without_actions() -> None:
    read = line(
        1, key="document_read:1:3", kind="document_read", reference="QP-001", description="x"
    )
    refresher = line(2, key="refresher:2", kind="refresher", reference="Forklift")
    for lines in ([read], [refresher], [verification(3)], [read, refresher]):
        text = footer_text(lines)
        assert "Use the buttons." in text, lines
        assert "thread" not in text and "action" not in text, lines


def test_overdue_items_say_by_how_many_days() -> None:
    blocks = rendered([line(1, due=TODAY - timedelta(days=9), urgency=Urgency.OVERDUE)])
    assert any("overdue by 9 days" in text for text in mrkdwn_texts(blocks))


def test_an_escalation_note_is_shown_under_the_item() -> None:
    note = "Escalated to you: owned by <@UBOB>"
    blocks = rendered([line(1, note=note)])
    assert any(note in text for text in mrkdwn_texts(blocks))


def test_user_text_is_escaped() -> None:
    blocks = rendered([line(1, description=f"{PING} & <b>"), line(2, urgency=None)])
    texts = mrkdwn_texts(blocks)
    assert any("&lt;!channel&gt; &amp; &lt;b&gt;" in text for text in texts)
    assert not any(PING in text for text in texts)


@given(
    descriptions=st.lists(st.text(min_size=1, max_size=600), min_size=1, max_size=60),
    done=st.sets(st.integers(0, 59)),
)
def test_any_digest_is_accepted_by_slack_and_pings_nobody(
    descriptions: list[str], done: set[int]
) -> None:
    lines = [
        line(n, description=text, urgency=None if n in done else Urgency.DUE_SOON)
        for n, text in enumerate(descriptions)
    ]
    blocks = rendered(lines)
    block_ids = [b["block_id"] for b in blocks if "block_id" in b]
    assert len(block_ids) == len(set(block_ids))
    for text in mrkdwn_texts(blocks):
        assert "<" not in without(text, "<@", "`/nc list`")


def test_an_objective_value_offers_log_value_for_its_period() -> None:
    blocks = rendered([line(3, key="objective:3:2026-10-01", kind="objective", reference="OBJ-3")])
    assert button_labels(blocks) == ["Log value"]
    button = next(part for part in walk(blocks) if part.get("type") == "button")
    assert (button["action_id"], button["value"]) == (ActionId.LOG_VALUE, "3:2026-10-01")
    assert any("*OBJ-3* Objective value" in text for text in mrkdwn_texts(blocks))


def test_a_logged_objective_value_is_ticked_off() -> None:
    blocks = rendered(
        [line(3, key="objective:3:2026-10-01", kind="objective", reference="OBJ-3", urgency=None)]
    )
    assert button_labels(blocks) == []
    assert any("~OBJ-3~ logged" in text for text in mrkdwn_texts(blocks))
