"""The questions asked on closing (ISO 9001 10.2.1 e, f), parsed from view state."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.records import ClosingAnswers
from bot.forms.closing import parse_close_form
from bot.forms.state import FormErrors


def parse_closing(values: Any) -> ClosingAnswers:
    return parse_close_form(values).answers


def state(risks: str | None = None, system: str | None = None, changes: str | None = None) -> Any:
    def radio(value: str | None) -> dict[str, Any]:
        return {"input": {"type": "radio_buttons", "selected_option": value and {"value": value}}}

    return {
        "risks_update": radio(risks),
        "system_change": radio(system),
        "closing_changes": {"input": {"type": "plain_text_input", "value": changes}},
    }


def test_two_noes_need_no_change() -> None:
    assert parse_closing(state("no", "no")) == ClosingAnswers(False, False, None)


def test_unanswered_questions_are_kept_as_unanswered() -> None:
    assert parse_closing(state()) == ClosingAnswers(None, None, None)
    assert parse_closing({}) == ClosingAnswers(None, None, None)


def test_a_yes_needs_what_will_change() -> None:
    with pytest.raises(FormErrors) as refused:
        parse_closing(state("no", "yes", "   "))
    assert refused.value.errors == {
        "closing_changes": "Say what will change: it is kept with the record."
    }

    answers = parse_closing(state("yes", "no", " Update R-04 "))
    assert answers == ClosingAnswers(True, False, "Update R-04")


def test_an_answer_that_is_not_yes_or_no_is_refused_on_its_question() -> None:
    with pytest.raises(FormErrors) as refused:
        parse_closing(state("maybe", "no"))
    assert refused.value.errors == {"risks_update": "Choose Yes or No."}


def test_a_lead_closing_anyway_sees_every_problem_at_once() -> None:
    values = state("yes", "no") | {"reason": {"input": {"type": "plain_text_input", "value": ""}}}
    with pytest.raises(FormErrors) as refused:
        parse_close_form(values)
    assert set(refused.value.errors) == {"reason", "closing_changes"}
    values["reason"]["input"]["value"] = "Line decommissioned"
    values["closing_changes"]["input"]["value"] = "Update R-04"
    assert parse_close_form(values).override_reason == "Line decommissioned"


def test_what_will_change_is_kept_within_its_length() -> None:
    with pytest.raises(FormErrors) as refused:
        parse_closing(state("yes", "no", "x" * 1001))
    assert refused.value.errors == {"closing_changes": "Keep it under 1000 characters."}


@given(
    st.recursive(
        st.none() | st.text() | st.integers(), lambda c: st.lists(c) | st.dictionaries(st.text(), c)
    )
)
def test_any_shape_of_state_is_answers_or_form_errors(values: Any) -> None:
    try:
        answers = parse_closing(values)
    except FormErrors as refused:
        assert refused.errors  # each refusal names the question to fix
    else:
        assert isinstance(answers, ClosingAnswers)
