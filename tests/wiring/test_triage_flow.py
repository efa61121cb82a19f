"""Triage from the card, processes and /nc REF, through signed requests and the fake Slack."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from storage.models import Process, Record
from tests.blocks import mrkdwn_texts
from tests.conftest import QUALITY_CHANNEL, RunningKeel
from tests.slack_requests import block_action
from tests.wiring.flows import (
    Message,
    assign_owner,
    chosen,
    click,
    dm_channel,
    edits_of,
    labels,
    messages_in,
    open_modal,
    picked_user,
    raise_and_get_card,
    record_five_whys,
    record_with_action,
    refused,
    responses,
    submit_modal,
    text_of,
    typed,
    whys_values,
)
from tests.wiring.test_raise_record import input_labels, open_form


def views_opened(keel: RunningKeel) -> int:
    return len(keel.fake.calls_to("views.open"))


def dms_to(keel: RunningKeel, user_id: str) -> list[str]:
    return [text_of(keel, message) for message in messages_in(keel, dm_channel(user_id))]


def add_process(keel: RunningKeel, name: str, owner: str | None, *, user: str = "ULEAD") -> Any:
    """Save the /nc processes form with a new process; Keel's answer to the submission."""
    view = open_form(keel, "processes", user=user)
    values = {"process_name": typed(name), "process_owner": picked_user(owner)}
    return submit_modal(keel, view, values, user=user)


def show(keel: RunningKeel, reference: str, *, user: str = "ULEAD") -> str:
    answer = keel.slack.command(reference, user=user).json()
    return "\n".join(mrkdwn_texts(answer["blocks"]))


def history_line(keel: RunningKeel, reference: str, event: str) -> str:
    lines = [line for line in show(keel, reference).splitlines() if line.startswith("• ")]
    about = re.compile(rf"> {event}(?: \S+)? \(")  # "action done NC-0001/A1 (form)" too
    return next(line for line in lines if about.search(line))


def close_anyway(keel: RunningKeel, card: Message, reason: str) -> None:
    view = open_modal(keel, card, "Close record", user="ULEAD")
    assert submit_modal(keel, view, {"reason": typed(reason)}, user="ULEAD").body == ""
    keel.fake.wait_for(lambda: "Status\nClosed" in text_of(keel, card))


# -- triage from the card -----------------------------------------------------------------------


def test_assigning_an_owner_edits_the_card_in_place_and_tells_the_owner(
    keel: RunningKeel,
) -> None:
    card = raise_and_get_card(keel)

    assign_owner(keel, card, "UCAROL")

    keel.fake.wait_for(lambda: "Owner\n<@UCAROL>" in text_of(keel, card))
    assert "Status\nInvestigating" in text_of(keel, card)
    assert edits_of(keel, card) >= 1
    assert len(messages_in(keel, QUALITY_CHANNEL)) == 1
    (told,) = keel.fake.wait_for(lambda: dms_to(keel, "UCAROL"))
    assert "made you the owner of NC-0001" in told


def test_a_reporter_who_is_not_a_lead_cannot_open_the_five_whys(keel: RunningKeel) -> None:
    card = raise_and_get_card(keel)
    before, opened = responses(keel), views_opened(keel)

    answer = click(keel, card, "Five whys", user="UALICE")

    assert answer.status == 200
    refusal = refused(keel, before)
    assert refusal["response_type"] == "ephemeral"
    assert (
        "Only the record's owner or a quality lead can record its root cause" in (refusal["text"])
    )
    assert views_opened(keel) == opened


def test_the_five_whys_show_on_the_card_and_in_nc_ref(keel: RunningKeel) -> None:
    card = raise_and_get_card(keel)

    record_five_whys(keel, card)

    keel.fake.wait_for(
        lambda: (
            "Root cause · Equipment and tools (machine)" in text_of(keel, card).replace("*", "")
            and "Label templates are not under document control" in text_of(keel, card)
        )
    )
    shown = show(keel, "NC-0001")
    assert "1. The printer used the old label template" in shown
    assert "2. Templates are copied by hand between lines" in shown
    assert "Line 3 uses the same printer" in shown


def test_the_five_whys_form_needs_the_first_why_and_a_root_cause(keel: RunningKeel) -> None:
    card = raise_and_get_card(keel)
    view = open_modal(keel, card, "Five whys", user="ULEAD")
    values = dict(whys_values(), why_1=typed(None), root_cause=typed("  "))

    answer = submit_modal(keel, view, values, user="ULEAD")

    assert answer.json()["response_action"] == "errors"
    assert set(answer.json()["errors"]) == {"why_1", "root_cause"}
    with keel.db.reading() as session:
        assert session.scalars(select(Record.root_cause)).one() is None


def test_changing_the_severity_from_the_card(keel: RunningKeel) -> None:
    card = raise_and_get_card(keel)
    view = open_modal(keel, card, "Change severity", user="ULEAD")

    assert submit_modal(keel, view, {"severity": chosen("critical")}, user="ULEAD").body == ""

    keel.fake.wait_for(lambda: "Severity\n:red_circle: Critical" in text_of(keel, card))
    assert "severity: medium → critical" in history_line(keel, "NC-0001", "severity changed")


def reject_from_card(keel: RunningKeel, card: Message) -> Any:
    """A quality lead rejects the record from its card; Keel's answer, once the card shows it."""
    view = open_modal(keel, card, "Reject", user="ULEAD")
    answer = submit_modal(keel, view, {"reason": typed("Duplicate of NC-0003")}, user="ULEAD")
    keel.fake.wait_for(lambda: "Status\nRejected" in text_of(keel, card))
    return answer


def test_rejecting_from_the_card_shows_the_reason_and_leaves_one_button(
    keel: RunningKeel,
) -> None:
    card = raise_and_get_card(keel)

    assert reject_from_card(keel, card).body == ""

    assert "Rejected because\nDuplicate of NC-0003" in text_of(keel, card)
    assert labels(keel, card) == ["Reopen record", "View record and history"]


def test_a_rejected_record_is_reopened_from_its_card_with_a_reason(keel: RunningKeel) -> None:
    card = raise_and_get_card(keel)
    reject_from_card(keel, card)

    view = open_modal(keel, card, "Reopen record", user="ULEAD")
    assert input_labels(view) == ["Why is it reopened?"]
    blank = submit_modal(keel, view, {"reason": typed("   ")}, user="ULEAD")
    assert blank.json()["response_action"] == "errors"
    saved = submit_modal(keel, view, {"reason": typed("Another batch after all")}, user="ULEAD")
    assert saved.body == ""

    keel.fake.wait_for(lambda: "Status\nNew" in text_of(keel, card))
    assert "Rejected because" not in text_of(keel, card)
    assert "Add action" in labels(keel, card)
    assert "reason: — → Another batch after all" in history_line(keel, "NC-0001", "reopened")


def test_someone_else_may_not_reopen_a_record(keel: RunningKeel) -> None:
    card = raise_and_get_card(keel)
    reject_from_card(keel, card)
    before, opened = responses(keel), views_opened(keel)

    click(keel, card, "Reopen record", user="UBOB")

    refusal = refused(keel, before)
    assert refusal["response_type"] == "ephemeral"
    assert "Only the record's owner or a quality lead can reopen it" in refusal["text"]
    assert views_opened(keel) == opened


def test_the_close_form_lists_what_is_missing_and_offers_no_override_to_the_owner(
    keel: RunningKeel,
) -> None:
    card, _, _ = record_with_action(keel)

    view = open_modal(keel, card, "Close record", user="UCAROL")

    shown = " ".join(mrkdwn_texts(view["blocks"]))
    assert "It cannot close yet" in shown
    assert "no root cause is recorded" in shown
    assert "1 action is not yet verified or cancelled" in shown
    assert view.get("submit") is None


def test_a_lead_closes_anyway_with_a_reason_that_is_kept(keel: RunningKeel) -> None:
    card, _, _ = record_with_action(keel)
    view = open_modal(keel, card, "Close record", user="ULEAD")
    assert "Reason to close it anyway" in input_labels(view)

    close_anyway(keel, card, "Line decommissioned")

    line = history_line(keel, "NC-0001", "closed")
    assert "override reason: — → Line decommissioned" in line


def test_closing_asks_the_two_questions_of_10_2_1_and_keeps_the_answers(
    keel: RunningKeel,
) -> None:
    card, _, _ = record_with_action(keel)
    view = open_modal(keel, card, "Close record", user="ULEAD")
    assert {
        "Do the risks and opportunities need updating?",
        "Does the management system need changing?",
        "What will change?",
    } <= set(input_labels(view))
    answers = {
        "reason": typed("Line decommissioned"),
        "risks_update": chosen("no"),
        "system_change": chosen("yes"),
    }

    refused_answer = submit_modal(keel, view, answers, user="ULEAD").json()
    assert refused_answer["errors"] == {
        "closing_changes": "Say what will change: it is kept with the record."
    }
    answers["closing_changes"] = typed("Retire WI-7 with the line")
    assert submit_modal(keel, view, answers, user="ULEAD").body == ""
    keel.fake.wait_for(lambda: "Management system to change: yes" in text_of(keel, card))

    line = history_line(keel, "NC-0001", "closed")
    assert "system change needed: — → yes" in line, line
    assert "What will change: Retire WI-7 with the line" in show(keel, "NC-0001")


# -- processes ----------------------------------------------------------------------------------


def test_nc_processes_saves_a_new_process_with_its_owner(keel: RunningKeel) -> None:
    view = open_form(keel, "processes", user="ULEAD")
    assert {"Add a process", "Its owner"} <= set(input_labels(view))

    answer = add_process(keel, "Purchasing", "UPAT")

    assert answer.body == ""
    with keel.db.reading() as session:
        process = session.scalars(select(Process)).one()
    assert (process.name, process.owner_id) == ("Purchasing", "UPAT")
    listed = open_form(keel, "processes", user="ULEAD")
    assert "Purchasing" in str(listed["blocks"])


def test_a_record_about_a_process_goes_to_its_owner_who_is_told(keel: RunningKeel) -> None:
    add_process(keel, "Purchasing", "UPAT")
    form = open_form(keel)
    assert "Which process is it about?" in input_labels(form)

    card = raise_and_get_card(keel, process="Purchasing")

    with keel.db.reading() as session:
        assert session.scalars(select(Record.owner_id)).one() == "UPAT"
    (told,) = keel.fake.wait_for(lambda: dms_to(keel, "UPAT"))
    assert "NC-0001 was raised about Purchasing, which you own" in told
    assert "Process\nPurchasing" in text_of(keel, card)


def pick_process_owner(keel: RunningKeel, name: str, owner: str, *, user: str) -> None:
    """Choose `owner` in the owner picker next to process `name` in /nc processes."""
    view = open_form(keel, "processes", user=user)
    block = next(b for b in view["blocks"] if b.get("text", {}).get("text") == name)
    payload = block_action(block["accessory"]["action_id"], "", user=user)
    payload["actions"] = [
        {
            "type": "users_select",
            "action_id": block["accessory"]["action_id"],
            "block_id": block["block_id"],
            "selected_user": owner,
            "action_ts": "1700000000.1",
        }
    ]
    payload["container"] = {"type": "view", "view_id": "VPROCESSES"}
    payload["view"] = dict(view, id="VPROCESSES", team_id="T0KEEL")
    assert keel.slack.interaction(payload).status == 200


def process_owner(keel: RunningKeel, name: str) -> str | None:
    with keel.db.reading() as session:
        return session.scalars(select(Process.owner_id).where(Process.name == name)).one()


def test_a_lead_changes_a_process_owner_right_in_the_list(keel: RunningKeel) -> None:
    add_process(keel, "Purchasing", "UPAT")

    pick_process_owner(keel, "Purchasing", "UQUINN", user="ULEAD")

    keel.fake.wait_for(lambda: process_owner(keel, "Purchasing") == "UQUINN")
    card = raise_and_get_card(keel, process="Purchasing")
    keel.fake.wait_for(lambda: dms_to(keel, "UQUINN"))
    assert "Owner\n<@UQUINN>" in text_of(keel, card)


def test_someone_who_is_not_a_lead_cannot_change_a_process_owner(keel: RunningKeel) -> None:
    add_process(keel, "Purchasing", "UPAT")

    pick_process_owner(keel, "Purchasing", "UBOB", user="UBOB")

    (told,) = keel.fake.wait_for(lambda: dms_to(keel, "UBOB"))
    assert "Only a quality lead can change who owns a process" in told
    assert process_owner(keel, "Purchasing") == "UPAT"


def test_a_record_about_an_unowned_process_goes_to_the_quality_leads(keel: RunningKeel) -> None:
    add_process(keel, "Purchasing", None)

    raise_and_get_card(keel, process="Purchasing")

    (told,) = keel.fake.wait_for(lambda: dms_to(keel, "ULEAD"))
    assert "NC-0001 was raised about Purchasing, which has no owner" in told
    with keel.db.reading() as session:
        assert session.scalars(select(Record.owner_id)).one() is None


def test_only_a_lead_adds_a_process(keel: RunningKeel) -> None:
    answer = add_process(keel, "Purchasing", "UPAT", user="UBOB")

    assert answer.json()["response_action"] == "errors"
    assert "Only a quality lead" in answer.json()["errors"]["process_name"]
    with keel.db.reading() as session:
        assert session.scalars(select(Process)).all() == []


def test_a_process_name_that_exists_in_another_case_is_refused_inline(keel: RunningKeel) -> None:
    add_process(keel, "Purchasing", "UPAT")

    answer = add_process(keel, "PURCHASING", None)

    assert answer.json()["errors"] == {
        "process_name": "There is already a process called PURCHASING."
    }


def test_a_record_like_one_closed_this_year_says_it_may_be_a_repeat(keel: RunningKeel) -> None:
    add_process(keel, "Purchasing", None)
    earlier = raise_and_get_card(keel, process="Purchasing", title="Wrong label on batch 1001")
    view = open_modal(keel, earlier, "Five whys", user="ULEAD")
    submit_modal(keel, view, whys_values(category="supplier"), user="ULEAD")
    close_anyway(keel, earlier, "Supplier replaced")

    card = raise_and_get_card(keel, process="Purchasing")
    view = open_modal(keel, card, "Five whys", user="ULEAD")
    submit_modal(keel, view, whys_values(category="supplier"), user="ULEAD")

    keel.fake.wait_for(lambda: "Possible repeat of NC-0001" in text_of(keel, card))


# -- /nc REF ------------------------------------------------------------------------------------


def test_nc_ref_lists_the_records_actions(keel: RunningKeel) -> None:
    record_with_action(keel)

    shown = show(keel, "NC-0001", user="UCAROL")

    above_history = shown.split("History")[0]
    assert "A1" in above_history
    assert "Put label templates under document control" in above_history


def test_nc_ref_history_names_people_as_mentions(keel: RunningKeel) -> None:
    card = raise_and_get_card(keel)
    assign_owner(keel, card, "UCAROL")

    assert "owner: — → <@UCAROL>" in history_line(keel, "NC-0001", "owner assigned")


def test_nc_ref_history_says_which_action_was_done(keel: RunningKeel) -> None:
    _, _, in_dm = record_with_action(keel)
    view = open_modal(keel, in_dm, "Mark done", user="UBOB")
    submit_modal(keel, view, {"evidence": typed("Template v2 released")}, user="UBOB")
    keel.fake.wait_for(lambda: "Verify effectiveness" in labels(keel, in_dm))

    assert re.search(r"\bA1\b", history_line(keel, "NC-0001", "action done"))


def test_nc_ref_history_shows_the_whys_as_text_not_python(keel: RunningKeel) -> None:
    card = raise_and_get_card(keel)
    record_five_whys(keel, card)

    assert "['" not in history_line(keel, "NC-0001", "root cause recorded")


def test_a_pick_in_the_cards_menu_is_checked_like_its_button(keel: RunningKeel) -> None:
    """ "Change status" is in the card's More menu: a reporter is refused as the button would
    refuse them, and nothing opens."""
    card = raise_and_get_card(keel)
    before, opened = responses(keel), views_opened(keel)

    answer = click(keel, card, "Change status", user="UALICE")

    assert answer.status == 200
    refusal = refused(keel, before)
    assert "Only the record's owner or a quality lead can change its status" in refusal["text"]
    assert views_opened(keel) == opened


@pytest.mark.parametrize(
    "picked", ["change_status:", "change_status:x", "unknown_button:1", "no colon", ""]
)
def test_a_damaged_menu_pick_is_answered_and_nothing_opens(keel: RunningKeel, picked: str) -> None:
    card = raise_and_get_card(keel)
    before, opened = responses(keel), views_opened(keel)
    payload = block_action(
        "record_menu",
        "",
        user="ULEAD",
        channel=card.channel,
        message_ts=card.ts,
        response_url=keel.fake.response_url(),
        selected_option={"text": {"type": "plain_text", "text": "Change status"}, "value": picked},
    )

    assert keel.slack.interaction(payload).status == 200
    assert "out of date or damaged" in refused(keel, before)["text"]
    assert views_opened(keel) == opened
