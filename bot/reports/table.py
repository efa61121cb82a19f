"""What an export table is: a name, its stable columns, and how its rows are read."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from bot.queries.export import ExportWorkspace, Period

Cell = str | int | float
Rows = Iterator[tuple[Cell, ...]]


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    rows: Callable[[Session, ExportWorkspace, Period], Rows]


def text(value: Any) -> str:
    return "" if value is None else str(value)


def yes_no(value: bool) -> str:
    return "yes" if value else "no"
