"""A one-line progress bar on stderr, drawn only when stderr is a terminal."""

from __future__ import annotations

import sys
from typing import TextIO

from bot.reports.export import Progress

WIDTH = 30


def terminal_progress(stream: TextIO | None = None) -> Progress:
    """A Progress that draws `[#####·····]  42%  612,000 of 1,400,000 rows`, or does nothing
    when the output is a file or a pipe (cron, CI)."""
    out = stream or sys.stderr
    if not out.isatty():
        return Progress()
    state = {"total": 0, "done": 0}

    def draw() -> None:
        total = max(state["total"], 1)
        share = min(state["done"] / total, 1.0)
        filled = int(share * WIDTH)
        bar = "#" * filled + "·" * (WIDTH - filled)
        out.write(f"\r[{bar}] {share:4.0%}  {state['done']:,} of {state['total']:,} rows")
        out.flush()

    def start(total: int) -> None:
        state["total"], state["done"] = total, 0
        draw()

    def advance(rows: int) -> None:
        state["done"] += rows
        draw()

    def finish() -> None:
        out.write("\n")
        out.flush()

    return Progress(start=start, advance=advance, finish=finish)
