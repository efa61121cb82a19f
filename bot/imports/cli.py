"""`python -m bot import KIND FILE`: the command line around `run.run_import`."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.domain.directory import PeopleIndex
from bot.domain.import_columns import ImportKind
from bot.imports.run import Options, ProgressBar, report, run_import
from bot.imports.source import MAX_FILE_BYTES, Refused
from bot.queries.imports import workspaces
from bot.settings import Settings
from storage.db import Database

HELP = (
    "bring in an existing register from a .csv or .xlsx file "
    f"(up to {MAX_FILE_BYTES // 1_048_576} MB): records, actions, documents or training"
)


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("import", help=HELP, description=HELP)
    parser.add_argument("kind", choices=[kind.value for kind in ImportKind], metavar="KIND")
    parser.add_argument("file", type=Path, metavar="FILE", help="a .csv or .xlsx file")
    parser.add_argument(
        "--dry-run", action="store_true", help="check every row and report; write nothing"
    )
    parser.add_argument(
        "--skip-invalid",
        action="store_true",
        help="import the valid rows and write the rejected ones to FILE.rejected.csv",
    )
    parser.add_argument("--team", help="the Slack team ID to import into (when there are several)")


def run(settings: Settings, args: argparse.Namespace) -> int:
    from bot.slack.client import make_client
    from bot.slack.directory import fetch_people
    from storage.migrate import upgrade

    path: Path = args.file
    db = Database.from_url(settings.database_url)
    try:
        upgrade(db.engine)
        with db.reading() as session:
            found = workspaces(session=session, team_id=args.team)
        if len(found) != 1:
            print(_which_workspace(found, args.team), file=sys.stderr)
            return 2
        workspace_id, team_id = found[0]
        client = make_client(token=settings.bot_token(), base_url=settings.slack_api_url)
        people = PeopleIndex(fetch_people(client))
        options = Options(
            dry_run=args.dry_run,
            skip_invalid=args.skip_invalid,
            rejected_path=path.with_name(path.stem + ".rejected.csv"),
        )
        bar = ProgressBar()
        try:
            outcome = run_import(
                db=db,
                workspace_id=workspace_id,
                people=people,
                kind=ImportKind(args.kind),
                path=path,
                options=options,
                now=datetime.now(UTC),
                progress=bar,
            )
        except Refused as refused:
            bar.done()
            print(f"keel: {refused}", file=sys.stderr)
            return 2
        bar.done()
        print(f"{path.name} → workspace {team_id}")
        print("\n".join(report(outcome, options)))
        wrote = outcome.written or options.dry_run
        return 0 if not outcome.errors or (wrote and options.skip_invalid) else 1
    finally:
        db.dispose()


def _which_workspace(found: list[tuple[int, str]], team: str | None) -> str:
    if team is not None:
        return f"keel: no workspace with team ID {team} has installed Keel."
    if not found:
        return "keel: no workspace has installed Keel yet: install it in Slack first."
    teams = ", ".join(team_id for _, team_id in found)
    return f"keel: Keel is installed in several workspaces ({teams}): choose one with --team."
