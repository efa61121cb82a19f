"""Spreadsheet-safe cells, ISO clause references and change descriptions."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from bot.domain import evidence
from bot.domain.evidence import neutralise
from bot.reports.tables import describe_change

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


@given(st.text())
def test_no_cell_starts_like_a_formula_and_nothing_is_lost(text: str) -> None:
    safe = neutralise(text)
    assert not safe.startswith(DANGEROUS)
    assert safe.removeprefix("'") == text or safe == text


@given(st.sampled_from(DANGEROUS), st.text())
def test_a_formula_gets_one_quote_in_front(start: str, rest: str) -> None:
    assert neutralise(start + rest) == "'" + start + rest


@given(st.text().filter(lambda t: not t.startswith(DANGEROUS)))
def test_plain_text_is_untouched(text: str) -> None:
    assert neutralise(text) == text


@given(st.lists(st.text(), min_size=1, max_size=5))
def test_a_csv_row_reads_back_neutralised(cells: list[str]) -> None:
    stream = io.StringIO(newline="")
    csv.writer(stream).writerow([neutralise(c) for c in cells])
    (row,) = csv.reader(io.StringIO(stream.getvalue(), newline=""))
    assert row == [neutralise(c) for c in cells]
    assert not any(cell.startswith(DANGEROUS) for cell in row)


def test_clauses_follow_the_kind_of_record() -> None:
    assert evidence.record_clause("nonconformity") == "ISO 9001 10.2"
    assert evidence.record_clause("customer_complaint") == "ISO 9001 9.1.2"
    assert evidence.record_clause("near_miss") == "ISO 45001 10.2"
    assert evidence.record_clause("incident") == "ISO 45001 10.2"
    assert evidence.record_clause("audit_finding") == "ISO 9001 9.2"
    assert evidence.action_clause("corrective", "incident") == "ISO 45001 10.2"
    assert evidence.action_clause("corrective", None) == "ISO 9001 9.3.3"


def test_a_change_reads_field_by_field() -> None:
    assert (
        describe_change(
            {"status": "new", "owner_id": None}, {"status": "investigating", "owner_id": "U1"}
        )
        == "status: new → investigating; owner_id: (none) → U1"
    )
    assert describe_change(None, {"title": "x"}) == "title: (none) → x"


def test_a_management_reviews_record_answers_to_9_3() -> None:
    assert evidence.record_clause(evidence.REVIEW_RECORD_KIND) == "ISO 9001 9.3"


def test_competence_also_answers_to_iso_45001_where_the_workspace_is_certified_to_it() -> None:
    assert evidence.competence_clause(False) == "ISO 9001 7.2"
    assert evidence.competence_clause(True) == "ISO 9001 7.2; ISO 45001 7.2"
