"""The record and action state machines, every (current, target) pair of each."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest

from bot.domain.actions import ActionStatus
from bot.domain.errors import KeelError
from bot.domain.records import RecordStatus
from bot.domain.transitions import (
    ACTION_MOVES,
    RECORD_MOVES,
    TransitionRefused,
    check_action_move,
    check_record_move,
)

R = RecordStatus
A = ActionStatus

# The machines as the issue describes them, written out so that any change to the code must be
# made here too.
ALLOWED_RECORD_MOVES = {
    (R.NEW, R.INVESTIGATING),
    (R.NEW, R.REJECTED),
    (R.INVESTIGATING, R.ACTIONS_PLANNED),
    (R.INVESTIGATING, R.REJECTED),
    (R.INVESTIGATING, R.NEW),
    (R.ACTIONS_PLANNED, R.VERIFYING),
    (R.ACTIONS_PLANNED, R.INVESTIGATING),
    (R.ACTIONS_PLANNED, R.REJECTED),
    (R.VERIFYING, R.CLOSED),
    (R.VERIFYING, R.ACTIONS_PLANNED),
    (R.CLOSED, R.INVESTIGATING),
    (R.REJECTED, R.NEW),
}

ALLOWED_ACTION_MOVES = {
    (A.OPEN, A.DONE),
    (A.OPEN, A.CANCELLED),
    (A.DONE, A.VERIFIED),
    (A.DONE, A.NOT_EFFECTIVE),
    (A.DONE, A.CANCELLED),
    (A.NOT_EFFECTIVE, A.OPEN),
}

RECORD_PAIRS = list(itertools.product(RecordStatus, RecordStatus))
ACTION_PAIRS = list(itertools.product(ActionStatus, ActionStatus))
REFUSED_RECORD_PAIRS = [pair for pair in RECORD_PAIRS if pair not in ALLOWED_RECORD_MOVES]
REFUSED_ACTION_PAIRS = [pair for pair in ACTION_PAIRS if pair not in ALLOWED_ACTION_MOVES]


def pair_id(pair: tuple[RecordStatus, RecordStatus] | tuple[ActionStatus, ActionStatus]) -> str:
    return f"{pair[0].value}->{pair[1].value}"


def refusal(check: Callable[[Any, Any], None], current: Any, target: Any) -> str:
    with pytest.raises(TransitionRefused) as raised:
        check(current, target)
    return str(raised.value)


def assert_plain_english(message: str) -> None:
    assert message[0].isupper(), message
    assert message.endswith("."), message
    assert "_" not in message, message
    assert "Status." not in message, message


# The tables themselves


def test_the_record_machine_is_exactly_the_table() -> None:
    in_code = {(current, target) for current, targets in RECORD_MOVES.items() for target in targets}
    assert in_code == ALLOWED_RECORD_MOVES


def test_the_action_machine_is_exactly_the_table() -> None:
    in_code = {(current, target) for current, targets in ACTION_MOVES.items() for target in targets}
    assert in_code == ALLOWED_ACTION_MOVES


def test_every_record_status_has_an_entry() -> None:
    assert set(RECORD_MOVES) == set(RecordStatus)


def test_every_action_status_has_an_entry() -> None:
    assert set(ACTION_MOVES) == set(ActionStatus)


def test_a_refusal_is_a_keel_error_shown_to_the_person() -> None:
    assert issubclass(TransitionRefused, KeelError)


# Records


@pytest.mark.parametrize("pair", sorted(ALLOWED_RECORD_MOVES), ids=pair_id)
def test_an_allowed_record_move_passes(pair: tuple[RecordStatus, RecordStatus]) -> None:
    check_record_move(*pair)


@pytest.mark.parametrize("pair", REFUSED_RECORD_PAIRS, ids=pair_id)
def test_a_refused_record_move_names_both_statuses(
    pair: tuple[RecordStatus, RecordStatus],
) -> None:
    current, target = pair
    message = refusal(check_record_move, current, target)
    assert_plain_english(message)
    if current == target:
        assert message == f"The record is already {current.label.lower()}."
    else:
        assert current.label.lower() in message
        assert target.label.lower() in message


def test_a_refused_record_move_lists_where_it_can_go() -> None:
    message = refusal(check_record_move, R.NEW, R.CLOSED)
    assert message == (
        "A record that is new cannot become closed (it can become: investigating, rejected)."
    )


def test_a_closed_record_can_only_be_reopened_for_investigation() -> None:
    assert RECORD_MOVES[R.CLOSED] == {R.INVESTIGATING}


def test_a_rejected_record_can_only_go_back_to_new() -> None:
    assert RECORD_MOVES[R.REJECTED] == {R.NEW}


def test_only_a_record_being_verified_can_close() -> None:
    assert [current for current, target in ALLOWED_RECORD_MOVES if target is R.CLOSED] == [
        R.VERIFYING
    ]


# Actions


@pytest.mark.parametrize("pair", sorted(ALLOWED_ACTION_MOVES), ids=pair_id)
def test_an_allowed_action_move_passes(pair: tuple[ActionStatus, ActionStatus]) -> None:
    check_action_move(*pair)


@pytest.mark.parametrize("pair", REFUSED_ACTION_PAIRS, ids=pair_id)
def test_a_refused_action_move_is_explained_in_plain_english(
    pair: tuple[ActionStatus, ActionStatus],
) -> None:
    assert_plain_english(refusal(check_action_move, *pair))


@pytest.mark.parametrize(
    ("current", "target", "message"),
    [
        (A.OPEN, A.OPEN, "It is already open."),
        (A.DONE, A.DONE, "It is already done."),
        (A.OPEN, A.VERIFIED, "It has to be marked done before its effectiveness can be checked."),
        (
            A.OPEN,
            A.NOT_EFFECTIVE,
            "It has to be marked done before its effectiveness can be checked.",
        ),
        (A.DONE, A.OPEN, "Use “Not effective” to reopen a done action."),
    ],
)
def test_refusals_that_need_more_than_the_statuses_say_what_to_do(
    current: ActionStatus, target: ActionStatus, message: str
) -> None:
    assert refusal(check_action_move, current, target) == message


@pytest.mark.parametrize("current", [A.VERIFIED, A.CANCELLED])
@pytest.mark.parametrize("target", list(ActionStatus))
def test_verified_and_cancelled_actions_are_terminal(
    current: ActionStatus, target: ActionStatus
) -> None:
    assert ACTION_MOVES[current] == frozenset()
    message = refusal(check_action_move, current, target)
    assert message == f"An action that is {current.label.lower()} cannot be changed any more."


def test_not_effective_only_goes_back_to_open() -> None:
    assert ACTION_MOVES[A.NOT_EFFECTIVE] == {A.OPEN}


@pytest.mark.parametrize("target", [A.DONE, A.VERIFIED, A.CANCELLED])
def test_a_not_effective_action_cannot_go_elsewhere(target: ActionStatus) -> None:
    message = refusal(check_action_move, A.NOT_EFFECTIVE, target)
    assert message == f"An action that is not effective cannot become {target.label.lower()}."


def test_moving_a_not_effective_action_to_not_effective_says_already() -> None:
    message = refusal(check_action_move, A.NOT_EFFECTIVE, A.NOT_EFFECTIVE)
    assert "already" in message


@pytest.mark.parametrize("current", [A.OPEN, A.DONE, A.NOT_EFFECTIVE])
def test_a_same_status_move_on_a_live_action_is_refused(current: ActionStatus) -> None:
    with pytest.raises(TransitionRefused):
        check_action_move(current, current)


def test_only_a_done_action_can_have_its_effectiveness_checked() -> None:
    checked = {A.VERIFIED, A.NOT_EFFECTIVE}
    assert {current for current, target in ALLOWED_ACTION_MOVES if target in checked} == {A.DONE}
