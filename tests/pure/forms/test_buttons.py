"""Button, picker and menu values: a model, or DamagedButton with a message for people."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.records import RecordKind
from bot.domain.registers import StatusFilter
from bot.forms.buttons import (
    ActionButton,
    ActionsPageButton,
    Button,
    DamagedButton,
    ListPageButton,
    ObjectiveButton,
    ProcessOwnerPick,
    RecordButton,
    RecordNumberButton,
    SnoozePick,
)
from bot.forms.ids import NUMBER_MAX, ROW_ID_MAX, view_id_of

MODELS: list[type[Button]] = [
    RecordButton,
    ActionButton,
    RecordNumberButton,
    ListPageButton,
    ActionsPageButton,
    SnoozePick,
    ObjectiveButton,
    ProcessOwnerPick,
]

# Anything JSON can carry, as a Slack payload's fields could.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=8,
)
actions = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {},
        optional={
            "value": json_values,
            "action_id": json_values,
            "block_id": json_values,
            "selected_date": json_values,
            "selected_user": json_values,
        },
    ),
)


def test_a_record_button_carries_the_record_id() -> None:
    assert RecordButton.read({"value": "12"}).id == 12
    assert ActionButton.read({"value": "3", "action_id": "mark_done"}).id == 3


def test_view_record_carries_the_record_number() -> None:
    assert RecordNumberButton.read({"value": "7"}).value == 7


@pytest.mark.parametrize(
    "value",
    ["", "0", "-1", "1.5", "1e3", " 12", "12 ", "seven", "١٢", "²", "9" * 400, None, True, 1.0],
)
def test_anything_but_a_positive_decimal_id_is_damaged(value: Any) -> None:
    with pytest.raises(DamagedButton, match="out of date or damaged"):
        RecordButton.read({"value": value})


def test_ids_are_bounded_by_the_database_integers() -> None:
    assert RecordButton.read({"value": str(ROW_ID_MAX)}).id == ROW_ID_MAX
    with pytest.raises(DamagedButton):
        RecordButton.read({"value": str(ROW_ID_MAX + 1)})
    assert RecordNumberButton.read({"value": str(NUMBER_MAX)}).value == NUMBER_MAX
    with pytest.raises(DamagedButton):
        RecordNumberButton.read({"value": str(NUMBER_MAX + 1)})


def test_the_list_pager_carries_scope_and_page() -> None:
    wanted = ListPageButton.read({"value": '{"mine":true,"page":2}'})
    assert (wanted.mine, wanted.page) == (True, 2)


@pytest.mark.parametrize(
    "value",
    [
        "{",
        "[]",
        "null",
        '{"mine":true}',
        '{"mine":"yes","page":2}',
        '{"mine":true,"page":0}',
        '{"mine":true,"page":"2"}',
        '{"mine":true,"page":1e400}',
        "[" * 5000,
    ],
)
def test_a_damaged_pager_value_is_damaged(value: str) -> None:
    with pytest.raises(DamagedButton):
        ListPageButton.read({"value": value})


def test_the_snooze_picker_carries_the_action_and_the_day() -> None:
    picked = SnoozePick.read({"action_id": "snooze:4", "selected_date": "2026-12-01"})
    assert (picked.action_id, picked.until) == (4, date(2026, 12, 1))


@pytest.mark.parametrize(
    "action",
    [
        {"action_id": "snooze:4", "selected_date": None},
        {"action_id": "snooze:4", "selected_date": "1 Dec"},
        {"action_id": "snooze:4", "selected_date": "0001-12-01"},
        {"action_id": "snooze:", "selected_date": "2026-12-01"},
        {"action_id": "snooze:" + "9" * 400, "selected_date": "2026-12-01"},
        {"action_id": 4, "selected_date": "2026-12-01"},
    ],
)
def test_a_damaged_snooze_pick_is_damaged(action: dict[str, Any]) -> None:
    with pytest.raises(DamagedButton):
        SnoozePick.read(action)


def test_an_objective_button_may_name_a_period() -> None:
    plain = ObjectiveButton.read({"value": "3"})
    dated = ObjectiveButton.read({"value": "3:2026-11-02"})
    assert (plain.id, plain.period) == (3, None)
    assert (dated.id, dated.period) == (3, date(2026, 11, 2))


@pytest.mark.parametrize("value", ["1;DROP", "3:someday", "3:0001-01-01", ":2026-11-02", ""])
def test_a_damaged_objective_button_says_the_objective_is_gone(value: str) -> None:
    with pytest.raises(DamagedButton, match="That objective is not in Keel any more"):
        ObjectiveButton.read({"value": value})


def test_the_process_owner_picker_carries_the_process_and_the_person() -> None:
    picked = ProcessOwnerPick.read({"block_id": "process_owner:7", "selected_user": "UBOB"})
    cleared = ProcessOwnerPick.read({"block_id": "process_owner:7", "selected_user": None})
    assert (picked.process_id, picked.owner_id) == (7, "UBOB")
    assert cleared.owner_id is None


@pytest.mark.parametrize(
    "action",
    [
        {"block_id": "process_owner:x", "selected_user": "UBOB"},
        {"block_id": None, "selected_user": "UBOB"},
        {"block_id": "process_owner:7", "selected_user": 5},
    ],
)
def test_a_damaged_process_owner_pick_is_damaged(action: dict[str, Any]) -> None:
    with pytest.raises(DamagedButton, match="/nc processes"):
        ProcessOwnerPick.read(action)


@settings(max_examples=300, deadline=None)
@given(model=st.sampled_from(MODELS), action=actions)
def test_any_shape_is_a_model_or_damaged(model: type[Button], action: Any) -> None:
    try:
        parsed = model.read(action)
    except DamagedButton as damaged:
        assert str(damaged)[0].isupper() and "/nc" in str(damaged)
    else:
        assert isinstance(parsed, model)


@settings(max_examples=200, deadline=None)
@given(number=st.integers())
def test_any_number_is_an_id_in_range_or_damaged(number: int) -> None:
    try:
        parsed = RecordButton.read({"value": str(number)})
    except DamagedButton:
        assert not 1 <= number <= ROW_ID_MAX
    else:
        assert parsed.id == number and 1 <= number <= ROW_ID_MAX


@settings(max_examples=200, deadline=None)
@given(mine=st.booleans(), page=st.integers(min_value=1, max_value=10_000))
def test_any_pager_value_keel_writes_reads_back(mine: bool, page: int) -> None:
    value = json.dumps({"mine": mine, "page": page}, separators=(",", ":"))
    wanted = ListPageButton.read({"value": value})
    assert (wanted.mine, wanted.page) == (mine, page)


def test_the_list_pager_carries_the_filter_and_old_pagers_mean_open_records() -> None:
    value = '{"mine":false,"page":3,"status":"closed","kind":"near_miss","process":4}'
    wanted = ListPageButton.read({"value": value})
    assert (wanted.status, wanted.kind, wanted.process) == (
        StatusFilter.CLOSED,
        RecordKind.NEAR_MISS,
        4,
    )
    old = ListPageButton.read({"value": '{"mine":true,"page":2}'})
    assert (old.status, old.kind, old.process) == (StatusFilter.OPEN, None, None)


@pytest.mark.parametrize(
    "value",
    [
        '{"mine":true,"page":1,"status":"archived"}',
        '{"mine":true,"page":1,"kind":"rumour"}',
        '{"mine":true,"page":1,"process":0}',
        '{"mine":true,"page":1,"process":"Purchasing"}',
    ],
)
def test_a_damaged_filter_on_a_pager_is_damaged(value: str) -> None:
    with pytest.raises(DamagedButton, match="/nc list"):
        ListPageButton.read({"value": value})


def test_the_actions_pager_reads_its_page_and_tells_where_to_start_again() -> None:
    wanted = ActionsPageButton.read({"value": '{"mine":false,"page":4}'})
    assert (wanted.mine, wanted.page) == (False, 4)
    with pytest.raises(DamagedButton, match="/nc actions"):
        ActionsPageButton.read({"value": '{"mine":false,"page":-1}'})


def test_a_view_id_is_taken_only_when_it_looks_like_slacks() -> None:
    assert view_id_of({"id": "V0123ABC"}) == "V0123ABC"
    for bad in ({"id": 7}, {"id": ""}, {"id": "V" * 65}, {"id": "V1'; --"}, {}, None, "V1"):
        assert view_id_of(bad) is None
