"""Objectives through signed requests, as people use them: a lead sets one with
`/nc objectives new`, its owner logs a value from `/nc objectives`, `/nc OBJ-1` shows it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from storage.models import Measurement, Objective
from tests.blocks import button_labels, find_button, mrkdwn_texts
from tests.conftest import RunningKeel
from tests.slack_requests import block_action, view_submission
from tests.wiring.flows import chosen, option_named, picked_user, refused, responses, typed
from tests.wiring.test_raise_record import open_form

LEAD = "ULEAD"
BOB = "UBOB"


def objective_values(**overrides: Any) -> dict[str, Any]:
    values = {
        "title": typed("On-time delivery <!channel>"),
        "owner": picked_user(BOB),
        "direction": chosen("at_least"),
        "target": typed("95"),
        "unit": typed("%"),
        "frequency": chosen("FREQ=MONTHLY"),
        "start_date": {"input": {"type": "datepicker", "selected_date": "2026-09-01"}},
    }
    values.update(overrides)
    return values


def submit(keel: RunningKeel, view: dict[str, Any], values: dict[str, Any], user: str) -> Any:
    answer = keel.slack.interaction(view_submission(view, values, user=user))
    assert answer.status == 200, answer.body
    return answer


def set_up_objective(keel: RunningKeel) -> None:
    view = open_form(keel, "objectives new", user=LEAD)
    assert view["callback_id"] == "new_objective"
    assert submit(keel, view, objective_values(), LEAD).body == ""


def objectives_list(keel: RunningKeel, user: str) -> list[dict[str, Any]]:
    answer = keel.slack.command("objectives", user=user)
    assert answer.status == 200
    return list(answer.json()["blocks"])


def open_from(
    keel: RunningKeel, blocks: list[dict[str, Any]], label: str, user: str
) -> dict[str, Any]:
    """Click the button labelled `label` in `blocks`; the form it opened."""
    button = find_button(blocks, label)
    before = len(keel.fake.calls_to("views.open"))
    answer = keel.slack.interaction(
        block_action(
            button["action_id"], button["value"], user=user, response_url=keel.fake.response_url()
        )
    )
    assert answer.status == 200
    opened = keel.fake.wait_for(lambda: keel.fake.calls_to("views.open")[before:])
    return dict(opened[0].args["view"])


def test_a_lead_sets_an_objective_and_its_owner_is_told(keel: RunningKeel) -> None:
    set_up_objective(keel)
    with keel.db.reading() as session:
        (objective,) = session.scalars(select(Objective)).all()
    assert (objective.number, objective.owner_id, objective.target) == (1, BOB, 95.0)
    told = keel.fake.wait_for(lambda: keel.fake.posts_to(BOB))
    assert "*OBJ-1*" in told[0].args["text"] and "<@ULEAD>" in told[0].args["text"]


def test_a_bad_target_is_shown_on_the_field_and_nothing_is_saved(keel: RunningKeel) -> None:
    view = open_form(keel, "objectives new", user=LEAD)
    answer = submit(keel, view, objective_values(target=typed("ninety-five")), LEAD)
    assert answer.json()["response_action"] == "errors"
    assert set(answer.json()["errors"]) == {"target"}
    with keel.db.reading() as session:
        assert session.scalars(select(Objective)).all() == []


def test_an_objective_carries_its_plan_and_nc_obj_shows_it(keel: RunningKeel) -> None:
    view = open_form(keel, "objectives new", user=LEAD)
    planned = objective_values(
        plan_actions=typed("A pick list per route"),
        plan_resources=typed("Two hours a week of the planner"),
        plan_due={"input": {"type": "datepicker", "selected_date": "0001-01-01"}},
    )
    answer = submit(keel, view, planned, LEAD).json()
    assert answer["errors"] == {"plan_due": "That date is too far back: pick a day after 1900."}

    planned["plan_due"] = {"input": {"type": "datepicker", "selected_date": "2027-03-31"}}
    assert submit(keel, view, planned, LEAD).body == ""

    shown = "\n".join(mrkdwn_texts(keel.slack.command("OBJ-1", user=BOB).json()["blocks"]))
    assert "*What will be done:* A pick list per route" in shown
    assert "*Resources:* Two hours a week of the planner" in shown
    assert "*To be completed by:* Wed 31 Mar 2027" in shown


def test_only_leads_open_the_new_objective_form(keel: RunningKeel) -> None:
    before, opened = responses(keel), len(keel.fake.calls_to("views.open"))
    answer = keel.slack.command(
        "objectives new", user="UALICE", response_url=keel.fake.response_url()
    )
    assert answer.status == 200
    assert "Only a quality lead can set objectives" in refused(keel, before)["text"]
    assert len(keel.fake.calls_to("views.open")) == opened
    assert button_labels(objectives_list(keel, "UALICE")) == []  # no "New objective" either


def test_the_owner_logs_a_value_and_the_list_and_the_objective_show_it(
    keel: RunningKeel,
) -> None:
    set_up_objective(keel)
    listed = objectives_list(keel, BOB)
    assert "October 2026 not logged yet" in " ".join(mrkdwn_texts(listed))
    view = open_from(keel, listed, "Log value", BOB)
    assert view["callback_id"] == "log_value"
    october = option_named(view, "period", "October 2026")
    bad = submit(keel, view, {"period": _picked(october), "value": typed("ninety")}, BOB)
    assert bad.json()["errors"] == {"value": "Type one number, such as 95 or 2.5."}
    good = submit(keel, view, {"period": _picked(october), "value": typed("96,5 %")}, BOB)
    assert good.body == ""
    with keel.db.reading() as session:
        (measured,) = session.scalars(select(Measurement)).all()
    assert (measured.period_start.isoformat(), measured.value) == ("2026-10-01", 96.5)

    shown = keel.slack.command("OBJ-1", user="UALICE").json()
    text = " ".join(mrkdwn_texts(shown["blocks"]))
    assert "On track · 96.5% in October 2026" in text
    assert "&lt;!channel&gt;" in text and "<!channel>" not in text


def test_someone_else_cannot_log_a_value(keel: RunningKeel) -> None:
    set_up_objective(keel)
    before, opened = responses(keel), len(keel.fake.calls_to("views.open"))
    button = find_button(objectives_list(keel, "UALICE"), "Log value")
    keel.slack.interaction(
        block_action(
            button["action_id"],
            button["value"],
            user="UALICE",
            response_url=keel.fake.response_url(),
        )
    )
    assert "Only the objective's owner" in refused(keel, before)["text"]
    assert len(keel.fake.calls_to("views.open")) == opened


def test_an_unknown_objective_reference_says_how_to_find_them(keel: RunningKeel) -> None:
    answer = keel.slack.command("OBJ-9", user="UALICE")
    assert "There is no OBJ-9. `/nc objectives` lists them." in str(answer.json())


def _picked(option: dict[str, Any]) -> dict[str, Any]:
    return {"input": {"type": "static_select", "selected_option": option}}


def test_a_forged_log_value_button_is_refused_plainly(keel: RunningKeel) -> None:
    set_up_objective(keel)
    before = responses(keel)
    keel.slack.interaction(
        block_action("log_value", "1;DROP", user=BOB, response_url=keel.fake.response_url())
    )
    assert "That objective is not in Keel any more." in refused(keel, before)["text"]


def test_the_home_tab_shows_the_objectives_you_measure(keel: RunningKeel) -> None:
    set_up_objective(keel)
    answer = keel.slack.event({"type": "app_home_opened", "user": BOB, "tab": "home"})
    assert answer.status == 200
    (home,) = keel.fake.wait_for(lambda: keel.fake.calls_to("views.publish"))
    view = home.args["view"]
    assert "*Objectives you measure* (1)" in mrkdwn_texts(view["blocks"])
    assert button_labels(view["blocks"]) == ["Log value"]


def objective_page(keel: RunningKeel, user: str) -> list[dict[str, Any]]:
    answer = keel.slack.command("OBJ-1", user=user)
    assert answer.status == 200
    return list(answer.json()["blocks"])


def test_a_lead_edits_the_target_and_hands_the_objective_to_someone_else(
    keel: RunningKeel,
) -> None:
    set_up_objective(keel)
    assert button_labels(objective_page(keel, BOB)) == ["Log value"]
    view = open_from(keel, objective_page(keel, LEAD), "Edit objective", LEAD)
    values = {key: objective_values()[key] for key in ("title", "direction", "unit")} | {
        "target": typed("97,5"),
        "owner": picked_user("UCAROL"),
    }
    assert submit(keel, view, values, LEAD).body == ""
    with keel.db.reading() as session:
        (objective,) = session.scalars(select(Objective)).all()
    assert (objective.target, objective.owner_id) == (97.5, "UCAROL")
    told = keel.fake.wait_for(lambda: keel.fake.posts_to("UCAROL"))
    assert "instead of <@UBOB>" in told[0].args["text"]


def test_a_lead_retires_an_objective_with_a_reason(keel: RunningKeel) -> None:
    set_up_objective(keel)
    view = open_from(keel, objective_page(keel, LEAD), "Retire objective", LEAD)
    missing = submit(keel, view, {"reason": typed(None)}, LEAD)
    assert missing.json()["errors"] == {"reason": "Say why, for the record."}
    assert submit(keel, view, {"reason": typed("Replaced by OBJ-2")}, LEAD).body == ""
    page = objective_page(keel, LEAD)
    assert button_labels(page) == []
    assert "Retired" in " ".join(mrkdwn_texts(page))
    assert "No objectives yet" in " ".join(mrkdwn_texts(objectives_list(keel, LEAD)))


def test_a_forged_edit_click_by_someone_else_is_refused(keel: RunningKeel) -> None:
    set_up_objective(keel)
    before, opened = responses(keel), len(keel.fake.calls_to("views.open"))
    keel.slack.interaction(
        block_action("edit_objective", "1", user=BOB, response_url=keel.fake.response_url())
    )
    assert "Only a quality lead can change objectives" in refused(keel, before)["text"]
    assert len(keel.fake.calls_to("views.open")) == opened
