"""Rows built in a helper process and read back through the spool file."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

import pytest

from bot.reports import spool
from bot.reports.spool import SpoolFailed, spooled


def numbered(count: int) -> Iterator[tuple[int, str]]:
    for n in range(count):
        yield n, f"=row {n}"


def failing_after(count: int) -> Iterator[int]:
    yield from range(count)
    raise LookupError("no such table")


def test_every_row_comes_back_in_order_across_batches() -> None:
    count = spool.BATCH * 2 + 7
    with spooled(numbered, count) as rows:
        assert list(rows) == list(numbered(count))


def test_no_rows_is_no_rows() -> None:
    with spooled(numbered, 0) as rows:
        assert list(rows) == []


def test_a_failure_in_the_helper_is_raised_here_with_its_reason() -> None:
    with spooled(failing_after, 3) as rows, pytest.raises(SpoolFailed, match="no such table"):
        list(rows)


def test_leaving_early_stops_the_helper() -> None:
    with spooled(numbered, spool.BATCH * 50) as rows:
        assert next(rows) == (0, "=row 0")
        assert len(list(islice(rows, 10))) == 10
