"""Events, retries, signatures and health, as Slack and operators see them."""

from __future__ import annotations

import http.client
import json
import time
from urllib.parse import urlsplit

from sqlalchemy import select

from storage.models import History, Record
from tests.conftest import QUALITY_CHANNEL, RunningKeel
from tests.slack_requests import sign
from tests.wiring.test_commands import raise_records


def card_ts(keel: RunningKeel) -> str:
    """The ts of the record's card, once Keel has stored it (the reporter's DM comes after)."""
    keel.fake.wait_for(lambda: keel.fake.posts_to("UALICE"))
    with keel.db.reading() as session:
        return str(session.scalars(select(Record.card_ts)).one())


def history_events(keel: RunningKeel) -> list[str]:
    with keel.db.reading() as session:
        return list(session.scalars(select(History.event).order_by(History.id)))


def reply(thread_ts: str, text: str, ts: str = "1700000100.000100", user: str = "UBOB") -> dict:
    return {
        "type": "message",
        "channel": QUALITY_CHANNEL,
        "user": user,
        "text": text,
        "ts": ts,
        "thread_ts": thread_ts,
        "channel_type": "channel",
        "event_ts": ts,
    }


def test_a_thread_reply_is_kept_once_however_often_slack_retries_it(keel: RunningKeel) -> None:
    raise_records(keel, 1)
    thread = card_ts(keel)
    for retry in (None, 1, 2):
        answer = keel.slack.event(
            reply(thread, "Seal replaced on line 2"), event_id="EvREPLY1", retry=retry
        )
        assert answer.status == 200
    keel.fake.wait_for(lambda: "thread_reply" in history_events(keel))
    time.sleep(0.2)  # give any wrongly accepted retry the chance to land
    assert history_events(keel).count("thread_reply") == 1


def test_edited_and_deleted_replies_are_recorded(keel: RunningKeel) -> None:
    raise_records(keel, 1)
    thread = card_ts(keel)
    original = {
        "type": "message",
        "user": "UBOB",
        "text": "Seal replaced",
        "ts": "1700000100.000100",
        "thread_ts": thread,
    }
    keel.slack.event(
        {
            "type": "message",
            "subtype": "message_changed",
            "channel": QUALITY_CHANNEL,
            "hidden": True,
            "ts": "1700000200.000100",
            "message": dict(original, text="Seal and gasket replaced"),
            "previous_message": original,
        }
    )
    keel.slack.event(
        {
            "type": "message",
            "subtype": "message_deleted",
            "channel": QUALITY_CHANNEL,
            "hidden": True,
            "ts": "1700000300.000100",
            "deleted_ts": original["ts"],
            "previous_message": original,
        }
    )
    # Slack does not promise the order of events, and Keel handles them in parallel.
    keel.fake.wait_for(
        lambda: {"thread_reply_edited", "thread_reply_deleted"} <= set(history_events(keel))
    )


def test_every_subscribed_event_gets_a_2xx(keel: RunningKeel) -> None:
    events = [
        {"type": "message", "channel": "CGENERAL", "user": "UBOB", "text": "hi", "ts": "1.1"},
        {
            "type": "message",
            "subtype": "bot_message",
            "channel": "CGENERAL",
            "bot_id": "BOTHER",
            "text": "x",
            "ts": "1.2",
        },
        {
            "type": "message",
            "subtype": "channel_join",
            "channel": "CGENERAL",
            "user": "UBOB",
            "ts": "1.3",
        },
        {
            "type": "message",
            "subtype": "thread_broadcast",
            "channel": "CGENERAL",
            "user": "UBOB",
            "ts": "1.4",
            "thread_ts": "1.0",
        },
        {
            "type": "message",
            "subtype": "message_changed",
            "channel": "CGENERAL",
            "hidden": True,
            "ts": "1.5",
            "message": {
                "text": "parent",
                "user": "UBOB",
                "ts": "1.0",
                "thread_ts": "1.0",
                "reply_count": 2,
            },
            "previous_message": {"text": "parent", "user": "UBOB", "ts": "1.0", "thread_ts": "1.0"},
        },
        {
            "type": "message",
            "subtype": "message_deleted",
            "channel": "CGENERAL",
            "hidden": True,
            "ts": "1.6",
            "deleted_ts": "1.1",
        },
        {"type": "app_home_opened", "user": "UALICE", "channel": "DALICE", "tab": "home"},
        {"type": "app_home_opened", "user": "UALICE", "channel": "DALICE", "tab": "messages"},
        {"type": "app_uninstalled"},
        {"type": "tokens_revoked", "tokens": {"bot": ["UKEELBOT"]}},
        {"type": "reaction_added", "user": "UBOB", "reaction": "eyes"},
    ]
    for event in events:
        answer = keel.slack.event(event)
        assert answer.status == 200, (event, answer.status, answer.body)
    home = keel.fake.wait_for(lambda: keel.fake.calls_to("views.publish"))
    assert home[0].args["user_id"] == "UALICE"


def test_unsigned_forged_and_stale_requests_are_refused(keel: RunningKeel) -> None:
    body = "command=%2Fnc&text=help&team_id=T0KEEL&user_id=UALICE"
    form = "application/x-www-form-urlencoded"
    assert keel.slack.post(body, form, signature="v0=" + "0" * 64).status == 401
    stale = int(time.time()) - 301
    assert keel.slack.post(body, form, timestamp=stale, signature=sign(body, stale)).status == 401
    wrong_secret = sign(body, int(time.time()), secret="not-the-secret")
    assert keel.slack.post(body, form, signature=wrong_secret).status == 401
    assert keel.fake.calls_to("views.open") == []


def test_url_verification_is_answered(keel: RunningKeel) -> None:
    body = json.dumps(
        {
            "type": "url_verification",
            "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
            "token": "x",
        }
    )
    answer = keel.slack.post(body, "application/json")
    assert answer.status == 200 and "3eZbrw1aBm2rZgRNFdxV" in answer.body


def test_healthz_answers_and_other_paths_do_not(keel: RunningKeel) -> None:
    parts = urlsplit(keel.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    connection.request("GET", "/healthz")
    assert connection.getresponse().status == 200
    connection.close()
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    connection.request("GET", "/admin")
    assert connection.getresponse().status == 404
    connection.close()
