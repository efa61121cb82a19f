"""A workspace that names its management system ("HSEQ") reads "HSEQ leads" and "the HSEQ
channel" everywhere Keel speaks of them, from the moment a lead saves the name."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from bot.ids import Block
from storage.models import History, Workspace
from tests.blocks import mrkdwn_texts
from tests.conftest import RunningKeel
from tests.settings_state import state_from_modal, typed
from tests.slack_requests import view_submission
from tests.wiring.flows import click, raise_and_get_card, responses
from tests.wiring.flows import refused as refused_with
from tests.wiring.test_home_tab import opened_home
from tests.wiring.test_raise_record import open_form
from tests.wiring.test_settings import open_settings


def name_the_system(keel: RunningKeel, name: str) -> dict[str, Any]:
    view = open_settings(keel)
    values = state_from_modal(view, **{Block.SYSTEM_NAME: typed(name)})
    answer = keel.slack.interaction(view_submission(view, values, user="ULEAD"))
    assert answer.status == 200
    return answer.json() if answer.body else {}


def said_since(keel: RunningKeel, first_call: int) -> str:
    """Everything Keel sent Slack from `first_call` on, as one text."""
    return json.dumps([call.args for call in keel.fake.calls[first_call:]], ensure_ascii=False)


def test_the_form_offers_the_name_and_keeps_the_default_words(keel: RunningKeel) -> None:
    view = open_settings(keel)
    labels = [b["label"]["text"] for b in view["blocks"] if b["type"] == "input"]
    assert "Quality leads" in labels and "Name of the management system" in labels
    field = next(b for b in view["blocks"] if b.get("block_id") == Block.SYSTEM_NAME)
    assert field["optional"] is True and field["element"]["initial_value"] == "quality"
    # Saving the form as it opened changes nothing: "quality" is the default, not a name.
    assert name_the_system(keel, "quality") == {}
    with keel.db.reading() as session:
        assert session.scalars(select(Workspace)).one().system_name is None
        assert session.scalars(select(History)).all() == []


def test_a_named_system_is_used_in_every_answer_at_once(keel: RunningKeel) -> None:
    assert name_the_system(keel, "HSEQ") == {}
    with keel.db.reading() as session:
        assert session.scalars(select(Workspace)).one().system_name == "HSEQ"
        entry = session.scalars(select(History)).one()
        assert entry.before == {"system_name": None} and entry.after == {"system_name": "HSEQ"}
    first_call = len(keel.fake.calls)
    answers: list[str] = []

    refused = keel.slack.command("settings", user="UALICE").json()["text"]
    assert refused.startswith("Only HSEQ leads can change Keel's settings.")
    help_text = " ".join(mrkdwn_texts(keel.slack.command("help").json()["blocks"]))
    assert "HSEQ leads: choose who the HSEQ leads are." in help_text
    assert "On a record's card in the HSEQ channel" in help_text
    before = responses(keel)
    keel.slack.command("objectives new", user="UALICE", response_url=keel.fake.response_url())
    assert "Only an HSEQ lead can set objectives." in refused_with(keel, before)["text"]
    answers += [refused, help_text]

    card = raise_and_get_card(keel, user="UALICE")
    before = responses(keel)
    click(keel, card, "Close record", user="UBOB")
    assert "HSEQ lead" in refused_with(keel, before)["text"]

    home = "\n".join(mrkdwn_texts(opened_home(keel, "ULEAD")))
    assert "*Overview* (you are an HSEQ lead)" in home
    reopened = open_settings(keel)
    labels = [b["label"]["text"] for b in reopened["blocks"] if b["type"] == "input"]
    assert "HSEQ leads" in labels
    form = open_form(keel, user="UALICE")
    assert form["type"] == "modal"

    everything = (said_since(keel, first_call) + json.dumps(answers)).lower()
    assert "quality lead" not in everything and "quality channel" not in everything


def test_a_name_slack_would_read_as_markup_is_refused_inline(keel: RunningKeel) -> None:
    answer = name_the_system(keel, "<!channel>")
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {Block.SYSTEM_NAME}
    with keel.db.reading() as session:
        assert session.scalars(select(Workspace)).one().system_name is None
