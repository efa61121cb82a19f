"""Reading a whole file into validated rows and a report of the rows that are not."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from pydantic import ValidationError

from bot.domain.directory import PeopleIndex
from bot.domain.import_columns import COLUMNS, ImportKind, match_header
from bot.forms.import_rows import ROW_MODELS, ImportRow
from bot.imports.source import Table


@dataclass(frozen=True)
class RowError:
    row: int
    reasons: list[str]
    cells: list[str] = field(default_factory=list)  # the row as read, for the rejected file


@dataclass
class Checked:
    kind: ImportKind
    file_name: str
    header: list[str]
    unknown_columns: list[str]
    missing_columns: list[str]
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        """Whether the file has the columns it needs at all."""
        return not self.missing_columns


def _labels(kind: ImportKind) -> dict[str, str]:
    return {column.field: column.label for column in COLUMNS[kind]}


def _reasons(error: ValidationError, labels: dict[str, str]) -> list[str]:
    reasons = []
    for problem in error.errors():
        where = str(problem["loc"][0]) if problem["loc"] else ""
        message = str(problem["msg"]).removeprefix("Value error, ")
        reasons.append(f"{labels.get(where, where)} {message}".strip())
    return reasons


def check_table(
    kind: ImportKind,
    table: Table,
    people: PeopleIndex,
    progress: Callable[[int], None] = lambda _row: None,
) -> Checked:
    """Validate every row; duplicates of a reference within the file are errors too."""
    matched = match_header(kind, table.header)
    checked = Checked(
        kind=kind,
        file_name=table.name,
        header=table.header,
        unknown_columns=matched.unknown,
        missing_columns=[*matched.missing, *(f"{label} (twice)" for label in matched.repeated)],
    )
    if not checked.readable:
        return checked
    model = ROW_MODELS[kind]
    labels = _labels(kind)
    context = {"people": people}
    seen: dict[tuple[str, ...], int] = {}
    for number, cells in table.rows:
        progress(number)
        data: dict[str, object] = {"row": number}
        for name, index in matched.positions.items():
            data[name] = cells[index] if index < len(cells) else None
        try:
            row = model.model_validate(data, context=context)
        except ValidationError as error:
            checked.errors.append(RowError(number, _reasons(error, labels), _as_text(cells)))
            continue
        key = _identity(row)
        if key in seen:
            reason = f"{_identity_label(kind)} is the same as on row {seen[key]}"
            checked.errors.append(RowError(number, [reason], _as_text(cells)))
            continue
        seen[key] = number
        checked.rows.append(row)
    return checked


def _identity(row: ImportRow) -> tuple[str, ...]:
    """What makes a row the same as another: its reference, or person, competence and date."""
    if hasattr(row, "reference"):
        return (row.reference.upper(),)
    return (row.person, row.competence.casefold(), row.completed_date.isoformat())


def _identity_label(kind: ImportKind) -> str:
    if kind is ImportKind.TRAINING:
        return "Person, competence and date"
    return "Reference"


def _as_text(cells: Sequence[object]) -> list[str]:
    return ["" if value is None else str(value) for value in cells]
