"""Hostile transport and payloads of the wrong shape, through the signed HTTP path: never a
5xx, never a hang, never a traceback logged from Keel's code, never a partial write."""

from __future__ import annotations

import itertools
import json
import logging
import time
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from storage.models import Action, History, Record
from tests.conftest import RunningKeel
from tests.fake_slack import TEAM_ID
from tests.slack_requests import block_action, form_values, view_submission
from tests.wiring.test_raise_record import open_form

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Slack gives up after 3 s; a loaded test machine gets some slack of its own.
ANSWER_SECONDS = 5.0
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

_triggers = itertools.count(1)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def rows(keel: RunningKeel) -> tuple[int, int, int]:
    with keel.db.reading() as session:
        return tuple(  # type: ignore[return-value]
            int(session.scalar(select(func.count()).select_from(table)) or 0)
            for table in (Record, Action, History)
        )


def keel_tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        f"{record.name}: {record.getMessage()}"
        for record in caplog.records
        if record.exc_info and not record.name.startswith("hypothesis")
    ]


def timed_post(keel: RunningKeel, body: bytes | str, content_type: str, **kwargs: Any) -> int:
    started = time.monotonic()
    answer = keel.slack.post(body, content_type, **kwargs)
    assert time.monotonic() - started < ANSWER_SECONDS
    assert answer.status < 500, answer.body
    return answer.status


# -- malformed transport --------------------------------------------------------------------------


def command_body() -> bytes:
    fields = {"token": "t", "team_id": TEAM_ID, "user_id": "UALICE", "command": "/nc"}
    return urlencode(
        {**fields, "text": "Spill at bay 4", "trigger_id": f"{next(_triggers)}.2.3"}
    ).encode()


def interaction_body() -> bytes:
    return urlencode({"payload": json.dumps(block_action("view_record", "1"))}).encode()


def event_body() -> bytes:
    event = {"type": "message", "channel": "CGENERAL", "user": "UBOB", "text": "x", "ts": "1.1"}
    envelope = {"type": "event_callback", "team_id": TEAM_ID, "event_id": "Ev9", "event": event}
    return json.dumps(envelope).encode()


BODIES = {"command": command_body(), "interaction": interaction_body(), "event": event_body()}


@st.composite
def broken_bodies(draw: st.DrawFn) -> tuple[bytes, str]:
    body = BODIES[draw(st.sampled_from(sorted(BODIES)))]
    how = draw(st.sampled_from(["truncated", "not utf-8", "garbage payload", "random", "as is"]))
    if how == "truncated":
        body = body[: draw(st.integers(0, len(body) - 1))]
    elif how == "not utf-8":
        at = draw(st.integers(0, len(body)))
        body = body[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x80"]))
        body += body[at:]
    elif how == "garbage payload":
        garbage = draw(st.text(max_size=40) | json_values.map(json.dumps))
        body = urlencode({"payload": garbage}).encode()
    elif how == "random":
        body = draw(st.binary(max_size=200))
    content_type = draw(
        st.sampled_from([FORM, JSON, "", "text/plain", "multipart/form-data", f"{JSON}; x=y"])
    )
    return body, content_type


@FUZZ
@given(broken=broken_bodies(), signed=st.booleans())
def test_malformed_transport_is_refused_or_answered_never_5xx(
    keel: RunningKeel,
    caplog: pytest.LogCaptureFixture,
    broken: tuple[bytes, str],
    signed: bool,
) -> None:
    body, content_type = broken
    caplog.clear()
    before = rows(keel)
    with caplog.at_level(logging.INFO):
        status = timed_post(
            keel, body, content_type, **({} if signed else {"signature": "v0=" + "1" * 64})
        )
    if not signed:
        assert status == 401
    assert status in (200, 400, 401, 415)
    assert keel_tracebacks(caplog) == []
    assert rows(keel) == before


# -- payloads of the wrong shape ------------------------------------------------------------------


def paths(tree: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(tree, dict):
        for key, value in tree.items():
            found += paths(value, (*prefix, key))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            found += paths(value, (*prefix, index))
    return found


def mutate(tree: Any, path: tuple[Any, ...], value: Any, delete: bool) -> Any:
    copied = json.loads(json.dumps(tree))
    parent = copied
    for step in path[:-1]:
        parent = parent[step]
    if delete and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return copied


def payloads(keel: RunningKeel, view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    user = {"id": "UALICE", "username": "alice", "team_id": TEAM_ID}
    team = {"id": TEAM_ID, "domain": "keel-test"}
    message = {"type": "message", "ts": "1.0001", "text": "NC-0001 card", "user": "UBOB"}

    def event(inner: dict[str, Any]) -> dict[str, Any]:
        return {"type": "event_callback", "team_id": TEAM_ID, "event_id": "EvX", "event": inner}

    return {
        "block_actions": block_action(
            "change_status",
            "1",
            channel="CQUALITY",
            message_ts="1.0001",
            response_url=keel.fake.response_url(),
        ),
        "view_submission": view_submission(view, form_values()),
        "view_closed": dict(view_submission(view, form_values()), type="view_closed"),
        "shortcut": {
            "type": "shortcut",
            "callback_id": "raise_from_message",
            "team": team,
            "user": user,
            "trigger_id": f"{next(_triggers)}.2.3",
        },
        "message_action": {
            "type": "message_action",
            "callback_id": "raise_from_message",
            "team": team,
            "user": user,
            "channel": {"id": "CGENERAL", "name": "general"},
            "message": message,
            "trigger_id": f"{next(_triggers)}.2.3",
            "response_url": keel.fake.response_url(),
        },
        "event_unknown": event({"type": "pin_added", "user": "UBOB", "channel_id": "CGENERAL"}),
        "event_message": event(
            {
                "type": "message",
                "channel": "CGENERAL",
                "user": "UBOB",
                "text": "done",
                "ts": "2.0",
                "thread_ts": "1.0001",
            }
        ),
        "event_home": event({"type": "app_home_opened", "user": "UALICE", "tab": "home"}),
    }


_opened: dict[int, dict[str, Any]] = {}
# The fields requests are routed on: Keel checks them before any listener runs.
ENVELOPE_PATHS = {
    ("view", "id"),
    ("view", "callback_id"),
    ("view", "type"),
    ("user", "id"),
    ("team", "id"),
    ("actions", 0),
    ("actions", 0, "action_id"),
    ("actions", 0, "block_id"),
    ("event", "type"),
    ("event", "subtype"),
}
LISTENER_FAILED = "bot.handlers.errors: unhandled error in a listener"


@FUZZ
@given(
    data=st.data(),
    kind=st.sampled_from(
        [
            "command",
            "block_actions",
            "view_submission",
            "view_closed",
            "shortcut",
            "message_action",
            "event_unknown",
            "event_message",
            "event_home",
        ]
    ),
)
def test_payloads_of_the_wrong_shape_never_break_keel(
    keel: RunningKeel, caplog: pytest.LogCaptureFixture, data: st.DataObject, kind: str
) -> None:
    if id(keel) not in _opened:
        _opened.clear()
        _opened[id(keel)] = open_form(keel)
    caplog.clear()
    before = rows(keel)
    delete = data.draw(st.booleans(), label="delete")
    path: tuple[Any, ...] = ()
    with caplog.at_level(logging.INFO):
        if kind == "command":
            fields = {
                "token": "t",
                "team_id": TEAM_ID,
                "user_id": "UALICE",
                "command": "/nc",
                "text": "Spill",
                "channel_id": "CGENERAL",
                "trigger_id": f"{next(_triggers)}.2.3",
            }
            key = data.draw(st.sampled_from(sorted(fields)), label="field")
            if delete:
                del fields[key]
            else:
                fields[key] = data.draw(st.text(max_size=30), label="value")
            status = timed_post(keel, urlencode(fields), FORM)
        else:
            base = payloads(keel, _opened[id(keel)])[kind]
            path = data.draw(st.sampled_from(paths(base)), label="path")
            value = data.draw(json_values, label="value")
            payload = mutate(base, path, value, delete)
            if kind.startswith("event"):
                status = timed_post(keel, json.dumps(payload), JSON)
            else:
                status = timed_post(keel, urlencode({"payload": json.dumps(payload)}), FORM)
        # Work after the ack: give it a moment to log anything it would.
        time.sleep(0.05)
    assert status in (200, 400)
    if kind == "command" or len(path) == 1 or path in ENVELOPE_PATHS:
        assert keel_tracebacks(caplog) == []
    else:
        # A value inside the envelope (a button's value, a form's state) is each listener's
        # to parse; until every listener parses at the edge, one that fails still answers
        # (above) and is logged once by the error handler, never by the transport.
        assert [t for t in keel_tracebacks(caplog) if not t.startswith(LISTENER_FAILED)] == []
    after = rows(keel)
    # A record comes whole (its record row and its history) or not at all.
    assert after[0] - before[0] in (0, 1)
    assert (after[0] == before[0]) == (after[2] == before[2]) or after[0] == before[0]
