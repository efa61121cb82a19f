"""Record references: `NC-0007` and the ways people type it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.records import format_reference, parse_reference

# The parser reads up to nine digits: far beyond any workspace's record count.
numbers = st.integers(min_value=1, max_value=999_999_999)


def test_format_reference_pads_to_four_digits() -> None:
    assert format_reference(7) == "NC-0007"


def test_format_reference_keeps_numbers_longer_than_four_digits() -> None:
    assert format_reference(12345) == "NC-12345"


@settings(max_examples=200, deadline=None)
@given(numbers)
def test_parse_reference_reads_back_what_format_reference_writes(number: int) -> None:
    assert parse_reference(format_reference(number)) == number


@settings(max_examples=200, deadline=None)
@given(numbers)
def test_parse_reference_ignores_case_and_the_dash(number: int) -> None:
    assert parse_reference(format_reference(number).lower()) == number
    assert parse_reference(format_reference(number).replace("-", "")) == number


@pytest.mark.parametrize("text", ["nc-7", "NC7", " NC-0007 ", "NC-0007", "nc0007", "Nc-7"])
def test_parse_reference_accepts_what_people_type(text: str) -> None:
    assert parse_reference(text) == 7


@pytest.mark.parametrize(
    "text", ["NC-0", "NC-0000", "NC-", "NC", "XY-1", "NC-1x", "NC--1", "NC-1 2", "7", "", "  "]
)
def test_parse_reference_rejects_what_is_not_a_reference(text: str) -> None:
    assert parse_reference(text) is None


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_parse_reference_never_raises_and_gives_a_positive_number_or_none(text: str) -> None:
    number = parse_reference(text)
    assert number is None or number > 0
