"""Checking imported rows: headers by synonym, people by directory, any cell content."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain.directory import PeopleIndex, Person, UnknownPerson
from bot.domain.import_columns import ImportKind, match_header
from bot.imports.check import check_table
from bot.imports.source import Refused, open_table

PEOPLE = PeopleIndex(
    [
        Person("U0ALICE01", "alice@example.com", "Alice Martin", "alice"),
        Person("U0GONE001", "gone@example.com", "Gone Person", "gone", deleted=True),
    ]
)


def test_headers_are_matched_by_synonym_whatever_their_case() -> None:
    matched = match_header(
        ImportKind.ACTIONS,
        ["ACTION REF", "NCR", "Action to take", "Assigned to", "Target Date", "Cost"],
    )
    assert matched.positions == {
        "reference": 0,
        "record": 1,
        "description": 2,
        "owner": 3,
        "due_date": 4,
    }
    assert matched.unknown == ["Cost"]
    assert matched.missing == []


def test_people_are_found_by_email_name_or_member_id() -> None:
    assert PEOPLE.find("ALICE@example.com") == "U0ALICE01"
    assert PEOPLE.find(" alice  martin ") == "U0ALICE01"
    assert PEOPLE.find("<@U0ALICE01>") == "U0ALICE01"
    with pytest.raises(UnknownPerson, match="has left this workspace"):
        PEOPLE.find("gone@example.com")
    with pytest.raises(UnknownPerson, match="no member of this workspace has the ID U0NOBODY1"):
        PEOPLE.find("U0NOBODY1")


cells = st.text(alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"))


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(cells, min_size=0, max_size=6), max_size=8))
def test_any_csv_content_is_either_a_valid_row_or_a_row_error(
    tmp_path: Path, rows: list[list[str]]
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Reference", "Title", "Date", "Owner", "Severity", "Status"])
    writer.writerows(rows)
    path = tmp_path / "fuzz.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    try:
        table = open_table(path)
        checked = check_table(ImportKind.RECORDS, table, PEOPLE)
    except Refused:
        return
    numbers = [row.row for row in checked.rows] + [error.row for error in checked.errors]
    assert len(numbers) == len(set(numbers))
    assert all(error.reasons for error in checked.errors)
    for row in checked.rows:
        assert row.reference and row.title
        assert row.owner in (None, "U0ALICE01")
