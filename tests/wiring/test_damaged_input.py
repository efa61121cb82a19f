"""Values Keel wrote into its own buttons and forms, sent back damaged or out of range: each
gets a 200 and a private message, nothing is written, and no listener fails."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from storage.models import History, Record
from tests.conftest import RunningKeel
from tests.slack_requests import block_action, form_values, view_submission
from tests.wiring.flows import (
    add_action,
    assign_owner,
    raise_and_get_card,
    refused,
    responses,
)
from tests.wiring.test_raise_record import open_form

TOO_BIG = "9" * 400  # overflows any database integer
DAMAGED = "This button is out of date or damaged, so Keel did nothing."


@pytest.fixture
def listener_errors(caplog: pytest.LogCaptureFixture) -> Iterator[Callable[[], list[str]]]:
    """Errors logged by Keel or Bolt so far in the test (a listener that failed)."""
    with caplog.at_level(logging.ERROR):
        yield lambda: [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


def history_rows(keel: RunningKeel) -> int:
    with keel.db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(History)) or 0)


def click_value(
    keel: RunningKeel, action_id: str, value: str, *, user: str = "ULEAD", **extra: Any
) -> str:
    """Press a button with this action id and value; the private answer's text."""
    before = responses(keel)
    payload = block_action(action_id, value, user=user, response_url=keel.fake.response_url())
    payload["actions"][0].update(extra)
    answer = keel.slack.interaction(payload)
    assert answer.status == 200, answer.body
    return str(refused(keel, before)["text"])


@pytest.mark.parametrize(
    ("action_id", "value"),
    [
        ("assign_owner", "not-a-number"),
        ("five_whys", TOO_BIG),
        ("close_record", "-1"),
        ("mark_done", TOO_BIG),
        ("verify", "1.5"),
        ("approve_extension", TOO_BIG),
        ("decline_extension", ""),
        ("view_record", TOO_BIG),
        ("list_page:next", "{not json"),
        ("list_page:prev", '{"mine": "yes", "page": 2}'),
        ("edit_objective", TOO_BIG),
    ],
)
def test_a_damaged_button_is_answered_privately_and_changes_nothing(
    keel: RunningKeel, listener_errors: Callable[[], list[str]], action_id: str, value: str
) -> None:
    card = raise_and_get_card(keel)
    written = history_rows(keel)
    opened = len(keel.fake.calls_to("views.open"))

    text = click_value(keel, action_id, value)

    assert "out of date or damaged" in text and "Keel did nothing" in text
    assert len(keel.fake.calls_to("views.open")) == opened
    assert history_rows(keel) == written
    assert keel.fake.messages[(card.channel, card.ts)]  # the card is still there, untouched
    assert listener_errors() == []


@pytest.mark.parametrize(
    ("action_id", "date"),
    [
        (f"snooze:{TOO_BIG}", "2026-12-01"),
        ("snooze:1", "not a date"),
        ("snooze:1", None),
        ("snooze:1", "0001-01-01"),
    ],
)
def test_a_damaged_snooze_pick_is_answered_privately(
    keel: RunningKeel, listener_errors: Callable[[], list[str]], action_id: str, date: str | None
) -> None:
    card = raise_and_get_card(keel)
    assign_owner(keel, card, "UCAROL")
    add_action(keel, card)
    written = history_rows(keel)

    text = click_value(keel, action_id, "", user="UBOB", type="datepicker", selected_date=date)

    assert DAMAGED in text
    assert history_rows(keel) == written
    assert listener_errors() == []


def test_a_damaged_process_owner_pick_is_answered_privately(
    keel: RunningKeel, listener_errors: Callable[[], list[str]]
) -> None:
    before = responses(keel)
    payload = block_action(
        "process_owner_pick",
        "",
        user="ULEAD",
        block_id=f"process_owner:{TOO_BIG}",
        response_url=keel.fake.response_url(),
    )
    payload["actions"][0].update(type="users_select", selected_user="UBOB")
    assert keel.slack.interaction(payload).status == 200
    assert "out of date or damaged" in refused(keel, before)["text"]
    assert history_rows(keel) == 0
    assert listener_errors() == []


@pytest.mark.parametrize(
    "metadata", [f'{{"action":{TOO_BIG}}}', '{"action":"A1"}', "not json", None]
)
def test_a_form_whose_metadata_is_damaged_is_not_saved(
    keel: RunningKeel, listener_errors: Callable[[], list[str]], metadata: str | None
) -> None:
    raise_and_get_card(keel)
    written = history_rows(keel)
    view = {"callback_id": "mark_done", "private_metadata": metadata, "type": "modal"}
    values = {"evidence": {"input": {"type": "plain_text_input", "value": "Done"}}}

    answer = keel.slack.interaction(view_submission(view, values, user="ULEAD"))

    assert answer.status == 200
    assert answer.json()["response_action"] == "update"
    assert "close it and start again" in answer.body
    assert history_rows(keel) == written
    assert listener_errors() == []


def test_a_record_that_happened_in_year_one_is_refused_inline(keel: RunningKeel) -> None:
    view = open_form(keel)
    answer = keel.slack.interaction(view_submission(view, form_values(occurred="0001-01-01")))
    assert answer.status == 200
    assert answer.json() == {
        "response_action": "errors",
        "errors": {"occurred": "That date is too far back: pick the day it happened."},
    }
    assert _records(keel) == 0


def test_a_process_that_does_not_exist_is_refused_inline(keel: RunningKeel) -> None:
    view = open_form(keel)
    values = form_values()
    option = {"text": {"type": "plain_text", "text": "Forged"}, "value": "424242"}
    values["process"] = {"input": {"type": "static_select", "selected_option": option}}
    answer = keel.slack.interaction(view_submission(view, values))
    assert answer.json()["errors"] == {
        "process": "That process is not in Keel any more: choose another."
    }
    assert _records(keel) == 0


def test_a_forged_raised_from_link_is_not_put_on_the_card(keel: RunningKeel) -> None:
    view = open_form(keel)
    view["private_metadata"] = '{"permalink": "https://evil.example/x|click <!channel>"}'
    answer = keel.slack.interaction(view_submission(view, form_values()))
    assert answer.json()["response_action"] == "update"
    with keel.db.reading() as session:
        assert session.scalars(select(Record.source_permalink)).one() is None


def test_home_opened_without_a_user_is_answered_and_ignored(
    keel: RunningKeel, listener_errors: Callable[[], list[str]]
) -> None:
    for event in (
        {"type": "app_home_opened", "tab": "home"},
        {"type": "app_home_opened", "tab": "home", "user": {"id": "UALICE"}},
    ):
        assert keel.slack.event(event).status == 200
    _settle(keel)
    assert [call.args["user_id"] for call in keel.fake.calls_to("views.publish")] == ["UALICE"]
    assert listener_errors() == []


def test_a_thread_reply_with_a_number_for_its_thread_is_ignored(
    keel: RunningKeel, listener_errors: Callable[[], list[str]]
) -> None:
    card = raise_and_get_card(keel)
    written = history_rows(keel)
    reply = {
        "type": "message",
        "channel": card.channel,
        "user": "UBOB",
        "text": "done: labels reprinted",
        "ts": "1800000000.000100",
        "thread_ts": int(float(card.ts)),
    }
    assert keel.slack.event(reply).status == 200
    _settle(keel)
    assert history_rows(keel) == written
    assert listener_errors() == []


def _settle(keel: RunningKeel) -> None:
    """Wait until a later event has been handled: the one before it has been too."""
    before = len(keel.fake.calls_to("views.publish"))
    keel.slack.event({"type": "app_home_opened", "user": "UALICE", "tab": "home"})
    keel.fake.wait_for(lambda: keel.fake.calls_to("views.publish")[before:])


def _records(keel: RunningKeel) -> int:
    with keel.db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(Record)) or 0)


def test_an_event_that_names_no_workspace_is_refused_at_the_edge(
    keel: RunningKeel, listener_errors: Callable[[], list[str]]
) -> None:
    for team in ({}, {"team_id": ""}, {"team_id": None}):
        envelope = {
            "type": "event_callback",
            "event_id": "Ev0NOTEAM",
            "event": {"type": "app_home_opened", "user": "UALICE", "tab": "home"},
            **team,
        }
        assert keel.slack.post(json.dumps(envelope), "application/json").status == 400
    _settle(keel)
    assert len(keel.fake.calls_to("views.publish")) == 1  # _settle's own, no other
    assert listener_errors() == []
