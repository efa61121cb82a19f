"""The Home tab as Slack gets it when a lead and a member open it."""

from __future__ import annotations

import json
from typing import Any

from tests.blocks import button_labels, find_button, mrkdwn_texts
from tests.conftest import RunningKeel
from tests.pure.blockkit import surface
from tests.slack_requests import block_action
from tests.wiring.flows import submit_modal, typed
from tests.wiring.test_commands import raise_records
from tests.wiring.test_registers import add_actions


def opened_home(keel: RunningKeel, user: str) -> dict[str, Any]:
    before = len(keel.fake.calls_to("views.publish"))
    answer = keel.slack.event({"type": "app_home_opened", "user": user, "tab": "home"})
    assert answer.status == 200
    calls = keel.fake.wait_for(lambda: keel.fake.calls_to("views.publish")[before:] or None)
    assert calls[0].args["user_id"] == user
    view = calls[0].args["view"]
    return surface(view if isinstance(view, dict) else json.loads(view))


def test_a_member_sees_their_actions_and_records_but_no_overview(keel: RunningKeel) -> None:
    raise_records(keel, 2, user="UBOB")
    add_actions(keel, 3, owner="UBOB")  # A1 and A3 are Bob's, A2 Carol's
    view = opened_home(keel, "UBOB")
    text = "\n".join(mrkdwn_texts(view))
    assert "*Your open actions* (2, 1 overdue)" in text
    assert "*Records you raised* (2)" in text and "*NC-0002* Record 1 · New" in text
    assert "Overview" not in text
    assert button_labels(view["blocks"]).count("Mark done") == 2


def test_a_lead_also_sees_the_overview(keel: RunningKeel) -> None:
    raise_records(keel, 3, user="UBOB")
    add_actions(keel, 3, owner="UBOB")
    view = opened_home(keel, "ULEAD")
    text = "\n".join(mrkdwn_texts(view))
    assert "*Overview* (you are a quality lead)" in text
    assert "*Records by status*: 3 new" in text
    assert "*Waiting for triage*: 3" in text
    assert "*Overdue actions*: 2 — `/nc actions all`" in text
    assert "Records you raised" not in text


def test_marking_an_action_done_from_home_refreshes_it(keel: RunningKeel) -> None:
    raise_records(keel, 1, user="UBOB")
    add_actions(keel, 1, owner="UBOB")
    home = opened_home(keel, "UBOB")
    button = find_button(home["blocks"], "Mark done")
    opened = len(keel.fake.calls_to("views.open"))
    answer = keel.slack.interaction(block_action(button["action_id"], button["value"], user="UBOB"))
    assert answer.status == 200
    modal = keel.fake.wait_for(lambda: keel.fake.calls_to("views.open")[opened:] or None)
    view = modal[0].args["view"]
    published = len(keel.fake.calls_to("views.publish"))
    submit_modal(
        keel,
        view if isinstance(view, dict) else json.loads(view),
        {"evidence": typed("Template v2 released")},
        user="UBOB",
    )
    fresh = keel.fake.wait_for(lambda: keel.fake.calls_to("views.publish")[published:] or None)
    assert fresh[0].args["user_id"] == "UBOB"
    shown = fresh[0].args["view"]
    text = "\n".join(mrkdwn_texts(shown if isinstance(shown, dict) else json.loads(shown)))
    assert "*Your open actions* (0)" in text
