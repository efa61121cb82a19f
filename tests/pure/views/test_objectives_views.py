"""Objective forms, the list and the weekly digest: valid Block Kit, escaped, labelled."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.objectives import Standing, ended_periods, parse_value
from bot.queries.audits import MonthLine
from bot.queries.objectives import overview
from bot.views import objectives as views
from bot.views.audits import month_text
from storage.models import Objective
from tests.blocks import button_labels, mrkdwn_texts
from tests.pure.blockkit import message_blocks, surface, without
from tests.pure.objective_factories import TODAY, make_objective, value

PING = "<!channel>"


def input_labels(view: dict[str, Any]) -> list[str]:
    return [block["label"]["text"] for block in view["blocks"] if block["type"] == "input"]


def test_the_new_objective_form_asks_for_what_a_measurable_objective_needs() -> None:
    view = surface(views.new_objective_form())
    assert input_labels(view) == [
        "What is the objective?",
        "Who measures it?",
        "Target is",
        "Target value",
        "Unit",
        "Measured",
        "Measured since",
        "What will be done?",
        "What resources are needed?",
        "Who is responsible?",
        "To be completed by",
        "How will results be evaluated?",
    ]
    assert view["submit"]["text"] == "Save"
    optional = {b["block_id"] for b in view["blocks"] if b["type"] == "input" and b.get("optional")}
    assert {"plan_actions", "plan_resources", "plan_responsible", "plan_due"} <= optional


def test_the_log_value_form_offers_periods_by_name_newest_first() -> None:
    objective = make_objective()
    periods = ended_periods(objective.frequency, objective.start_date, TODAY, limit=24)
    view = surface(views.log_value_form(objective, periods, date(2026, 10, 1)))
    period = next(b for b in view["blocks"] if b.get("block_id") == "period")
    names = [o["text"]["text"] for o in period["element"]["options"]]
    assert names[:3] == ["November 2026", "October 2026", "September 2026"]
    assert period["element"]["initial_option"]["text"]["text"] == "October 2026"
    assert input_labels(view) == ["Period", "Value (%)", "Note"]


@given(st.text(min_size=1, max_size=150))
def test_titles_never_ping_anyone_in_the_list_or_the_digest(title: str) -> None:
    objective = make_objective(title=title + PING)
    item = overview(objective, [value(objective, date(2026, 11, 1), 90.0)], TODAY)
    listed = message_blocks(views.list_blocks([item], can_add=True))
    digest = message_blocks(views.weekly_digest_blocks([item], TODAY))
    for text in mrkdwn_texts(listed) + mrkdwn_texts(digest):
        assert "<!" not in without(text, "<@UBOB>")


def test_the_list_shows_standing_latest_value_trend_and_what_is_missing() -> None:
    objective = make_objective()
    measured = [value(objective, date(2026, 10, 1), 96.0), value(objective, date(2026, 9, 1), 94.0)]
    item = overview(objective, measured, TODAY)
    blocks = message_blocks(views.list_blocks([item], can_add=False))
    text = " ".join(mrkdwn_texts(blocks))
    assert "*OBJ-1* On-time delivery" in text
    assert "On track · 96% in October 2026 · target ≥ 95%" in text
    assert "improving" in text
    assert "November 2026 not logged yet" in text
    assert button_labels(blocks) == ["Log value"]


def test_leads_get_a_new_objective_button_and_an_empty_list_says_how_to_start() -> None:
    blocks = message_blocks(views.list_blocks([], can_add=True))
    assert "`/nc objectives new`" in " ".join(mrkdwn_texts(blocks))
    assert button_labels(blocks) == ["New objective"]


def test_the_weekly_digest_puts_the_worst_first_and_counts_each_standing() -> None:
    good = make_objective(1, title="On-time delivery")
    bad = make_objective(2, title="Complaints", direction="at_most", target=3.0, unit=None)
    silent = make_objective(3, title="Scrap rate")
    items = [
        overview(good, [value(good, date(2026, 11, 1), 97.0)], TODAY),
        overview(bad, [value(bad, date(2026, 11, 1), 9.0)], TODAY),
        overview(silent, [], TODAY),
    ]
    assert [i.standing for i in items] == [Standing.ON_TRACK, Standing.OFF_TRACK, Standing.NO_DATA]
    blocks = message_blocks(views.weekly_digest_blocks(items, date(2026, 11, 30)))
    assert blocks[0]["text"]["text"] == "Objectives: week of Mon 30 Nov"
    texts = mrkdwn_texts(blocks)
    assert "1 on track · 0 at risk · 1 off track · 1 without data" in texts[0]
    order = [t.split("*")[1] for t in texts if t.startswith("*OBJ-")]
    assert order == ["OBJ-2", "OBJ-3", "OBJ-1"]
    assert views.weekly_digest_text(items) == (
        "Keel weekly objectives digest: 3 objectives: 1 off track, 1 without data."
    )


def test_the_digest_notification_names_an_objective_at_risk() -> None:
    risky = make_objective(1)
    items = [overview(risky, [], TODAY)]
    items = [replace(items[0], standing=Standing.AT_RISK)]
    assert views.list_text(items) == "1 objective: 1 at risk"
    on_track = [replace(items[0], standing=Standing.ON_TRACK)] * 2
    assert views.list_text(on_track) == "2 objectives, all on track"


def test_fifty_objectives_fit_in_one_digest_message() -> None:
    items = [overview(make_objective(n), [], TODAY) for n in range(1, 51)]
    blocks = message_blocks(views.weekly_digest_blocks(items, date(2026, 11, 30)))
    assert "…and 30 more" in " ".join(mrkdwn_texts(blocks))


def test_a_unit_never_pings_anyone_in_the_log_value_form() -> None:
    objective = make_objective(unit="<!channel>")
    periods = ended_periods(objective.frequency, objective.start_date, TODAY, limit=3)
    view = surface(views.log_value_form(objective, periods, None))
    texts = [b["text"]["text"] for b in view["blocks"] if b["type"] == "section"]
    assert texts and all("<!" not in text for text in texts)


def detail(objective: Objective, *, can_manage: bool) -> list[dict[str, Any]]:
    item = overview(objective, [value(objective, date(2026, 10, 1), 96.0)], TODAY)
    return message_blocks(
        views.detail_blocks(item, [("October 2026", "96%")], can_manage=can_manage, today=TODAY)
    )


def test_leads_can_edit_or_retire_an_objective_in_use_and_others_only_log() -> None:
    objective = make_objective()
    assert button_labels(detail(objective, can_manage=True)) == [
        "Log value",
        "Edit objective",
        "Retire objective",
    ]
    assert button_labels(detail(objective, can_manage=False)) == ["Log value"]


def test_a_retired_objective_shows_its_values_and_no_buttons() -> None:
    blocks = detail(make_objective(active=False), can_manage=True)
    assert button_labels(blocks) == []
    text = " ".join(mrkdwn_texts(blocks))
    assert "Retired" in text and "October 2026: 96%" in text


def test_the_edit_form_is_filled_in_and_keeps_the_frequency() -> None:
    objective = make_objective(target=95.5, unit="%", direction="at_most")
    view = surface(views.edit_objective_form(objective))
    assert input_labels(view) == [
        "What is the objective?",
        "Who measures it?",
        "Target is",
        "Target value",
        "Unit",
        "What will be done?",
        "What resources are needed?",
        "Who is responsible?",
        "To be completed by",
        "How will results be evaluated?",
    ]
    initial = {
        block["block_id"]: block["element"].get("initial_value")
        or block["element"].get("initial_user")
        or block["element"].get("initial_date")
        or block["element"].get("initial_option", {}).get("value")
        for block in view["blocks"]
        if block["type"] == "input"
    }
    assert initial == {
        "title": "On-time delivery",
        "owner": "UBOB",
        "direction": "at_most",
        "target": "95.5",
        "unit": "%",
        "plan_actions": None,
        "plan_resources": None,
        "plan_responsible": None,
        "plan_due": None,
        "plan_evaluation": None,
    }
    assert "Measured: monthly since 1 January 2026." in " ".join(mrkdwn_texts(view["blocks"]))


def test_the_plan_is_filled_in_on_the_edit_form_and_shown_on_the_objective() -> None:
    objective = make_objective(
        plan_actions="Second <shift> & a pick list",
        plan_responsible="Logistics lead",
        plan_due=date(2027, 3, 31),
    )
    view = surface(views.edit_objective_form(objective))
    filled = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert filled["plan_actions"]["initial_value"] == "Second <shift> & a pick list"
    assert filled["plan_due"]["initial_date"] == "2027-03-31"

    text = "\n".join(mrkdwn_texts(detail(objective, can_manage=False)))
    assert "*Plan*\n*What will be done:* Second &lt;shift&gt; &amp; a pick list" in text
    assert "*Responsible:* Logistics lead" in text
    assert "*To be completed by:* Wed 31 Mar 2027" in text
    assert "Resources" not in text  # parts not written down are not shown
    assert "Plan" not in " ".join(mrkdwn_texts(detail(make_objective(), can_manage=False)))


def test_the_retire_form_asks_why() -> None:
    view = surface(views.retire_objective_form(make_objective()))
    assert input_labels(view) == ["Why is it retired?"]
    assert view["submit"]["text"] == "Retire"


def test_a_tiny_target_is_shown_so_that_saving_the_form_keeps_it() -> None:
    view = surface(views.edit_objective_form(make_objective(target=1e-40)))
    (target,) = [b for b in view["blocks"] if b.get("block_id") == "target"]
    assert target["element"]["type"] == "number_input"
    assert target["element"]["is_decimal_allowed"] is True
    typed = target["element"]["initial_value"]
    assert "e" not in typed and parse_value(typed) == Decimal("1e-40")


# -- the audit programme's line in the weekly digest ---------------------------------------------

NOV_23 = date(2026, 11, 23)


def test_the_digest_names_this_months_audits_and_the_overdue_ones() -> None:
    line = MonthLine(planned=2, overdue=[("Purchasing", date(2026, 11, 3))])
    text = month_text(line, NOV_23)
    assert text == "Audits this month: 2 planned, 1 overdue — Purchasing, due Tue 3 Nov."
    items = [overview(make_objective(1), [], TODAY)]
    blocks = message_blocks(views.weekly_digest_blocks(items, NOV_23, text))
    assert text in mrkdwn_texts(blocks)
    assert views.weekly_digest_text(items, text).endswith(text)


def test_the_audit_line_speaks_in_singular_and_plural_and_dates_other_years() -> None:
    assert month_text(MonthLine(planned=1, overdue=[]), NOV_23) == "Audits this month: 1 planned."
    late = [("Sales & <ops>", date(2025, 12, 15)), ("A", NOV_23), ("B", NOV_23), ("C", NOV_23)]
    assert month_text(MonthLine(planned=0, overdue=late), NOV_23) == (
        "Audits this month: none planned, 4 overdue — Sales &amp; &lt;ops&gt;, due Mon 15 Dec "
        "2025; A, due Mon 23 Nov; B, due Mon 23 Nov; and 1 more."
    )


def test_no_audits_means_no_line() -> None:
    assert month_text(MonthLine(planned=0, overdue=[]), NOV_23) is None
    items = [overview(make_objective(1), [], TODAY)]
    plain = message_blocks(views.weekly_digest_blocks(items, NOV_23))
    assert message_blocks(views.weekly_digest_blocks(items, NOV_23, None)) == plain
    assert not any("Audits" in text for text in mrkdwn_texts(plain))
