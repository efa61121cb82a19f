"""The card and the detail view once a record is investigated: process, root cause, actions."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from bot.domain.actions import ActionKind, ActionStatus
from bot.domain.records import RecordKind, RecordStatus
from bot.queries.records import CardExtras
from bot.views.record_card import card_blocks, detail_blocks
from tests.blocks import button_labels, mrkdwn_texts
from tests.pure.action_factories import make_action
from tests.pure.blockkit import MESSAGE_BLOCKS_MAX, message_blocks, without
from tests.pure.factories import NOW, make_history, make_record

TODAY = date(2026, 12, 1)

PING = "<!channel>"
HOSTILE = f"{PING} R&D <@UEVE> <https://evil.example|x>"
ESCAPED = "&lt;!channel&gt; R&amp;D &lt;@UEVE&gt;"


def investigated(**overrides: Any) -> Any:
    fields: dict[str, Any] = {
        "status": "actions_planned",
        "owner_id": "UOWNER",
        "whys": ["The label was printed by hand.", "The printer was down."],
        "root_cause": "No fallback when the label printer is down.",
        "cause_category": "machine",
        "elsewhere": "Line 2 has the same printer.",
    }
    fields.update(overrides)
    return make_record(**fields)


def actions(n: int, **overrides: Any) -> list[Any]:
    return [make_action(id=100 + i, number=i, **overrides) for i in range(1, n + 1)]


def text_of(blocks: list[dict[str, Any]]) -> str:
    return "\n".join(mrkdwn_texts(blocks))


def assert_inert(text: str) -> None:
    rest = without(text, "<@UALICE>", "<@UOWNER>", "<@UOWEN>", "<@UBOB>")
    rest = re.sub(r"&(amp|lt|gt);", "", rest)
    assert "<" not in rest, text
    assert ">" not in rest, text
    assert "&" not in rest, text


def card(record: Any = None, **extras: Any) -> list[dict[str, Any]]:
    record = record if record is not None else investigated()
    return message_blocks(card_blocks(record, CardExtras(**extras), today=TODAY))


def detail(record: Any = None, history: Any = (), **extras: Any) -> list[dict[str, Any]]:
    record = record if record is not None else investigated()
    blocks = detail_blocks(
        record, list(history), show_private=True, now=NOW, extras=CardExtras(**extras)
    )
    return message_blocks(blocks)


# The card


def test_a_card_with_every_extra_is_valid_block_kit() -> None:
    blocks = card(process_name="Production", actions=actions(3), repeat_of="NC-0003")
    assert len(blocks) <= MESSAGE_BLOCKS_MAX


def test_the_card_names_the_process() -> None:
    assert "*Process*\nProduction" in text_of(card(process_name="Production"))


def test_a_card_without_a_process_has_no_process_field() -> None:
    assert "*Process*" not in text_of(card())


def test_the_card_warns_of_a_possible_repeat() -> None:
    text = text_of(card(repeat_of="NC-0003"))
    assert "Possible repeat of *NC-0003*" in text
    assert "was its corrective action effective?" in text


def test_the_card_shows_the_root_cause_and_its_category() -> None:
    text = text_of(card())
    assert (
        "*Root cause* · Equipment and tools (machine)\nNo fallback when the label printer is down."
        in text
    )


def test_the_card_lists_each_action_with_owner_due_date_and_status() -> None:
    rows = [
        make_action(number=1, kind="correction", status="done", description="Relabel 2231."),
        make_action(number=2, status="open", description="Fallback printer."),
        make_action(number=3, status="open", blocked_reason="Budget.", description="Train."),
    ]
    text = text_of(card(actions=rows))
    assert ":ballot_box_with_check: *A1* Correction · <@UOWEN> · done — Relabel 2231." in text
    assert "*A2* Corrective action · <@UOWEN> · due Tue 1 Dec — Fallback printer." in text
    assert "due Tue 1 Dec · :construction: blocked — Train." in text


def test_the_card_shows_ten_actions_and_counts_the_rest() -> None:
    text = text_of(card(actions=actions(12)))
    assert "*A10*" in text
    assert "*A11*" not in text
    assert "…and 2 more" in text


def test_the_card_accounts_for_every_action_even_when_descriptions_are_all_markup() -> None:
    text = text_of(card(actions=actions(12, description="<&>" * 30)))
    assert all(f"*A{n}*" in text for n in range(1, 11))
    assert "…and 2 more" in text


@pytest.mark.parametrize("status", [RecordStatus.CLOSED, RecordStatus.REJECTED])
def test_a_closed_or_rejected_card_offers_reopening_and_the_record_and_history(
    status: RecordStatus,
) -> None:
    blocks = card(investigated(status=status.value), actions=actions(2, status="verified"))
    assert button_labels(blocks) == ["Reopen record", "View record and history"]


@pytest.mark.parametrize("status", [s for s in RecordStatus if s.is_open])
def test_an_open_card_offers_add_action(status: RecordStatus) -> None:
    assert "Add action" in button_labels(card(investigated(status=status.value)))


def test_a_rejected_card_says_why() -> None:
    record = investigated(status="rejected", rejection_reason="Duplicate of NC-0003.")
    assert "*Rejected because*\nDuplicate of NC-0003." in text_of(card(record))


@pytest.mark.parametrize("kind", list(ActionKind))
@pytest.mark.parametrize("status", list(ActionStatus))
def test_every_action_kind_and_status_makes_a_valid_card(
    kind: ActionKind, status: ActionStatus
) -> None:
    card(actions=[make_action(kind=kind.value, status=status.value)])


def test_user_text_on_the_card_is_escaped_in_every_mrkdwn_text() -> None:
    record = investigated(
        title=HOSTILE,
        description=HOSTILE,
        containment=HOSTILE,
        location=HOSTILE,
        root_cause=HOSTILE,
        cause_category=HOSTILE[:60],
        status="rejected",
        rejection_reason=HOSTILE,
    )
    blocks = card(record, process_name=HOSTILE, actions=actions(2, description=HOSTILE))
    texts = mrkdwn_texts(blocks)
    for text in texts:
        assert_inert(text)
    joined = "\n".join(texts)
    assert f"*Process*\n{ESCAPED}" in joined
    assert f"\n{ESCAPED}" in joined.split("*Root cause*")[1]
    assert f"— {ESCAPED}" in joined


def test_an_incident_card_with_a_root_cause_still_hides_what_happened() -> None:
    record = investigated(kind=RecordKind.INCIDENT.value, description="Jo Bloggs cut a hand.")
    text = "\n".join(mrkdwn_texts(card(record)))
    assert "Jo Bloggs" not in text
    assert "*Root cause*" in text


# The detail view


def test_the_detail_shows_the_whys_in_order_and_the_root_cause() -> None:
    text = text_of(detail())
    assert "*Five whys*\n1. The label was printed by hand.\n2. The printer was down." in text
    assert (
        "*Root cause* · Equipment and tools (machine)\nNo fallback when the label printer is down."
        in text
    )
    assert "*Could this happen elsewhere?*\nLine 2 has the same printer." in text


def test_the_detail_shows_process_actions_and_repeat() -> None:
    text = text_of(detail(process_name="Production", actions=actions(2), repeat_of="NC-0003"))
    assert "*Process*\nProduction" in text
    assert "*A1*" in text
    assert "*A2*" in text
    assert "Possible repeat of *NC-0003*" in text


def test_a_detail_without_whys_has_no_whys_section() -> None:
    text = text_of(detail(make_record()))
    assert "*Five whys*" not in text
    assert "*Root cause*" not in text


def test_user_text_in_the_detail_is_escaped_in_every_mrkdwn_text() -> None:
    record = investigated(
        title=HOSTILE,
        description=HOSTILE,
        whys=[HOSTILE, HOSTILE],
        root_cause=HOSTILE,
        elsewhere=HOSTILE,
    )
    history = [make_history(0, after={"text": HOSTILE, "ts": "1.1"})]
    blocks = detail(record, history, process_name=HOSTILE, actions=actions(1, description=HOSTILE))
    texts = mrkdwn_texts(blocks)
    for text in texts:
        assert_inert(text)
    joined = "\n".join(texts)
    assert f"*Five whys*\n1. {ESCAPED}" in joined
    assert f"*Could this happen elsewhere?*\n{ESCAPED}" in joined


def test_the_longest_investigated_record_still_fits_a_message() -> None:
    record = investigated(
        description="&" * 3000,
        containment="<" * 3000,
        whys=["&" * 500] * 5,
        root_cause="&" * 1000,
        elsewhere="&" * 1000,
    )
    history = [make_history(n, after={"text": "&" * 3000, "ts": f"1.{n}"}) for n in range(200)]
    blocks = detail(record, history, process_name="P" * 80, actions=actions(12), repeat_of="NC-1")
    assert len(blocks) <= MESSAGE_BLOCKS_MAX


def test_an_action_due_date_on_the_card_is_its_own() -> None:
    row = make_action(number=1, due_date=date(2027, 1, 15))
    assert "due Fri 15 Jan 2027" in text_of(card(actions=[row]))
