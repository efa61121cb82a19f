"""A mistyped subcommand is not a record: Keel asks what was meant."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.ids import ActionId
from storage.models import Record
from tests.blocks import button_labels, mrkdwn_texts
from tests.conftest import RunningKeel
from tests.slack_requests import block_action


def test_a_typo_asks_did_you_mean_and_opens_no_form(keel: RunningKeel) -> None:
    answer = keel.slack.command("lsit")
    assert answer.status == 200
    body = answer.json()
    assert "Did you mean `/nc list`?" in " ".join(mrkdwn_texts(body["blocks"]))
    assert button_labels(body["blocks"]) == ["/nc list", "Raise a record titled “lsit”"]
    assert keel.fake.calls_to("views.open") == []


def test_did_you_mean_runs_the_subcommand(keel: RunningKeel) -> None:
    url = keel.fake.response_url()
    answer = keel.slack.interaction(
        block_action(ActionId.RUN_SUGGESTED, "list", channel="CGENERAL", response_url=url)
    )
    assert answer.status == 200
    keel.fake.wait_for(lambda: keel.fake.calls_to("response_url"))
    sent = keel.fake.calls_to("response_url")[0].args
    assert sent["replace_original"] is True
    assert "record" in sent["text"].lower()


def test_raise_a_record_titled_opens_the_form_with_that_title(keel: RunningKeel) -> None:
    answer = keel.slack.interaction(
        block_action(ActionId.RAISE_TITLED, "lsit", channel="CGENERAL", message_ts="1.2")
    )
    assert answer.status == 200
    opened = keel.fake.wait_for(lambda: keel.fake.calls_to("views.open"))
    assert '"lsit"' in str(opened[0].args["view"]).replace("'", '"')
    with keel.db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Record)) == 0


def test_an_argument_subcommand_without_its_argument_says_how_to_use_it(
    keel: RunningKeel,
) -> None:
    body = keel.slack.command("channel").json()
    assert "`/nc channel #channel`" in body["text"]
    assert button_labels(body["blocks"]) == ["Raise a record titled “channel”"]


def test_three_words_still_open_the_form(keel: RunningKeel) -> None:
    assert keel.slack.command("lsit of things").status == 200
    keel.fake.wait_for(lambda: keel.fake.calls_to("views.open"))
