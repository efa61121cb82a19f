"""Record references: `NC-0007`, a prefix per kind, and the ways people type them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.records import (
    DEFAULT_PREFIXES,
    RecordKind,
    format_reference,
    known_prefixes,
    parse_reference,
    prefix_for,
    prefix_problem,
)

# The parser reads up to nine digits: far beyond any workspace's record count.
numbers = st.integers(min_value=1, max_value=999_999_999)
prefixes = st.sampled_from(sorted(set(DEFAULT_PREFIXES.values())))


def test_format_reference_pads_to_four_digits() -> None:
    assert format_reference(7) == "NC-0007"
    assert format_reference(7, "NM") == "NM-0007"


def test_format_reference_keeps_numbers_longer_than_four_digits() -> None:
    assert format_reference(12345) == "NC-12345"


def test_each_kind_has_its_own_prefix() -> None:
    assert prefix_for(RecordKind.NEAR_MISS) == "NM"
    assert prefix_for(RecordKind.CUSTOMER_COMPLAINT) == "CC"
    assert prefix_for(RecordKind.INCIDENT) == "INC"
    assert prefix_for(RecordKind.IMPROVEMENT) == "OFI"
    assert prefix_for(RecordKind.AUDIT_FINDING) == "AF"
    assert len(set(DEFAULT_PREFIXES.values())) == len(RecordKind)


def test_a_workspace_may_choose_its_prefixes_and_bad_ones_fall_back() -> None:
    assert prefix_for(RecordKind.IMPROVEMENT, {"improvement": "IMP"}) == "IMP"
    assert prefix_for(RecordKind.IMPROVEMENT, {"improvement": "im-p"}) == "OFI"
    assert "IMP" in known_prefixes({"improvement": "IMP"})
    assert "OFI" in known_prefixes({"improvement": "IMP"})


@pytest.mark.parametrize(
    ("prefix", "fine"), [("NC", True), ("CAPA", True), ("nc", False), ("OBJ", False), ("", False)]
)
def test_prefix_problem(prefix: str, fine: bool) -> None:
    assert (prefix_problem(prefix) is None) is fine


@settings(max_examples=200, deadline=None)
@given(numbers, prefixes)
def test_parse_reference_reads_back_what_format_reference_writes(number: int, prefix: str) -> None:
    reference = format_reference(number, prefix)
    assert parse_reference(reference) == reference


@settings(max_examples=200, deadline=None)
@given(numbers, prefixes)
def test_parse_reference_ignores_case_and_the_dash(number: int, prefix: str) -> None:
    reference = format_reference(number, prefix)
    assert parse_reference(reference.lower()) == reference
    assert parse_reference(reference.replace("-", "")) == reference


@pytest.mark.parametrize("text", ["nc-7", "NC7", " NC-0007 ", "NC-0007", "nc0007", "Nc-7"])
def test_parse_reference_accepts_what_people_type(text: str) -> None:
    assert parse_reference(text) == "NC-0007"


def test_parse_reference_knows_only_the_workspace_prefixes_when_given_them() -> None:
    known = known_prefixes()
    assert parse_reference("nm3", known) == "NM-0003"
    assert parse_reference("Q3", known) is None
    assert parse_reference("Q3") == "Q-0003"


@pytest.mark.parametrize(
    "text", ["NC-0", "NC-0000", "NC-", "NC", "NC-1x", "NC--1", "NC-1 2", "7", "", "  ", "NC-١٢"]
)
def test_parse_reference_rejects_what_is_not_a_reference(text: str) -> None:
    assert parse_reference(text) is None


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_parse_reference_never_raises_and_gives_a_reference_or_none(text: str) -> None:
    reference = parse_reference(text)
    assert reference is None or parse_reference(reference) == reference
