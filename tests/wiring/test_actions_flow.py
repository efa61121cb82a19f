"""Actions end to end: buttons by label, modals, thread replies and retries, via the fake Slack."""

from __future__ import annotations

import re
import time
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from bot.domain.dates import readable_date
from storage.models import Action, History
from tests.blocks import mrkdwn_texts
from tests.conftest import QUALITY_CHANNEL, RunningKeel
from tests.wiring.flows import (
    Message,
    action_values,
    add_action,
    assign_owner,
    chosen,
    click,
    dm_channel,
    edits_of,
    labels,
    messages_in,
    open_modal,
    picked_date,
    picked_user,
    raise_and_get_card,
    record_five_whys,
    record_with_action,
    refused,
    responses,
    stored,
    submit_modal,
    text_of,
    typed,
)

ACTION_BUTTONS = {"Mark done", "Extend due date", "Reassign", "Blocked"}


def count_history(keel: RunningKeel, event: str) -> int:
    with keel.db.reading() as session:
        query = select(func.count()).select_from(History).where(History.event == event)
        return int(session.scalar(query) or 0)


def views_opened(keel: RunningKeel) -> int:
    return len(keel.fake.calls_to("views.open"))


def thread_event(where: Message, text: str, *, user: str, ts: str) -> dict[str, Any]:
    """A person's reply in the thread of `where`, as the Events API delivers it."""
    return {
        "type": "message",
        "channel": where.channel,
        "channel_type": "im" if where.channel.startswith("D") else "channel",
        "user": user,
        "text": text,
        "ts": ts,
        "thread_ts": where.ts,
        "event_ts": ts,
    }


def replies_in(keel: RunningKeel, where: Message) -> list[str]:
    """Texts Keel posted in the thread of `where`."""
    return [
        str(call.args.get("text"))
        for call in keel.fake.calls_to("chat.postMessage")
        if call.args.get("thread_ts") == where.ts
    ]


def history_lines(keel: RunningKeel, reference: str, *, user: str) -> list[str]:
    """The history lines `/nc REF` shows, in the order shown."""
    answer = keel.slack.command(reference, user=user).json()
    text = "\n".join(mrkdwn_texts(answer["blocks"]))
    return [line for line in text.splitlines() if line.startswith("• ")]


def shown(iso: str) -> str:
    return readable_date(date.fromisoformat(iso), date(2026, 11, 23))


def event_of(line: str) -> str:
    """'• Mon 23 Nov 10:00 UTC — <@UBOB> action done A1 (form): …' -> 'action done'."""
    who = r"(?:<@\w+>|Keel|someone \(anonymous\))"
    match = re.match(rf"• .+? UTC — {who} ([a-z ]+?)(?: (?:[A-Z]+-\d+/)?A\d+)? \(", line)
    assert match, line
    return match.group(1)


def next_day(keel: RunningKeel) -> None:
    keel.clock.advance(timedelta(days=1))


def test_a_corrective_action_goes_from_the_card_to_a_closed_record(keel: RunningKeel) -> None:
    card = raise_and_get_card(keel)
    assert len(messages_in(keel, QUALITY_CHANNEL)) == 1

    assign_owner(keel, card, "UCAROL")
    keel.fake.wait_for(lambda: "<@UCAROL>" in text_of(keel, card))
    next_day(keel)
    record_five_whys(keel, card)
    keel.fake.wait_for(
        lambda: "Label templates are not under document control" in text_of(keel, card)
    )
    next_day(keel)

    in_thread, in_dm = add_action(keel, card, owner="UBOB", due="2026-12-04", check="2027-01-15")

    assert stored(keel, in_thread)["thread_ts"] == card.ts and in_thread.channel == QUALITY_CHANNEL
    assert in_dm.channel == dm_channel("UBOB")
    assert len(messages_in(keel, QUALITY_CHANNEL, thread_ts=card.ts)) == 1
    assert len(messages_in(keel, dm_channel("UBOB"))) == 1
    for message in (in_thread, in_dm):
        assert set(labels(keel, message)) >= ACTION_BUTTONS
        assert "NC-0001/A1" in text_of(keel, message)
    next_day(keel)

    view = open_modal(keel, in_dm, "Mark done", user="UBOB")
    submit_modal(keel, view, {"evidence": typed("Template v2 released, DMS-114")}, user="UBOB")

    for message in (in_thread, in_dm):
        keel.fake.wait_for(lambda m=message: "Verify effectiveness" in labels(keel, m))
        assert edits_of(keel, message) >= 1
        assert "Template v2 released, DMS-114" in text_of(keel, message)

    before, opened = responses(keel), views_opened(keel)
    click(keel, in_dm, "Verify effectiveness", user="UBOB")
    refusal = refused(keel, before)
    assert refusal["response_type"] == "ephemeral"
    assert "Only the record's owner or a quality lead" in refusal["text"]
    assert views_opened(keel) == opened
    assert count_history(keel, "effectiveness_checked") == 0
    next_day(keel)

    view = open_modal(keel, in_thread, "Verify effectiveness", user="ULEAD")
    outcome = {
        "outcome": chosen("effective", element="radio_buttons"),
        "note": typed("No mislabelled batch in six weeks"),
        "due_date": picked_date(None),
    }
    assert submit_modal(keel, view, outcome, user="ULEAD").body == ""
    keel.fake.wait_for(lambda: "Verified effective" in text_of(keel, in_thread))
    next_day(keel)

    view = open_modal(keel, card, "Close record", user="ULEAD")
    assert submit_modal(keel, view, {}, user="ULEAD").body == ""

    keel.fake.wait_for(lambda: "Status\nClosed" in text_of(keel, card))
    assert labels(keel, card) == ["Reopen record", "View record and history"]
    assert len(messages_in(keel, QUALITY_CHANNEL)) == 1  # edited in place, never reposted
    lines = history_lines(keel, "NC-0001", user="ULEAD")
    assert [event_of(line) for line in lines] == [
        "raised",
        "owner assigned",
        "status changed",
        "root cause recorded",
        "action added",
        "status changed",
        "action done",
        "status changed",
        "effectiveness checked",
        "closed",
    ]
    times = [
        datetime.strptime(f"{line.split(' — ')[0]} 2026", "• %a %d %b %H:%M UTC %Y")
        for line in lines
    ]
    assert times == sorted(times)  # newest last
    assert "UCAROL" in lines[1]
    assert "verifying" in lines[7].lower()


def test_someone_uninvolved_clicking_mark_done_is_refused_and_no_form_opens(
    keel: RunningKeel,
) -> None:
    _, in_thread, _ = record_with_action(keel)
    before, opened = responses(keel), views_opened(keel)

    click(keel, in_thread, "Mark done", user="UDAN")

    refusal = refused(keel, before)
    assert refusal["response_type"] == "ephemeral"
    assert refusal["text"] == (
        "Only the action's owner (<@UBOB>), the record's owner or a quality lead can mark it done."
    )
    assert views_opened(keel) == opened
    assert count_history(keel, "action_done") == 0


def test_a_refused_click_is_still_acknowledged_with_a_200(keel: RunningKeel) -> None:
    _, in_thread, _ = record_with_action(keel)

    # A listener that raises after ack() can lose the ack to a race in Bolt's thread runner,
    # on most clicks but not all: five in a row must each get their 200.
    answered = (click(keel, in_thread, "Mark done", user="UDAN") for _ in range(5))

    assert all(answer.status == 200 for answer in answered)


def test_done_replied_in_the_dm_thread_is_acted_on_once_however_often_slack_retries(
    keel: RunningKeel,
) -> None:
    _, in_thread, in_dm = record_with_action(keel)
    event = thread_event(in_dm, "done - replaced the seal", user="UBOB", ts="1700009000.000100")

    for retry in (None, 1, 2):
        assert keel.slack.event(event, event_id="EvDONE0001", retry=retry).status == 200

    keel.fake.wait_for(lambda: keel.fake.calls_to("reactions.add"))
    keel.fake.wait_for(lambda: replies_in(keel, in_dm))
    keel.fake.wait_for(lambda: "Verify effectiveness" in labels(keel, in_thread))
    time.sleep(0.3)  # room for a wrongly accepted retry to land before counting
    (reaction,) = keel.fake.calls_to("reactions.add")
    assert reaction.args["channel"] == in_dm.channel
    assert reaction.args["timestamp"] == "1700009000.000100"
    assert replies_in(keel, in_dm) == ["Marked NC-0001/A1 done."]
    assert count_history(keel, "action_done") == 1
    assert "replaced the seal" in text_of(keel, in_dm)


def test_due_without_a_reason_in_the_thread_gets_a_question_and_the_date_stays(
    keel: RunningKeel,
) -> None:
    card, in_thread, _ = record_with_action(keel)

    keel.slack.event(thread_event(card, "due 12 Dec", user="UBOB", ts="1700009100.000100"))

    question = keel.fake.wait_for(lambda: replies_in(keel, card)[1:])  # [0] is A1 itself
    assert "you asked to move it to Sat 12 Dec, 8 days later" in question[0]
    assert "Due\nFri 4 Dec" in text_of(keel, in_thread)
    assert count_history(keel, "due_date_moved") == 0


def test_add_action_with_a_past_due_date_and_no_check_date_gets_inline_errors(
    keel: RunningKeel,
) -> None:
    card = raise_and_get_card(keel)
    assign_owner(keel, card, "UCAROL")
    view = open_modal(keel, card, "Add action", user="ULEAD")

    answer = submit_modal(
        keel, view, action_values(kind="corrective", due="2026-11-20", check=None), user="ULEAD"
    )

    body = answer.json()
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {"due_date", "check_date"}
    with keel.db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Action)) == 0
    assert messages_in(keel, QUALITY_CHANNEL, thread_ts=card.ts) == []


def extend_from(keel: RunningKeel, message: Message, new_date: str, reason: str) -> None:
    view = open_modal(keel, message, "Extend due date", user="UBOB")
    values = {"due_date": picked_date(new_date), "reason": typed(reason)}
    assert submit_modal(keel, view, values, user="UBOB").body == ""


def test_a_third_extension_waits_for_a_lead_whose_approval_moves_the_date(
    keel: RunningKeel,
) -> None:
    _, _, in_dm = record_with_action(keel)
    extend_from(keel, in_dm, "2026-12-11", "Printer vendor is late")
    keel.fake.wait_for(lambda: "Due\nFri 11 Dec" in text_of(keel, in_dm))
    extend_from(keel, in_dm, "2026-12-18", "Vendor shipped the wrong part")
    keel.fake.wait_for(lambda: "Due\nFri 18 Dec" in text_of(keel, in_dm))

    extend_from(keel, in_dm, "2027-01-08", "Vendor went bust")

    (ask,) = keel.fake.wait_for(lambda: messages_in(keel, dm_channel("ULEAD")))
    assert labels(keel, ask) == ["Approve", "Decline"]
    assert "Vendor went bust" in text_of(keel, ask)
    keel.fake.wait_for(lambda: "Move to Fri 8 Jan 2027 requested" in text_of(keel, in_dm))
    assert "Due\nFri 18 Dec" in text_of(keel, in_dm)

    click(keel, ask, "Approve", user="ULEAD")

    keel.fake.wait_for(lambda: "Due\nFri 8 Jan 2027" in text_of(keel, in_dm))
    told = keel.fake.wait_for(
        lambda: [m for m in messages_in(keel, dm_channel("UBOB")) if "approved" in text_of(keel, m)]
    )
    assert "<@ULEAD> approved moving NC-0001/A1 to Fri 8 Jan 2027" in text_of(keel, told[0])
    keel.fake.wait_for(lambda: labels(keel, ask) == [])  # the request is answered in place


def test_a_declined_extension_keeps_the_date_and_the_requester_is_told(
    keel: RunningKeel,
) -> None:
    _, _, in_dm = record_with_action(keel)
    for new_date in ("2026-12-11", "2026-12-18"):
        extend_from(keel, in_dm, new_date, "Vendor late")
        keel.fake.wait_for(lambda d=new_date: f"Due\n{shown(d)}" in text_of(keel, in_dm))
    extend_from(keel, in_dm, "2027-01-08", "Vendor went bust")
    (ask,) = keel.fake.wait_for(lambda: messages_in(keel, dm_channel("ULEAD")))

    click(keel, ask, "Decline", user="ULEAD")

    told = keel.fake.wait_for(
        lambda: [m for m in messages_in(keel, dm_channel("UBOB")) if "declined" in text_of(keel, m)]
    )
    assert "it stays due Fri 18 Dec" in text_of(keel, told[0])
    keel.fake.wait_for(lambda: "requested" not in text_of(keel, in_dm))
    assert "Due\nFri 18 Dec" in text_of(keel, in_dm)


def test_only_a_lead_may_approve_an_extension(keel: RunningKeel) -> None:
    _, _, in_dm = record_with_action(keel)
    for new_date in ("2026-12-11", "2026-12-18"):
        extend_from(keel, in_dm, new_date, "Vendor late")
        keel.fake.wait_for(lambda d=new_date: f"Due\n{shown(d)}" in text_of(keel, in_dm))
    extend_from(keel, in_dm, "2027-01-08", "Vendor went bust")
    (ask,) = keel.fake.wait_for(lambda: messages_in(keel, dm_channel("ULEAD")))
    before = responses(keel)

    click(keel, ask, "Approve", user="UBOB")

    assert "Only a quality lead" in refused(keel, before)["text"]
    assert "Due\nFri 18 Dec" in text_of(keel, in_dm)
    assert count_history(keel, "due_date_moved") == 2


def reassign_to_erin(keel: RunningKeel, in_thread: Message) -> Message:
    """UCAROL reassigns A1 from UBOB to UERIN; UBOB's notice of it, the last thing sent."""
    view = open_modal(keel, in_thread, "Reassign", user="UCAROL")
    assert submit_modal(keel, view, {"owner": picked_user("UERIN")}, user="UCAROL").body == ""
    told = keel.fake.wait_for(
        lambda: [
            m for m in messages_in(keel, dm_channel("UBOB")) if "reassigned" in text_of(keel, m)
        ]
    )
    return told[0]


def test_reassigning_tells_both_people(keel: RunningKeel) -> None:
    _, in_thread, _ = record_with_action(keel)

    told = reassign_to_erin(keel, in_thread)

    assert "from you to <@UERIN>" in text_of(keel, told)
    (new_dm,) = keel.fake.wait_for(lambda: messages_in(keel, dm_channel("UERIN")))
    assert set(labels(keel, new_dm)) >= ACTION_BUTTONS
    assert "Owner\n<@UERIN>" in text_of(keel, new_dm)


def test_reassigning_redraws_the_home_tab_of_both_owners_and_of_who_did_it(
    keel: RunningKeel,
) -> None:
    _, in_thread, _ = record_with_action(keel)
    published = len(keel.fake.calls_to("views.publish"))

    reassign_to_erin(keel, in_thread)

    homes = keel.fake.wait_for(
        lambda: (
            (calls := keel.fake.calls_to("views.publish")[published:]) and len(calls) >= 3 and calls
        )
    )
    assert sorted(call.args["user_id"] for call in homes) == ["UBOB", "UCAROL", "UERIN"]


def test_reassigning_edits_the_old_owners_dm_to_show_the_new_owner(keel: RunningKeel) -> None:
    _, in_thread, in_dm = record_with_action(keel)

    reassign_to_erin(keel, in_thread)

    keel.fake.wait_for(lambda: "Owner\n<@UERIN>" in text_of(keel, in_dm))


def test_reassigning_edits_the_action_in_the_record_thread(keel: RunningKeel) -> None:
    _, in_thread, _ = record_with_action(keel)

    reassign_to_erin(keel, in_thread)  # sent after any edit queued with it

    assert "Owner\n<@UERIN>" in text_of(keel, in_thread)


def test_blocked_from_the_dm_shows_on_both_messages(keel: RunningKeel) -> None:
    _, in_thread, in_dm = record_with_action(keel)
    view = open_modal(keel, in_dm, "Blocked", user="UBOB")

    values = {"reason": typed("Waiting for the printer vendor")}
    assert submit_modal(keel, view, values, user="UBOB").body == ""

    for message in (in_thread, in_dm):
        keel.fake.wait_for(
            lambda m=message: "Blocked: Waiting for the printer vendor" in text_of(keel, m)
        )
    assert "Mark done" in labels(keel, in_dm)


def test_not_effective_reopens_the_action_with_its_buttons(keel: RunningKeel) -> None:
    card = raise_and_get_card(keel)
    assign_owner(keel, card, "UCAROL")
    record_five_whys(keel, card)
    in_thread, in_dm = add_action(keel, card)
    view = open_modal(keel, in_dm, "Mark done", user="UBOB")
    submit_modal(keel, view, {"evidence": typed("Template v2 released")}, user="UBOB")
    keel.fake.wait_for(lambda: "Verify effectiveness" in labels(keel, in_thread))

    view = open_modal(keel, in_thread, "Verify effectiveness", user="UCAROL")
    outcome = {
        "outcome": chosen("not_effective", element="radio_buttons"),
        "note": typed("Another mislabelled batch on line 3"),
        "due_date": picked_date("2027-01-29"),
    }
    assert submit_modal(keel, view, outcome, user="UCAROL").body == ""

    keel.fake.wait_for(lambda: "Due\nFri 29 Jan 2027" in text_of(keel, in_dm))
    assert set(labels(keel, in_dm)) >= ACTION_BUTTONS
    assert count_history(keel, "effectiveness_checked") == 1
    assert count_history(keel, "action_reopened") == 1
