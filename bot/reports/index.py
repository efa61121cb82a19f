"""The audit pack's index.html: what each file holds, its row count and its columns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from bot.queries.export import Period
from bot.reports.tables import Table

STYLE = (
    "body{font:14px/1.5 system-ui,sans-serif;max-width:60em;margin:2em auto;color:#222}"
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;"
    "text-align:left;vertical-align:top}code{font-size:90%}"
)


def _period(period: Period) -> str:
    start = period.start.isoformat() if period.start else "the beginning"
    end = period.end.isoformat() if period.end else "today"
    return f"from {start} to {end}"


def index_html(*, tables: Sequence[Table], counts: Mapping[str, int], period: Period) -> str:
    rows = []
    for table in tables:
        count = counts.get(table.name, 0)
        note = " (none in the period)" if table.name.startswith("audit") and not count else ""
        rows.append(
            f'<tr><td><a href="{table.name}.csv">{table.name}.csv</a></td>'
            f"<td>{count:,}{note}</td>"
            f"<td><code>{escape(', '.join(table.columns))}</code></td></tr>"
        )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Keel audit pack</title><style>{STYLE}</style></head><body>"
        f"<h1>Keel audit pack</h1><p>Evidence {escape(_period(period))}. Times are given in UTC "
        "(<code>_utc</code>) and in the workspace's time zone (<code>_local</code>). The CSV "
        "files are UTF-8 and open in Excel; text that starts with = + - @ is prefixed with a "
        "quote so no spreadsheet runs it. The registers (objectives, documents, competences, "
        "roles) are listed whole; <code>training_matrix</code> is each person's standing on "
        "every competence they need on the day of the export (valid, expiring within 30 "
        "days, expired or missing).</p>"
        '<p><a href="management-review.html">The management review pack</a> for the same '
        "period.</p><table><thead><tr><th>File</th><th>Rows</th><th>Columns</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></body></html>\n"
    )
