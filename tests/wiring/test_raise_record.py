"""/nc end to end: signed requests in, Slack calls out."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import History, Record
from tests.blocks import mrkdwn_texts
from tests.conftest import QUALITY_CHANNEL, RunningKeel
from tests.slack_requests import form_values, view_submission


def open_form(keel: RunningKeel, text: str = "") -> dict:
    answer = keel.slack.command(text)
    assert answer.status == 200
    calls = keel.fake.wait_for(lambda: keel.fake.calls_to("views.open"))
    return calls[-1].args["view"]


def test_nc_opens_the_form_and_a_submission_posts_one_escaped_card(keel: RunningKeel) -> None:
    view = open_form(keel)
    labels = [block["label"]["text"] for block in view["blocks"] if block["type"] == "input"]
    assert "What happened?" in labels and "When did it happen?" in labels

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
    with keel.db.reading() as session:
        record = session.scalars(select(Record)).one()
        assert record.card_channel == QUALITY_CHANNEL and record.card_ts
        assert session.scalars(select(History)).one().event == "raised"
