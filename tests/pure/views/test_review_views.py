"""`/nc review` and its forms within Slack's limits, and their parsing: the plan's date is not
in the past, a decision's action needs both owner and due date, the next review comes later."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.domain.commands import ShowRecord, ShowReview, SuggestCommand, parse_command
from bot.domain.review import DecisionCategory, period_start
from bot.forms.buttons import DamagedButton
from bot.forms.review import ReviewButton, parse_decision, parse_plan
from bot.forms.state import FormErrors
from bot.queries.export import Period
from bot.queries.review import ActionLine, ReviewFigures
from bot.views import review as views
from bot.views.record_card import detail_blocks, fallback_text
from storage.models import ManagementReview
from tests.blocks import button_labels, mrkdwn_texts
from tests.pure.blockkit import message_blocks, surface
from tests.pure.factories import make_record
from tests.wiring.flows import chosen, picked_date, picked_user, typed

TODAY = date(2026, 11, 23)


def a_review(day: date, attendees: int = 3) -> ManagementReview:
    moment = datetime(2026, 11, 1, tzinfo=UTC)
    return ManagementReview(
        id=7,
        workspace_id=1,
        number=2,
        planned_date=day,
        attendee_ids=[f"U{n:08d}" for n in range(attendees)],
        period_start_date=date(2025, 11, 23),
        created_by="ULEAD",
        created_at=moment,
        updated_at=moment,
    )


def figures(standards: tuple[str, ...] = ("ISO 9001",)) -> ReviewFigures:
    f = ReviewFigures("T1", Period(date(2025, 11, 23), TODAY), TODAY, standards)
    f.nonconformities, f.open_records, f.overdue_actions = 1, 4, 2
    f.review_actions = [ActionLine("MR-0001/A1", "Bench", "UBOB", TODAY, "open", False)]
    f.incidents, f.near_misses = 2, 1
    return f


def page(review: ManagementReview | None, **kw: object) -> views.ReviewPage:
    return views.ReviewPage(review, (date(2025, 11, 23), TODAY), figures(**kw), TODAY)  # type: ignore[arg-type]


def test_the_command_and_its_typo() -> None:
    assert parse_command("review") == ShowReview()
    assert isinstance(parse_command("reviw"), SuggestCommand)


def test_with_no_review_only_plan_and_share_are_offered() -> None:
    blocks = message_blocks(views.review_blocks(page(None)))
    assert button_labels(blocks) == ["Plan review", "Share the pack"]
    text = " ".join(mrkdwn_texts(blocks))
    assert "No management review is planned" in text
    assert "1 nonconformity" in text and "2 actions overdue" in text
    assert "1 action from earlier reviews still open" in text
    assert "incident" not in text  # ISO 45001 is off


def test_decisions_are_offered_from_the_review_day_and_45001_adds_incidents() -> None:
    later = message_blocks(views.review_blocks(page(a_review(date(2026, 12, 1)))))
    assert "Record decisions" not in button_labels(later)
    today = message_blocks(
        views.review_blocks(page(a_review(TODAY, attendees=60), standards=("ISO 45001",)))
    )
    assert button_labels(today)[-1] == "Record decisions"
    text = " ".join(mrkdwn_texts(today))
    assert "and 50 more" in text and "2 incidents and 1 near miss" in text


def test_the_forms_fit_slack() -> None:
    surface(views.plan_form(None, TODAY))
    planned = surface(views.plan_form(a_review(TODAY), TODAY))
    assert planned["blocks"][1]["element"]["initial_users"][0] == "U00000000"
    decision = surface(views.decision_form(a_review(TODAY), TODAY))
    assert [b["label"]["text"] for b in decision["blocks"]] == [
        "Kind of output",
        "What the review decided",
        "Action owner",
        "Action due date",
        "Date of the next review",
    ]


def test_a_plan_needs_a_day_not_in_the_past_and_attendees() -> None:
    with pytest.raises(FormErrors) as refused:
        parse_plan({"review_date": picked_date("2026-11-20")}, today=TODAY)
    assert set(refused.value.errors) == {"review_date", "attendees"}
    users = {"input": {"type": "multi_users_select", "selected_users": ["UB", "UBOB1", "UBOB1"]}}
    fields = parse_plan({"review_date": picked_date("2026-11-23"), "attendees": users}, today=TODAY)
    assert fields.attendee_ids == ("UBOB1",)


def test_a_decision_with_an_owner_needs_a_due_date_and_the_next_review_comes_later() -> None:
    values = {
        "decision_category": chosen("change"),
        "decision_text": typed("Merge the two calibration procedures"),
        "owner": picked_user("UBOB1"),
        "next_review_date": picked_date("2026-11-23"),
    }
    with pytest.raises(FormErrors) as refused:
        parse_decision(values, today=TODAY, review_date=TODAY)
    assert set(refused.value.errors) == {"due_date", "next_review_date"}
    values.update(due_date=picked_date("2026-12-01"), next_review_date=picked_date("2027-06-01"))
    fields = parse_decision(values, today=TODAY, review_date=TODAY)
    assert fields.is_action and fields.category is DecisionCategory.CHANGE
    assert not parse_decision(
        {**values, "owner": picked_user(None), "due_date": picked_date(None)},
        today=TODAY,
        review_date=TODAY,
    ).is_action


def test_a_damaged_button_is_refused() -> None:
    with pytest.raises(DamagedButton):
        ReviewButton.read({"value": "x1"})
    assert ReviewButton.read({"value": "new"}).value is None


def test_the_period_runs_from_the_last_review_held_else_12_months() -> None:
    assert period_start(None, TODAY) == date(2025, 11, 23)
    assert period_start(date(2026, 5, 4), TODAY) == date(2026, 5, 4)


def test_a_reviews_record_is_shown_by_its_reference_as_a_management_review() -> None:
    assert parse_command("mr-1") == ShowRecord(reference="MR-0001")
    record = make_record(kind="management_review", reference="MR-0001", title="Review")
    blocks = message_blocks(
        detail_blocks(record, [], show_private=True, now=datetime(2026, 11, 23, tzinfo=UTC))
    )
    assert "*Kind*\nManagement review" in " ".join(mrkdwn_texts(blocks))
    assert fallback_text(record) == "MR-0001 Management review: Review"
