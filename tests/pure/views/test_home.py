"""The App Home tab."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.audits import AuditStatus
from bot.domain.records import RecordStatus
from bot.queries.action_register import ActionPage, ActionRow
from bot.queries.audits import MyAudits
from bot.queries.home import LeadOverview
from bot.queries.objectives import overview
from bot.queries.records import RecordPage
from bot.views.home import ACTIONS_SHOWN, HomeAudits, home_view
from storage.models import Audit
from tests.blocks import button_labels, mrkdwn_texts
from tests.pure.blockkit import surface
from tests.pure.factories import make_record
from tests.pure.objective_factories import TODAY, make_objective
from tests.pure.views.test_action_register import make_action


def mine(titles: list[str], *, total: int | None = None) -> RecordPage:
    records = [make_record(id=n, number=n + 1, title=t) for n, t in enumerate(titles)]
    return RecordPage(
        records=records, page=1, total=len(records) if total is None else total, page_size=10
    )


def test_an_empty_home_is_a_valid_home_tab() -> None:
    view = surface(home_view(mine([])))
    assert view["type"] == "home"
    assert any("Nothing open" in text for text in mrkdwn_texts(view))


def test_home_lists_your_open_records() -> None:
    view = surface(home_view(mine(["Wrong label", "Forklift brakes soft"])))
    text = "\n".join(mrkdwn_texts(view))
    assert "*NC-0001* Wrong label · New" in text
    assert "*NC-0002* Forklift brakes soft · New" in text
    assert "(2)" in text


def test_home_points_to_the_list_when_there_are_more() -> None:
    view = surface(home_view(mine(["a"] * 10, total=25)))
    assert any("/nc list" in text for text in mrkdwn_texts(view))


def test_home_escapes_titles() -> None:
    view = surface(home_view(mine(["<!channel> spill"])))
    assert not any("<!channel>" in text for text in mrkdwn_texts(view))


@settings(max_examples=200, deadline=None)
@given(titles=st.lists(st.text(min_size=1, max_size=200), max_size=10))
def test_any_titles_make_a_valid_home_tab(titles: list[str]) -> None:
    view = surface(home_view(mine(titles)))
    for text in mrkdwn_texts(view):
        assert "<" not in text
        assert ">" not in text


def test_home_shows_the_objectives_you_measure_with_log_value() -> None:
    objective = make_objective(title="<!channel> delivery")
    item = overview(objective, [], TODAY)
    view = surface(home_view(mine([]), [item]))
    text = "\n".join(mrkdwn_texts(view))
    assert "*Objectives you measure* (1)" in text
    assert "*OBJ-1* &lt;!channel&gt; delivery" in text
    assert button_labels(view["blocks"]) == ["Log value"]


def test_home_leaves_objectives_out_for_people_who_measure_none() -> None:
    view = surface(home_view(mine([]), []))
    assert not any("Objectives" in text for text in mrkdwn_texts(view))


def make_audit(number: int, **overrides: object) -> Audit:
    fields: dict[str, object] = {
        "id": number,
        "number": number,
        "process_id": 1,
        "planned_date": TODAY + timedelta(days=number),
        "held_date": None,
        "lead_auditor_id": "UAUDITOR",
        "auditor_ids": ["UOTHER"],
        "auditee_id": "UAUDITEE",
        "status": AuditStatus.PLANNED.value,
        "postponements": 0,
    }
    fields.update(overrides)
    return Audit(**fields)


def audits_of(user_id: str, audits: list[Audit], *, total: int | None = None) -> HomeAudits:
    mine = MyAudits(
        audits=audits,
        total=len(audits) if total is None else total,
        process_names={1: "Purchasing & <stores>"},
    )
    return HomeAudits(mine, user_id, TODAY, is_lead=False)


def test_home_shows_your_audits_with_date_status_and_your_buttons() -> None:
    running = make_audit(2, status=AuditStatus.IN_PROGRESS.value, held_date=TODAY)
    view = surface(home_view(mine([]), [], audits_of("UAUDITOR", [make_audit(1), running])))
    text = "\n".join(mrkdwn_texts(view))
    assert "*Your audits* (2)" in text
    one = TODAY + timedelta(days=1)
    assert f"*AUD-1* Purchasing &amp; &lt;stores&gt; · {one:%a} {one.day} {one:%b} ·" in text
    assert "· Planned · you lead it" in text
    assert "· In progress · you lead it" in text
    assert button_labels(view["blocks"]) == [
        "Start audit",
        "Postpone",
        "Add finding",
        "Record report",
    ]


def test_the_auditee_sees_only_the_buttons_they_may_press() -> None:
    running = make_audit(2, status=AuditStatus.IN_PROGRESS.value, held_date=TODAY)
    reported = make_audit(3, status=AuditStatus.REPORTED.value)
    view = surface(
        home_view(mine([]), [], audits_of("UAUDITEE", [make_audit(1), running, reported]))
    )
    text = "\n".join(mrkdwn_texts(view))
    assert "you are the auditee" in text and "· Reported ·" in text
    assert button_labels(view["blocks"]) == ["Start audit", "Postpone"]
    other = surface(home_view(mine([]), [], audits_of("UOTHER", [running])))
    assert "you audit" in "\n".join(mrkdwn_texts(other))
    assert button_labels(other["blocks"]) == ["Add finding"]


def test_an_audit_past_its_date_without_a_report_says_so() -> None:
    late = make_audit(1, planned_date=TODAY - timedelta(days=3))
    view = surface(home_view(mine([]), [], audits_of("UAUDITOR", [late])))
    assert any("Overdue, no report yet" in text for text in mrkdwn_texts(view))


def test_home_leaves_audits_out_for_people_in_none() -> None:
    view = surface(home_view(mine([]), [], audits_of("UAUDITOR", [])))
    assert not any("audits" in text for text in mrkdwn_texts(view))


def test_a_full_home_stays_within_100_blocks_and_counts_the_rest() -> None:
    objective = make_objective(title="On-time delivery")
    measured = [overview(objective, [], TODAY)] * 60
    audits = [make_audit(n) for n in range(1, 41)]
    view = surface(
        home_view(mine(["a"] * 40, total=300), measured, audits_of("UAUDITOR", audits, total=75))
    )
    assert len(view["blocks"]) <= 100
    text = "\n".join(mrkdwn_texts(view))
    assert "*Your audits* (75)" in text
    assert "65 more audits with `/nc audits`." in text
    assert text.count("*AUD-") == 10


def test_one_more_audit_is_singular() -> None:
    audits = [make_audit(n) for n in range(1, 12)]
    view = surface(home_view(mine([]), [], audits_of("UAUDITOR", audits)))
    assert any("1 more audit with" in text for text in mrkdwn_texts(view))


def action_page(count: int, *, total: int | None = None, overdue: int = 0) -> ActionPage:
    rows = [
        ActionRow(
            make_action(n, due_date=TODAY + timedelta(days=n - overdue - 1)), "NC-0003", "Label"
        )
        for n in range(1, count + 1)
    ]
    shown = count if total is None else total
    return ActionPage(rows=rows, page=1, total=shown, overdue=overdue, page_size=ACTIONS_SHOWN)


def test_home_shows_your_open_actions_with_their_buttons() -> None:
    view = surface(home_view(mine([]), actions=action_page(2, overdue=1), today=TODAY))
    text = "\n".join(mrkdwn_texts(view))
    assert "*Your open actions* (2, 1 overdue)" in text
    assert "*NC-0003/A1* Action 1" in text and "Overdue* by 1 day" in text
    assert button_labels(view["blocks"]) == ["Mark done", "Extend due date", "Blocked"] * 2
    values = {
        b["value"]
        for block in view["blocks"]
        if block["type"] == "actions"
        for b in block["elements"]
    }
    assert values == {"1", "2"}


def test_home_shows_the_records_you_raised_with_their_status() -> None:
    closed = make_record(id=2, number=2, title="Spill <b>", status="closed")
    raised = RecordPage(records=[closed], page=1, total=6, page_size=5)
    text = "\n".join(mrkdwn_texts(surface(home_view(mine([]), raised=raised))))
    assert "*Records you raised* (6)" in text
    assert "*NC-0002* Spill &lt;b&gt; · Closed" in text
    assert "`/nc list mine everything`" in text


def test_members_see_no_overview_and_leads_see_the_counts_with_their_commands() -> None:
    assert not any("Overview" in t for t in mrkdwn_texts(surface(home_view(mine([])))))
    overview = LeadOverview(
        by_status={RecordStatus.NEW: 3, RecordStatus.CLOSED: 9},
        overdue_actions=4,
        objectives_off_track=1,
        audits_due=2,
        audits_overdue=1,
    )
    text = "\n".join(mrkdwn_texts(surface(home_view(mine([]), overview=overview))))
    assert "*Records by status*: 3 new, 9 closed — `/nc list everything`" in text
    assert "*Waiting for triage*: 3 — `/nc list all`" in text
    assert "*Overdue actions*: 4 — `/nc actions all`" in text
    assert "*Objectives off track*: 1 — `/nc objectives`" in text
    assert "*Audits*: 1 overdue, 2 due in the next 14 days — `/nc audits`" in text


def test_a_lead_with_lots_of_everything_gets_at_most_100_valid_blocks() -> None:
    objective = make_objective(title="On-time delivery")
    measured = [overview(objective, [], TODAY)] * 500
    audits = [make_audit(n) for n in range(1, 300)]
    raised = RecordPage(
        records=[make_record(id=n, number=n) for n in range(1, 300)],
        page=1,
        total=5000,
        page_size=5,
    )
    lead = LeadOverview(by_status={status: 1000 for status in RecordStatus}, overdue_actions=900)
    view = surface(
        home_view(
            mine(["a"] * 300, total=4000),
            measured,
            HomeAudits(MyAudits(audits, 800, {1: "Stores"}), "UAUDITOR", TODAY, is_lead=True),
            actions=action_page(300, total=2000, overdue=150),
            raised=raised,
            overview=lead,
            today=TODAY,
        )
    )
    assert len(view["blocks"]) <= 100
    text = "\n".join(mrkdwn_texts(view))
    assert "1,992 more actions with `/nc actions`." in text
    assert "More with `/nc list`." in text
    assert "All of them with `/nc objectives`." in text
    assert "790 more audits with `/nc audits`." in text
    assert text.count("*NC-0003/A") == ACTIONS_SHOWN
    # every part is there: nothing was cut off at the end
    assert any(block["type"] == "actions" for block in view["blocks"][-3:])
