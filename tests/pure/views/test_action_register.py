"""`/nc actions`: the open actions register."""

from __future__ import annotations

import json
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.queries.action_register import ActionPage, ActionRow
from bot.views.action_register import actions_blocks
from storage.models import Action
from tests.blocks import button_labels, find_button, mrkdwn_texts
from tests.pure.blockkit import message_blocks
from tests.pure.factories import NOW, TODAY


def make_action(number: int, **overrides: object) -> Action:
    fields: dict[str, object] = {
        "id": number,
        "workspace_id": 1,
        "record_id": 3,
        "number": number,
        "kind": "corrective",
        "description": f"Action {number}",
        "owner_id": "UBOB",
        "due_date": TODAY + timedelta(days=number),
        "status": "open",
        "blocked_reason": None,
        "pending_extension": None,
        "created_at": NOW,
        "updated_at": NOW,
    }
    fields.update(overrides)
    return Action(**fields)


def page_of(actions: list[Action], *, page: int = 1, total: int | None = None) -> ActionPage:
    rows = [ActionRow(action, "NC-0003", "Wrong label <b>") for action in actions]
    overdue = sum(1 for action in actions if action.due_date < TODAY)
    count = len(rows) if total is None else total
    return ActionPage(rows=rows, page=page, total=count, overdue=overdue, page_size=10)


def test_each_action_shows_reference_owner_due_date_status_and_record() -> None:
    late = make_action(2, due_date=TODAY - timedelta(days=3), description="Retrain <!here>")
    blocks = message_blocks(actions_blocks(page_of([late]), mine=False, today=TODAY))
    text = "\n".join(mrkdwn_texts(blocks))
    assert "*Open actions in this workspace* — 1 in all, 1 overdue, page 1 of 1" in text
    assert "*NC-0003/A2* Retrain &lt;!here&gt;" in text
    assert "<@UBOB> · due Fri 20 Nov · :warning: *Overdue* by 3 days · Corrective action" in text
    assert "record *NC-0003* Wrong label &lt;b&gt;" in text


def test_blocked_and_extension_requests_show_in_the_status() -> None:
    waiting = make_action(1, blocked_reason="No parts", pending_extension={"due_date": "x"})
    text = "\n".join(
        mrkdwn_texts(message_blocks(actions_blocks(page_of([waiting]), mine=True, today=TODAY)))
    )
    assert "extension requested · blocked: No parts" in text


def test_one_day_overdue_is_singular() -> None:
    late = make_action(1, due_date=TODAY - timedelta(days=1))
    text = "\n".join(
        mrkdwn_texts(message_blocks(actions_blocks(page_of([late]), mine=True, today=TODAY)))
    )
    assert "Overdue* by 1 day ·" in text


def test_no_actions_says_so() -> None:
    blocks = message_blocks(actions_blocks(page_of([]), mine=True, today=TODAY))
    assert any("You have no open actions." in text for text in mrkdwn_texts(blocks))
    assert button_labels(blocks) == ["Show all open actions"]


def test_a_middle_page_pages_both_ways_and_keeps_the_scope() -> None:
    actions = [make_action(n) for n in range(1, 11)]
    blocks = message_blocks(
        actions_blocks(page_of(actions, page=2, total=35), mine=True, today=TODAY)
    )
    assert button_labels(blocks) == ["Previous page", "Next page", "Show all open actions"]
    assert json.loads(find_button(blocks, "Next page")["value"]) == {"mine": True, "page": 3}
    assert json.loads(find_button(blocks, "Show all open actions")["value"]) == {
        "mine": False,
        "page": 1,
    }


@settings(max_examples=150, deadline=None)
@given(descriptions=st.lists(st.text(min_size=1, max_size=3000), max_size=10))
def test_any_descriptions_make_valid_block_kit(descriptions: list[str]) -> None:
    actions = [make_action(n + 1, description=text) for n, text in enumerate(descriptions)]
    blocks = message_blocks(actions_blocks(page_of(actions), mine=False, today=TODAY))
    for text in mrkdwn_texts(blocks):
        assert "<!" not in text
