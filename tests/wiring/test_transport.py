"""What reaches Keel over HTTP before any listener: every word the framework's parsing looks
for is only a word, unsigned or unreadable requests are refused in one log line, and
requests from an older Keel are answered."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from bot.domain.commands import ListActions, SuggestCommand, parse_command
from storage.models import Record
from tests.conftest import RunningKeel
from tests.fake_slack import TEAM_ID
from tests.slack_requests import (
    FRAMEWORK_WORDS,
    block_action,
    form_values,
    view_submission,
)
from tests.wiring.test_raise_record import open_form, record_count

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def title_prefilled(view: dict[str, Any]) -> str:
    for block in view["blocks"]:
        if block.get("block_id") == "title":
            return str(block["element"].get("initial_value") or "")
    raise AssertionError("the form has no title")


def tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.exc_info]


# -- words ----------------------------------------------------------------------------------------


def test_every_word_the_framework_looks_for_is_a_title_like_any_other(keel: RunningKeel) -> None:
    for word in FRAMEWORK_WORDS:
        for text in (word, f"{word} bay door jammed on line 2"):
            if isinstance(parse_command(text), SuggestCommand):
                # A word close to a subcommand ("channel") is asked about, as any typo is.
                answer = keel.slack.command(text)
                assert answer.status == 200, text
                assert "Raise a record titled" in answer.body, text
                continue
            if isinstance(parse_command(text), ListActions):
                # `/nc actions` is the open actions register: answered, never an error.
                answer = keel.slack.command(text)
                assert answer.status == 200 and "open actions" in answer.json()["text"], text
                continue
            view = open_form(keel, text)
            assert title_prefilled(view) == " ".join(text.split())[:150], text


def test_framework_words_in_every_field_of_a_command_are_only_words(keel: RunningKeel) -> None:
    for word in ("payload", "ssl_check", "type", "{", "url_verification"):
        before = len(keel.fake.calls_to("views.open"))
        answer = keel.slack.command(
            "payload", fields={"channel_name": word, "user_name": word, "team_domain": word}
        )
        assert (answer.status, answer.body) == (200, ""), word
        assert keel.fake.wait_for(_opened_after(keel, before)), word


def _opened_after(keel: RunningKeel, before: int) -> Callable[[], bool]:
    return lambda: len(keel.fake.calls_to("views.open")) > before


def test_a_command_whose_fields_come_in_another_order_is_still_a_command(
    keel: RunningKeel,
) -> None:
    body = (
        "text=payload%3D%7B%7D&command=%2Fnc&team_id="
        + TEAM_ID
        + "&user_id=UALICE&channel_id=CGENERAL&trigger_id=1.2.3&response_url="
        + keel.fake.response_url()
    )
    answer = keel.slack.post(body, FORM)
    assert (answer.status, answer.body) == (200, "")
    views = keel.fake.wait_for(lambda: keel.fake.calls_to("views.open"))
    assert title_prefilled(views[-1].args["view"]) == "payload={}"


def test_every_word_the_framework_looks_for_is_kept_as_typed_in_a_form(
    keel: RunningKeel,
) -> None:
    view = open_form(keel)
    for number, word in enumerate(FRAMEWORK_WORDS, start=1):
        values = form_values(
            title=f"{word} label",
            description=f"{word}",
            location=word,
            containment=f"type={word}&payload={word}",
        )
        answer = keel.slack.interaction(view_submission(view, values, view_id=f"VWORD{number}"))
        assert answer.status == 200, (word, answer.body)
        assert answer.json()["response_action"] == "update", (word, answer.body)
    with keel.db.reading() as session:
        titles = list(session.scalars(select(Record.title).order_by(Record.id)))
        descriptions = list(session.scalars(select(Record.description).order_by(Record.id)))
    assert titles == [f"{word} label" for word in FRAMEWORK_WORDS]
    assert descriptions == list(FRAMEWORK_WORDS)


# -- refused before parsing -----------------------------------------------------------------------


BAD_BODIES: list[tuple[str, bytes, str]] = [
    ("truncated JSON", b'{"type": "event_callback", "event": {"type": "mess', JSON),
    ("not UTF-8", b"command=%2Fnc&text=\xff\xfe\xc3", FORM),
    ("not UTF-8 JSON", b'{"type": "\xff"}', JSON),
    ("payload not JSON", b"payload=%7Bnot+json", FORM),
    ("payload a list", b"payload=%5B1%2C2%5D", FORM),
    ("JSON a list", b"[1, 2, 3]", JSON),
    ("deep JSON", b"[" * 100_000 + b"]" * 100_000, JSON),
    ("wrong content type", b"command=%2Fnc&text=hi", "text/plain"),
]
BAD_IDS = [what for what, _, _ in BAD_BODIES]


@pytest.mark.parametrize(("what", "body", "content_type"), BAD_BODIES, ids=BAD_IDS)
def test_unsigned_requests_are_refused_401_in_one_line(
    keel: RunningKeel,
    caplog: pytest.LogCaptureFixture,
    what: str,
    body: bytes,
    content_type: str,
) -> None:
    with caplog.at_level(logging.INFO):
        answer = keel.slack.post(body, content_type, signature="v0=" + "0" * 64)
    assert answer.status == 401, what
    assert tracebacks(caplog) == []
    assert [r.getMessage() for r in caplog.records if r.name == "bot.process.server"] == [
        "refused a request to /slack/events (401): no valid Slack signature"
    ]


@pytest.mark.parametrize(("what", "body", "content_type"), BAD_BODIES, ids=BAD_IDS)
def test_signed_requests_keel_cannot_read_are_refused_in_one_line(
    keel: RunningKeel,
    caplog: pytest.LogCaptureFixture,
    what: str,
    body: bytes,
    content_type: str,
) -> None:
    with caplog.at_level(logging.INFO):
        answer = keel.slack.post(body, content_type)
    assert answer.status == (415 if content_type == "text/plain" else 400), what
    assert tracebacks(caplog) == []
    assert len([r for r in caplog.records if r.name == "bot.process.server"]) == 1
    assert keel.fake.calls_to("views.open") == []


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Slack-Request-Timestamp": "not a number"},
        {"X-Slack-Request-Timestamp": "9" * 5000},
        {"X-Slack-Request-Timestamp": "\u00b2\u00b3"},  # digits to isdigit(), not to int()
        {"X-Slack-Signature": "v0=é"},
        {"X-Slack-Signature": ""},
    ],
)
def test_odd_signature_headers_are_refused_401(
    keel: RunningKeel, caplog: pytest.LogCaptureFixture, headers: dict[str, str]
) -> None:
    with caplog.at_level(logging.INFO):
        answer = keel.slack.post("command=%2Fnc&text=hi", FORM, headers=headers)
    assert answer.status == 401
    assert tracebacks(caplog) == []


def test_a_signed_body_without_a_content_type_is_read_by_its_first_character(
    keel: RunningKeel,
) -> None:
    challenge = json.dumps({"type": "url_verification", "challenge": "c-123", "token": "x"})
    answer = keel.slack.post(challenge, "")
    assert answer.status == 200 and "c-123" in answer.body


def test_ssl_check_is_answered(keel: RunningKeel) -> None:
    answer = keel.slack.post("ssl_check=1&token=legacy", FORM)
    assert (answer.status, answer.body) == (200, "")


# -- older Keel, other requests -------------------------------------------------------------------


def test_an_old_button_is_answered_with_what_to_do_instead(keel: RunningKeel) -> None:
    payload = block_action(
        "escalate_record",
        "7",
        channel="CQUALITY",
        message_ts="1.0001",
        response_url=keel.fake.response_url("old"),
    )
    payload["message"]["text"] = "NC-0007 Wrong label on batch 2231"
    answer = keel.slack.interaction(payload)
    assert (answer.status, answer.body) == (200, "")
    told = keel.fake.wait_for(lambda: keel.fake.calls_to("response_url"))
    text = told[-1].args["text"]
    assert "older version of Keel" in text and "/nc NC-0007" in text
    assert told[-1].args["response_type"] == "ephemeral"


def test_an_old_button_without_a_reference_points_to_the_list(keel: RunningKeel) -> None:
    answer = keel.slack.interaction(block_action("old_thing", "x"))
    assert (answer.status, answer.body) == (200, "")
    told = keel.fake.wait_for(lambda: keel.fake.calls_to("chat.postMessage"))
    assert told[-1].args["channel"] == "UALICE"
    assert "older version of Keel" in told[-1].args["text"]
    assert "/nc list" in told[-1].args["text"]


def test_an_old_form_is_answered_in_the_modal_and_its_text_kept(keel: RunningKeel) -> None:
    view = {"type": "modal", "callback_id": "raise_record_v0", "blocks": []}
    values = form_values(title="Forklift reversing without a spotter")
    answer = keel.slack.interaction(view_submission(view, values))
    assert answer.status == 200
    reply = answer.json()
    assert reply["response_action"] == "update"
    assert "older version of Keel" in json.dumps(reply["view"])
    told = keel.fake.wait_for(lambda: keel.fake.calls_to("chat.postMessage"))
    assert "Forklift reversing without a spotter" in json.dumps(told[-1].args["blocks"])
    assert record_count(keel) == 0


def test_an_old_shortcut_and_a_closed_old_form_are_answered(keel: RunningKeel) -> None:
    shortcut = {
        "type": "shortcut",
        "callback_id": "raise_quick",
        "trigger_id": "1.2.3",
        "team": {"id": TEAM_ID},
        "user": {"id": "UALICE", "team_id": TEAM_ID},
    }
    assert keel.slack.interaction(shortcut).status == 200
    told = keel.fake.wait_for(lambda: keel.fake.calls_to("chat.postMessage"))
    assert "older version of Keel" in told[-1].args["text"]
    closed = {
        "type": "view_closed",
        "team": {"id": TEAM_ID},
        "user": {"id": "UALICE", "team_id": TEAM_ID},
        "view": {"id": "VOLD", "callback_id": "gone", "type": "modal"},
    }
    assert (keel.slack.interaction(closed).status, keel.slack.interaction(closed).body) == (200, "")


def test_another_slash_command_is_told_which_one_keel_answers(keel: RunningKeel) -> None:
    answer = keel.slack.command("hello", fields={"command": "/keel"})
    assert answer.status == 200
    assert "/nc help" in answer.json()["text"]


@pytest.mark.parametrize(
    "envelope",
    [
        {"type": "app_rate_limited", "team_id": TEAM_ID, "minute_rate_limited": 1518467820},
        {"type": "event_callback", "team_id": TEAM_ID, "event_id": "Ev1", "event": {}},
        {"type": "event_callback", "team_id": TEAM_ID, "event_id": "Ev2"},
        {"type": "something_new", "team_id": TEAM_ID},
        {"team_id": TEAM_ID},
        {},
    ],
)
def test_envelopes_keel_does_not_know_get_a_2xx(
    keel: RunningKeel, caplog: pytest.LogCaptureFixture, envelope: dict[str, Any]
) -> None:
    with caplog.at_level(logging.INFO):
        answer = keel.slack.post(json.dumps(envelope), JSON)
    assert answer.status == 200, answer.body
    assert tracebacks(caplog) == []


# -- the error path -------------------------------------------------------------------------------


WRONG_STATES: list[Any] = [
    {"title": "a string where a block should be"},
    {"title": {"input": "a string where an element should be"}},
    {"title": {"input": {"type": "plain_text_input", "value": 42}}},
    {"kind": {"input": {"type": "static_select", "selected_option": "nonconformity"}}},
    {"occurred": {"input": {"type": "datepicker", "selected_date": ["2026-11-20"]}}},
    [],
    "values",
]


@pytest.mark.parametrize("values", WRONG_STATES)
def test_a_form_of_the_wrong_shape_is_answered_at_once_and_writes_nothing(
    keel: RunningKeel, values: Any
) -> None:
    view = open_form(keel)
    payload = view_submission(view, form_values())
    if isinstance(values, dict):
        payload["view"]["state"]["values"].update(values)
    else:
        payload["view"]["state"]["values"] = values
    started = time.monotonic()
    answer = keel.slack.interaction(payload)
    assert answer.status == 200, answer.body
    assert time.monotonic() - started < 2.5  # Slack gives up at 3 s
    outcome = answer.json()["response_action"] if answer.body else "closed"
    # Refused (errors), failed (closed, the person told privately) or read as a whole record.
    assert record_count(keel) == (1 if outcome == "update" else 0), outcome
