"""What Keel keeps in private_metadata, and the event fields it relies on."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.forms.events import HomeOpened, MessageEvent
from bot.forms.metadata import (
    ActionRef,
    ObjectiveRef,
    RecordMetadata,
    RecordRef,
    slack_permalink,
)
from bot.forms.state import FormErrors

PERMALINKS = [
    "https://keel-test.slack.com/archives/C1/p1700000000000200",
    "https://acme.enterprise.slack.com/archives/C0ABC/p1700000000000200",
    "https://keel-test.slack.com/archives/C1/p1700000000000300?thread_ts=1700000000.000200&cid=C1",
]


@pytest.mark.parametrize("link", PERMALINKS)
def test_a_slack_permalink_is_kept(link: str) -> None:
    assert slack_permalink(link) == link
    assert RecordMetadata(permalink=link).permalink == link


@pytest.mark.parametrize(
    "link",
    [
        "http://keel-test.slack.com/archives/C1/p1",
        "https://evil.example/archives/C1/p1",
        "https://keel-test.slack.com.evil.example/archives/C1/p1",
        "https://keel-test.slack.com/archives/C1/p1|click here",
        "https://keel-test.slack.com/archives/C1/p1><!channel>",
        "https://keel-test.slack.com/archives/C1/p1\n",
        "javascript:alert(1)",
        "",
    ],
)
def test_anything_else_is_dropped_before_it_reaches_a_card(link: str) -> None:
    assert slack_permalink(link) is None
    assert RecordMetadata.load(json.dumps({"permalink": link})).permalink is None


@settings(max_examples=300, deadline=None)
@given(link=st.text(alphabet=st.sampled_from("htps:/.<>|!&@ ?=abcCp0123keelslackcom"), max_size=80))
def test_a_kept_link_never_carries_mrkdwn_controls(link: str) -> None:
    kept = slack_permalink(link)
    assert kept is None or not set("<>| \n") & set(kept)


@pytest.mark.parametrize(
    ("ref", "raw", "expected"),
    [
        (RecordRef, '{"record":12}', RecordRef(record=12)),
        (ActionRef, '{"action":3}', ActionRef(action=3)),
        (ObjectiveRef, '{"objective": 4}', ObjectiveRef(objective=4)),
    ],
)
def test_a_stored_reference_reads_back(ref: Any, raw: str, expected: Any) -> None:
    assert ref.load(raw) == expected
    assert ref.load(expected.dump()) == expected


@pytest.mark.parametrize("raw", ['{"record":' + "9" * 400 + "}", '{"record":0}', '{"action":1}'])
def test_a_reference_out_of_range_or_of_another_kind_is_refused(raw: str) -> None:
    with pytest.raises(FormErrors) as refused:
        RecordRef.load(raw)
    assert refused.value.errors == {}


@settings(max_examples=200, deadline=None)
@given(raw=st.none() | st.text(max_size=200))
def test_any_metadata_is_a_reference_or_form_errors(raw: str | None) -> None:
    for ref in (RecordRef, ActionRef, ObjectiveRef):
        try:
            ref.load(raw)
        except FormErrors as refused:
            assert refused.errors == {}


def test_home_opened_needs_a_user() -> None:
    assert HomeOpened.read({"type": "app_home_opened", "tab": "home"}) is None
    assert HomeOpened.read({"user": {"id": "U1"}, "tab": "home"}) is None
    assert HomeOpened.read(None) is None
    opened = HomeOpened.read({"user": "UALICE", "tab": "home"})
    assert opened is not None and (opened.user, opened.tab) == ("UALICE", "home")


@pytest.mark.parametrize(
    "event",
    [
        {"type": "message", "ts": "1700000000.000200", "thread_ts": 1700000000},
        {"type": "message", "ts": 1.5, "thread_ts": "1700000000.000200"},
        {"type": "message", "ts": "1.2", "user": 7},
        {"type": "message", "channel": ["C1"]},
        {"subtype": "message_changed", "message": {"ts": "1.2", "thread_ts": 1}},
        {"subtype": "message_deleted", "previous_message": {"thread_ts": "1.0", "ts": "x"}},
        {"subtype": "message_changed", "message": "text"},
    ],
)
def test_a_message_event_with_numbers_for_text_is_not_well_formed(event: dict[str, Any]) -> None:
    assert not MessageEvent.well_formed(event)


@pytest.mark.parametrize(
    "event",
    [
        {"type": "message", "channel": "C1", "user": "U1", "text": "hi", "ts": "1.1"},
        {
            "type": "message",
            "subtype": "message_changed",
            "channel": "C1",
            "message": {"ts": "1.2", "thread_ts": "1.0", "user": "U1", "text": "b"},
            "previous_message": {"ts": "1.2", "thread_ts": "1.0", "user": "U1", "text": "a"},
        },
        {"type": "message", "subtype": "bot_message", "bot_id": "B1", "ts": "1.3"},
    ],
)
def test_a_message_event_as_slack_sends_it_is_well_formed(event: dict[str, Any]) -> None:
    assert MessageEvent.well_formed(event)
