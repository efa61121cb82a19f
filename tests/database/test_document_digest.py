"""Document reviews and read requests in the daily digest, against a real database and the
fake Slack: a review joins its owner's digest `review_reminder_days` before it is due (a
reminder falling at the weekend comes on Monday), at 09:00 local across the spring clock
change, every working day while overdue, and climbs the escalation ladder once per cycle."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from bot.domain.competence import CompetenceKind
from bot.forms.documents import DocumentFields, RevisionFields
from bot.jobs.nudges import run_nudges
from bot.queries.digest_render import digest_lines
from bot.services import competence, documents
from storage.db import Database
from storage.models import DeliveryLedger, History, Workspace
from tests.blocks import button_labels, mrkdwn_texts
from tests.conftest import NOW, QUALITY_CHANNEL
from tests.database.helpers import make_workspace
from tests.database.test_nudges import at, digests_to, relay_at
from tests.database.test_relay import Clients
from tests.fake_slack import FakeSlack

OWNER = "UOWNER"
LEAD = "ULEAD"
MONDAY = NOW.date()  # 2026-11-23


def add_document(db: Database, due: date, *, reminder_days: int = 14) -> int:
    """PR-012, owned by OWNER, whose next review is due on `due` (reviewed a year before)."""
    workspace = make_workspace(db, NOW)
    with db.transaction() as session:
        session.get_one(Workspace, workspace.id).review_reminder_days = reminder_days
        return documents.add(
            session=session,
            workspace_id=workspace.id,
            fields=DocumentFields(
                reference="PR-012",
                title="Control of nonconforming output",
                version="3",
                owner_id=OWNER,
                review_months=12,
                last_reviewed=due.replace(year=due.year - 1),
            ),
            actor_id=LEAD,
            now=NOW,
        ).id


def nudge(db: Database, fake: FakeSlack, now: datetime) -> None:
    run_nudges(now, db, Clients(fake), "Europe/Berlin")


def review_texts(fake: FakeSlack, user: str) -> list[str]:
    return [
        " ".join(mrkdwn_texts(call.args["blocks"]))
        for call in digests_to(fake, user)
        if "PR-012" in " ".join(mrkdwn_texts(call.args["blocks"]))
    ]


def test_a_review_reminder_at_the_weekend_comes_on_monday_and_09_00_holds_across_dst(
    db: Database, fake_slack: FakeSlack
) -> None:
    fake_slack.add_user(OWNER, tz="Europe/Berlin")
    due = date(2026, 3, 30)  # a Monday; clocks go forward on Sunday 29 March
    add_document(db, due, reminder_days=16)  # the first reminder day is Saturday 14 March
    for day in (date(2026, 3, 13), date(2026, 3, 14), date(2026, 3, 15)):
        nudge(db, fake_slack, at(day, 10))
    assert review_texts(fake_slack, OWNER) == []
    nudge(db, fake_slack, at(date(2026, 3, 16), 7, 59))  # 08:59 CET
    assert review_texts(fake_slack, OWNER) == []
    nudge(db, fake_slack, at(date(2026, 3, 16), 8, 0))  # 09:00 CET
    (first,) = review_texts(fake_slack, OWNER)
    assert "Document review · :large_yellow_circle: due soon (due Mon 30 Mar)" in first

    nudge(db, fake_slack, at(due, 6, 59))  # 08:59 CEST, the day after the change
    assert len(review_texts(fake_slack, OWNER)) == 1
    nudge(db, fake_slack, at(due, 7, 0))  # 09:00 CEST
    assert "due today" in review_texts(fake_slack, OWNER)[-1]
    nudge(db, fake_slack, at(due + timedelta(days=1), 7, 0))
    assert "overdue by 1 day (due Mon 30 Mar)" in review_texts(fake_slack, OWNER)[-1]
    sent = len(review_texts(fake_slack, OWNER))
    nudge(db, fake_slack, at(date(2026, 4, 4), 10))  # Saturday: no digest at all
    nudge(db, fake_slack, at(date(2026, 4, 6), 10))  # Monday: still overdue, asked again
    texts = review_texts(fake_slack, OWNER)
    assert len(texts) == sent + 1 and "overdue by 7 days" in texts[-1]


def test_a_reminder_not_yet_in_its_window_is_not_sent(db: Database, fake_slack: FakeSlack) -> None:
    add_document(db, MONDAY + timedelta(days=15))
    nudge(db, fake_slack, NOW)
    assert review_texts(fake_slack, OWNER) == []
    nudge(db, fake_slack, NOW + timedelta(days=1))  # 14 days before
    (text,) = review_texts(fake_slack, OWNER)
    assert "due soon" in text
    (call,) = digests_to(fake_slack, OWNER)
    assert button_labels(call.args["blocks"]) == ["Reviewed, no change", "Revised"]


def escalations(db: Database, document_id: int) -> list[str]:
    with db.reading() as session:
        return sorted(
            session.scalars(
                select(History.event).where(
                    History.entity == "document",
                    History.entity_id == document_id,
                    History.event.like("review_escalated_%"),
                )
            )
        )


def test_an_overdue_review_escalates_like_an_action_once_per_step(
    db: Database, fake_slack: FakeSlack
) -> None:
    document_id = add_document(db, MONDAY - timedelta(days=14))
    runs = [NOW, NOW, NOW + timedelta(minutes=5), NOW + timedelta(days=1)]
    for now in runs:
        nudge(db, fake_slack, now)
        relay_at(db, fake_slack, now).deliver_due(now)
    assert escalations(db, document_id) == [
        "review_escalated_to_channel",
        "review_escalated_to_owners",
    ]
    lead_texts = review_texts(fake_slack, LEAD)
    assert len(lead_texts) == 2  # Monday and Tuesday
    assert f"Escalated to you: owned by <@{OWNER}>" in lead_texts[0]
    assert lead_texts[0].count("14 days") == 1  # "overdue by 14 days", said once
    posts = [
        c for c in fake_slack.posts_to(QUALITY_CHANNEL) if "overdue" in str(c.args.get("text"))
    ]
    assert len(posts) == 1 and "PR-012* review owned by" in posts[0].args["text"]
    assert str(posts[0].args["text"]).count("14 days") == 1


def test_reviewed_no_change_ticks_the_line_off_in_the_sent_digest(
    db: Database, fake_slack: FakeSlack
) -> None:
    due = MONDAY - timedelta(days=2)
    document_id = add_document(db, due)
    nudge(db, fake_slack, NOW)
    workspace = make_workspace(db, NOW)
    with db.transaction() as session:
        done = documents.reviewed_no_change(
            session=session,
            workspace_id=workspace.id,
            document_id=document_id,
            due=due,
            actor_id=OWNER,
            is_lead=False,
            now=NOW,
        )
        assert done.document.next_review_date == date(2027, 11, 21)
    with db.reading() as session:
        row = session.scalars(select(DeliveryLedger).where(DeliveryLedger.user_id == OWNER)).one()
        stored = session.get_one(Workspace, workspace.id)
        (line,) = digest_lines(session, stored, row)
    assert line.urgency is None
    nudge(db, fake_slack, NOW + timedelta(days=1))
    assert len(review_texts(fake_slack, OWNER)) == 1  # not asked again on Tuesday


def test_a_read_request_goes_to_each_reader_only_never_to_the_leads_in_their_place(
    db: Database, fake_slack: FakeSlack
) -> None:
    document_id = add_document(db, MONDAY + timedelta(days=200))
    workspace = make_workspace(db, NOW)
    fake_slack.add_user("UANNA", tz="Europe/Berlin")
    fake_slack.add_user("UGONE", tz="Europe/Berlin", deleted=True)
    with db.transaction() as session:
        read = competence.add_competence(
            session=session,
            workspace_id=workspace.id,
            name="Has read PR-012",
            kind=CompetenceKind.DOCUMENT,
            validity_months=None,
            document_id=document_id,
            actor_id=LEAD,
            now=NOW,
        )
        for person in ("UANNA", "UGONE"):
            competence.require(
                session=session,
                workspace_id=workspace.id,
                competence_id=read.id,
                user_id=person,
                actor_id=LEAD,
                now=NOW,
            )
        documents.revise(
            session=session,
            workspace=session.get_one(Workspace, workspace.id),
            document_id=document_id,
            fields=RevisionFields(version="4", what_changed="Step 4", reread_required=True),
            actor_id=OWNER,
            is_lead=False,
            now=NOW,
        )
    nudge(db, fake_slack, NOW)
    nudge(db, fake_slack, NOW + timedelta(days=1))
    assert len(review_texts(fake_slack, "UANNA")) == 2  # every working day until read
    assert "Please read PR-012 v4" in review_texts(fake_slack, "UANNA")[0]
    assert digests_to(fake_slack, "UGONE") == []
    assert review_texts(fake_slack, LEAD) == []
