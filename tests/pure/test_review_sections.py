"""The review pack's long lists: the latest entries, then how many came before and where."""

from __future__ import annotations

from collections import Counter
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from bot.queries.export import Period
from bot.queries.review import LISTED, Latest, ReviewFigures
from bot.reports.review import render_html, render_markdown
from bot.reports.review_sections import sections

TODAY = date(2026, 11, 23)


def a_pack() -> ReviewFigures:
    return ReviewFigures("T1", Period(date(2025, 11, 23), TODAY), TODAY, ("ISO 9001",))


def lines_of(figures: ReviewFigures, heading: str) -> list[str]:
    return next(s for s in sections(figures) if s.heading.startswith(heading)).lines


@given(st.lists(st.integers(), max_size=3 * LISTED))
def test_latest_keeps_the_last_entries_in_order_and_counts_them_all(entries: list[int]) -> None:
    latest: Latest[int] = Latest()
    for entry in entries:
        latest.add(entry)
    assert list(latest.entries) == entries[-LISTED:]
    assert latest.total == len(entries)
    assert latest.earlier == max(0, len(entries) - LISTED)


def test_a_short_list_is_shown_whole() -> None:
    figures = a_pack()
    figures.improvements.add("OFI-0001 Colour-code the racks")
    assert lines_of(figures, "f)") == ["OFI-0001 Colour-code the racks"]
    assert lines_of(a_pack(), "f)") == ["No opportunities for improvement raised."]


def test_a_long_list_shows_the_latest_and_says_where_the_rest_are() -> None:
    figures = a_pack()
    for n in range(1, 5_021):
        figures.supplier_records.add(f"NC-{n:04d} Late delivery")
    figures.improvements.add("OFI-0001 first")
    for n in range(2, LISTED + 2):
        figures.improvements.add(f"OFI-{n:04d} more")
    suppliers = lines_of(figures, "c7)")
    assert suppliers[:-1] == [f"NC-{n:04d} Late delivery" for n in range(5_001, 5_021)]
    assert suppliers[-1] == "…and 5,000 earlier records: the export's records file has them all."
    assert lines_of(figures, "f)")[-1] == (
        "…and 1 earlier one: the export's records file has them all."
    )


def test_system_changes_are_cut_the_same_way() -> None:
    figures = a_pack()
    for n in range(LISTED + 2):
        figures.system_changes.add((date(2026, 1, 1 + n), "process", "renamed"))
    changes = lines_of(figures, "b)")
    assert changes[0] == "Sat 3 Jan: process — renamed"
    assert changes[-1] == "…and 2 earlier changes: the export's history file has them all."
    assert len(changes) == LISTED + 1


def test_overdue_actions_per_owner_list_the_most_loaded_and_count_the_others() -> None:
    figures = a_pack()
    for n in range(LISTED + 3):
        figures.overdue_by_owner[f"U{n:03d}"] = 100 - n
    section = next(s for s in sections(figures) if s.heading.startswith("d)"))
    assert section.table is not None and len(section.table[1]) == LISTED
    assert section.table[1][0] == ("U000", "100")
    left = (100 - LISTED) + (99 - LISTED) + (98 - LISTED)
    assert section.lines == [
        f"The {LISTED} owners with the most overdue actions; 3 other owners have "
        f"{left} more between them."
    ]
    figures.overdue_by_owner = Counter({"UBOB": 2})
    assert lines_of(figures, "d)") == []
    assert "| UBOB | 2 |" in render_markdown(figures)


def notes_of(period: Period) -> set[str | None]:
    figures = ReviewFigures("T1", period, TODAY, ("ISO 9001", "ISO 45001"))
    return {s.chart_note for s in sections(figures) if s.chart}


def test_charts_say_which_months_at_the_ends_are_counted_in_part() -> None:
    assert notes_of(Period(date(2025, 11, 23), TODAY)) == {
        "Part months: Nov 2025 from Sun 23 Nov 2025, Nov 2026 to Mon 23 Nov."
    }
    assert notes_of(Period(date(2025, 12, 1), date(2026, 10, 31))) == {None}
    assert notes_of(Period(date(2026, 1, 1), date(2026, 2, 27))) == {
        "Part month: Feb 2026 to Fri 27 Feb."
    }
    assert notes_of(Period(date(2026, 11, 2), TODAY)) == {"Part month: Mon 2 Nov to Mon 23 Nov."}
    assert notes_of(Period(date(2026, 2, 1), date(2026, 2, 28))) == {None}


def test_the_charts_carry_the_year_under_the_first_month_and_each_january() -> None:
    html = render_html(a_pack())
    chart = html[html.index("<svg") : html.index("</svg>")]
    years = [part.split("<")[0] for part in chart.split('fill="#555" text-anchor="middle">')[1:]]
    assert years == ["2025", "2026"]
    assert "Part months: Nov 2025 from Sun 23 Nov 2025, Nov 2026 to Mon 23 Nov." in html
    assert "_Part months: Nov 2025" in render_markdown(a_pack())
