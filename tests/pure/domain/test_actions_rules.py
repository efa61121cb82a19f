"""Action kinds and statuses, and what a record needs before it can close."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.actions import (
    DEFAULT_CAUSE_CATEGORIES,
    ActionFacts,
    ActionKind,
    ActionStatus,
    action_reference,
    closure_blockers,
    is_complete,
    is_overdue,
)

K = ActionKind
S = ActionStatus

# Complete for closing its record: verified, cancelled, or done when no check is due.
COMPLETE = {
    (kind, status)
    for kind in ActionKind
    for status in ActionStatus
    if status in (S.VERIFIED, S.CANCELLED) or (status is S.DONE and kind is not K.CORRECTIVE)
}

NO_ROOT_CAUSE = "no root cause is recorded (use “Five whys”)"
NO_ACTIONS = "it has no actions"


@pytest.mark.parametrize("kind", list(ActionKind))
@pytest.mark.parametrize("status", list(ActionStatus))
def test_is_complete_for_every_kind_and_status(kind: ActionKind, status: ActionStatus) -> None:
    assert is_complete(ActionFacts(kind=kind, status=status)) is ((kind, status) in COMPLETE)


def test_a_done_corrective_action_is_not_complete_until_verified() -> None:
    assert not is_complete(ActionFacts(kind=K.CORRECTIVE, status=S.DONE))
    assert is_complete(ActionFacts(kind=K.CORRECTIVE, status=S.VERIFIED))


def test_a_done_correction_is_complete() -> None:
    assert is_complete(ActionFacts(kind=K.CORRECTION, status=S.DONE))


@pytest.mark.parametrize("kind", list(ActionKind))
def test_only_corrective_actions_need_an_effectiveness_check(kind: ActionKind) -> None:
    assert kind.needs_effectiveness_check is (kind is K.CORRECTIVE)


def test_kind_labels_use_the_iso_words() -> None:
    assert [kind.label for kind in ActionKind] == [
        "Correction",
        "Corrective action",
        "Preventive action",
        "Improvement",
    ]


def test_status_labels_are_plain_words() -> None:
    assert [status.label for status in ActionStatus] == [
        "Open",
        "Done",
        "Verified effective",
        "Not effective",
        "Cancelled",
    ]


# Closure


def test_a_record_with_a_root_cause_and_every_action_complete_can_close() -> None:
    actions = [
        ActionFacts(kind=K.CORRECTIVE, status=S.VERIFIED),
        ActionFacts(kind=K.CORRECTION, status=S.DONE),
        ActionFacts(kind=K.PREVENTIVE, status=S.CANCELLED),
    ]
    assert closure_blockers(has_root_cause=True, actions=actions) == []


def test_without_a_root_cause_it_cannot_close() -> None:
    actions = [ActionFacts(kind=K.CORRECTIVE, status=S.VERIFIED)]
    assert closure_blockers(has_root_cause=False, actions=actions) == [NO_ROOT_CAUSE]


def test_without_actions_it_cannot_close() -> None:
    assert closure_blockers(has_root_cause=True, actions=[]) == [NO_ACTIONS]


def test_every_blocker_is_listed_at_once() -> None:
    assert closure_blockers(has_root_cause=False, actions=[]) == [NO_ROOT_CAUSE, NO_ACTIONS]


def test_one_open_action_is_counted_in_the_singular() -> None:
    actions = [
        ActionFacts(kind=K.CORRECTIVE, status=S.VERIFIED),
        ActionFacts(kind=K.CORRECTIVE, status=S.DONE),
    ]
    assert closure_blockers(has_root_cause=True, actions=actions) == [
        "1 action is not yet verified or cancelled"
    ]


def test_several_open_actions_are_counted_in_the_plural() -> None:
    actions = [
        ActionFacts(kind=K.CORRECTION, status=S.OPEN),
        ActionFacts(kind=K.CORRECTIVE, status=S.DONE),
        ActionFacts(kind=K.PREVENTIVE, status=S.NOT_EFFECTIVE),
    ]
    assert closure_blockers(has_root_cause=True, actions=actions) == [
        "3 actions are not yet verified or cancelled"
    ]


def test_root_cause_and_open_actions_are_both_listed() -> None:
    actions = [ActionFacts(kind=K.CORRECTION, status=S.OPEN)]
    assert closure_blockers(has_root_cause=False, actions=actions) == [
        NO_ROOT_CAUSE,
        "1 action is not yet verified or cancelled",
    ]


# References, overdue, categories


@pytest.mark.parametrize(
    ("record", "number", "expected"),
    [("NC-0007", 2, "NC-0007/A2"), ("NC-0001", 1, "NC-0001/A1"), ("NC-12345", 10, "NC-12345/A10")],
)
def test_action_reference(record: str, number: int, expected: str) -> None:
    assert action_reference(record, number) == expected


@pytest.mark.parametrize(
    ("due", "status", "overdue"),
    [
        (date(2026, 11, 22), S.OPEN, True),
        (date(2026, 11, 23), S.OPEN, False),
        (date(2026, 11, 24), S.OPEN, False),
        (date(2026, 11, 22), S.DONE, False),
        (date(2026, 11, 22), S.CANCELLED, False),
        (date(2026, 11, 22), S.VERIFIED, False),
    ],
)
def test_only_an_open_action_past_its_due_date_is_overdue(
    due: date, status: ActionStatus, overdue: bool
) -> None:
    assert is_overdue(due, status, date(2026, 11, 23)) is overdue


def test_the_default_cause_categories_are_the_nine_of_the_issue() -> None:
    assert DEFAULT_CAUSE_CATEGORIES == (
        "people",
        "method",
        "machine",
        "material",
        "measurement",
        "environment",
        "supplier",
        "design",
        "other",
    )
