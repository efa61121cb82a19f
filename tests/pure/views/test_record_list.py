"""`/nc list`: a page of open records with buttons to page and switch scope."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.records import RecordKind
from bot.domain.registers import StatusFilter
from bot.queries.records import RecordPage
from bot.views.record_list import Listing, list_blocks, pager_value
from tests.blocks import button_labels, find_button, mrkdwn_texts
from tests.pure.blockkit import message_blocks
from tests.pure.factories import NOW, TODAY, make_record

MINE = Listing(mine=True)
EVERYONE = Listing(mine=False)


def page(count: int, *, page: int = 1, total: int | None = None, size: int = 10) -> RecordPage:
    records = [make_record(id=n, number=n, title=f"Record {n}") for n in range(1, count + 1)]
    return RecordPage(
        records=records, page=page, total=count if total is None else total, page_size=size
    )


def test_a_list_is_valid_block_kit() -> None:
    message_blocks(list_blocks(page(10, total=35), MINE, today=TODAY))


def test_an_empty_list_says_nothing_is_open() -> None:
    blocks = message_blocks(list_blocks(page(0), MINE, today=TODAY))
    assert any("Nothing open" in text for text in mrkdwn_texts(blocks))


def test_each_record_is_listed_with_its_reference() -> None:
    text = "\n".join(mrkdwn_texts(message_blocks(list_blocks(page(3), EVERYONE, today=TODAY))))
    for reference in ("NC-0001", "NC-0002", "NC-0003"):
        assert reference in text


def test_the_first_of_several_pages_offers_only_next() -> None:
    labels = button_labels(message_blocks(list_blocks(page(10, total=35), MINE, today=TODAY)))
    assert labels == ["Next page", "Show all open records", "Show closed records"]


def test_a_middle_page_offers_previous_and_next() -> None:
    blocks = message_blocks(list_blocks(page(10, page=2, total=35), EVERYONE, today=TODAY))
    assert button_labels(blocks) == [
        "Previous page",
        "Next page",
        "Show only mine",
        "Show closed records",
    ]


def test_the_last_page_offers_only_previous() -> None:
    blocks = message_blocks(list_blocks(page(5, page=4, total=35), MINE, today=TODAY))
    assert button_labels(blocks) == [
        "Previous page",
        "Show all open records",
        "Show closed records",
    ]


def test_pager_buttons_carry_the_page_they_lead_to() -> None:
    blocks = message_blocks(list_blocks(page(10, page=2, total=35), MINE, today=TODAY))
    assert json.loads(find_button(blocks, "Previous page")["value"]) == {"mine": True, "page": 1}
    assert json.loads(find_button(blocks, "Next page")["value"]) == {"mine": True, "page": 3}
    assert json.loads(find_button(blocks, "Show all open records")["value"]) == {
        "mine": False,
        "page": 1,
    }


def test_pager_buttons_have_distinct_action_ids() -> None:
    blocks = message_blocks(list_blocks(page(10, page=2, total=35), MINE, today=TODAY))
    ids = [b["action_id"] for b in blocks[-2]["elements"]]
    assert len(ids) == len(set(ids))


def test_pager_value_is_compact_json() -> None:
    assert pager_value(mine=False, page=3) == '{"mine":false,"page":3}'


def test_titles_are_escaped() -> None:
    records = [make_record(title="<!channel> & <@UEVE>")]
    result = RecordPage(records=records, page=1, total=1, page_size=10)
    blocks = message_blocks(list_blocks(result, MINE, today=TODAY))
    assert not any("<!channel>" in text or "<@UEVE>" in text for text in mrkdwn_texts(blocks))


@settings(max_examples=200, deadline=None)
@given(titles=st.lists(st.text(min_size=1, max_size=200), max_size=10), mine=st.booleans())
def test_any_page_of_titles_is_valid_block_kit(titles: list[str], mine: bool) -> None:
    records = [make_record(id=n, number=n + 1, title=t) for n, t in enumerate(titles)]
    result = RecordPage(records=records, page=1, total=len(records), page_size=10)
    blocks = message_blocks(list_blocks(result, Listing(mine=mine), today=TODAY))
    for text in mrkdwn_texts(blocks):
        assert "<" not in text
        assert ">" not in text


def test_a_filtered_list_says_what_it_shows_and_its_buttons_carry_the_filter() -> None:
    listing = Listing(False, StatusFilter.CLOSED, RecordKind.NEAR_MISS, 3, "Goods <in>")
    blocks = message_blocks(list_blocks(page(10, page=2, total=35), listing, today=TODAY))
    text = "\n".join(mrkdwn_texts(blocks))
    assert "*Closed and rejected near misses about Goods &lt;in&gt; in this workspace*" in text
    filtered = {"mine": False, "status": "closed", "kind": "near_miss", "process": 3}
    assert json.loads(find_button(blocks, "Next page")["value"]) == {**filtered, "page": 3}
    assert json.loads(find_button(blocks, "Show only mine")["value"]) == {
        **filtered,
        "mine": True,
        "page": 1,
    }
    assert json.loads(find_button(blocks, "Show open records")["value"]) == {
        "mine": False,
        "kind": "near_miss",
        "process": 3,
        "page": 1,
    }


def test_an_empty_filtered_list_says_nothing_matches() -> None:
    listing = Listing(False, StatusFilter.CLOSED)
    text = "\n".join(mrkdwn_texts(message_blocks(list_blocks(page(0), listing, today=TODAY))))
    assert "No records match" in text and "Nothing open" not in text


def test_each_row_names_the_command_that_shows_its_history_and_a_readable_date() -> None:
    closed = make_record(
        status="closed", closed_at=NOW, reference="CC-0004", kind="customer_complaint"
    )
    result = RecordPage(records=[closed], page=1, total=1, page_size=10)
    text = "\n".join(
        mrkdwn_texts(
            message_blocks(list_blocks(result, Listing(False, StatusFilter.ALL), today=TODAY))
        )
    )
    assert (
        "Customer complaint · Closed · owner nobody yet · closed Mon 23 Nov · `/nc CC-0004`" in text
    )
