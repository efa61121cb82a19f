"""An imported record answers to the reference it had in the old register."""

from __future__ import annotations

from pathlib import Path

from bot.domain.directory import PeopleIndex, Person
from bot.domain.import_columns import ImportKind
from bot.imports.run import Options, run_import
from bot.queries.imports import workspaces
from tests.blocks import mrkdwn_texts
from tests.conftest import RunningKeel
from tests.fake_slack import TEAM_ID


def test_nc_with_an_original_reference_shows_the_imported_record(
    keel: RunningKeel, tmp_path: Path
) -> None:
    keel.slack.command("list")  # installs the workspace
    path = tmp_path / "register.csv"
    path.write_text(
        "Ref,Title,Date raised,Owner\nCAR-2023-014,Wrong label,2023-03-14,UALICE01\n",
        encoding="utf-8",
    )
    with keel.db.reading() as session:
        ((workspace_id, _),) = workspaces(session=session, team_id=TEAM_ID)
    outcome = run_import(
        db=keel.db,
        workspace_id=workspace_id,
        people=PeopleIndex([Person("UALICE01")]),
        kind=ImportKind.RECORDS,
        path=path,
        options=Options(),
        now=keel.clock.now(),
    )
    assert outcome.written == 1
    answer = keel.slack.command("car-2023-014")
    text = " ".join(mrkdwn_texts(answer.json()["blocks"]))
    assert "Wrong label" in text
    assert "imported from register.csv, row 2" in text


def test_an_unknown_reference_like_text_still_opens_the_form(keel: RunningKeel) -> None:
    before = len(keel.fake.calls_to("views.open"))
    assert keel.slack.command("PR-404").status == 200
    keel.fake.wait_for(lambda: len(keel.fake.calls_to("views.open")) == before + 1)
