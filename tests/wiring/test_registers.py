"""`/nc list` with filters, `/nc actions` and their pagers, through signed requests."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select, update

from bot.ids import ActionId
from storage.models import Action, Process, Record
from tests.blocks import button_labels, find_button, mrkdwn_texts
from tests.conftest import NOW, RunningKeel
from tests.slack_requests import block_action
from tests.wiring.test_commands import raise_records


def close_first(keel: RunningKeel, count: int) -> None:
    with keel.db.transaction() as session:
        numbers = list(range(1, count + 1))
        session.execute(
            update(Record).where(Record.number.in_(numbers)).values(status="closed", closed_at=NOW)
        )


def add_actions(keel: RunningKeel, count: int, *, owner: str = "UBOB") -> None:
    with keel.db.transaction() as session:
        record = session.scalars(select(Record).order_by(Record.number)).first()
        assert record is not None
        for number in range(1, count + 1):
            session.add(
                Action(
                    workspace_id=record.workspace_id,
                    record_id=record.id,
                    number=number,
                    kind="corrective",
                    description=f"Fix <{number}>",
                    owner_id=owner if number % 2 else "UCAROL",
                    due_date=NOW.date() + timedelta(days=number - 3),
                    status="open",
                    extension_count=0,
                    created_at=NOW,
                    updated_at=NOW,
                )
            )


def text_of(blocks: list[dict[str, object]]) -> str:
    return "\n".join(mrkdwn_texts(blocks))


def test_list_closed_shows_closed_records_that_name_their_history(keel: RunningKeel) -> None:
    raise_records(keel, 3)
    close_first(keel, 2)
    answer = keel.slack.command("list closed", user="UBOB")
    body = answer.json()
    assert body.get("response_type", "ephemeral") == "ephemeral"
    text = text_of(body["blocks"])
    assert "*Closed and rejected records in this workspace* — 2 in all, page 1 of 1" in text
    assert "`/nc NC-0001`" in text and "NC-0003" not in text
    history = text_of(keel.slack.command("NC-0001", user="UBOB").json()["blocks"])
    assert "History" in history and "raised" in history


def test_list_by_kind_and_by_process(keel: RunningKeel) -> None:
    raise_records(keel, 2)
    with keel.db.transaction() as session:
        workspace_id = session.scalars(select(Record.workspace_id)).first()
        process = Process(workspace_id=workspace_id, name="Purchasing", active=True, created_at=NOW)
        session.add(process)
        session.flush()
        session.execute(update(Record).where(Record.number == 2).values(process_id=process.id))
    keel.runtime.deps.cache.forget("processes")  # as /nc processes does when it adds one
    text = text_of(keel.slack.command("list all complaints").json()["blocks"])
    assert "Open customer complaints in this workspace* — 0 in all" in text
    text = text_of(keel.slack.command("list process purchasing").json()["blocks"])
    assert "about Purchasing in this workspace* — 1 in all" in text and "NC-0002" in text
    unknown = keel.slack.command("list process Shipping").json()
    assert "There is no process called “Shipping”" in unknown["text"]
    assert "Purchasing" in unknown["text"]


def test_the_pager_of_a_filtered_list_keeps_the_filter(keel: RunningKeel) -> None:
    raise_records(keel, 13)
    close_first(keel, 12)
    first = keel.slack.command("list closed").json()
    assert "12 in all, page 1 of 2" in text_of(first["blocks"])
    button = find_button(first["blocks"], "Next page")
    answer = keel.slack.interaction(
        block_action(button["action_id"], button["value"], response_url=keel.fake.response_url())
    )
    assert answer.status == 200
    replaced = keel.fake.wait_for(lambda: keel.fake.calls_to("response_url"))
    assert replaced[0].args["replace_original"] is True
    shown = json.dumps(replaced[0].args["blocks"])
    assert "Closed and rejected records" in shown and "page 2 of 2" in shown


def test_a_damaged_pager_value_gets_a_clear_message(keel: RunningKeel) -> None:
    raise_records(keel, 1)
    for action_id, value in (
        (f"{ActionId.LIST_PAGE}:next", '{"mine":true,"page":"2; drop"}'),
        (f"{ActionId.ACTIONS_PAGE}:next", "not json"),
    ):
        answer = keel.slack.interaction(
            block_action(action_id, value, response_url=keel.fake.response_url())
        )
        assert answer.status == 200
    told = keel.fake.wait_for(lambda: len(keel.fake.calls_to("response_url")) >= 2 or None)
    texts = " ".join(call.args.get("text", "") for call in keel.fake.calls_to("response_url"))
    assert told and "out of date or damaged" in texts and "`/nc actions`" in texts
    with keel.db.reading() as session:
        assert session.scalar(select(Record.status)) == "new"


def test_actions_lists_mine_overdue_first_and_all_on_request(keel: RunningKeel) -> None:
    raise_records(keel, 1)
    add_actions(keel, 5)
    mine = keel.slack.command("actions", user="UBOB").json()
    text = text_of(mine["blocks"])
    assert "*Your open actions* — 3 in all, 1 overdue, page 1 of 1" in text
    assert text.index("NC-0001/A1") < text.index("NC-0001/A3") < text.index("NC-0001/A5")
    assert "Fix &lt;1&gt;" in text and "Overdue" in text and "UCAROL" not in text
    every = keel.slack.command("actions all", user="UALICE").json()
    assert "*Open actions in this workspace* — 5 in all, 2 overdue" in text_of(every["blocks"])
    assert button_labels(every["blocks"]) == ["Show only mine"]


def test_the_actions_pager_turns_the_page(keel: RunningKeel) -> None:
    raise_records(keel, 1)
    add_actions(keel, 14)
    first = keel.slack.command("actions all").json()
    button = find_button(first["blocks"], "Next page")
    answer = keel.slack.interaction(
        block_action(button["action_id"], button["value"], response_url=keel.fake.response_url())
    )
    assert answer.status == 200
    replaced = keel.fake.wait_for(lambda: keel.fake.calls_to("response_url"))
    shown = text_of(replaced[0].args["blocks"])
    assert "14 in all" in shown and "page 2 of 2" in shown and "NC-0001/A14" in shown


def test_a_typo_of_actions_offers_the_register(keel: RunningKeel) -> None:
    asked = keel.slack.command("actoins").json()
    assert button_labels(asked["blocks"]) == ["/nc actions", "Raise a record titled “actoins”"]
    button = find_button(asked["blocks"], "/nc actions")
    url = keel.fake.response_url()
    answer = keel.slack.interaction(
        block_action(button["action_id"], button["value"], channel="CGENERAL", response_url=url)
    )
    assert answer.status == 200
    sent = keel.fake.wait_for(lambda: keel.fake.calls_to("response_url"))[0].args
    assert "*Your open actions* — 0 in all" in text_of(sent["blocks"])
