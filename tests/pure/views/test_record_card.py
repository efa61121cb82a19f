"""The channel card, the private detail view and the reporter's confirmation."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.records import RecordKind, RecordStatus, Severity
from bot.views.record_card import (
    card_blocks,
    confirmation_blocks,
    detail_blocks,
    fallback_text,
)
from tests.blocks import button_labels, find_button, find_option, menu_labels, mrkdwn_texts
from tests.pure.blockkit import MESSAGE_BLOCKS_MAX, message_blocks, walk, without
from tests.pure.factories import NOW, make_history, make_record

TODAY = date(2026, 12, 1)

PING = "<!channel>"
DESCRIPTION = "Batch 2231 left with the label of 2213."
CONTAINMENT = "Batch quarantined in bay 4."
PERMALINK = "https://keel-test.slack.com/archives/CGENERAL/p1726133700887259"


def all_text(blocks: list[dict[str, Any]]) -> str:
    """Every text a person could read in the blocks, plain or mrkdwn."""
    return "\n".join(
        str(part["text"]) for part in walk(blocks) if isinstance(part.get("text"), str)
    )


def sections(blocks: list[dict[str, Any]]) -> list[str]:
    return [b["text"]["text"] for b in blocks if b["type"] == "section" and "text" in b]


# The card


def test_the_card_is_valid_block_kit() -> None:
    message_blocks(card_blocks(make_record(), today=TODAY))


def test_the_card_shows_reference_title_and_what_happened() -> None:
    blocks = message_blocks(card_blocks(make_record(containment=CONTAINMENT), today=TODAY))
    assert blocks[0]["type"] == "header"
    assert blocks[0]["text"]["text"] == "NC-0007 · Wrong label on batch 2231"
    text = all_text(blocks)
    assert DESCRIPTION in text
    assert CONTAINMENT in text


def test_the_card_has_labelled_buttons_for_the_next_steps() -> None:
    blocks = message_blocks(card_blocks(make_record(), today=TODAY))
    assert button_labels(blocks) == ["Add action", "Five whys", "Reject", "View record and history"]
    assert menu_labels(blocks) == [
        "Assign owner",
        "Close record",
        "Change status",
        "Change severity",
    ]
    button = find_button(blocks, "View record and history")
    assert (button["action_id"], button["value"]) == ("view_record", "7")
    assert find_button(blocks, "Add action")["style"] == "primary"


def test_reject_is_red_and_asks_before_it_opens_its_form() -> None:
    blocks = message_blocks(card_blocks(make_record(), today=TODAY))
    reject = find_button(blocks, "Reject")
    assert reject["style"] == "danger"
    assert reject["confirm"]["title"]["text"] == "Reject NC-0007?"
    assert reject["confirm"]["confirm"]["text"] == "Reject"


@pytest.mark.parametrize(
    ("status", "buttons", "menu"),
    [
        (
            RecordStatus.INVESTIGATING,
            ["Five whys", "Add action"],
            ["Assign owner", "Close record", "Change status", "Change severity", "Reject"],
        ),
        (
            RecordStatus.ACTIONS_PLANNED,
            ["Add action", "Close record"],
            ["Assign owner", "Five whys", "Change status", "Change severity", "Reject"],
        ),
        (
            RecordStatus.VERIFYING,
            ["Close record", "Add action"],
            ["Assign owner", "Five whys", "Change status", "Change severity"],
        ),
    ],
)
def test_the_buttons_follow_the_records_next_step_and_the_rest_are_in_the_menu(
    status: RecordStatus, buttons: list[str], menu: list[str]
) -> None:
    blocks = message_blocks(card_blocks(make_record(status=status.value), today=TODAY))
    assert button_labels(blocks) == [*buttons, "View record and history"]
    assert menu_labels(blocks) == menu
    _, option = find_option(blocks, "Change status")
    assert option["value"] == "change_status:1"  # the button's action id and its value


def test_an_incident_card_leaves_out_what_happened() -> None:
    record = make_record(
        kind=RecordKind.INCIDENT.value,
        description="Jo Bloggs cut their hand on the guillotine.",
        containment="Jo taken to first aid.",
    )
    text = all_text(message_blocks(card_blocks(record, today=TODAY)))
    assert "Jo Bloggs" not in text
    assert "first aid" not in text
    assert "/nc NC-0007" in text


def test_a_card_escapes_user_text_in_mrkdwn() -> None:
    record = make_record(
        title=f"{PING} title",
        description=f"{PING} <@UEVE> <https://evil.example|x> & more",
        location=f"{PING} bay",
        containment=f"{PING} done",
        reporter_id=None,
        anonymous=True,
    )
    blocks = message_blocks(card_blocks(record, today=TODAY))
    for text in mrkdwn_texts(blocks):
        assert "<" not in text
        assert ">" not in text
    assert "&lt;!channel&gt; &lt;@UEVE&gt;" in "\n".join(mrkdwn_texts(blocks))


@pytest.mark.parametrize("reporter_id", [None, "UALICE"])
def test_an_anonymous_card_names_no_reporter(reporter_id: str | None) -> None:
    record = make_record(kind="near_miss", anonymous=True, reporter_id=reporter_id)
    text = all_text(message_blocks(card_blocks(record, today=TODAY)))
    assert "*Reported by*\nanonymous" in text
    assert "<@" not in text


def test_a_card_raised_from_a_message_links_to_it() -> None:
    blocks = message_blocks(card_blocks(make_record(source_permalink=PERMALINK), today=TODAY))
    assert f"<{PERMALINK}|a message>" in "\n".join(mrkdwn_texts(blocks))


def test_a_very_long_title_still_fits_the_header() -> None:
    blocks = message_blocks(card_blocks(make_record(title="x" * 200), today=TODAY))
    assert len(blocks[0]["text"]["text"]) <= 150


def test_a_long_description_is_cut_on_the_card() -> None:
    blocks = message_blocks(card_blocks(make_record(description="&" * 3000), today=TODAY))
    assert all(len(text) <= 3000 for text in sections(blocks))


@pytest.mark.parametrize("kind", list(RecordKind))
@pytest.mark.parametrize("severity", list(Severity))
def test_every_kind_and_severity_makes_a_valid_card(kind: RecordKind, severity: Severity) -> None:
    message_blocks(card_blocks(make_record(kind=kind.value, severity=severity.value), today=TODAY))


def test_the_fallback_text_names_the_record_and_escapes_the_title() -> None:
    text = fallback_text(make_record(title=f"{PING} spill"))
    assert text == "NC-0007 Nonconformity: &lt;!channel&gt; spill"


user_text = st.text(max_size=4000)


@settings(max_examples=200, deadline=None)
@given(
    title=st.text(min_size=1, max_size=200),
    description=user_text,
    location=st.none() | st.text(max_size=200),
    containment=st.none() | user_text,
    kind=st.sampled_from(RecordKind),
    severity=st.sampled_from(Severity),
    status=st.sampled_from(RecordStatus),
)
def test_any_user_text_makes_a_valid_card_without_raw_markup(
    title: str,
    description: str,
    location: str | None,
    containment: str | None,
    kind: RecordKind,
    severity: Severity,
    status: RecordStatus,
) -> None:
    record = make_record(
        title=title,
        description=description,
        location=location,
        containment=containment,
        kind=kind.value,
        severity=severity.value,
        status=status.value,
        reporter_id="UALICE",
        owner_id="UOWNER",
    )
    blocks = message_blocks(card_blocks(record, today=TODAY))
    for text in mrkdwn_texts(blocks):
        rest = without(text, "<@UALICE>", "<@UOWNER>")
        assert "<" not in rest
        assert ">" not in rest


# The detail view


def detail(record: Any = None, history: Any = (), *, show_private: bool = True) -> list[dict]:
    record = record if record is not None else make_record()
    return message_blocks(detail_blocks(record, list(history), show_private=show_private, now=NOW))


def test_the_detail_without_history_says_no_changes_yet() -> None:
    assert "_No changes yet._" in all_text(detail())


def test_the_detail_lists_history_oldest_first() -> None:
    history = [
        make_history(0, event="raised", actor_id="UALICE", source="form"),
        make_history(1, after={"text": "first reply", "ts": "1.1"}),
        make_history(2, after={"text": "second reply", "ts": "1.2"}),
    ]
    text = all_text(detail(history=history))
    assert text.index("raised") < text.index("first reply") < text.index("second reply")


def test_the_detail_escapes_user_text_in_history() -> None:
    history = [make_history(0, before={"text": PING}, after={"text": f"{PING} again", "ts": "1"})]
    blocks = detail(make_record(title=PING, description=PING, rejection_reason=PING), history)
    assert not any(PING in text for text in mrkdwn_texts(blocks))


def test_an_incident_detail_for_others_leaves_out_what_happened() -> None:
    record = make_record(
        kind="incident",
        description="Jo Bloggs cut their hand.",
        containment="Jo taken to first aid.",
    )
    history = [
        make_history(
            0,
            event="raised",
            source="form",
            after={"description": record.description, "containment": record.containment},
        )
    ]
    text = all_text(detail(record, history, show_private=False))
    assert "Jo Bloggs" not in text
    assert "first aid" not in text


def test_an_incident_detail_for_the_reporter_shows_what_happened() -> None:
    record = make_record(kind="incident", description="Jo Bloggs cut their hand.")
    assert "Jo Bloggs" in all_text(detail(record, show_private=True))


def test_a_job_change_is_attributed_to_keel() -> None:
    history = [make_history(0, event="reminded", source="job", actor_id=None, after=None)]
    assert "Keel reminded (job)" in all_text(detail(history=history))


def test_a_change_lists_what_changed() -> None:
    history = [
        make_history(
            0,
            event="status_changed",
            source="button",
            before={"status": "new"},
            after={"status": "investigating"},
        )
    ]
    assert "status: new → investigating" in all_text(detail(history=history))


def test_a_long_history_still_fits_one_message() -> None:
    long_text = "<&> " * 400
    history = [
        make_history(n, before={"text": long_text + str(n)}, after={"text": long_text, "ts": "1"})
        for n in range(500)
    ]
    record = make_record(
        description="d" * 3000,
        containment="c" * 3000,
        rejection_reason="r" * 3000,
        card_channel="CQUALITY",
        card_ts="1.1",
    )
    blocks = detail(record, history)
    assert len(blocks) <= MESSAGE_BLOCKS_MAX
    assert all(len(text) <= 3000 for text in sections(blocks))
    assert "earlier parts of the history are left out" in all_text(blocks)


def test_a_long_history_keeps_the_newest_entries() -> None:
    history = [
        make_history(n, after={"text": f"reply {n:03d} " + "x" * 100, "ts": "1"})
        for n in range(500)
    ]
    assert "reply 499" in all_text(detail(history=history))


@settings(max_examples=100, deadline=None)
@given(
    texts=st.lists(st.text(max_size=500), max_size=60),
    description=st.text(max_size=4000),
    kind=st.sampled_from(RecordKind),
    show_private=st.booleans(),
)
def test_any_history_makes_a_valid_detail_without_raw_markup(
    texts: list[str], description: str, kind: RecordKind, show_private: bool
) -> None:
    history = [
        make_history(n, before={"text": text}, after={"text": text[::-1], "ts": "1"})
        for n, text in enumerate(texts)
    ]
    record = make_record(kind=kind.value, description=description, rejection_reason=description)
    blocks = detail(record, history, show_private=show_private)
    for text in mrkdwn_texts(blocks):
        rest = without(text, "<@UALICE>", "<@UBOB>")
        assert "<" not in rest
        assert ">" not in rest


# The confirmation


def test_the_confirmation_links_to_the_card() -> None:
    blocks = message_blocks(confirmation_blocks(make_record(), PERMALINK, "CQUALITY"))
    text = "\n".join(mrkdwn_texts(blocks))
    assert f"<{PERMALINK}|its card> in <#CQUALITY>" in text
    assert "NC-0007" in text


def test_the_confirmation_without_a_channel_says_none_is_set() -> None:
    blocks = message_blocks(confirmation_blocks(make_record(), None, None))
    assert "no quality channel is set up" in "\n".join(mrkdwn_texts(blocks))


def test_the_confirmation_escapes_the_title() -> None:
    blocks = message_blocks(confirmation_blocks(make_record(title=PING), None, None))
    assert not any(PING in text for text in mrkdwn_texts(blocks))
