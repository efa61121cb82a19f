"""Internal audits through signed requests: a lead plans one from `/nc audits`, an auditor
who would audit their own work is refused on the field, the auditor starts it, and a
finding becomes a record whose card reaches the quality channel naming the audit."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.services import processes
from bot.services.permissions import Actor
from storage.models import Audit, Record, Workspace
from tests.blocks import find_button, mrkdwn_texts
from tests.conftest import QUALITY_CHANNEL, RunningKeel
from tests.slack_requests import block_action, view_submission
from tests.wiring.flows import chosen, picked_date, picked_user, typed
from tests.wiring.test_objectives_flow import open_from

LEAD = "ULEAD"
OWNER = "UOWNER"
AUDITOR = "UAUDITOR"


def programme(keel: RunningKeel, user: str = LEAD) -> list[dict[str, Any]]:
    answer = keel.slack.command("audits", user=user)
    assert answer.status == 200
    return list(answer.json()["blocks"])


def with_process(keel: RunningKeel) -> int:
    keel.slack.command("audits", user=LEAD)  # the workspace comes to be on first contact
    with keel.db.transaction() as session:
        workspace = session.scalars(select(Workspace)).one()
        return processes.add(
            session=session,
            workspace_id=workspace.id,
            name="Purchasing",
            owner_id=OWNER,
            actor=Actor(LEAD, is_lead=True),
            now=keel.clock.now(),
        ).id


def _status(keel: RunningKeel) -> str:
    with keel.db.reading() as session:
        return session.scalars(select(Audit)).one().status


def plan_values(process_id: int, lead_auditor: str, **more: Any) -> dict[str, Any]:
    values = {
        "audit_process": chosen(str(process_id)),
        "planned_date": picked_date("2026-11-24"),
        "lead_auditor": picked_user(lead_auditor),
        "clauses": typed("8.4"),
        "recurrence": chosen("one_off"),
    }
    values.update(more)
    return values


def test_plan_refuse_start_and_a_finding_card(keel: RunningKeel) -> None:
    process_id = with_process(keel)
    view = open_from(keel, programme(keel), "Plan an audit", LEAD)
    assert view["callback_id"] == "plan_audit"

    refused = keel.slack.interaction(
        view_submission(view, plan_values(process_id, OWNER), user=LEAD)
    )
    assert refused.json()["response_action"] == "errors"
    assert "auditors do not audit their own work" in refused.json()["errors"]["lead_auditor"]
    with keel.db.reading() as session:
        assert session.scalars(select(Audit)).all() == []

    saved = keel.slack.interaction(
        view_submission(view, plan_values(process_id, AUDITOR), user=LEAD)
    )
    assert saved.status == 200 and saved.body == ""

    answer = keel.slack.command("AUD-1", user=AUDITOR)
    blocks = answer.json()["blocks"]
    assert any("Purchasing" in text for text in mrkdwn_texts(blocks))
    form_count = len(keel.fake.calls_to("views.open"))
    start = find_button(blocks, "Start audit")
    keel.slack.interaction(
        block_action(
            start["action_id"], start["value"], user=AUDITOR, response_url=keel.fake.response_url()
        )
    )
    keel.fake.wait_for(lambda: _status(keel) == "in_progress")
    with keel.db.reading() as session:
        audit = session.scalars(select(Audit)).one()
        assert audit.held_date is not None and audit.held_date.isoformat() == "2026-11-23"

    shown = keel.slack.command("AUD-1", user=AUDITOR).json()["blocks"]
    view = open_from(keel, shown, "Add finding", AUDITOR)
    assert len(keel.fake.calls_to("views.open")) == form_count + 1
    values = {
        "grade": chosen("minor_nc"),
        "clause": typed("8.4.1"),
        "evidence": typed("Two suppliers never evaluated"),
    }
    added = keel.slack.interaction(view_submission(view, values, user=AUDITOR))
    assert added.status == 200 and added.body == ""
    with keel.db.reading() as session:
        record = session.scalars(select(Record)).one()
        assert (record.kind, record.audit_id, record.owner_id) == ("audit_finding", audit.id, OWNER)
    cards = keel.fake.wait_for(lambda: keel.fake.posts_to(QUALITY_CHANNEL))
    assert "AUD-1" in str(cards[0].args)


def test_someone_else_cannot_start_it(keel: RunningKeel) -> None:
    process_id = with_process(keel)
    view = open_from(keel, programme(keel), "Plan an audit", LEAD)
    keel.slack.interaction(view_submission(view, plan_values(process_id, AUDITOR), user=LEAD))
    blocks = keel.slack.command("AUD-1", user="USTRANGER").json()["blocks"]
    start = find_button(blocks, "Start audit")
    keel.slack.interaction(
        block_action(
            start["action_id"],
            start["value"],
            user="USTRANGER",
            response_url=keel.fake.response_url(),
        )
    )
    told = keel.fake.wait_for(lambda: keel.fake.calls_to("response_url"))
    assert "Only the audit's auditors" in str(told[-1].args)
    assert _status(keel) == "planned"


def home_of(keel: RunningKeel, user: str, published: int) -> dict[str, Any]:
    calls = keel.fake.wait_for(lambda: keel.fake.calls_to("views.publish")[published:])
    assert calls[0].args["user_id"] == user
    return dict(calls[0].args["view"])


def test_the_home_tab_shows_my_audits_and_starts_one(keel: RunningKeel) -> None:
    process_id = with_process(keel)
    view = open_from(keel, programme(keel), "Plan an audit", LEAD)
    keel.slack.interaction(view_submission(view, plan_values(process_id, AUDITOR), user=LEAD))

    answer = keel.slack.event({"type": "app_home_opened", "user": AUDITOR, "tab": "home"})
    assert answer.status == 200
    home = home_of(keel, AUDITOR, 0)
    text = "\n".join(mrkdwn_texts(home["blocks"]))
    assert "*Your audits* (1)" in text
    assert "*AUD-1* Purchasing · Tue 24 Nov · Planned · you lead it" in text
    start = find_button(home["blocks"], "Start audit")

    # Pressed on the Home tab (no response_url): the tab is published again, running.
    keel.slack.interaction(block_action(start["action_id"], start["value"], user=AUDITOR))
    keel.fake.wait_for(lambda: _status(keel) == "in_progress")
    again = home_of(keel, AUDITOR, 1)
    assert "· In progress · you lead it" in "\n".join(mrkdwn_texts(again["blocks"]))
    find_button(again["blocks"], "Record report")

    keel.slack.event({"type": "app_home_opened", "user": OWNER, "tab": "home"})
    auditee = home_of(keel, OWNER, 2)
    assert "you are the auditee" in "\n".join(mrkdwn_texts(auditee["blocks"]))
