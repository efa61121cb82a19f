"""`python -m bot export` and `python -m bot report review`: argument parsing and running."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from bot.clock import SystemClock
from bot.queries.export import Period
from bot.reports.export import Export, ExportChanged, write_csv_files, write_xlsx, write_zip
from bot.reports.index import index_html
from bot.reports.progress import terminal_progress
from bot.settings import Settings
from storage.db import Database


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-01-31") from None


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    export = commands.add_parser(
        "export", help="export records, actions, history and objectives for the auditor"
    )
    export.add_argument("--format", choices=("csv", "xlsx", "zip"), default="xlsx")
    export.add_argument("--from", dest="start", type=_date, help="first day (YYYY-MM-DD)")
    export.add_argument("--to", dest="end", type=_date, help="last day, included (YYYY-MM-DD)")
    export.add_argument(
        "--out", type=Path, help="file (xlsx, zip) or folder (csv); default keel-export.FORMAT"
    )
    export.add_argument(
        "--team", nargs="+", metavar="T", help="only these Slack team ids (default: all)"
    )

    report = commands.add_parser("report", help="render a report: `report review`")
    kinds = report.add_subparsers(dest="report", metavar="REPORT", required=True)
    review = kinds.add_parser("review", help="the management review pack (ISO 9001 9.3)")
    review.add_argument("--from", dest="start", type=_date, required=True)
    review.add_argument("--to", dest="end", type=_date, required=True)
    review.add_argument("--format", choices=("md", "html"), default="html")
    review.add_argument("--out", type=Path, help="file to write (default: standard output)")
    review.add_argument("--team", help="the Slack team id (default: the only workspace)")


def run_export(settings: Settings, args: argparse.Namespace) -> int:
    if args.start and args.end and args.start > args.end:
        print("keel: --from is after --to", file=sys.stderr)
        return 2
    db = Database.from_url(settings.database_url)
    export = Export(
        db=db,
        default_tz=settings.timezone,
        now=SystemClock().now(),
        period=Period(args.start, args.end),
        team_ids=args.team,
        progress=terminal_progress(),
    )
    out: Path = args.out or Path(
        "keel-export" if args.format == "csv" else f"keel-export.{args.format}"
    )
    try:
        if args.format == "csv":
            write_csv_files(export, out)
        elif args.format == "xlsx":
            write_xlsx(export, out)
        else:
            write_zip(
                export, out, review_html=_review_html(db, settings, args), index_html=index_html
            )
    except ExportChanged as changed:
        print(f"keel: {changed}", file=sys.stderr)
        return 1
    finally:
        db.dispose()
    total = sum(export.counts.values())
    print(f"wrote {out} ({total:,} {'row' if total == 1 else 'rows'})")
    return 0


def _review_html(db: Database, settings: Settings, args: argparse.Namespace) -> str:
    from bot.reports.review import render_for_cli

    return render_for_cli(
        db, settings, start=args.start, end=args.end, team_id=(args.team or [None])[0], fmt="html"
    )


def run_review(settings: Settings, args: argparse.Namespace) -> int:
    from bot.reports.review import render_for_cli

    if args.start > args.end:
        print("keel: --from is after --to", file=sys.stderr)
        return 2
    db = Database.from_url(settings.database_url)
    try:
        text = render_for_cli(
            db, settings, start=args.start, end=args.end, team_id=args.team, fmt=args.format
        )
    finally:
        db.dispose()
    if args.out is None:
        sys.stdout.write(text)
    else:
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")
    return 0
