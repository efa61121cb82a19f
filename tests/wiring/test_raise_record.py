"""/nc end to end: signed requests in, Slack calls out, through the real HTTP server."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import Any

import pytest
from slack_bolt.listener import thread_runner
from sqlalchemy import func, select, text

from storage.models import History, Record
from tests.blocks import mrkdwn_texts
from tests.conftest import QUALITY_CHANNEL, RunningKeel
from tests.fake_slack import TEAM_ID
from tests.slack_requests import form_values, view_submission


def open_form(keel: RunningKeel, text: str = "", user: str = "UALICE") -> dict[str, Any]:
    before = len(keel.fake.calls_to("views.open"))
    answer = keel.slack.command(text, user=user)
    assert answer.status == 200 and answer.body == ""
    calls = keel.fake.wait_for(lambda: keel.fake.calls_to("views.open")[before:])
    return dict(calls[-1].args["view"])


def record_count(keel: RunningKeel) -> int:
    with keel.db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(Record)) or 0)


def input_labels(view: dict[str, Any]) -> list[str]:
    return [block["label"]["text"] for block in view["blocks"] if block["type"] == "input"]


def test_nc_opens_the_form_and_a_submission_posts_one_escaped_card(keel: RunningKeel) -> None:
    view = open_form(keel)
    assert {"What kind of record is it?", "Title", "What happened?", "When did it happen?"} <= set(
        input_labels(view)
    )

    values = form_values(title="<!channel> label mix-up", description="Batch & box <b>")
    answer = keel.slack.interaction(view_submission(view, values))

    assert answer.status == 200
    assert answer.json()["response_action"] == "update"
    assert "NC-0001" in answer.body
    card = keel.fake.wait_for(lambda: keel.fake.posts_to(QUALITY_CHANNEL))
    assert len(card) == 1
    rendered = " ".join([*mrkdwn_texts(card[0].args["blocks"]), card[0].args["text"]])
    assert "<!channel>" not in rendered and "&lt;!channel&gt;" in rendered
    assert "Batch &amp; box &lt;b&gt;" in rendered
    dm = keel.fake.wait_for(lambda: keel.fake.posts_to("UALICE"))
    assert "NC-0001" in dm[0].args["text"]
    assert "archives/CQUALITY" in str(dm[0].args["blocks"])
    with keel.db.reading() as session:
        record = session.scalars(select(Record)).one()
        assert record.card_channel == QUALITY_CHANNEL and record.card_ts
        assert session.scalars(select(History)).one().event == "raised"


def test_nc_with_text_prefills_the_title(keel: RunningKeel) -> None:
    view = open_form(keel, "Forklift brakes soft")
    title = next(b for b in view["blocks"] if b["block_id"] == "title")
    assert title["element"]["initial_value"] == "Forklift brakes soft"


def test_the_form_date_defaults_to_today_in_the_workspace_time_zone(keel: RunningKeel) -> None:
    keel.clock.set(keel.clock.now().replace(hour=23, minute=30))  # 00:30 next day in Berlin
    view = open_form(keel)
    occurred = next(b for b in view["blocks"] if b["block_id"] == "occurred")
    assert occurred["element"]["initial_date"] == "2026-11-24"


def test_invalid_input_gets_inline_errors_and_saves_nothing(keel: RunningKeel) -> None:
    view = open_form(keel)
    values = form_values(title="  ", occurred="2031-01-01", kind="nonconformity", anonymous=True)
    answer = keel.slack.interaction(view_submission(view, values))
    assert answer.status == 200
    body = answer.json()
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {"title", "occurred", "anonymous"}
    assert record_count(keel) == 0


def test_a_double_click_makes_one_record_and_one_card(keel: RunningKeel) -> None:
    view = open_form(keel)
    payload = view_submission(view, form_values(), view_id="VDOUBLE")
    answers: list[int] = []
    threads = [
        threading.Thread(target=lambda: answers.append(keel.slack.interaction(payload).status))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [200] * 4
    keel.fake.wait_for(lambda: keel.fake.posts_to("UALICE"))
    assert record_count(keel) == 1
    assert len(keel.fake.posts_to(QUALITY_CHANNEL)) == 1


def test_an_anonymous_near_miss_is_stored_without_the_reporter(keel: RunningKeel) -> None:
    view = open_form(keel, user="USECRET")
    values = form_values(kind="near_miss", anonymous=True, title="Pallet fell near walkway")
    answer = keel.slack.interaction(view_submission(view, values, user="USECRET"))
    assert "anonymously" in answer.body and "did not store who you are" in answer.body
    card = keel.fake.wait_for(lambda: keel.fake.posts_to(QUALITY_CHANNEL))
    assert "anonymous" in str(card[0].args["blocks"]) and "USECRET" not in str(card[0].args)
    with keel.db.reading() as session:
        for table in ("record", "history", "outbox_message"):
            rows = session.execute(text(f"SELECT * FROM {table}")).all()  # noqa: S608
            assert "USECRET" not in str(rows)
    assert keel.fake.posts_to("USECRET") == []


def test_the_card_arrives_once_slack_recovers_from_a_minute_of_500s(keel: RunningKeel) -> None:
    keel.fake.fail("chat.postMessage", status=500, times=-1)
    view = open_form(keel)
    answer = keel.slack.interaction(view_submission(view, form_values()))
    assert answer.status == 200 and "NC-0001" in answer.body
    keel.fake.wait_for(lambda: keel.fake.calls_to("chat.postMessage", ok_only=False))
    for _ in range(6):
        keel.clock.advance(timedelta(seconds=10))
        keel.runtime.worker.wake()
    assert keel.fake.posts_to(QUALITY_CHANNEL) == []
    keel.fake.heal()
    keel.clock.advance(timedelta(minutes=1))
    keel.runtime.worker.wake()
    keel.fake.wait_for(lambda: keel.fake.posts_to("UALICE"))
    assert len(keel.fake.posts_to(QUALITY_CHANNEL)) == 1
    assert record_count(keel) == 1


def test_a_missing_channel_is_reported_to_leads_and_reporter(keel: RunningKeel) -> None:
    del keel.fake.channels[QUALITY_CHANNEL]
    view = open_form(keel)
    keel.slack.interaction(view_submission(view, form_values()))
    lead_notice = keel.fake.wait_for(lambda: keel.fake.posts_to("ULEAD"))
    reporter_notice = keel.fake.wait_for(lambda: keel.fake.posts_to("UALICE"))
    assert "NC-0001" in lead_notice[0].args["text"]
    assert "NC-0001" in reporter_notice[0].args["text"]
    assert record_count(keel) == 1


def test_views_open_failing_tells_the_person(keel: RunningKeel) -> None:
    keel.fake.fail("views.open", status=200, error="expired_trigger_id")
    answer = keel.slack.command("")
    assert answer.status == 200
    notice = keel.fake.wait_for(lambda: keel.fake.calls_to("response_url"))
    assert "try again" in notice[0].args["text"].lower()


def test_a_channel_set_by_another_process_gets_the_card_despite_the_cache(
    keel: RunningKeel,
) -> None:
    """This process cached the workspace without a quality channel; another process has set
    one since. The record still gets its card there."""
    open_form(keel)  # the workspace's first request creates its row
    with keel.db.transaction() as session:
        session.execute(text("UPDATE workspace SET quality_channel = NULL"))
    keel.runtime.deps.cache.forget("workspace")
    view = open_form(keel)  # caches the row without a channel
    assert keel.runtime.deps.cache.get(("workspace", TEAM_ID), lambda: None).quality_channel is None
    with keel.db.transaction() as session:
        session.execute(
            text("UPDATE workspace SET quality_channel = :channel"), {"channel": QUALITY_CHANNEL}
        )

    answer = keel.slack.interaction(view_submission(view, form_values(title="Spill")))

    assert answer.status == 200 and "NC-0001" in answer.body
    cards = keel.fake.wait_for(lambda: keel.fake.posts_to(QUALITY_CHANNEL))
    assert "NC-0001" in cards[0].args["text"]


class _CountingTime:
    """Bolt's thread runner's view of the `time` module: counts its 10 ms polls for an ack."""

    def __init__(self) -> None:
        self.sleeps = 0

    def time(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        self.sleeps += 1
        time.sleep(seconds)


def test_slack_is_answered_at_ack_without_waiting_for_bolts_poll(
    keel: RunningKeel, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bolt polls for the ack every 10 ms; Keel's request threads are woken by ack() itself
    (bot/prompt_ack.py), so the command and the submission are answered with no poll."""
    counting = _CountingTime()
    monkeypatch.setattr(thread_runner, "time", counting)

    view = open_form(keel)
    answer = keel.slack.interaction(view_submission(view, form_values(title="Prompt")))

    assert answer.status == 200 and answer.json()["response_action"] == "update"
    assert counting.sleeps == 0
