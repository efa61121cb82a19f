"""Competence: refreshers through the daily digest (30 days before expiry and on the day,
once each, two clocks, a failed digest), the matrix's states, and the internal-auditor
qualification used when an audit is planned."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain.competence import CompetenceKind, Standing
from bot.forms.competence import CompetenceForm, CompletionForm, RoleForm
from bot.forms.state import FormErrors
from bot.queries import training as queries
from bot.services import audits, processes, training
from bot.services.permissions import Actor
from storage.db import Database
from storage.models import Workspace
from tests.blocks import button_labels, mrkdwn_texts
from tests.database.helpers import make_workspace
from tests.database.test_audits import a_plan
from tests.database.test_nudges import digests_to, ledger, nudge
from tests.fake_slack import FakeSlack

LEAD = Actor("ULEAD", is_lead=True)
ANNA = "UANNA001"
BEN = "UBEN0002"
SET_UP = datetime(2026, 1, 20, 9, 0, tzinfo=UTC)


def add(db: Database, workspace: Workspace, name: str, months: int | None) -> int:
    with db.transaction() as session:
        return training.add_competence(
            session=session,
            workspace_id=workspace.id,
            actor=LEAD,
            form=CompetenceForm(name=name, kind=CompetenceKind.LICENCE, validity_months=months),
            now=SET_UP,
        ).id


def log(
    db: Database, workspace: Workspace, person: str, competence_id: int, done: date, now: datetime
) -> None:
    with db.transaction() as session:
        training.log(
            session=session,
            workspace_id=workspace.id,
            actor=Actor(person),
            form=CompletionForm(person=None, competence_id=competence_id, completed=done),
            today=now.date(),
            now=now,
        )


def refresher_texts(fake: FakeSlack, user: str) -> list[str]:
    return [
        text
        for call in digests_to(fake, user)
        for text in mrkdwn_texts(call.args["blocks"])
        if "Forklift licence" in text
    ]


def test_a_refresher_30_days_before_and_on_expiry_once_each_with_two_clocks(
    db: Database, fake_slack: FakeSlack
) -> None:
    workspace = make_workspace(db, SET_UP)
    licence = add(db, workspace, "Forklift licence", 12)
    log(db, workspace, ANNA, licence, date(2026, 1, 15), SET_UP)  # expires Fri 15 Jan 2027
    reminded = []
    for day in [date(2026, 12, 14) + timedelta(days=n) for n in range(40)]:
        before = len(digests_to(fake_slack, ANNA))
        for hour in range(6, 18):
            moment = datetime(day.year, day.month, day.day, hour, 15, tzinfo=UTC)
            nudge(db, fake_slack, moment)
            nudge(db, fake_slack, moment)  # a second clock at the same moment
        after = len(digests_to(fake_slack, ANNA))
        assert after - before <= 1
        if after > before:
            reminded.append(day)
    assert reminded == [date(2026, 12, 16), date(2027, 1, 15)]
    soon, expired = refresher_texts(fake_slack, ANNA)
    assert "expires in 30 days, on Fri 15 Jan 2027" in soon
    assert "expired on Fri 15 Jan" in expired
    assert all(
        button_labels(call.args["blocks"]) == ["Log completion"]
        for call in digests_to(fake_slack, ANNA)
    )


def test_a_reminder_due_on_a_weekend_comes_on_monday(db: Database, fake_slack: FakeSlack) -> None:
    workspace = make_workspace(db, SET_UP)
    licence = add(db, workspace, "Forklift licence", 12)
    log(db, workspace, ANNA, licence, date(2026, 1, 17), SET_UP)  # 30 days before: a Friday
    for day in (date(2026, 12, 18), date(2026, 12, 19), date(2026, 12, 21)):
        nudge(db, fake_slack, datetime(day.year, day.month, day.day, 9, 15, tzinfo=UTC))
    log(db, workspace, BEN, licence, date(2026, 1, 19), SET_UP)  # 30 days before: a Saturday
    for day in (date(2026, 12, 20), date(2026, 12, 21), date(2026, 12, 22)):
        nudge(db, fake_slack, datetime(day.year, day.month, day.day, 9, 15, tzinfo=UTC))
    assert len(refresher_texts(fake_slack, ANNA)) == 1
    (to_ben,) = digests_to(fake_slack, BEN)
    assert to_ben.args["blocks"][0]["text"]["text"] == "Your Keel items for Mon 21 Dec"


def test_a_failed_digest_keeps_its_refresher_for_the_next_run(
    db: Database, fake_slack: FakeSlack
) -> None:
    workspace = make_workspace(db, SET_UP)
    licence = add(db, workspace, "Forklift licence", 12)
    log(db, workspace, ANNA, licence, date(2026, 1, 15), SET_UP)
    fake_slack.rate_limit("chat.postMessage", retry_after=600)
    report = nudge(db, fake_slack, datetime(2026, 12, 16, 9, 15, tzinfo=UTC))
    assert report.digests_failed == 1
    assert [(row.kind, row.status) for row in ledger(db) if row.kind == "digest"] == [
        ("digest", "failed")
    ]
    nudge(db, fake_slack, datetime(2026, 12, 16, 10, 15, tzinfo=UTC))
    assert len(refresher_texts(fake_slack, ANNA)) == 1
    nudge(db, fake_slack, datetime(2026, 12, 17, 9, 15, tzinfo=UTC))
    assert len(digests_to(fake_slack, ANNA)) == 1


def test_a_refresher_whose_digest_failed_comes_the_next_day(
    db: Database, fake_slack: FakeSlack
) -> None:
    workspace = make_workspace(db, SET_UP)
    licence = add(db, workspace, "Forklift licence", 12)
    log(db, workspace, ANNA, licence, date(2026, 1, 15), SET_UP)
    fake_slack.rate_limit("chat.postMessage", retry_after=600)
    nudge(db, fake_slack, datetime(2026, 12, 16, 9, 15, tzinfo=UTC))
    assert digests_to(fake_slack, ANNA) == []
    nudge(db, fake_slack, datetime(2026, 12, 17, 9, 15, tzinfo=UTC))
    nudge(db, fake_slack, datetime(2026, 12, 17, 9, 15, tzinfo=UTC))  # a second clock
    (soon,) = refresher_texts(fake_slack, ANNA)
    assert "expires in 29 days" in soon
    nudge(db, fake_slack, datetime(2026, 12, 18, 9, 15, tzinfo=UTC))
    assert len(digests_to(fake_slack, ANNA)) == 1


def test_a_newer_completion_silences_the_older_ones_refreshers(
    db: Database, fake_slack: FakeSlack
) -> None:
    workspace = make_workspace(db, SET_UP)
    licence = add(db, workspace, "Forklift licence", 12)
    log(db, workspace, ANNA, licence, date(2026, 1, 15), SET_UP)
    renewed = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)
    log(db, workspace, ANNA, licence, date(2026, 12, 9), renewed)  # renewed before reminders
    for day in (date(2026, 12, 16), date(2027, 1, 15)):
        nudge(db, fake_slack, datetime(day.year, day.month, day.day, 9, 15, tzinfo=UTC))
    assert digests_to(fake_slack, ANNA) == []


def test_the_matrix_states_valid_expiring_missing_and_expired(db: Database) -> None:
    workspace = make_workspace(db, SET_UP)
    licence = add(db, workspace, "Forklift licence", 12)
    first_aid = add(db, workspace, "First aid", 24)
    induction = add(db, workspace, "Site induction", None)
    with db.transaction() as session:
        training.add_role(
            session=session,
            workspace_id=workspace.id,
            actor=LEAD,
            form=RoleForm(
                name="Forklift driver",
                members=(ANNA, BEN),
                competence_ids=(licence, first_aid, induction),
            ),
            now=SET_UP,
        )
    log(db, workspace, ANNA, licence, date(2025, 12, 1), SET_UP)  # expires 1 Dec 2026
    log(db, workspace, ANNA, first_aid, date(2025, 1, 10), SET_UP)  # expired 10 Jan 2027
    log(db, workspace, ANNA, induction, date(2020, 5, 4), SET_UP)  # valid for good
    log(db, workspace, BEN, licence, date(2026, 1, 19), SET_UP)
    today = date(2026, 11, 20)
    with db.reading() as session:
        anna = queries.mine(session=session, workspace_id=workspace.id, user_id=ANNA, today=today)
        overview = queries.overview(session=session, workspace_id=workspace.id, today=today)
    assert [(line.name, line.standing) for line in anna] == [
        ("Forklift licence", Standing.EXPIRING),
        ("First aid", Standing.VALID),
        ("Site induction", Standing.VALID),
    ]
    with db.reading() as session:
        later = queries.mine(
            session=session, workspace_id=workspace.id, user_id=ANNA, today=date(2027, 2, 1)
        )
    assert [(line.name, line.standing) for line in later][:2] == [
        ("Forklift licence", Standing.EXPIRED),  # lapsed first, listed first
        ("First aid", Standing.EXPIRED),
    ]
    summary = overview.summary
    assert (summary.people, summary.valid, summary.expiring, summary.gaps) == (2, 3, 1, 2)
    assert [(gap.name, gap.people) for gap in overview.gaps] == [
        ("First aid", (BEN,)),
        ("Site induction", (BEN,)),
    ]
    assert overview.expiring == [(ANNA, "Forklift licence", date(2026, 12, 1))]
    assert (overview.competences, overview.roles) == (3, 1)


def test_only_leads_log_for_someone_else_and_a_day_is_logged_once(db: Database) -> None:
    workspace = make_workspace(db, SET_UP)
    licence = add(db, workspace, "Forklift licence", 12)
    form = CompletionForm(person=BEN, competence_id=licence, completed=date(2026, 1, 19))
    with db.transaction() as session, pytest.raises(Exception, match="Only a quality lead"):
        training.log(
            session=session,
            workspace_id=workspace.id,
            actor=Actor(ANNA),
            form=form,
            today=SET_UP.date(),
            now=SET_UP,
        )
    with db.transaction() as session:
        done = training.log(
            session=session,
            workspace_id=workspace.id,
            actor=LEAD,
            form=form,
            today=SET_UP.date(),
            now=SET_UP,
        )
        assert (done.user_id, done.confirmed_by) == (BEN, "ULEAD")
    with db.transaction() as session, pytest.raises(Exception, match="already logged"):
        training.log(
            session=session,
            workspace_id=workspace.id,
            actor=LEAD,
            form=form,
            today=SET_UP.date(),
            now=SET_UP,
        )


def _qualify(db: Database, workspace: Workspace, competence_id: int | None) -> None:
    with db.transaction() as session:
        training.set_auditor_competence(
            session=session,
            workspace_id=workspace.id,
            actor=LEAD,
            competence_id=competence_id,
            now=SET_UP,
        )


def _plan(db: Database, workspace: Workspace, lead_auditor: str, day: date) -> None:
    with db.transaction() as session:
        audits.plan(
            session=session,
            workspace_id=workspace.id,
            plan=a_plan(None, area="Warehouse", lead_auditor=lead_auditor, planned_date=day),
            actor=LEAD,
            now=SET_UP,
        )


def test_holders_of_the_auditor_qualification_lead_audits_as_well_as_the_list(
    db: Database,
) -> None:
    workspace = make_workspace(db, SET_UP)
    course = add(db, workspace, "ISO 19011 auditor course", 36)
    log(db, workspace, ANNA, course, date(2026, 1, 12), SET_UP)  # valid until 12 Jan 2029
    log(db, workspace, BEN, course, date(2022, 1, 10), SET_UP)  # lapsed on 10 Jan 2025
    with db.transaction() as session:
        audits.set_qualified(
            session=session, workspace_id=workspace.id, user_ids=["ULISTED"], actor=LEAD, now=SET_UP
        )
    with pytest.raises(FormErrors) as refused:
        _plan(db, workspace, ANNA, date(2026, 3, 2))  # the list alone: Anna is not on it
    assert "not on the list of qualified auditors" in refused.value.errors["lead_auditor"]

    _qualify(db, workspace, course)
    _plan(db, workspace, ANNA, date(2026, 3, 2))
    _plan(db, workspace, "ULISTED", date(2026, 3, 3))
    with pytest.raises(FormErrors) as lapsed:
        _plan(db, workspace, BEN, date(2026, 3, 4))
    assert lapsed.value.errors["lead_auditor"] == (
        f"<@{BEN}> holds no valid ISO 19011 auditor course on Wed 4 Mar nor on the list of "
        "qualified auditors (`/nc auditors`): choose a qualified auditor."
    )
    with pytest.raises(FormErrors):  # qualified today, lapsed by the audit's day
        _plan(db, workspace, ANNA, date(2029, 2, 1))
    with db.transaction() as session:
        owned = processes.add(
            session=session,
            workspace_id=workspace.id,
            name="Warehouse",
            owner_id=ANNA,
            actor=LEAD,
            now=SET_UP,
        ).id
        with pytest.raises(FormErrors) as own_work:  # impartiality still holds
            audits.plan(
                session=session,
                workspace_id=workspace.id,
                plan=a_plan(owned, lead_auditor=ANNA, planned_date=date(2026, 3, 5)),
                actor=LEAD,
                now=SET_UP,
            )
    assert "own work" in own_work.value.errors["lead_auditor"]

    _qualify(db, workspace, None)
    with pytest.raises(FormErrors):
        _plan(db, workspace, ANNA, date(2026, 3, 6))


def test_a_deactivated_holders_refresher_goes_to_nobody(
    db: Database, fake_slack: FakeSlack
) -> None:
    fake_slack.add_user(ANNA, deleted=True)
    workspace = make_workspace(db, SET_UP)
    licence = add(db, workspace, "Forklift licence", 12)
    log(db, workspace, ANNA, licence, date(2026, 1, 15), SET_UP)
    nudge(db, fake_slack, datetime(2026, 12, 16, 9, 15, tzinfo=UTC))
    assert digests_to(fake_slack, ANNA) == digests_to(fake_slack, "ULEAD") == []
