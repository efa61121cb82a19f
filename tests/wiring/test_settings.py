"""/nc settings through signed requests: leads only, checked inline, kept in the history."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.domain.records import RecordKind
from bot.forms.settings import prefix_block
from bot.ids import Block
from storage.models import History, Workspace
from tests.conftest import RunningKeel
from tests.settings_state import checked, state_from_modal, typed
from tests.slack_requests import form_values, view_submission
from tests.wiring.test_raise_record import open_form


def open_settings(keel: RunningKeel, user: str = "ULEAD") -> dict[str, Any]:
    before = len(keel.fake.calls_to("views.open"))
    answer = keel.slack.command("settings", user=user)
    assert answer.status == 200 and answer.body == ""
    calls = keel.fake.wait_for(lambda: keel.fake.calls_to("views.open")[before:])
    return dict(calls[-1].args["view"])


def test_someone_who_is_not_a_lead_is_refused_and_gets_no_form(keel: RunningKeel) -> None:
    answer = keel.slack.command("settings", user="UALICE")
    assert answer.status == 200
    assert "Only quality leads can change Keel's settings" in answer.json()["text"]
    assert keel.fake.calls_to("views.open") == []


def test_a_lead_changes_settings_and_they_apply_at_once(keel: RunningKeel) -> None:
    view = open_settings(keel)
    values = state_from_modal(
        view,
        **{
            Block.STANDARDS: checked("iso9001", "iso45001"),
            prefix_block(RecordKind.NEAR_MISS): typed("NMR"),
            Block.DUE_SOON_DAYS: typed("5"),
        },
    )
    answer = keel.slack.interaction(view_submission(view, values, user="ULEAD"))
    assert answer.status == 200 and answer.body == ""
    with keel.db.reading() as session:
        workspace = session.scalars(select(Workspace)).one()
        assert workspace.standards == ["iso9001", "iso45001"]
        assert workspace.reference_prefixes == {"near_miss": "NMR"}
        assert workspace.due_soon_days == 5
        entry = session.scalars(select(History).where(History.event == "settings_changed")).one()
        assert entry.actor_id == "ULEAD"
        assert entry.before == {
            "due_soon_days": 3,
            "standards": None,
            "reference_prefixes": None,
        }
        assert entry.after == {
            "due_soon_days": 5,
            "standards": ["iso9001", "iso45001"],
            "reference_prefixes": {"near_miss": "NMR"},
        }
    # The next near miss takes the new prefix straight away, in this process.
    form = open_form(keel)
    payload = view_submission(form, form_values(kind="near_miss"), view_id="VNEARMISS")
    assert keel.slack.interaction(payload).status == 200
    card = keel.fake.wait_for(lambda: keel.fake.posts_to("CQUALITY"))
    assert "NMR-0001" in str(card[0].args)


def test_bad_values_are_named_inline_and_nothing_changes(keel: RunningKeel) -> None:
    view = open_settings(keel)
    values = state_from_modal(
        view, **{Block.TIMEZONE: typed("Mars/Olympus"), Block.WORKING_DAYS: checked()}
    )
    answer = keel.slack.interaction(view_submission(view, values, user="ULEAD"))
    body = answer.json()
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {Block.TIMEZONE, Block.WORKING_DAYS}
    with keel.db.reading() as session:
        assert (
            session.scalars(select(History).where(History.event == "settings_changed")).all() == []
        )


def test_a_form_saved_by_someone_no_longer_a_lead_changes_nothing(keel: RunningKeel) -> None:
    view = open_settings(keel)
    values = state_from_modal(view, **{Block.DUE_SOON_DAYS: typed("9")})
    answer = keel.slack.interaction(view_submission(view, values, user="UALICE"))
    assert answer.status == 200
    assert answer.json()["response_action"] == "update"
    with keel.db.reading() as session:
        assert session.scalars(select(Workspace)).one().due_soon_days == 3
