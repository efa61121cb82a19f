"""State machines for records and actions: which moves are allowed, and why not otherwise."""

from __future__ import annotations

from bot.domain.actions import ActionStatus
from bot.domain.errors import KeelError
from bot.domain.records import RecordStatus


class TransitionRefused(KeelError):
    """A status change the rules do not allow; the message says why, in plain words."""


RECORD_MOVES: dict[RecordStatus, frozenset[RecordStatus]] = {
    RecordStatus.NEW: frozenset({RecordStatus.INVESTIGATING, RecordStatus.REJECTED}),
    RecordStatus.INVESTIGATING: frozenset(
        {RecordStatus.ACTIONS_PLANNED, RecordStatus.REJECTED, RecordStatus.NEW}
    ),
    RecordStatus.ACTIONS_PLANNED: frozenset(
        {RecordStatus.VERIFYING, RecordStatus.INVESTIGATING, RecordStatus.REJECTED}
    ),
    RecordStatus.VERIFYING: frozenset({RecordStatus.CLOSED, RecordStatus.ACTIONS_PLANNED}),
    # Reopening a closed or rejected record is allowed (new evidence), and recorded.
    RecordStatus.CLOSED: frozenset({RecordStatus.INVESTIGATING}),
    RecordStatus.REJECTED: frozenset({RecordStatus.NEW}),
}


def check_record_move(current: RecordStatus, target: RecordStatus) -> None:
    """Raise TransitionRefused unless a record may go from `current` to `target`."""
    if target == current:
        raise TransitionRefused(f"The record is already {current.label.lower()}.")
    if target not in RECORD_MOVES[current]:
        allowed = ", ".join(sorted(s.label.lower() for s in RECORD_MOVES[current])) or "nothing"
        raise TransitionRefused(
            f"A record that is {current.label.lower()} cannot become {target.label.lower()} "
            f"(it can become: {allowed})."
        )


ACTION_MOVES: dict[ActionStatus, frozenset[ActionStatus]] = {
    ActionStatus.OPEN: frozenset({ActionStatus.DONE, ActionStatus.CANCELLED}),
    ActionStatus.DONE: frozenset(
        {ActionStatus.VERIFIED, ActionStatus.NOT_EFFECTIVE, ActionStatus.CANCELLED}
    ),
    # "Not effective" reopens the action with a new due date; history keeps both.
    ActionStatus.NOT_EFFECTIVE: frozenset({ActionStatus.OPEN}),
    ActionStatus.VERIFIED: frozenset(),
    ActionStatus.CANCELLED: frozenset(),
}

_ACTION_REFUSALS = {
    (ActionStatus.OPEN, ActionStatus.VERIFIED): "It has to be marked done before its "
    "effectiveness can be checked.",
    (ActionStatus.OPEN, ActionStatus.NOT_EFFECTIVE): "It has to be marked done before its "
    "effectiveness can be checked.",
    (ActionStatus.DONE, ActionStatus.DONE): "It is already done.",
    (ActionStatus.DONE, ActionStatus.OPEN): "Use “Not effective” to reopen a done action.",
    (ActionStatus.OPEN, ActionStatus.OPEN): "It is already open.",
}


def check_action_move(current: ActionStatus, target: ActionStatus) -> None:
    """Raise TransitionRefused unless an action may go from `current` to `target`."""
    if target in ACTION_MOVES[current]:
        return
    reason = _ACTION_REFUSALS.get((current, target))
    if reason is None and current == target and ACTION_MOVES[current]:
        reason = f"It is already {current.label.lower()}."
    if reason is None:
        reason = f"An action that is {current.label.lower()} cannot be changed any more."
        if ACTION_MOVES[current]:
            reason = (
                f"An action that is {current.label.lower()} cannot become {target.label.lower()}."
            )
    raise TransitionRefused(reason)
