"""The forms behind card and action buttons: Slack view state -> values, or FormErrors."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.actions import DEFAULT_CAUSE_CATEGORIES as CATEGORIES
from bot.domain.actions import ActionKind
from bot.domain.records import RecordStatus, Severity
from bot.forms.actions import (
    Extension,
    Verification,
    parse_evidence,
    parse_extension,
    parse_verification,
)
from bot.forms.metadata import ActionRef, RecordRef
from bot.forms.processes import NewProcess, parse_new_process
from bot.forms.state import FormErrors
from bot.forms.triage import (
    NewAction,
    RootCause,
    parse_new_action,
    parse_owner,
    parse_reason,
    parse_root_cause,
    parse_severity,
    parse_status,
)
from tests.pure.factories import TODAY

CATEGORY_LIST = list(CATEGORIES)
DUE = date(2026, 12, 1)
CHECK = date(2027, 3, 1)


# Slack-shaped state values: {block_id: {"input": {...}}}


def text(value: str | None) -> dict[str, Any]:
    return {"input": {"type": "plain_text_input", "value": value}}


def user(user_id: str | None) -> dict[str, Any]:
    return {"input": {"type": "users_select", "selected_user": user_id}}


def day(value: date | str | None) -> dict[str, Any]:
    raw = value.isoformat() if isinstance(value, date) else value
    return {"input": {"type": "datepicker", "selected_date": raw}}


def choice(value: str | None, kind: str = "static_select") -> dict[str, Any]:
    option = {"text": {"type": "plain_text", "text": value}, "value": value} if value else None
    return {"input": {"type": kind, "selected_option": option}}


def errors_of(parse: Callable[[], object]) -> dict[str, str]:
    with pytest.raises(FormErrors) as raised:
        parse()
    return raised.value.errors


def action_state(**overrides: dict[str, Any]) -> dict[str, Any]:
    values = {
        "action_kind": choice("corrective"),
        "description": text("Print labels from the batch record, not by hand."),
        "owner": user("UOWEN"),
        "due_date": day(DUE),
        "check_date": day(CHECK),
        "criterion": text("No mislabelled batch in the next 3 months."),
    }
    values.update(overrides)
    return values


def why_state(**overrides: dict[str, Any]) -> dict[str, Any]:
    values = {
        "why_1": text("The label was printed by hand."),
        "why_2": text("The printer was down."),
        "why_3": text(None),
        "why_4": text(None),
        "why_5": text(None),
        "root_cause": text("No fallback when the label printer is down."),
        "cause_category": choice("machine"),
        "elsewhere": text("Line 2 has the same printer."),
    }
    values.update(overrides)
    return values


def verification_state(**overrides: dict[str, Any]) -> dict[str, Any]:
    values = {
        "outcome": choice("effective", "radio_buttons"),
        "note": text("No mislabelled batch since."),
        "due_date": day(None),
    }
    values.update(overrides)
    return values


# Owner, status, severity, reason, evidence


def test_parse_owner_takes_the_selected_user() -> None:
    assert parse_owner({"owner": user("U1")}) == "U1"


def test_parse_owner_requires_someone() -> None:
    assert errors_of(lambda: parse_owner({"owner": user(None)})) == {"owner": "Choose the owner."}


def test_parse_owner_with_no_block_at_all_is_an_error() -> None:
    assert errors_of(lambda: parse_owner({})) == {"owner": "Choose the owner."}


@pytest.mark.parametrize("status", list(RecordStatus))
def test_parse_status_takes_the_chosen_status(status: RecordStatus) -> None:
    assert parse_status({"status": choice(status.value)}) is status


def test_parse_status_requires_a_choice() -> None:
    assert errors_of(lambda: parse_status({"status": choice(None)})) == {
        "status": "Choose the new status."
    }


@pytest.mark.parametrize("severity", list(Severity))
def test_parse_severity_takes_the_chosen_severity(severity: Severity) -> None:
    assert parse_severity({"severity": choice(severity.value)}) is severity


def test_parse_severity_requires_a_choice() -> None:
    assert errors_of(lambda: parse_severity({})) == {"severity": "Choose a severity."}


def test_parse_reason_strips_the_text() -> None:
    assert parse_reason({"reason": text("  Duplicate of NC-0003.\n")}) == "Duplicate of NC-0003."


@pytest.mark.parametrize("blank", [None, "", "   \n\t"])
def test_parse_reason_requires_text(blank: str | None) -> None:
    assert errors_of(lambda: parse_reason({"reason": text(blank)})) == {
        "reason": "Give the reason."
    }


def test_parse_reason_uses_the_callers_message() -> None:
    errors = errors_of(lambda: parse_reason({}, "Say why it is blocked."))
    assert errors == {"reason": "Say why it is blocked."}


def test_parse_evidence_takes_the_text() -> None:
    assert parse_evidence({"evidence": text("Procedure QP-12 rev 3.")}) == "Procedure QP-12 rev 3."


def test_parse_evidence_requires_text() -> None:
    assert errors_of(lambda: parse_evidence({"evidence": text(" ")})) == {
        "evidence": "Say what was done: it is the evidence."
    }


# Five whys


def test_parse_root_cause_keeps_the_whys_given_in_order() -> None:
    assert parse_root_cause(why_state(), CATEGORY_LIST) == RootCause(
        whys=["The label was printed by hand.", "The printer was down."],
        statement="No fallback when the label printer is down.",
        category="machine",
        elsewhere="Line 2 has the same printer.",
    )


def test_parse_root_cause_skips_empty_whys_in_between() -> None:
    values = why_state(why_2=text(" "), why_3=text("Nobody checked."))
    whys = parse_root_cause(values, CATEGORY_LIST).whys
    assert whys == ["The label was printed by hand.", "Nobody checked."]


def test_parse_root_cause_elsewhere_is_optional() -> None:
    assert parse_root_cause(why_state(elsewhere=text(None)), CATEGORY_LIST).elsewhere is None


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("why_1", "Start with why it happened."),
        ("root_cause", "State the root cause."),
        ("cause_category", "Choose a cause category."),
    ],
)
def test_parse_root_cause_requires_each_field(block: str, message: str) -> None:
    empty = choice(None) if block == "cause_category" else text(None)
    errors = errors_of(lambda: parse_root_cause(why_state(**{block: empty}), CATEGORY_LIST))
    assert errors == {block: message}


def test_parse_root_cause_reports_every_missing_field_at_once() -> None:
    assert errors_of(lambda: parse_root_cause({}, CATEGORY_LIST)) == {
        "why_1": "Start with why it happened.",
        "root_cause": "State the root cause.",
        "cause_category": "Choose a cause category.",
    }


def test_parse_root_cause_refuses_a_category_not_in_the_workspace_list() -> None:
    values = why_state(cause_category=choice("luck"))
    assert errors_of(lambda: parse_root_cause(values, CATEGORY_LIST)) == {
        "cause_category": "Choose one of the listed categories."
    }


def test_parse_root_cause_accepts_a_workspace_category() -> None:
    values = why_state(cause_category=choice("calibration"))
    assert parse_root_cause(values, ["calibration"]).category == "calibration"


# New action


def test_parse_new_action_reads_every_field() -> None:
    assert parse_new_action(action_state(), TODAY) == NewAction(
        kind=ActionKind.CORRECTIVE,
        description="Print labels from the batch record, not by hand.",
        owner_id="UOWEN",
        due_date=DUE,
        check_date=CHECK,
        criterion="No mislabelled batch in the next 3 months.",
    )


@pytest.mark.parametrize(
    "kind", [ActionKind.CORRECTION, ActionKind.PREVENTIVE, ActionKind.IMPROVEMENT]
)
def test_an_action_other_than_corrective_needs_no_check_date(kind: ActionKind) -> None:
    values = action_state(action_kind=choice(kind.value), check_date=day(None), criterion=text(""))
    action = parse_new_action(values, TODAY)
    assert (action.kind, action.check_date, action.criterion) == (kind, None, None)


def test_a_due_date_of_today_is_accepted() -> None:
    values = action_state(due_date=day(TODAY), check_date=day(TODAY))
    assert parse_new_action(values, TODAY).due_date == TODAY


@pytest.mark.parametrize(
    ("block", "empty", "message"),
    [
        ("description", text(None), "Say what will be done."),
        ("owner", user(None), "Choose who owns the action."),
        ("due_date", day(None), "Pick the due date."),
    ],
)
def test_parse_new_action_requires_each_field(
    block: str, empty: dict[str, Any], message: str
) -> None:
    errors = errors_of(lambda: parse_new_action(action_state(**{block: empty}), TODAY))
    assert errors == {block: message}


def test_parse_new_action_reports_every_missing_field_at_once() -> None:
    values = {"action_kind": choice("correction")}
    assert errors_of(lambda: parse_new_action(values, TODAY)) == {
        "description": "Say what will be done.",
        "owner": "Choose who owns the action.",
        "due_date": "Pick the due date.",
    }


def test_parse_new_action_refuses_a_due_date_in_the_past() -> None:
    values = action_state(due_date=day(TODAY - timedelta(days=1)))
    assert errors_of(lambda: parse_new_action(values, TODAY)) == {
        "due_date": "The due date is in the past: pick today or a later day."
    }


def test_a_corrective_action_needs_a_check_date() -> None:
    values = action_state(check_date=day(None))
    assert errors_of(lambda: parse_new_action(values, TODAY)) == {
        "check_date": "Corrective actions need a date to check their effectiveness."
    }


def test_a_corrective_action_is_checked_after_it_is_due() -> None:
    values = action_state(check_date=day(DUE - timedelta(days=1)))
    assert errors_of(lambda: parse_new_action(values, TODAY)) == {
        "check_date": "Check after the due date, not before."
    }


def test_a_check_on_the_due_date_itself_is_accepted() -> None:
    assert parse_new_action(action_state(check_date=day(DUE)), TODAY).check_date == DUE


def test_a_garbled_date_is_treated_as_missing() -> None:
    values = action_state(due_date=day("2026-13-45"))
    assert errors_of(lambda: parse_new_action(values, TODAY)) == {"due_date": "Pick the due date."}


# Extension


def test_parse_extension_reads_date_and_reason() -> None:
    values = {"due_date": day(DUE), "reason": text("Supplier ships on the 30th.")}
    assert parse_extension(values, TODAY) == Extension(
        new_date=DUE, reason="Supplier ships on the 30th."
    )


def test_parse_extension_reports_both_missing_fields_at_once() -> None:
    assert errors_of(lambda: parse_extension({}, TODAY)) == {
        "due_date": "Pick the new due date.",
        "reason": "Say why it moves: the reason is kept as evidence.",
    }


def test_parse_extension_refuses_a_past_date() -> None:
    values = {"due_date": day(TODAY - timedelta(days=1)), "reason": text("Late.")}
    assert errors_of(lambda: parse_extension(values, TODAY)) == {
        "due_date": "That date is in the past: pick today or a later day."
    }


# Verification


def test_an_effective_verification() -> None:
    assert parse_verification(verification_state(), TODAY) == Verification(
        effective=True, note="No mislabelled batch since.", new_due_date=None
    )


def test_not_effective_with_a_new_due_date() -> None:
    values = verification_state(outcome=choice("not_effective", "radio_buttons"), due_date=day(DUE))
    assert parse_verification(values, TODAY) == Verification(
        effective=False, note="No mislabelled batch since.", new_due_date=DUE
    )


def test_not_effective_requires_a_new_due_date() -> None:
    values = verification_state(outcome=choice("not_effective", "radio_buttons"))
    assert errors_of(lambda: parse_verification(values, TODAY)) == {
        "due_date": "Not effective reopens the action: give it a new due date."
    }


def test_not_effective_refuses_a_past_new_due_date() -> None:
    values = verification_state(
        outcome=choice("not_effective", "radio_buttons"),
        due_date=day(TODAY - timedelta(days=1)),
    )
    assert errors_of(lambda: parse_verification(values, TODAY)) == {
        "due_date": "Pick today or a later day."
    }


def test_parse_verification_reports_every_missing_field_at_once() -> None:
    assert errors_of(lambda: parse_verification({}, TODAY)) == {
        "outcome": "Say whether it was effective.",
        "note": "Say what the check showed.",
    }


# Processes


def test_an_empty_new_process_part_is_none() -> None:
    values = {"process_name": text(None), "process_owner": user(None)}
    assert parse_new_process(values) is None


def test_a_new_process_without_an_owner() -> None:
    values = {"process_name": text(" Purchasing "), "process_owner": user(None)}
    assert parse_new_process(values) == NewProcess(name="Purchasing", owner_id=None)


def test_a_new_process_with_its_owner() -> None:
    values = {"process_name": text("Purchasing"), "process_owner": user("UPAT")}
    assert parse_new_process(values) == NewProcess(name="Purchasing", owner_id="UPAT")


def test_an_owner_without_a_process_name_is_an_error() -> None:
    values = {"process_name": text("  "), "process_owner": user("UPAT")}
    assert errors_of(lambda: parse_new_process(values)) == {
        "process_name": "Name the process this owner is for."
    }


# The id the modal was opened for


def entity_id(metadata: str | None, key: str) -> int:
    if key == "action":
        return ActionRef.load(metadata).action
    return RecordRef.load(metadata).record


@pytest.mark.parametrize(
    ("metadata", "key", "expected"),
    [
        ('{"record":12}', "record", 12),
        ('{"action":3}', "action", 3),
        ('{"action":"3"}', "action", 3),
    ],
)
def test_entity_id_reads_what_the_modal_stored(metadata: str, key: str, expected: int) -> None:
    assert entity_id(metadata, key) == expected


@pytest.mark.parametrize(
    "metadata",
    [
        None,
        "",
        "{}",
        "not json",
        "[]",
        "null",
        '"record"',
        '{"action":3}',
        '{"record":null}',
        '{"record":"seven"}',
        '{"record":[1]}',
        '{"record":{}}',
        '{"record":NaN}',
    ],
)
def test_entity_id_on_garbage_raises_form_errors(metadata: str | None) -> None:
    with pytest.raises(FormErrors):
        entity_id(metadata, "record")


@pytest.mark.parametrize("metadata", ['{"record":Infinity}', '{"record":1e400}'])
def test_entity_id_on_an_infinite_number_raises_form_errors(metadata: str) -> None:
    with pytest.raises(FormErrors):
        entity_id(metadata, "record")


def test_entity_id_on_deeply_nested_json_raises_form_errors() -> None:
    with pytest.raises(FormErrors):
        entity_id("[" * 3000, "record")


@pytest.mark.parametrize("metadata", ['{"record":true}', '{"record":1.9}'])
def test_entity_id_refuses_a_non_integer_id(metadata: str) -> None:
    with pytest.raises(FormErrors):
        entity_id(metadata, "record")


# Any text typed into a text field


any_text = st.none() | st.text(max_size=3000)
any_dict_text = st.text(max_size=200)


def only_form_errors(parse: Callable[[], object]) -> None:
    try:
        parse()
    except FormErrors as invalid:
        assert all(isinstance(message, str) and message for message in invalid.errors.values())


@settings(max_examples=150, deadline=None)
@given(description=any_text, criterion=any_text)
def test_any_text_in_the_action_form_gives_a_result_or_form_errors(
    description: str | None, criterion: str | None
) -> None:
    values = action_state(description=text(description), criterion=text(criterion))
    only_form_errors(lambda: parse_new_action(values, TODAY))


@settings(max_examples=150, deadline=None)
@given(
    whys=st.lists(any_text, min_size=5, max_size=5),
    statement=any_text,
    elsewhere=any_text,
    category=st.none() | st.text(max_size=150),
)
def test_any_text_in_the_five_whys_gives_a_result_or_form_errors(
    whys: list[str | None], statement: str | None, elsewhere: str | None, category: str | None
) -> None:
    values = why_state(
        **{f"why_{n}": text(why) for n, why in enumerate(whys, 1)},
        root_cause=text(statement),
        elsewhere=text(elsewhere),
        cause_category=choice(category),
    )
    only_form_errors(lambda: parse_root_cause(values, CATEGORY_LIST))


@settings(max_examples=100, deadline=None)
@given(note=any_text, reason=any_text, evidence=any_text, name=st.none() | st.text(max_size=200))
def test_any_text_in_the_small_forms_gives_a_result_or_form_errors(
    note: str | None, reason: str | None, evidence: str | None, name: str | None
) -> None:
    only_form_errors(lambda: parse_reason({"reason": text(reason)}))
    only_form_errors(lambda: parse_evidence({"evidence": text(evidence)}))
    only_form_errors(lambda: parse_extension({"due_date": day(DUE), "reason": text(reason)}, TODAY))
    only_form_errors(lambda: parse_verification(verification_state(note=text(note)), TODAY))
    only_form_errors(
        lambda: parse_new_process({"process_name": text(name), "process_owner": user("U1")})
    )


@settings(max_examples=100, deadline=None)
@given(raw=st.text(max_size=200))
def test_any_date_text_gives_a_result_or_form_errors(raw: str) -> None:
    only_form_errors(lambda: parse_new_action(action_state(due_date=day(raw)), TODAY))


@settings(max_examples=200, deadline=None)
@given(metadata=st.none() | st.text(max_size=300))
def test_any_metadata_text_gives_an_id_or_form_errors(metadata: str | None) -> None:
    only_form_errors(lambda: entity_id(metadata, "record"))


@settings(max_examples=200, deadline=None)
@given(
    value=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(any_dict_text, inner),
        max_leaves=10,
    )
)
def test_any_json_under_the_key_gives_an_id_or_form_errors(value: Any) -> None:
    only_form_errors(lambda: entity_id(json.dumps({"record": value}), "record"))


def test_a_date_before_1900_is_refused_as_too_far_back() -> None:
    errors = errors_of(lambda: parse_new_action(action_state(due_date=day("0001-01-01")), TODAY))
    assert errors["due_date"] == "That date is too far back: pick a day after 1900."


def test_an_unknown_status_or_severity_is_an_error_not_a_traceback() -> None:
    assert set(errors_of(lambda: parse_status({"status": choice("gone")}))) == {"status"}
    assert set(errors_of(lambda: parse_severity({"severity": choice("huge")}))) == {"severity"}
    assert set(
        errors_of(lambda: parse_new_action(action_state(action_kind=choice("x")), TODAY))
    ) == {"action_kind"}
