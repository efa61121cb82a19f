"""`/nc review` through signed requests: a member is refused, a lead plans the review, records
a decision that becomes an action with its DM, and gets the pack in a DM."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from storage.models import Action, ReviewDecision
from tests.blocks import button_labels, find_button, mrkdwn_texts
from tests.conftest import RunningKeel
from tests.slack_requests import block_action, view_submission
from tests.wiring.flows import chosen, picked_date, picked_user, typed
from tests.wiring.test_objectives_flow import open_from

LEAD = "ULEAD"
BOB = "UBOB0001"


def review_of(keel: RunningKeel, user: str) -> dict[str, Any]:
    answer = keel.slack.command("review", user=user)
    assert answer.status == 200
    return dict(answer.json())


def submit(keel: RunningKeel, view: dict[str, Any], values: dict[str, Any]) -> Any:
    return keel.slack.interaction(view_submission(view, values, user=LEAD))


def test_a_member_is_refused_and_opens_no_form(keel: RunningKeel) -> None:
    answer = review_of(keel, "UALICE")
    assert "Only quality leads" in answer["text"] and not answer.get("blocks")
    assert keel.fake.calls_to("views.open") == []


def test_a_lead_plans_records_a_decision_with_an_action_and_shares_the_pack(
    keel: RunningKeel,
) -> None:
    keel.fake.add_user(BOB)
    keel.fake.users[BOB]["profile"] = {"real_name": "Bob <Baker> & Sons", "display_name": "bob"}
    first = review_of(keel, LEAD)
    assert "No management review is planned" in " ".join(mrkdwn_texts(first["blocks"]))
    assert button_labels(first["blocks"]) == ["Plan review", "Share the pack"]

    form = open_from(keel, first["blocks"], "Plan review", LEAD)
    attendees = {"input": {"type": "multi_users_select", "selected_users": [LEAD, BOB]}}
    late = submit(keel, form, {"review_date": picked_date("2026-11-20"), "attendees": attendees})
    assert late.json()["errors"] == {
        "review_date": "The review is planned: pick today or a later day."
    }
    saved = submit(keel, form, {"review_date": picked_date("2026-11-23"), "attendees": attendees})
    assert saved.body == ""

    planned = review_of(keel, LEAD)["blocks"]
    assert "*MR-0001* on *Mon 23 Nov* (today)" in " ".join(mrkdwn_texts(planned))
    assert button_labels(planned) == [
        "Change date or attendees",
        "Share the pack",
        "Record decisions",
    ]

    decision = open_from(keel, planned, "Record decisions", LEAD)
    values = {
        "decision_category": chosen("resources"),
        "decision_text": typed("A second calibration bench for the lab"),
        "owner": picked_user(BOB),
        "due_date": picked_date("2026-12-18"),
        "next_review_date": picked_date(None),
    }
    assert submit(keel, decision, values).body == ""
    assert submit(keel, decision, values).body == ""  # a double click: Slack sends it again
    dm = keel.fake.wait_for(lambda: keel.fake.posts_to(BOB))
    assert dm[0].args["text"].startswith("You have a new action: MR-0001/A1")
    with keel.db.reading() as session:
        assert len(session.scalars(select(ReviewDecision)).all()) == 1
        assert len(session.scalars(select(Action)).all()) == 1

    before = len(keel.fake.calls_to("views.open"))
    share = find_button(review_of(keel, LEAD)["blocks"], "Share the pack")
    keel.slack.interaction(
        block_action(
            share["action_id"], share["value"], user=LEAD, response_url=keel.fake.response_url()
        )
    )
    keel.fake.wait_for(lambda: keel.fake.calls_to("files.completeUploadExternal"))
    (stored,) = keel.fake.files.values()
    assert stored["title"] == "Keel management review pack"
    assert b"MR-0001/A1" in stored["bytes"]
    # A file is read outside Slack: people by the name Slack shows, escaped, not member IDs.
    assert b"<td>Bob &lt;Baker&gt; &amp; Sons</td>" in stored["bytes"]
    assert BOB.encode() not in stored["bytes"]
    assert len(keel.fake.calls_to("views.open")) == before
