"""Triage, five whys, repeat detection, closure and processes, with a real session."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.clock import FixedClock
from bot.domain.actions import ActionKind
from bot.domain.errors import KeelError, NotAllowed
from bot.domain.records import ClosingAnswers, RecordStatus, Severity
from bot.domain.transitions import TransitionRefused
from bot.services import actions, effectiveness, processes, triage
from bot.services.actions import NewAction
from bot.services.history import Source
from bot.services.outbox import OutboxKind
from bot.services.permissions import Actor
from bot.services.triage import ClosureRefused, RootCause
from bot.slack.client import make_client
from bot.slack.directory import Directory
from bot.slack.relay import Relay
from storage.db import Database
from storage.models import Action, History, OutboxMessage, Process, Record, Workspace
from tests.blocks import mrkdwn_texts
from tests.conftest import NOW, QUALITY_CHANNEL
from tests.database.helpers import make_workspace, raise_one
from tests.fake_slack import FakeSlack

LEAD = Actor(user_id="ULEAD", is_lead=True)
TODAY = date(2026, 11, 23)


# -- helpers shared by the database tests of this feature ---------------------------------------


class Clients:
    """One client against the fake Slack, whatever the team."""

    def __init__(self, fake: FakeSlack) -> None:
        self.client = make_client(token="xoxb-test-token", base_url=fake.api_url)

    def for_team(self, team_id: str):  # type: ignore[no-untyped-def]
        return self.client


@pytest.fixture
def relay(db: Database, fake_slack: FakeSlack, clock: FixedClock) -> Relay:
    return Relay(db=db, clients=Clients(fake_slack), directory=Directory(), clock=clock)


@pytest.fixture
def workspace(db: Database) -> Workspace:
    return make_workspace(db, NOW)


@contextmanager
def on_record(db: Database, record_id: int) -> Iterator[tuple[Session, Record]]:
    """The record in a transaction that commits, or rolls back if the block raises."""
    with db.transaction() as session:
        yield session, session.get_one(Record, record_id)


@contextmanager
def on_action(db: Database, action_id: int) -> Iterator[tuple[Session, Action, Record]]:
    with db.transaction() as session:
        action = session.get_one(Action, action_id)
        yield session, action, session.get_one(Record, action.record_id)


def load_record(db: Database, record_id: int) -> Record:
    with db.reading() as session:
        return session.get_one(Record, record_id)


def load_action(db: Database, action_id: int) -> Action:
    with db.reading() as session:
        return session.get_one(Action, action_id)


def history(db: Database, record_id: int) -> list[History]:
    with db.reading() as session:
        return list(
            session.scalars(
                select(History).where(History.record_id == record_id).order_by(History.id)
            )
        )


def recorded(
    entry: History, *, before: dict[str, Any] | None = None, after: dict[str, Any] | None = None
) -> None:
    """Assert the entry holds these values before and after the change (it may hold more,
    such as the reference of the action it is about)."""
    if before is not None:
        assert {key: (entry.before or {}).get(key) for key in before} == before
    if after is not None:
        assert {key: (entry.after or {}).get(key) for key in after} == after


def events(db: Database, record_id: int) -> list[str]:
    return [entry.event for entry in history(db, record_id)]


def last(db: Database, record_id: int, event: str) -> History:
    return [entry for entry in history(db, record_id) if entry.event == event][-1]


def outbox(db: Database, kind: OutboxKind | None = None) -> list[OutboxMessage]:
    with db.reading() as session:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if kind is not None:
            query = query.where(OutboxMessage.kind == kind.value)
        return list(session.scalars(query))


def dms_to(db: Database, user_id: str) -> list[dict[str, Any]]:
    """Queued direct messages that go to `user_id` by name."""
    return [
        m.payload for m in outbox(db, OutboxKind.DIRECT_MESSAGE) if user_id in m.payload["users"]
    ]


def new_record(db: Database, workspace: Workspace, *, owner: str | None = None, **form: Any) -> int:
    """A raised record, owned by `owner` (given by a quality lead) if set."""
    record = raise_one(db, workspace, NOW, **form).record
    if owner is not None:
        assign(db, record.id, owner)
    return record.id


def assign(db: Database, record_id: int, owner: str, *, actor: Actor = LEAD) -> None:
    with on_record(db, record_id) as (session, record):
        triage.assign_owner(session=session, record=record, owner_id=owner, actor=actor, now=NOW)


def set_status(db: Database, record_id: int, target: RecordStatus, *, actor: Actor = LEAD) -> None:
    with on_record(db, record_id) as (session, record):
        triage.change_status(session=session, record=record, target=target, actor=actor, now=NOW)


def reject(db: Database, record_id: int, reason: str) -> None:
    with on_record(db, record_id) as (session, record):
        triage.reject(session=session, record=record, reason=reason, actor=LEAD, now=NOW)


def a_cause(category: str = "machine") -> RootCause:
    return RootCause(
        whys=["The label printer took the old template", "Templates are not versioned"],
        statement="Label templates are not under document control",
        category=category,
        elsewhere="Line 3 uses the same printer",
    )


def record_cause(db: Database, record_id: int, cause: RootCause | None = None, **kw: Any) -> None:
    with on_record(db, record_id) as (session, record):
        triage.record_root_cause(
            session=session,
            record=record,
            cause=cause or a_cause(),
            actor=kw.get("actor", LEAD),
            now=kw.get("now", NOW),
        )


def add_action(
    db: Database,
    record_id: int,
    *,
    kind: ActionKind = ActionKind.CORRECTIVE,
    owner: str = "UBOB",
    due: date = date(2026, 12, 4),
    check: date | None = date(2027, 1, 15),
    actor: Actor = LEAD,
    now: datetime = NOW,
) -> int:
    with on_record(db, record_id) as (session, record):
        action = actions.add(
            session=session,
            record=record,
            new=NewAction(
                kind=kind,
                description="Put label templates under document control",
                owner_id=owner,
                due_date=due,
                check_date=check,
                criterion="No mislabelled batch in 3 months",
            ),
            actor=actor,
            today=now.date(),
            now=now,
        )
        return action.id


def complete(db: Database, action_id: int, *, actor: Actor | None = None) -> None:
    with on_action(db, action_id) as (session, action, record):
        actions.complete(
            session=session,
            action=action,
            record=record,
            evidence="Template v2 released",
            actor=actor or Actor(action.owner_id),
            source=Source.FORM,
            now=NOW,
        )


def verify(db: Database, action_id: int, *, actor: Actor = LEAD, effective: bool = True) -> None:
    with on_action(db, action_id) as (session, action, record):
        effectiveness.verify(
            session=session,
            action=action,
            record=record,
            effective=effective,
            note="No mislabelled batch since",
            new_due_date=None if effective else date(2027, 1, 29),
            actor=actor,
            today=TODAY,
            now=NOW,
        )


def close(db: Database, record_id: int, *, actor: Actor = LEAD, **kw: Any) -> None:
    with on_record(db, record_id) as (session, record):
        triage.close(session=session, record=record, actor=actor, now=kw.pop("now", NOW), **kw)


def add_process(db: Database, workspace: Workspace, name: str, owner: str | None) -> int:
    with db.transaction() as session:
        process = processes.add(
            session=session,
            workspace_id=workspace.id,
            name=name,
            owner_id=owner,
            actor=LEAD,
            now=NOW,
        )
        return process.id


def card_text(fake: FakeSlack, record: Record) -> str:
    """The card as Slack holds it now (after any edits), all mrkdwn joined."""
    message = fake.messages[(str(record.card_channel), str(record.card_ts))]
    header = " ".join(
        b["text"]["text"] for b in message["blocks"] or [] if b.get("type") == "header"
    )
    return header + " " + " ".join(mrkdwn_texts(message["blocks"])).replace("*", "")


# -- owner --------------------------------------------------------------------------------------


def test_a_lead_assigns_an_owner_who_is_told_and_the_record_moves_to_investigating(
    db: Database, workspace: Workspace
) -> None:
    record_id = new_record(db, workspace)

    assign(db, record_id, "UBOB")

    record = load_record(db, record_id)
    assert (record.owner_id, record.status) == ("UBOB", "investigating")
    assigned = last(db, record_id, "owner_assigned")
    assert assigned.actor_id == "ULEAD"
    recorded(assigned, before={"owner": None}, after={"owner": "UBOB"})
    moved = last(db, record_id, "status_changed")
    recorded(moved, before={"status": "new"}, after={"status": "investigating"})
    (told,) = dms_to(db, "UBOB")
    assert "made you the owner of NC-0001" in told["text"]
    assert len(outbox(db, OutboxKind.UPDATE_RECORD_CARD)) == 1


def test_someone_who_is_not_a_lead_may_take_an_unowned_record_for_themselves(
    db: Database, workspace: Workspace
) -> None:
    record_id = new_record(db, workspace)

    assign(db, record_id, "UBOB", actor=Actor("UBOB"))

    assert load_record(db, record_id).owner_id == "UBOB"
    assert dms_to(db, "UBOB") == []  # nobody needs telling what they did themselves


def test_someone_who_is_not_a_lead_cannot_give_an_unowned_record_to_someone_else(
    db: Database, workspace: Workspace
) -> None:
    record_id = new_record(db, workspace)

    with pytest.raises(KeelError, match="Only a quality lead"):
        assign(db, record_id, "UCAROL", actor=Actor("UBOB"))

    assert load_record(db, record_id).owner_id is None
    assert events(db, record_id) == ["raised"]


def test_someone_who_is_not_a_lead_cannot_take_a_record_that_has_an_owner(
    db: Database, workspace: Workspace
) -> None:
    record_id = new_record(db, workspace, owner="UCAROL")

    with pytest.raises(NotAllowed):
        assign(db, record_id, "UBOB", actor=Actor("UBOB"))

    assert load_record(db, record_id).owner_id == "UCAROL"


# -- status, severity, rejection ----------------------------------------------------------------


def test_a_status_change_is_kept_with_before_and_after(db: Database, workspace: Workspace) -> None:
    record_id = new_record(db, workspace)

    set_status(db, record_id, RecordStatus.INVESTIGATING)

    changed = last(db, record_id, "status_changed")
    assert (changed.actor_id, changed.source) == ("ULEAD", "form")
    recorded(changed, before={"status": "new"}, after={"status": "investigating"})
    assert len(outbox(db, OutboxKind.UPDATE_RECORD_CARD)) == 1


def test_a_status_move_the_state_machine_forbids_is_refused_with_the_moves_allowed(
    db: Database, workspace: Workspace
) -> None:
    record_id = new_record(db, workspace)

    with pytest.raises(TransitionRefused, match="cannot become verifying"):
        set_status(db, record_id, RecordStatus.VERIFYING)

    assert load_record(db, record_id).status == "new"


@pytest.mark.parametrize("target", [RecordStatus.CLOSED, RecordStatus.REJECTED])
def test_closing_and_rejecting_are_not_plain_status_changes(
    db: Database, workspace: Workspace, target: RecordStatus
) -> None:
    record_id = new_record(db, workspace)

    with pytest.raises(KeelError, match="Use “"):
        set_status(db, record_id, target)

    assert load_record(db, record_id).status == "new"


def test_only_the_owner_or_a_lead_changes_the_status(db: Database, workspace: Workspace) -> None:
    record_id = new_record(db, workspace, owner="UCAROL")

    with pytest.raises(NotAllowed):
        set_status(db, record_id, RecordStatus.NEW, actor=Actor("UALICE"))

    set_status(db, record_id, RecordStatus.NEW, actor=Actor("UCAROL"))
    assert load_record(db, record_id).status == "new"


def test_a_severity_change_is_kept_with_before_and_after(
    db: Database, workspace: Workspace
) -> None:
    record_id = new_record(db, workspace)

    with on_record(db, record_id) as (session, record):
        triage.change_severity(
            session=session, record=record, severity=Severity.HIGH, actor=LEAD, now=NOW
        )

    assert load_record(db, record_id).severity == "high"
    changed = last(db, record_id, "severity_changed")
    recorded(changed, before={"severity": "medium"}, after={"severity": "high"})


def test_a_rejection_keeps_its_reason_on_the_record_and_in_history(
    db: Database, workspace: Workspace
) -> None:
    record_id = new_record(db, workspace)

    reject(db, record_id, "Duplicate of NC-0003")

    record = load_record(db, record_id)
    assert (record.status, record.rejection_reason) == ("rejected", "Duplicate of NC-0003")
    rejected = last(db, record_id, "rejected")
    recorded(
        rejected,
        before={"status": "new"},
        after={"status": "rejected", "reason": "Duplicate of NC-0003"},
    )


def test_a_rejection_without_a_reason_is_refused(db: Database, workspace: Workspace) -> None:
    record_id = new_record(db, workspace)

    with pytest.raises(KeelError):
        reject(db, record_id, "   ")

    assert load_record(db, record_id).status == "new"


# -- five whys and repeats ----------------------------------------------------------------------


def test_the_five_whys_are_stored_and_kept_in_history(db: Database, workspace: Workspace) -> None:
    record_id = new_record(db, workspace)

    record_cause(db, record_id)

    record = load_record(db, record_id)
    assert record.whys == [
        "The label printer took the old template",
        "Templates are not versioned",
    ]
    assert record.root_cause == "Label templates are not under document control"
    assert (record.cause_category, record.elsewhere) == ("machine", "Line 3 uses the same printer")
    assert record.status == "investigating"
    entry = last(db, record_id, "root_cause_recorded")
    recorded(entry, before={"root_cause": None}, after={"cause_category": "machine"})


def test_only_the_owner_or_a_lead_records_the_root_cause(
    db: Database, workspace: Workspace
) -> None:
    record_id = new_record(db, workspace, owner="UCAROL")

    with pytest.raises(NotAllowed):
        record_cause(db, record_id, actor=Actor("UALICE"))

    assert load_record(db, record_id).root_cause is None


def months_ago(months: int) -> datetime:
    return NOW - relativedelta(months=months)


def closed_record(
    db: Database, workspace: Workspace, *, process_id: int, category: str, closed: datetime
) -> int:
    """A record about `process_id` with that cause category, closed at `closed`."""
    record_id = new_record(db, workspace, process_id=process_id, title="Earlier mix-up")
    record_cause(db, record_id, a_cause(category), now=closed)
    close(db, record_id, override_reason="Closed before Keel tracked its actions", now=closed)
    return record_id


def test_a_record_like_one_closed_within_a_year_is_linked_as_a_possible_repeat(
    db: Database, workspace: Workspace, relay: Relay, fake_slack: FakeSlack
) -> None:
    purchasing = add_process(db, workspace, "Purchasing", owner=None)
    earlier = closed_record(
        db, workspace, process_id=purchasing, category="supplier", closed=months_ago(11)
    )
    record_id = new_record(db, workspace, process_id=purchasing)
    relay.deliver_due(NOW)

    record_cause(db, record_id, a_cause("supplier"))
    relay.deliver_due(NOW)

    record = load_record(db, record_id)
    assert record.repeat_of_id == earlier
    recorded(last(db, record_id, "root_cause_recorded"), after={"possible_repeat_of": "NC-0001"})
    assert "Possible repeat of NC-0001" in card_text(fake_slack, record)


def test_a_record_like_one_closed_thirteen_months_ago_is_not_a_repeat(
    db: Database, workspace: Workspace, relay: Relay, fake_slack: FakeSlack
) -> None:
    purchasing = add_process(db, workspace, "Purchasing", owner=None)
    closed_record(db, workspace, process_id=purchasing, category="supplier", closed=months_ago(13))
    record_id = new_record(db, workspace, process_id=purchasing)
    relay.deliver_due(NOW)

    record_cause(db, record_id, a_cause("supplier"))
    relay.deliver_due(NOW)

    record = load_record(db, record_id)
    assert record.repeat_of_id is None
    assert "Possible repeat" not in card_text(fake_slack, record)


@pytest.mark.parametrize("same", ["process", "category"])
def test_a_record_sharing_only_the_process_or_only_the_category_is_not_a_repeat(
    db: Database, workspace: Workspace, same: str
) -> None:
    purchasing = add_process(db, workspace, "Purchasing", owner=None)
    production = add_process(db, workspace, "Production", owner=None)
    closed_record(
        db, workspace, process_id=purchasing, category="supplier", closed=NOW - timedelta(days=30)
    )
    record_id = new_record(
        db, workspace, process_id=purchasing if same == "process" else production
    )

    record_cause(db, record_id, a_cause("method" if same == "process" else "supplier"))

    assert load_record(db, record_id).repeat_of_id is None


def test_correcting_the_cause_category_drops_a_repeat_link_that_no_longer_fits(
    db: Database, workspace: Workspace
) -> None:
    purchasing = add_process(db, workspace, "Purchasing", owner=None)
    closed_record(
        db, workspace, process_id=purchasing, category="supplier", closed=NOW - timedelta(days=30)
    )
    record_id = new_record(db, workspace, process_id=purchasing)
    record_cause(db, record_id, a_cause("supplier"))

    record_cause(db, record_id, a_cause("method"))

    assert load_record(db, record_id).repeat_of_id is None


# -- closure ------------------------------------------------------------------------------------


def test_closing_without_root_cause_or_actions_is_refused_with_each_reason(
    db: Database, workspace: Workspace
) -> None:
    record_id = new_record(db, workspace, owner="UCAROL")

    with pytest.raises(ClosureRefused) as refused:
        close(db, record_id, actor=Actor("UCAROL"))

    assert refused.value.blockers == [
        "no root cause is recorded (use “Five whys”)",
        "it has no actions",
    ]
    assert "NC-0001 cannot close yet" in str(refused.value)
    assert load_record(db, record_id).status == "investigating"


def test_closing_with_a_corrective_action_not_yet_verified_is_refused(
    db: Database, workspace: Workspace
) -> None:
    record_id = new_record(db, workspace, owner="UCAROL")
    record_cause(db, record_id)
    complete(db, add_action(db, record_id))

    with pytest.raises(ClosureRefused) as refused:
        close(db, record_id)

    assert refused.value.blockers == ["1 action is not yet verified or cancelled"]
    record = load_record(db, record_id)
    assert (record.status, record.closed_at) == ("verifying", None)


def test_a_record_closes_once_every_action_is_verified_or_cancelled(
    db: Database, workspace: Workspace
) -> None:
    record_id = new_record(db, workspace, owner="UCAROL")
    record_cause(db, record_id)
    verified = add_action(db, record_id)
    complete(db, verified)
    verify(db, verified)
    cancelled = add_action(db, record_id, kind=ActionKind.PREVENTIVE, check=None)
    with on_action(db, cancelled) as (session, action, record):
        actions.cancel(
            session=session,
            action=action,
            record=record,
            reason="Covered by A1",
            actor=LEAD,
            now=NOW,
        )

    close(db, record_id, actor=Actor("UCAROL"))

    record = load_record(db, record_id)
    assert (record.status, record.closed_at) == ("closed", NOW)
    closed = last(db, record_id, "closed")
    assert closed.actor_id == "UCAROL"
    recorded(closed, after={"status": "closed"})


def test_a_done_correction_needs_no_effectiveness_check_to_close(
    db: Database, workspace: Workspace
) -> None:
    record_id = new_record(db, workspace, owner="UCAROL")
    record_cause(db, record_id)
    complete(db, add_action(db, record_id, kind=ActionKind.CORRECTION, check=None))

    close(db, record_id)

    assert load_record(db, record_id).status == "closed"


def test_a_lead_may_close_with_open_points_and_the_reason_is_kept(
    db: Database, workspace: Workspace
) -> None:
    record_id = new_record(db, workspace, owner="UCAROL")
    add_action(db, record_id)

    close(db, record_id, override_reason="Line decommissioned")

    assert load_record(db, record_id).status == "closed"
    closed = last(db, record_id, "closed")
    recorded(
        closed,
        after={
            "status": "closed",
            "override_reason": "Line decommissioned",
            "open_points": [
                "no root cause is recorded (use “Five whys”)",
                "1 action is not yet verified or cancelled",
            ],
        },
    )


def test_closing_keeps_the_answers_to_10_2_1_e_and_f_on_the_record_and_in_the_history(
    db: Database, workspace: Workspace
) -> None:
    record_id = new_record(db, workspace, owner="UCAROL")
    record_cause(db, record_id)
    answers = ClosingAnswers(
        risks_update_needed=True, system_change_needed=False, changes="Add mislabelling to R-04"
    )

    close(db, record_id, answers=answers, override_reason="Actions tracked elsewhere")

    record = load_record(db, record_id)
    assert (record.risks_update_needed, record.system_change_needed) == (True, False)
    assert record.closing_changes == "Add mislabelling to R-04"
    recorded(
        last(db, record_id, "closed"),
        after={
            "risks_update_needed": True,
            "system_change_needed": False,
            "closing_changes": "Add mislabelling to R-04",
        },
    )


def test_questions_left_unanswered_are_kept_as_unanswered_and_an_idea_is_not_asked(
    db: Database, workspace: Workspace
) -> None:
    unanswered = new_record(db, workspace)
    idea = new_record(db, workspace, kind="improvement")

    close(db, unanswered, override_reason="Duplicate of a closed record")
    close(db, idea, override_reason="Done as part of the 5S week")

    assert load_record(db, unanswered).risks_update_needed is None
    closed = last(db, unanswered, "closed")
    assert (closed.after or {})["risks_update_needed"] is None
    assert "risks_update_needed" not in (last(db, idea, "closed").after or {})


def test_the_record_owner_cannot_override_closure(db: Database, workspace: Workspace) -> None:
    record_id = new_record(db, workspace, owner="UCAROL")
    add_action(db, record_id)

    with pytest.raises(NotAllowed, match="Only a quality lead"):
        close(db, record_id, actor=Actor("UCAROL"), override_reason="I think it is fine")

    assert load_record(db, record_id).status == "actions_planned"
    assert "closed" not in events(db, record_id)


def test_a_lead_cannot_override_closure_with_a_blank_reason(
    db: Database, workspace: Workspace
) -> None:
    record_id = new_record(db, workspace, owner="UCAROL")
    add_action(db, record_id)

    with pytest.raises(KeelError):
        close(db, record_id, override_reason="  ")

    assert load_record(db, record_id).status == "actions_planned"


def test_a_closed_record_cannot_close_again(db: Database, workspace: Workspace) -> None:
    record_id = new_record(db, workspace, owner="UCAROL")
    close(db, record_id, override_reason="Line decommissioned")

    with pytest.raises(KeelError, match="already closed"):
        close(db, record_id, override_reason="Again")

    assert events(db, record_id).count("closed") == 1


def reopen(db: Database, record_id: int, reason: str, *, actor: Actor = LEAD) -> None:
    with on_record(db, record_id) as (session, record):
        triage.reopen(session=session, record=record, reason=reason, actor=actor, now=NOW)


def test_a_closed_record_reopens_to_investigating_with_its_reason_kept(
    db: Database, workspace: Workspace
) -> None:
    record_id = new_record(db, workspace, owner="UCAROL")
    answers = ClosingAnswers(risks_update_needed=True, changes="Add R-09")
    close(db, record_id, override_reason="Line decommissioned", answers=answers)

    reopen(db, record_id, "The label mix-up came back on line 2", actor=Actor("UCAROL"))

    record = load_record(db, record_id)
    assert (record.status, record.closed_at) == ("investigating", None)
    # Asked again when it closes again; the closing's history keeps the first answers.
    assert (record.risks_update_needed, record.closing_changes) == (None, None)
    assert (last(db, record_id, "closed").after or {})["closing_changes"] == "Add R-09"
    recorded(
        last(db, record_id, "reopened"),
        before={"status": "closed"},
        after={"status": "investigating", "reason": "The label mix-up came back on line 2"},
    )
    assert events(db, record_id).count("closed") == 1  # the closing stays on record
    assert outbox(db, OutboxKind.UPDATE_RECORD_CARD)


def test_a_rejected_record_reopens_as_new(db: Database, workspace: Workspace) -> None:
    record_id = new_record(db, workspace)
    reject(db, record_id, "Duplicate of NC-0003")

    reopen(db, record_id, "NC-0003 was about another batch")

    record = load_record(db, record_id)
    assert (record.status, record.rejection_reason) == ("new", None)
    recorded(last(db, record_id, "rejected"), after={"reason": "Duplicate of NC-0003"})


@pytest.mark.parametrize("ended", ["closed", "rejected"])
def test_a_status_form_opened_before_the_record_ended_cannot_reopen_it(
    db: Database, workspace: Workspace, ended: str
) -> None:
    """Only “Reopen record” reopens, with a reason: not a stale "Change status" form."""
    record_id = new_record(db, workspace, owner="UCAROL")
    if ended == "closed":
        close(db, record_id, override_reason="Line decommissioned")
    else:
        reject(db, record_id, "Duplicate of NC-0003")

    with pytest.raises(KeelError, match="Reopen record"):
        set_status(
            db, record_id, RecordStatus.INVESTIGATING if ended == "closed" else RecordStatus.NEW
        )

    assert load_record(db, record_id).status == ended


def test_reopening_needs_a_reason_a_closed_record_and_the_owner_or_a_lead(
    db: Database, workspace: Workspace
) -> None:
    record_id = new_record(db, workspace, owner="UCAROL")
    with pytest.raises(KeelError, match="open already"):
        reopen(db, record_id, "Why not")
    close(db, record_id, override_reason="Line decommissioned")

    with pytest.raises(KeelError, match="Say why"):
        reopen(db, record_id, "  ")
    with pytest.raises(NotAllowed):
        reopen(db, record_id, "I saw it again", actor=Actor("UBOB"))

    assert load_record(db, record_id).status == "closed"
    assert "reopened" not in events(db, record_id)


# -- processes ----------------------------------------------------------------------------------


def test_only_a_lead_adds_a_process(db: Database, workspace: Workspace) -> None:
    with pytest.raises(NotAllowed), db.transaction() as session:
        processes.add(
            session=session,
            workspace_id=workspace.id,
            name="Purchasing",
            owner_id=None,
            actor=Actor("UBOB"),
            now=NOW,
        )

    with db.reading() as session:
        assert session.scalars(select(Process)).all() == []


def test_process_names_are_unique_whatever_their_case(db: Database, workspace: Workspace) -> None:
    add_process(db, workspace, "Purchasing", owner="UPAT")

    with pytest.raises(KeelError, match="already a process"):
        add_process(db, workspace, "  PURCHASING ", owner=None)

    with db.reading() as session:
        assert list(session.scalars(select(Process.name))) == ["Purchasing"]


def test_a_lead_sets_a_process_owner_and_it_is_kept_in_history(
    db: Database, workspace: Workspace
) -> None:
    process_id = add_process(db, workspace, "Purchasing", owner=None)

    with db.transaction() as session:
        process = processes.get(session=session, workspace_id=workspace.id, process_id=process_id)
        processes.set_owner(session=session, process=process, owner_id="UPAT", actor=LEAD, now=NOW)

    with db.reading() as session:
        assert session.get_one(Process, process_id).owner_id == "UPAT"
        changed = session.scalars(
            select(History).where(History.event == "process_owner_changed")
        ).one()
    recorded(changed, before={"owner": None}, after={"owner": "UPAT"})


def test_only_a_lead_sets_a_process_owner(db: Database, workspace: Workspace) -> None:
    process_id = add_process(db, workspace, "Purchasing", owner=None)

    with pytest.raises(NotAllowed), db.transaction() as session:
        process = processes.get(session=session, workspace_id=workspace.id, process_id=process_id)
        processes.set_owner(
            session=session, process=process, owner_id="UBOB", actor=Actor("UBOB"), now=NOW
        )

    with db.reading() as session:
        assert session.get_one(Process, process_id).owner_id is None


def test_a_record_raised_about_a_process_goes_to_its_owner_who_is_told(
    db: Database, workspace: Workspace, relay: Relay, fake_slack: FakeSlack
) -> None:
    purchasing = add_process(db, workspace, "Purchasing", owner="UPAT")

    record_id = new_record(db, workspace, process_id=purchasing)
    relay.deliver_due(NOW)

    record = load_record(db, record_id)
    assert (record.owner_id, record.process_id) == ("UPAT", purchasing)
    (told,) = fake_slack.posts_to("UPAT")
    assert "NC-0001 was raised about Purchasing, which you own" in told.args["text"]
    assert fake_slack.posts_to("ULEAD") == []
    assert "Purchasing" in card_text(fake_slack, record)


def test_a_record_about_an_unowned_process_is_sent_to_the_quality_leads(
    db: Database, workspace: Workspace, relay: Relay, fake_slack: FakeSlack
) -> None:
    purchasing = add_process(db, workspace, "Purchasing", owner=None)

    record_id = new_record(db, workspace, process_id=purchasing)
    relay.deliver_due(NOW)

    assert load_record(db, record_id).owner_id is None
    (told,) = fake_slack.posts_to("ULEAD")
    assert "which has no owner" in told.args["text"] and "NC-0001" in told.args["text"]


def test_the_card_of_a_closed_record_says_closed(
    db: Database, workspace: Workspace, relay: Relay, fake_slack: FakeSlack
) -> None:
    record_id = new_record(db, workspace, owner="UCAROL")
    relay.deliver_due(NOW)

    close(db, record_id, override_reason="Line decommissioned")
    relay.deliver_due(NOW)

    record = load_record(db, record_id)
    assert record.card_channel == QUALITY_CHANNEL
    assert "Status\nClosed" in card_text(fake_slack, record)
    assert "On closing" not in card_text(fake_slack, record)  # nothing was answered


def test_the_card_of_a_closed_record_shows_what_was_decided_on_closing(
    db: Database, workspace: Workspace, relay: Relay, fake_slack: FakeSlack
) -> None:
    record_id = new_record(db, workspace, owner="UCAROL")
    answers = ClosingAnswers(system_change_needed=True, changes="Revise WI-7 <b>& step 4</b>")

    close(db, record_id, override_reason="Line decommissioned", answers=answers)
    relay.deliver_due(NOW)

    text = card_text(fake_slack, load_record(db, record_id))
    assert "On closing\nRisks and opportunities to update: not answered" in text
    assert "Management system to change: yes" in text
    assert "What will change: Revise WI-7 &lt;b&gt;&amp; step 4&lt;/b&gt;" in text


def owner_of(db: Database, record_id: int) -> str | None:
    with db.reading() as session:
        return session.get_one(Record, record_id).owner_id


def test_a_lead_who_triages_an_ownerless_record_becomes_its_owner(
    db: Database, workspace: Workspace
) -> None:
    record_id = new_record(db, workspace)
    assert owner_of(db, record_id) is None

    set_status(db, record_id, RecordStatus.INVESTIGATING)

    assert owner_of(db, record_id) == "ULEAD"
    (entry,) = [h for h in history(db, record_id) if h.event == "owner_set_at_triage"]
    recorded(entry, before={"owner": None}, after={"owner": "ULEAD"})
    assert events(db, record_id).count("owner_set_at_triage") == 1
    set_status(db, record_id, RecordStatus.NEW)  # a second triage step keeps the owner
    assert events(db, record_id).count("owner_set_at_triage") == 1


def test_triage_gives_the_record_to_its_process_owner_who_may_then_work_on_it(
    db: Database, workspace: Workspace
) -> None:
    """The process had no owner when the record was raised (else the record got it then)."""
    purchasing = add_process(db, workspace, "Purchasing", owner=None)
    record_id = new_record(db, workspace, process_id=purchasing)
    assert owner_of(db, record_id) is None
    with db.transaction() as session:
        process = processes.get(session=session, workspace_id=workspace.id, process_id=purchasing)
        processes.set_owner(session=session, process=process, owner_id="UPAT", actor=LEAD, now=NOW)

    with on_record(db, record_id) as (session, record):
        triage.change_severity(
            session=session, record=record, severity=Severity.HIGH, actor=LEAD, now=NOW
        )

    assert owner_of(db, record_id) == "UPAT"
    assert any("as the owner of its process" in dm["text"] for dm in dms_to(db, "UPAT"))
    # The process owner is not a lead, and is no longer turned away for want of an owner.
    record_cause(db, record_id, actor=Actor("UPAT"))
    assert "root_cause_recorded" in events(db, record_id)


def test_a_record_with_an_owner_keeps_it_through_triage(db: Database, workspace: Workspace) -> None:
    record_id = new_record(db, workspace, owner="UCAROL")
    record_cause(db, record_id)
    assert owner_of(db, record_id) == "UCAROL"
    assert "owner_set_at_triage" not in events(db, record_id)
