"""Render the management review pack: Markdown for pasting, HTML that is self-contained and
prints cleanly (inline CSS, charts as inline SVG, nothing fetched)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from html import escape
from typing import Literal
from zoneinfo import ZoneInfo

from bot.queries.export import Period
from bot.queries.review import ReviewFigures, review_figures
from bot.queries.workspaces import first_workspace
from bot.reports.review_sections import SPACE, Section, day, people_shown, sections
from bot.settings import Settings
from storage.db import Database

Fmt = Literal["md", "html"]


def title(figures: ReviewFigures) -> str:
    assert figures.period.start is not None and figures.period.end is not None
    today = figures.today
    return (
        f"Management review pack, {day(figures.period.start, today)} to "
        f"{day(figures.period.end, today)}"
    )


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(figures: ReviewFigures, names: Mapping[str, str] | None = None) -> str:
    out = [
        f"# {title(figures)}",
        "",
        f"Standards: {', '.join(figures.standards)}. Figures from Keel on "
        f"{day(figures.today, figures.today)}.",
    ]
    for section in sections(figures, names):
        out += ["", f"## {section.heading}", "", f"_{section.source}_", ""]
        out += [f"- {line}" for line in section.lines]
        if section.table:
            headers, rows = section.table
            out += ["", "| " + " | ".join(headers) + " |", "|" + " --- |" * len(headers)]
            out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
        if section.chart:
            out += ["", "By month: " + ", ".join(f"{m} {n:,}" for m, n in section.chart)]
            out += [f"_{section.chart_note}_"] if section.chart_note else []
        if section.space:
            out += ["", f"**Notes:** _{SPACE}_"]
    return "\n".join(out) + "\n"


CSS = """
body{font:11pt/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d1d1f;
max-width:46em;margin:2em auto;padding:0 1em}
h1{font-size:1.6em;margin:0 0 .2em}h2{font-size:1.15em;margin:1.6em 0 .2em;
border-bottom:1px solid #ccd;padding-bottom:.15em}
p.source{color:#555;font-style:italic;margin:.2em 0 .5em}
ul{margin:.3em 0;padding-left:1.3em}
table{border-collapse:collapse;margin:.5em 0;width:100%}
th,td{border:1px solid #ccd;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f0f2f5}
.notes{border:1px dashed #99a;min-height:4em;padding:.3em .5em;color:#777;margin:.5em 0}
svg{display:block;margin:.5em 0;max-width:100%;height:auto}
section{break-inside:avoid}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}}
"""


def _svg_chart(points: list[tuple[str, int]], note: str | None) -> str:
    """Bars by month ("Nov 2025"), labelled, the year under the first month and each January;
    scaled to the largest month, and to the page's width when there are many months."""
    bar, gap, height = 36, 12, 90
    top = max((n for _, n in points), default=0) or 1
    width = len(points) * (bar + gap) + gap
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 52}" '
        f'viewBox="0 0 {width} {height + 52}" role="img" aria-label="by month">'
    ]
    for i, (month, count) in enumerate(points):
        x = gap + i * (bar + gap)
        h = round(height * count / top)
        parts.append(
            f'<rect x="{x}" y="{height - h + 14}" width="{bar}" height="{h}" fill="#4a6fa5"></rect>'
            f'<text x="{x + bar / 2}" y="{height - h + 10}" font-size="11" '
            f'text-anchor="middle">{count:,}</text>'
            f'<text x="{x + bar / 2}" y="{height + 30}" font-size="10" '
            f'text-anchor="middle">{escape(month[:3])}</text>'
        )
        if i == 0 or month.startswith("Jan"):
            parts.append(
                f'<text x="{x + bar / 2}" y="{height + 44}" font-size="10" fill="#555" '
                f'text-anchor="middle">{escape(month[4:])}</text>'
            )
    parts.append(
        f'<line x1="{gap / 2}" y1="{height + 14}" x2="{width - gap / 2}" y2="{height + 14}" '
        'stroke="#667" stroke-width="1"></line></svg>'
    )
    caption = f'<p class="source">{escape(note)}</p>' if note else ""
    return '<p class="source">Raised per month:</p>' + "".join(parts) + caption


def _html_section(section: Section) -> str:
    parts = [f"<section><h2>{escape(section.heading)}</h2>"]
    parts.append(f'<p class="source">{escape(section.source)}</p>')
    if section.lines:
        parts.append("<ul>" + "".join(f"<li>{escape(x)}</li>" for x in section.lines) + "</ul>")
    if section.table:
        headers, rows = section.table
        head = "".join(f"<th>{escape(h)}</th>" for h in headers)
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows
        )
        parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    if section.chart:
        parts.append(_svg_chart(section.chart, section.chart_note))
    if section.space:
        parts.append(f'<div class="notes">{escape(SPACE)}</div>')
    parts.append("</section>")
    return "\n".join(parts)


def render_html(figures: ReviewFigures, names: Mapping[str, str] | None = None) -> str:
    heading = escape(title(figures))
    body = "\n".join(_html_section(s) for s in sections(figures, names))
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
        f"<title>{heading}</title><style>{CSS}</style></head>\n<body>\n"
        f"<h1>{heading}</h1>\n<p>Standards: {escape(', '.join(figures.standards))}. "
        f"Figures from Keel on {escape(day(figures.today, figures.today))}.</p>\n"
        f"{body}\n</body>\n</html>\n"
    )


def render(figures: ReviewFigures, fmt: Fmt, names: Mapping[str, str] | None = None) -> str:
    return render_html(figures, names) if fmt == "html" else render_markdown(figures, names)


def render_for_cli(
    db: Database,
    settings: Settings,
    *,
    start: date | None,
    end: date | None,
    team_id: str | None,
    fmt: Fmt,
    now: datetime | None = None,
    name_people: Callable[[list[str]], Mapping[str, str]] | None = None,
) -> str:
    """The pack for one workspace (the only one, or `team_id`); open ends of the period
    become the earliest record's day and today. `name_people` names the members shown (from
    Slack); without it they show as member IDs."""
    with db.reading() as session:
        workspace = first_workspace(session, team_id)
        if workspace is None:
            return "<p>No workspace.</p>\n" if fmt == "html" else "No workspace.\n"
        tz = ZoneInfo(workspace.timezone or settings.timezone)
        today = (now or datetime.now(tz)).astimezone(tz).date()
        period = Period(start or workspace.created_at.astimezone(tz).date(), end or today)
        figures = review_figures(
            session=session,
            workspace=workspace,
            tz=tz,
            period=period,
            today=today,
            lead_ids=frozenset(workspace.lead_ids or settings.admin_ids),
        )
    names = name_people(people_shown(figures)) if name_people else None
    return render(figures, fmt, names)
