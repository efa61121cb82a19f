"""The /nc settings form: built from a workspace, read back, every bad value named."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.records import RecordKind
from bot.forms.record import FormErrors
from bot.forms.settings import parse_settings, prefix_block
from bot.ids import Block
from bot.views.settings import settings_modal
from storage.models import Workspace
from tests.pure.blockkit import surface
from tests.settings_state import checked, state_from_modal, typed


def a_workspace(**overrides: object) -> Workspace:
    fields: dict[str, object] = {
        "id": 1,
        "team_id": "T1",
        "quality_channel": "CQUALITY",
        "digest_channel": None,
        "lead_ids": ["ULEAD"],
        "timezone": None,
        "cause_categories": None,
        "extension_limit": 2,
        "nudge_hour": 9,
        "quiet_hour": 18,
        "working_days": [0, 1, 2, 3, 4],
        "due_soon_days": 3,
        "escalate_to_owner_days": 7,
        "escalate_to_channel_days": 14,
        "review_reminder_days": 14,
        "revision_approval": False,
        "reference_prefixes": None,
        "standards": None,
        "created_at": datetime(2026, 11, 1, tzinfo=UTC),
    }
    fields.update(overrides)
    return Workspace(**fields)


def modal(**overrides: object) -> dict[str, object]:
    return surface(settings_modal(a_workspace(**overrides), default_timezone="Europe/Berlin"))


def test_the_form_is_valid_block_kit_and_reads_back_unchanged() -> None:
    view = modal()
    form = parse_settings(state_from_modal(view))
    assert form.quality_channel == "CQUALITY"
    assert form.lead_ids == ["ULEAD"]
    assert form.timezone == "Europe/Berlin"
    assert form.working_days == [0, 1, 2, 3, 4]
    assert (form.nudge_hour, form.quiet_hour) == (9, 18)
    assert form.cause_categories is None  # the default list stays "not chosen"
    assert form.standards == ["iso9001"]
    assert form.reference_prefixes == {}
    assert (form.review_reminder_days, form.revision_approval) == (14, False)


def test_changed_values_are_read() -> None:
    state = state_from_modal(
        modal(),
        **{
            Block.STANDARDS: checked("iso9001", "iso45001"),
            Block.WORKING_DAYS: checked("6", "0", "1", "2", "3"),
            Block.CAUSE_CATEGORIES: typed("People\nMethod\n\nPeople\nSupplier"),
            prefix_block(RecordKind.IMPROVEMENT): typed("imp"),
        },
    )
    form = parse_settings(state)
    assert form.standards == ["iso9001", "iso45001"]
    assert form.working_days == [0, 1, 2, 3, 6]
    assert form.cause_categories == ["People", "Method", "Supplier"]
    assert form.reference_prefixes == {"improvement": "IMP"}


@pytest.mark.parametrize(
    ("changes", "block"),
    [
        ({Block.TIMEZONE: typed("Mars/Olympus")}, Block.TIMEZONE),
        ({Block.WORKING_DAYS: checked()}, Block.WORKING_DAYS),
        (
            {Block.QUIET_HOUR: {"type": "static_select", "selected_option": {"value": "8"}}},
            Block.QUIET_HOUR,
        ),
        ({Block.DUE_SOON_DAYS: typed("-1")}, Block.DUE_SOON_DAYS),
        ({Block.DUE_SOON_DAYS: typed("three")}, Block.DUE_SOON_DAYS),
        ({Block.ESCALATE_TO_CHANNEL_DAYS: typed("5")}, Block.ESCALATE_TO_CHANNEL_DAYS),
        ({Block.EXTENSION_LIMIT: typed("99")}, Block.EXTENSION_LIMIT),
        ({Block.CAUSE_CATEGORIES: typed("  ")}, Block.CAUSE_CATEGORIES),
        ({Block.STANDARDS: checked()}, Block.STANDARDS),
        ({prefix_block(RecordKind.NEAR_MISS): typed("OBJ")}, prefix_block(RecordKind.NEAR_MISS)),
        ({prefix_block(RecordKind.NEAR_MISS): typed("N-M")}, prefix_block(RecordKind.NEAR_MISS)),
        ({prefix_block(RecordKind.INCIDENT): typed("NC")}, prefix_block(RecordKind.INCIDENT)),
    ],
)
def test_each_bad_value_is_named_on_its_field(changes: dict[str, object], block: str) -> None:
    with pytest.raises(FormErrors) as refused:
        parse_settings(state_from_modal(modal(), **changes))
    assert list(refused.value.errors) == [block]


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from([b.value for b in Block]),
        st.recursive(
            st.none() | st.text(max_size=20) | st.integers(),
            lambda children: (
                st.lists(children, max_size=3)
                | st.dictionaries(st.text(max_size=10), children, max_size=3)
            ),
            max_leaves=8,
        ),
    )
)
def test_any_state_is_settings_or_form_errors(state: dict[str, object]) -> None:
    try:
        parse_settings({key: {"input": value} for key, value in state.items()})
    except FormErrors as refused:
        assert refused.errors
