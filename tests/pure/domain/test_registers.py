"""The words after `/nc list` and `/nc actions`."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.commands import ListActions, ListRecords, OpenForm, SuggestCommand, parse_command
from bot.domain.records import RecordKind, RecordStatus
from bot.domain.registers import (
    KIND_WORDS,
    RecordFilter,
    StatusFilter,
    parse_actions_scope,
    parse_record_filter,
)

OPEN, CLOSED, ALL = StatusFilter.OPEN, StatusFilter.CLOSED, StatusFilter.ALL


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("list", ListRecords(mine=True)),
        ("list mine", ListRecords(mine=True)),
        ("list all", ListRecords(mine=False)),
        ("list open", ListRecords(mine=False)),
        ("list closed", ListRecords(mine=False, status=CLOSED)),
        ("list mine closed", ListRecords(mine=True, status=CLOSED)),
        ("list everything", ListRecords(mine=False, status=ALL)),
        ("list open and closed", ListRecords(mine=False, status=ALL)),
        ("list all complaints", ListRecords(mine=False, kind=RecordKind.CUSTOMER_COMPLAINT)),
        ("list open near misses", ListRecords(mine=False, kind=RecordKind.NEAR_MISS)),
        ("List Closed OFIs", ListRecords(mine=False, status=CLOSED, kind=RecordKind.IMPROVEMENT)),
        ("list my incidents", ListRecords(mine=True, kind=RecordKind.INCIDENT)),
        ("list audit findings", ListRecords(mine=False, kind=RecordKind.AUDIT_FINDING)),
        ("list process Purchasing", ListRecords(mine=False, process="Purchasing")),
        (
            "list closed nonconformities process Goods In",
            ListRecords(
                mine=False, status=CLOSED, kind=RecordKind.NONCONFORMITY, process="Goods In"
            ),
        ),
    ],
)
def test_list_filters(text: str, expected: ListRecords) -> None:
    assert parse_command(text) == expected


@pytest.mark.parametrize(
    "text",
    ["list of broken pallets", "list near miss incidents", "list pallets in bay 3 are bent"],
)
def test_a_list_that_is_not_a_filter_is_a_title(text: str) -> None:
    assert parse_command(text) == OpenForm(title=text)


def test_a_typo_of_a_filter_is_still_a_question() -> None:
    assert parse_command("list closd") == SuggestCommand(
        suggestion="list closed", title="list closd"
    )
    assert parse_command("actoins") == SuggestCommand(suggestion="actions", title="actoins")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("actions", ListActions(mine=True)),
        ("actions mine", ListActions(mine=True)),
        ("ACTIONS ALL", ListActions(mine=False)),
        ("action all", ListActions(mine=False)),
    ],
)
def test_actions_register(text: str, expected: ListActions) -> None:
    assert parse_command(text) == expected


def test_actions_with_other_words_is_a_title() -> None:
    assert parse_command("actions from the audit are late") == OpenForm(
        title="actions from the audit are late"
    )
    assert parse_actions_scope("overdue soon") is None


def test_every_kind_label_is_a_filter_word() -> None:
    for kind in RecordKind:
        wanted = parse_record_filter(kind.label)
        assert wanted is not None and wanted.kind is kind


def test_the_closed_filter_is_closed_and_rejected() -> None:
    assert set(CLOSED.statuses) == {RecordStatus.CLOSED, RecordStatus.REJECTED}
    assert set(OPEN.statuses) | set(CLOSED.statuses) == set(ALL.statuses)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_words_after_list_parse_or_give_none_and_never_raise(words: str) -> None:
    wanted = parse_record_filter(words)
    assert wanted is None or isinstance(wanted, RecordFilter)
    assert parse_actions_scope(words) in (None, True, False)
    parse_command("list " + words)
    parse_command("actions " + words)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from([*KIND_WORDS, "open", "closed", "all", "mine", "everything"]),
        max_size=4,
    )
)
def test_filter_words_in_any_order_never_raise(words: list[str]) -> None:
    wanted = parse_record_filter(" ".join(words))
    if wanted is not None and "mine" in words:
        assert wanted.mine
