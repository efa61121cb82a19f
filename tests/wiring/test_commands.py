"""/nc subcommands, buttons and the message shortcut through signed requests."""

from __future__ import annotations

import json

from sqlalchemy import select

from storage.models import Workspace
from tests.blocks import button_labels, find_button, mrkdwn_texts
from tests.conftest import QUALITY_CHANNEL, RunningKeel
from tests.slack_requests import block_action, form_values, view_submission
from tests.wiring.test_raise_record import open_form


def raise_records(keel: RunningKeel, count: int, *, user: str = "UALICE") -> None:
    for index in range(count):
        view = open_form(keel, user=user)
        payload = view_submission(
            view, form_values(title=f"Record {index}"), user=user, view_id=f"V{user}{index}"
        )
        assert keel.slack.interaction(payload).status == 200


def test_help_lists_every_subcommand(keel: RunningKeel) -> None:
    answer = keel.slack.command("help")
    assert answer.status == 200
    text = " ".join(mrkdwn_texts(answer.json()["blocks"]))
    for subcommand in (
        "/nc NC-0007",
        "/nc list",
        "/nc channel",
        "/nc leads",
        "/nc objectives",
        "/nc objectives new",
        "/nc digest #channel",
        "/nc OBJ-3",
        "/nc help",
        "Raise as a record",
    ):
        assert subcommand in text


def test_nc_ref_shows_the_record_and_its_history_to_the_asker_only(keel: RunningKeel) -> None:
    raise_records(keel, 1)
    answer = keel.slack.command("nc-1", user="UBOB")
    body = answer.json()
    assert body.get("response_type", "ephemeral") == "ephemeral"
    text = " ".join(mrkdwn_texts(body["blocks"]))
    assert "History" in text and "raised" in text and "<@UALICE>" in text


def test_nc_ref_of_an_unknown_record_says_so(keel: RunningKeel) -> None:
    answer = keel.slack.command("NC-0042")
    assert answer.status == 200
    assert "There is no record NC-0042" in answer.json()["text"]


def test_incident_details_are_kept_from_bystanders(keel: RunningKeel) -> None:
    view = open_form(keel)
    values = form_values(kind="incident", description="Jan Novak cut his hand on the press")
    keel.slack.interaction(view_submission(view, values))
    card = keel.fake.wait_for(lambda: keel.fake.posts_to(QUALITY_CHANNEL))
    assert "Jan Novak" not in json.dumps(card[0].args)
    assert "Jan Novak" not in keel.slack.command("INC-0001", user="UBYSTANDER").body
    assert "Jan Novak" in keel.slack.command("INC-0001", user="UALICE").body
    assert "Jan Novak" in keel.slack.command("INC-0001", user="ULEAD").body


def test_list_pages_through_open_records(keel: RunningKeel) -> None:
    raise_records(keel, 12)
    first = keel.slack.command("list all").json()
    assert "12 in all, page 1 of 2" in " ".join(mrkdwn_texts(first["blocks"]))
    assert "Next page" in button_labels(first["blocks"])
    next_button = find_button(first["blocks"], "Next page")
    answer = keel.slack.interaction(
        block_action(
            next_button["action_id"], next_button["value"], response_url=keel.fake.response_url()
        )
    )
    assert answer.status == 200
    replaced = keel.fake.wait_for(lambda: keel.fake.calls_to("response_url"))
    assert replaced[0].args["replace_original"] is True
    assert "page 2 of 2" in json.dumps(replaced[0].args["blocks"])


def test_list_mine_shows_only_what_i_reported(keel: RunningKeel) -> None:
    raise_records(keel, 2, user="UALICE")
    raise_records(keel, 1, user="UBOB")
    mine = keel.slack.command("list", user="UBOB").json()
    assert "1 in all" in " ".join(mrkdwn_texts(mine["blocks"]))


def test_the_card_button_shows_the_record_privately(keel: RunningKeel) -> None:
    raise_records(keel, 1)
    card = keel.fake.wait_for(lambda: keel.fake.posts_to(QUALITY_CHANNEL))[0]
    button = find_button(card.args["blocks"], "View record and history")
    answer = keel.slack.interaction(
        block_action(
            button["action_id"],
            button["value"],
            user="UBOB",
            channel=QUALITY_CHANNEL,
            message_ts="1.1",
        )
    )
    assert answer.status == 200
    ephemeral = keel.fake.wait_for(lambda: keel.fake.calls_to("chat.postEphemeral"))
    assert ephemeral[0].args["user"] == "UBOB" and "NC-0001" in ephemeral[0].args["text"]


def test_only_leads_set_the_quality_channel(keel: RunningKeel) -> None:
    refused = keel.slack.command("channel <#CNEW|new-quality>", user="UALICE")
    assert "Only quality leads" in refused.json()["text"]
    accepted = keel.slack.command("channel <#CNEW|new-quality>", user="ULEAD")
    assert "<#CNEW>" in accepted.json()["text"]
    with keel.db.reading() as session:
        assert session.scalars(select(Workspace.quality_channel)).one() == "CNEW"


def test_only_leads_choose_where_the_objectives_digest_goes(keel: RunningKeel) -> None:
    refused = keel.slack.command("digest <#CMGMT|management>", user="UALICE")
    assert "Only quality leads" in refused.json()["text"]
    accepted = keel.slack.command("digest <#CMGMT|management>", user="ULEAD")
    assert "weekly objectives digest will be posted to <#CMGMT>" in accepted.json()["text"]
    with keel.db.reading() as session:
        workspace = session.scalars(select(Workspace)).one()
    assert (workspace.digest_channel, workspace.quality_channel) == ("CMGMT", "CQUALITY")


def test_leads_can_name_other_leads(keel: RunningKeel) -> None:
    answer = keel.slack.command("leads <@UCAROL|carol> <@UDAVE|dave>", user="ULEAD")
    assert "<@UCAROL>" in answer.json()["text"]
    assert (
        "Only quality leads" in keel.slack.command("leads <@UALICE>", user="ULEAD").json()["text"]
    )


def test_the_message_shortcut_prefills_the_form_with_text_and_permalink(keel: RunningKeel) -> None:
    payload = {
        "type": "message_action",
        "callback_id": "raise_from_message",
        "trigger_id": "9.T0KEEL.trigger",
        "team": {"id": "T0KEEL", "domain": "keel-test"},
        "user": {"id": "UALICE", "name": "alice", "team_id": "T0KEEL"},
        "channel": {"id": "CGENERAL", "name": "general"},
        "message_ts": "1700000000.000200",
        "message": {
            "type": "message",
            "user": "UBOB",
            "ts": "1700000000.000200",
            "text": "Customer says the seal leaked again\nSecond time this month",
        },
        "response_url": keel.fake.response_url(),
    }
    assert keel.slack.interaction(payload).status == 200
    view = keel.fake.wait_for(lambda: keel.fake.calls_to("views.open"))[0].args["view"]
    blocks = {b.get("block_id"): b for b in view["blocks"]}
    assert blocks["title"]["element"]["initial_value"] == "Customer says the seal leaked again"
    assert "Second time this month" in blocks["description"]["element"]["initial_value"]
    permalink = "https://keel-test.slack.com/archives/CGENERAL/p1700000000000200"
    assert permalink in json.dumps(view)
    answer = keel.slack.interaction(view_submission(view, form_values(kind="customer_complaint")))
    assert answer.status == 200
    card = keel.fake.wait_for(lambda: keel.fake.posts_to(QUALITY_CHANNEL))
    assert permalink in json.dumps(card[0].args["blocks"])
