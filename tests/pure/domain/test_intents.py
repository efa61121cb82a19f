"""Thread replies about a corrective action: done, blocked, a new due date or a note."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.domain.intents import (
    Blocked,
    Done,
    Intent,
    MoveDue,
    Note,
    Reply,
    Unclear,
    parse_reply,
)

TODAY = date(2026, 12, 9)  # a Wednesday


def parse(text: str, today: date = TODAY) -> Intent:
    return parse_reply(text, today=today).intent


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("done", Done(evidence="")),
        ("Done", Done(evidence="")),
        ("DONE", Done(evidence="")),
        ("done - replaced the seal", Done(evidence="replaced the seal")),
        ("Done: new SOP issued", Done(evidence="new SOP issued")),
        ("done \u2013 retrained the night shift", Done(evidence="retrained the night shift")),
        ("done, photo attached", Done(evidence="photo attached")),
        ("finished", Done(evidence="")),
        ("completed the toolbox talk", Done(evidence="the toolbox talk")),
        ("complete", Done(evidence="")),
        ("fixed: new guard fitted", Done(evidence="new guard fitted")),
        ("*done*", Done(evidence="")),
        ("_done_", Done(evidence="")),
        ("*_done_*", Done(evidence="")),
        ("~done~", Done(evidence="")),
        ("`done`", Done(evidence="")),
        ("done.", Done(evidence="")),
        ("done!", Done(evidence="")),
        ("*done*.", Done(evidence="")),
        ("*done.*", Done(evidence="")),
        ("* done *", Done(evidence="")),
        ("*Done*: replaced the seal", Done(evidence="replaced the seal")),
        ("done . !", Done(evidence="")),
        ("  done  \n", Done(evidence="")),
        ("done - replaced the seal.", Done(evidence="replaced the seal")),
        ("done today", Done(evidence="today")),
        ("done\n- replaced seal\n- retrained", Done(evidence="replaced seal\n- retrained")),
        ("done - seal &amp; gasket", Done(evidence="seal & gasket")),
        ("done: torque &lt; 40 Nm &gt; 35 Nm", Done(evidence="torque < 40 Nm > 35 Nm")),
        ("done &amp;lt;", Done(evidence="&lt;")),
    ],
)
def test_done_and_its_synonyms_at_the_start_close_the_action(text: str, expected: Done) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "not done yet",
        "is it done?",
        "almost done",
        "done?",
        "*done?*",
        "done?!",
        "Done - is that enough?",
        "nearly finished",
        "doner kebab for lunch",
        "donezo",
        "the seal is fixed",
        "I think blocked is too strong",
        "stuckey's",
        "extended the audit to cover bay 4",
        "due?",
    ],
)
def test_the_intent_word_elsewhere_or_in_a_question_is_a_note(text: str) -> None:
    intent = parse(text)
    assert isinstance(intent, Note)


def test_a_note_keeps_the_text_unescaped_but_otherwise_as_written() -> None:
    assert parse("  Great work, thanks &amp; well done!  ") == Note(
        text="Great work, thanks & well done!"
    )


def test_a_note_drops_formatting_around_the_whole_reply_only() -> None:
    assert parse("*Waiting on maintenance*") == Note(text="Waiting on maintenance")
    assert parse("*Waiting* on _maintenance_") == Note(text="*Waiting* on _maintenance_")


def test_an_empty_reply_is_an_empty_note() -> None:
    assert parse_reply("   ", today=TODAY) == Reply(action_ref=None, intent=Note(text=""))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("blocked: waiting for parts", Blocked(reason="waiting for parts")),
        ("blocked - supplier", Blocked(reason="supplier")),
        ("blocked", Blocked(reason="")),
        ("Blocked.", Blocked(reason="")),
        ("BLOCKED because the supplier is closed", Blocked(reason="the supplier is closed")),
        ("blocked as the line is running", Blocked(reason="the line is running")),
        ("stuck - no access to the roof", Blocked(reason="no access to the roof")),
        ("stuck waiting for sign-off", Blocked(reason="waiting for sign-off")),
        ("blocked: parts &amp; labour", Blocked(reason="parts & labour")),
        ("*blocked*: budget", Blocked(reason="budget")),
        ("blocked: the _old_ pump", Blocked(reason="the old pump")),
        ("blocked: pump_3 &amp; valve_7", Blocked(reason="pump_3 & valve_7")),
    ],
)
def test_blocked_and_stuck_carry_a_reason(text: str, expected: Blocked) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "new_date", "reason"),
    [
        ("due 12 Dec", date(2026, 12, 12), ""),
        ("due 12 December", date(2026, 12, 12), ""),
        ("due Dec 12", date(2026, 12, 12), ""),
        ("due December 12th", date(2026, 12, 12), ""),
        ("due 12th of December", date(2026, 12, 12), ""),
        ("due 1st may", date(2027, 5, 1), ""),
        ("due sept 3", date(2027, 9, 3), ""),
        ("due 12 Dec 2027", date(2027, 12, 12), ""),
        ("due December 12th, 2027", date(2027, 12, 12), ""),
        ("due 2026-12-12", date(2026, 12, 12), ""),
        ("due 2026-1-5", date(2026, 1, 5), ""),
        ("due 12/12/2026", date(2026, 12, 12), ""),
        ("due 12/12", date(2026, 12, 12), ""),
        ("due 25/12/2026", date(2026, 12, 25), ""),
        ("due 12/25/2026", date(2026, 12, 25), ""),
        ("due 25.12.26", date(2026, 12, 25), ""),
        ("due 1/13", date(2027, 1, 13), ""),
        ("due tomorrow", date(2026, 12, 10), ""),
        ("due today", date(2026, 12, 9), ""),
        ("due friday", date(2026, 12, 11), ""),
        ("due next friday", date(2026, 12, 11), ""),
        ("due Wednesday", date(2026, 12, 16), ""),
        ("due thurs", date(2026, 12, 10), ""),
        ("due in 2 weeks", date(2026, 12, 23), ""),
        ("due in 10 days", date(2026, 12, 19), ""),
        ("due in a month", date(2027, 1, 9), ""),
        ("due in 1 week", date(2026, 12, 16), ""),
        ("due end of month", date(2026, 12, 31), ""),
        ("due end of the month", date(2026, 12, 31), ""),
        ("due date 12 dec", date(2026, 12, 12), ""),
        ("due date: 12 dec", date(2026, 12, 12), ""),
        ("due: 12 dec", date(2026, 12, 12), ""),
        ("due on friday", date(2026, 12, 11), ""),
        ("due by friday", date(2026, 12, 11), ""),
        ("new due date 1 jan", date(2027, 1, 1), ""),
        ("new due date: 1 jan", date(2027, 1, 1), ""),
        ("move due to 12 dec", date(2026, 12, 12), ""),
        ("moved due date to 12 dec", date(2026, 12, 12), ""),
        ("extend to friday", date(2026, 12, 11), ""),
        ("extended the due date to 2027-01-15", date(2027, 1, 15), ""),
        ("*due 12 Dec*", date(2026, 12, 12), ""),
        ("due *12 Dec*", date(2026, 12, 12), ""),
        ("_due_ `2026-12-12`", date(2026, 12, 12), ""),
        ("due 12 Dec.", date(2026, 12, 12), ""),
        ("Due 12 Dec because parts are late", date(2026, 12, 12), "parts are late"),
        ("due 12 dec - supplier", date(2026, 12, 12), "supplier"),
        ("due 12 dec \u2013 supplier", date(2026, 12, 12), "supplier"),
        ("due 12 dec: audit moved", date(2026, 12, 12), "audit moved"),
        ("due 12 dec, waiting on quotes", date(2026, 12, 12), "waiting on quotes"),
        ("due 12 dec as agreed with Sam", date(2026, 12, 12), "agreed with Sam"),
        ("due 12 dec since the crane is booked", date(2026, 12, 12), "the crane is booked"),
        ("due Dec 12, 2027 - budget", date(2027, 12, 12), "budget"),
        ("due friday - parts &amp; labour", date(2026, 12, 11), "parts & labour"),
        ("due 12 dec asap", date(2026, 12, 12), "asap"),
        ("due 12 dec - 2 weeks late", date(2026, 12, 12), "2 weeks late"),
        ("due 2026/12/12", date(2026, 12, 12), ""),
        ("due 12 Dec 2020", date(2020, 12, 12), ""),
    ],
)
def test_a_new_due_date(text: str, new_date: date, reason: str) -> None:
    assert parse(text) == MoveDue(new_date=new_date, reason=reason)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("due someday", '"someday"'),
        ("due", "missing"),
        ("due date:", "missing"),
        ("due 31 Feb", '"31 Feb"'),
        ("due 30 february 2027", "no date"),
        ("due 2026-02-30", "no date"),
        ("due 2026-13-01", "no date"),
        ("due 29 Feb 2027", "no date"),
        ("due 12/11", "12 Nov or 11 Dec"),
        ("due 1/2/2027", "1 Feb or 2 Jan"),
        ("due 13/13", "no date"),
        ("due 12", '"12"'),
        ("due next week", '"next week"'),
        ("due 12 decimal", '"12 decimal"'),
        ("due friyay", '"friyay"'),
        ("due in 1000 days", '"in 1000 days"'),
        ("extend by 2 weeks", '"2 weeks"'),
        ("due diligence is complete", '"diligence is complete"'),
        ("done by friday", "finished now or"),
        ("done in 2 weeks", "finished now or"),
        ("done 12 dec", "finished now or"),
        ("finished until 31 feb", "finished now or"),
        ("done friday 12 dec", "finished now or"),
        ("due Fri 12 Dec", '"Fri 12 Dec"'),
        ("due friday, Dec 12", "which date"),
        ("due 12 Dec 27", '"12 Dec 27"'),
        ("due 12/12 2026", "which date"),
        ("due in 2 weeks 3 days", "which date"),
    ],
)
def test_replies_that_look_like_an_intent_but_are_not_safe_are_unclear(
    text: str, says: str
) -> None:
    intent = parse(text)
    assert isinstance(intent, Unclear)
    assert says in intent.message
    assert '"due ' in intent.message  # every message shows an example that works


def test_due_to_that_is_not_a_date_is_english_for_because_of() -> None:
    text = "Due to the holiday the contractor comes back in January"
    assert parse(text) == Note(text=text)


def test_due_to_a_date_still_moves_the_due_date() -> None:
    assert parse("due to 12 dec") == MoveDue(new_date=date(2026, 12, 12), reason="")


def test_a_long_unreadable_date_is_cut_short_in_the_message() -> None:
    intent = parse("due " + "whenever " * 20)
    assert isinstance(intent, Unclear)
    assert len(intent.message) < 200


@pytest.mark.parametrize(
    ("text", "ref", "intent"),
    [
        ("A2 done", 2, Done(evidence="")),
        ("A2: done", 2, Done(evidence="")),
        ("a2 - due 12 dec", 2, MoveDue(new_date=date(2026, 12, 12), reason="")),
        ("A12) blocked: parts", 12, Blocked(reason="parts")),
        ("*A3 done*", 3, Done(evidence="")),
        ("A3 *done*", 3, Done(evidence="")),
        ("A3, waiting on the supplier", 3, Note(text="waiting on the supplier")),
        ("A3", 3, Note(text="")),
        ("A2done", None, Note(text="A2done")),
        ("done A2", None, Done(evidence="A2")),
        # Any reply starting A<number> names an action, even "A4" the paper size.
        ("A4 paper for the SOP", 4, Note(text="paper for the SOP")),
    ],
)
def test_an_action_reference_prefix(text: str, ref: int | None, intent: Intent) -> None:
    assert parse_reply(text, today=TODAY) == Reply(action_ref=ref, intent=intent)


@pytest.mark.parametrize(
    ("today", "text", "new_date"),
    [
        (date(2026, 12, 31), "due end of month", date(2027, 1, 31)),
        (date(2026, 12, 31), "due tomorrow", date(2027, 1, 1)),
        (date(2026, 12, 31), "due 31 dec", date(2026, 12, 31)),
        (date(2026, 12, 31), "due 30 dec", date(2027, 12, 30)),
        (date(2026, 12, 31), "due 12/12", date(2027, 12, 12)),
        (date(2026, 12, 31), "due friday", date(2027, 1, 1)),
        (date(2026, 12, 31), "due thursday", date(2027, 1, 7)),
        (date(2026, 12, 31), "due in 2 months", date(2027, 2, 28)),
        (date(2026, 12, 31), "due in 1 week", date(2027, 1, 7)),
        (date(2027, 2, 28), "due end of month", date(2027, 3, 31)),
        (date(2027, 2, 28), "due tomorrow", date(2027, 3, 1)),
        (date(2027, 2, 28), "due 28 feb", date(2027, 2, 28)),
        (date(2027, 2, 28), "due 29 feb", date(2028, 2, 29)),
        (date(2027, 2, 28), "due in 1 month", date(2027, 3, 28)),
        (date(2027, 2, 28), "due sunday", date(2027, 3, 7)),
        (date(2028, 2, 29), "due end of month", date(2028, 3, 31)),
        (date(2028, 2, 29), "due tomorrow", date(2028, 3, 1)),
        (date(2028, 2, 29), "due 29 feb", date(2028, 2, 29)),
        (date(2028, 2, 29), "due 28 feb", date(2029, 2, 28)),
        (date(2028, 2, 29), "due in 12 months", date(2029, 2, 28)),
        (date(2028, 2, 29), "due 2028-02-29", date(2028, 2, 29)),
        (date(2027, 1, 30), "due end of month", date(2027, 1, 31)),
        (date(2027, 1, 31), "due in 1 month", date(2027, 2, 28)),
        (date(2096, 3, 1), "due 29 feb", date(2104, 2, 29)),
    ],
)
def test_dates_around_month_and_year_ends(today: date, text: str, new_date: date) -> None:
    assert parse(text, today) == MoveDue(new_date=new_date, reason="")


@pytest.mark.parametrize("today", [date(1, 1, 1), date(9999, 12, 31), date(9999, 12, 25)])
@pytest.mark.parametrize("text", ["due tomorrow", "due friday", "due in 3 months", "due 12 dec"])
def test_dates_beyond_the_calendar_are_unclear_not_errors(today: date, text: str) -> None:
    intent = parse(text, today)
    if isinstance(intent, MoveDue):
        assert intent.new_date >= today
    else:
        assert isinstance(intent, Unclear)


KEYWORDS = [
    "done",
    "Completed",
    "finished",
    "fixed",
    "blocked",
    "stuck",
    "due",
    "due date",
    "move due to",
    "extend to",
    "new due date",
    "not done",
    "almost done",
    "due to",
    "",
]
DATES = [
    "12 Dec",
    "Dec 12",
    "December 12th",
    "12 December 2027",
    "2026-12-12",
    "12/12/2026",
    "12/11",
    "25/12",
    "31 Feb",
    "29 feb",
    "friday",
    "next friday",
    "tomorrow",
    "in 2 weeks",
    "in a month",
    "end of month",
    "someday",
    "",
]
SEPARATORS = ["", " ", " - ", " \u2013 ", ": ", ", ", " because ", " as ", " since ", ":"]
REASONS = ["", "parts late", "supplier &amp; customs", "why?", "done", "A3", "!!", "*x*"]
WRAPS = ["{}", "*{}*", "_{}_", "{}.", "{}!", "  {}  ", "{}?"]

replies = st.builds(
    lambda wrap, keyword, when, sep, reason, upper: wrap.format(
        f"{keyword} {when}{sep}{reason}".upper() if upper else f"{keyword} {when}{sep}{reason}"
    ),
    st.sampled_from(WRAPS),
    st.sampled_from(KEYWORDS),
    st.sampled_from(DATES),
    st.sampled_from(SEPARATORS),
    st.sampled_from(REASONS),
    st.booleans(),
)
todays = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


def check(reply: Reply, today: date) -> None:
    """What every reply must satisfy, whatever the text."""
    intent = reply.intent
    assert isinstance(intent, Done | Blocked | MoveDue | Note | Unclear)
    if isinstance(intent, MoveDue):
        assert type(intent.new_date) is date
        assert intent.reason == intent.reason.strip()
    if isinstance(intent, Unclear):
        assert intent.message.endswith(".")
        assert '"due ' in intent.message


@settings(max_examples=500, deadline=None)
@given(st.text(), todays)
def test_any_text_parses_without_raising(text: str, today: date) -> None:
    reply = parse_reply(text, today=today)
    check(reply, today)
    assert parse_reply(text, today=today) == reply


@settings(max_examples=500, deadline=None)
@given(replies, todays)
def test_texts_built_from_keywords_dates_and_separators_parse_without_raising(
    text: str, today: date
) -> None:
    reply = parse_reply(text, today=today)
    check(reply, today)
    assert parse_reply(text, today=today) == reply


@settings(max_examples=300, deadline=None)
@given(replies | st.text(), todays)
def test_an_action_reference_prefix_keeps_the_intent(text: str, today: date) -> None:
    plain = parse_reply(text, today=today)
    # A text that starts with its own reference, or with the separator a reference may
    # carry ("A7 : done"), is read differently once prefixed; that is not a round trip.
    assume(plain.action_ref is None)
    assume(text.strip()[:1] not in {":", "-", "\u2013", "\u2014", ".", ",", ")"})
    assert parse_reply("A7 " + text, today=today) == Reply(action_ref=7, intent=plain.intent)


MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 31), st.integers(1, 12), todays)
def test_a_day_and_month_without_a_year_is_the_next_such_day(
    day: int, month: int, today: date
) -> None:
    intent = parse(f"due {day} {MONTHS[month - 1]}", today)
    try:
        date(2000, month, day)  # 2000 is a leap year: the day exists in some year
    except ValueError:
        assert isinstance(intent, Unclear)
        return
    assert isinstance(intent, MoveDue)
    assert (intent.new_date.month, intent.new_date.day) == (month, day)
    assert today <= intent.new_date <= today + timedelta(days=8 * 366)
    assert all(
        (earlier.month, earlier.day) != (month, day)
        for earlier in (today + timedelta(days=n) for n in range((intent.new_date - today).days))
    )


WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 6), st.booleans(), todays)
def test_a_weekday_is_the_next_one_strictly_after_today(
    weekday: int, next_: bool, today: date
) -> None:
    text = f"due {'next ' if next_ else ''}{WEEKDAYS[weekday]}"
    intent = parse(text, today)
    assert isinstance(intent, MoveDue)
    assert intent.new_date.weekday() == weekday
    assert 1 <= (intent.new_date - today).days <= 7
