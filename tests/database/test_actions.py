"""Actions on a record: added, done, extended, reassigned, blocked, cancelled and verified."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from bot.clock import FixedClock
from bot.domain.actions import ActionKind
from bot.domain.errors import KeelError, NotAllowed
from bot.domain.transitions import TransitionRefused
from bot.queries import actions as action_queries
from bot.services import actions, due_dates, effectiveness, triage
from bot.services.history import Source
from bot.services.outbox import OutboxKind
from bot.services.permissions import Actor
from bot.slack.directory import Directory
from bot.slack.relay import Relay
from storage.db import Database
from storage.models import Action, Workspace
from tests.blocks import button_labels, mrkdwn_texts
from tests.conftest import NOW, QUALITY_CHANNEL
from tests.database.helpers import make_workspace
from tests.database.test_triage import (
    LEAD,
    TODAY,
    Clients,
    add_action,
    close,
    complete,
    dms_to,
    events,
    history,
    last,
    load_action,
    load_record,
    new_record,
    on_action,
    on_record,
    outbox,
    record_cause,
    recorded,
    verify,
)
from tests.fake_slack import FakeSlack

BOB = Actor("UBOB")  # the action's owner
CAROL = Actor("UCAROL")  # the record's owner
DAN = Actor("UDAN")  # neither


@pytest.fixture
def workspace(db: Database) -> Workspace:
    return make_workspace(db, NOW)


@pytest.fixture
def relay(db: Database, fake_slack: FakeSlack, clock: FixedClock) -> Relay:
    return Relay(db=db, clients=Clients(fake_slack), directory=Directory(), clock=clock)


@pytest.fixture
def record_id(db: Database, workspace: Workspace) -> int:
    """NC-0001, owned by UCAROL."""
    return new_record(db, workspace, owner="UCAROL")


@pytest.fixture
def action_id(db: Database, record_id: int) -> int:
    """NC-0001/A1: a corrective action for UBOB, due 2026-12-04, checked 2027-01-15."""
    return add_action(db, record_id)


def extend(
    db: Database, action_id: int, new_date: date, *, actor: Actor = BOB, reason: str = "Late"
) -> due_dates.ExtensionOutcome:
    with on_action(db, action_id) as (session, action, record):
        workspace = session.get_one(Workspace, record.workspace_id)
        return due_dates.extend(
            session=session,
            action=action,
            record=record,
            workspace=workspace,
            new_date=new_date,
            reason=reason,
            actor=actor,
            source=Source.FORM,
            today=TODAY,
            now=NOW,
        )


def decide(db: Database, action_id: int, *, approve: bool, actor: Actor = LEAD) -> str:
    with on_action(db, action_id) as (session, action, record):
        return due_dates.decide_extension(
            session=session,
            action=action,
            record=record,
            approve=approve,
            actor=actor,
            today=TODAY,
            now=NOW,
        )


def reassign(db: Database, action_id: int, new_owner: str, *, actor: Actor = LEAD) -> None:
    with on_action(db, action_id) as (session, action, record):
        actions.reassign(
            session=session,
            action=action,
            record=record,
            new_owner=new_owner,
            actor=actor,
            source=Source.FORM,
            now=NOW,
        )


def block(db: Database, action_id: int, reason: str, *, actor: Actor = BOB) -> None:
    with on_action(db, action_id) as (session, action, record):
        actions.set_blocked(
            session=session,
            action=action,
            record=record,
            reason=reason,
            actor=actor,
            source=Source.FORM,
            now=NOW,
        )


def cancel(db: Database, action_id: int, reason: str, *, actor: Actor = LEAD) -> None:
    with on_action(db, action_id) as (session, action, record):
        actions.cancel(
            session=session, action=action, record=record, reason=reason, actor=actor, now=NOW
        )


def not_effective(
    db: Database, action_id: int, new_due: date | None, *, actor: Actor = LEAD
) -> None:
    with on_action(db, action_id) as (session, action, record):
        effectiveness.verify(
            session=session,
            action=action,
            record=record,
            effective=False,
            note="Another mislabelled batch on 2027-01-10",
            new_due_date=new_due,
            actor=LEAD,
            today=TODAY,
            now=NOW,
        )


def action_count(db: Database) -> int:
    with db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(Action)) or 0)


def texts_to(fake: FakeSlack, user_id: str) -> list[str]:
    return [str(call.args["text"]) for call in fake.posts_to(user_id)]


# -- adding -------------------------------------------------------------------------------------


def test_someone_who_neither_owns_the_record_nor_leads_cannot_add_an_action(
    db: Database, record_id: int
) -> None:
    with pytest.raises(NotAllowed, match="Only the record's owner or a quality lead"):
        add_action(db, record_id, actor=Actor("UALICE"))

    assert action_count(db) == 0


def test_the_record_owner_adds_an_action(db: Database, record_id: int) -> None:
    action_id = add_action(db, record_id, actor=CAROL)

    action = load_action(db, action_id)
    assert (action.owner_id, action.status, action.due_date) == ("UBOB", "open", date(2026, 12, 4))
    assert action.effectiveness_check_date == date(2027, 1, 15)


def test_an_action_due_in_the_past_is_refused(db: Database, record_id: int) -> None:
    with pytest.raises(KeelError, match="in the past"):
        add_action(db, record_id, due=date(2026, 11, 22))

    assert action_count(db) == 0


def test_an_action_due_today_is_accepted(db: Database, record_id: int) -> None:
    assert load_action(db, add_action(db, record_id, due=TODAY, check=TODAY)).due_date == TODAY


def test_an_effectiveness_check_before_the_due_date_is_refused(
    db: Database, record_id: int
) -> None:
    with pytest.raises(KeelError, match="effectiveness check comes after"):
        add_action(db, record_id, due=date(2026, 12, 4), check=date(2026, 12, 1))

    assert action_count(db) == 0


def test_a_corrective_action_without_an_effectiveness_check_date_is_refused(
    db: Database, record_id: int
) -> None:
    with pytest.raises(KeelError):
        add_action(db, record_id, kind=ActionKind.CORRECTIVE, check=None)

    assert action_count(db) == 0


def test_a_correction_keeps_no_effectiveness_check(db: Database, record_id: int) -> None:
    action_id = add_action(db, record_id, kind=ActionKind.CORRECTION, check=date(2027, 1, 15))

    action = load_action(db, action_id)
    assert (action.effectiveness_check_date, action.effectiveness_criterion) == (None, None)


def test_actions_are_numbered_a1_a2_within_their_record(
    db: Database, workspace: Workspace, record_id: int
) -> None:
    first, second = add_action(db, record_id), add_action(db, record_id)
    other = add_action(db, new_record(db, workspace, owner="UCAROL"))

    with db.reading() as session:
        refs = [
            action_queries.reference(
                *action_queries.get(session=session, workspace_id=workspace.id, action_id=i)
            )
            for i in (first, second, other)
        ]
    assert refs == ["NC-0001/A1", "NC-0001/A2", "NC-0002/A1"]


def test_a_new_action_is_queued_for_the_record_thread_and_its_owner(
    db: Database, record_id: int
) -> None:
    action_id = add_action(db, record_id)

    queued = [(m.kind, m.action_id) for m in outbox(db) if m.action_id is not None]
    assert queued == [(OutboxKind.POST_ACTION, action_id), (OutboxKind.DM_ACTION, action_id)]
    added = last(db, record_id, "action_added")
    assert added.after is not None and "NC-0001/A1" in added.after.values()
    recorded(added, after={"owner": "UBOB", "due_date": "2026-12-04", "status": "open"})


def test_a_new_action_is_posted_in_the_card_thread_and_sent_to_its_owner(
    db: Database, record_id: int, relay: Relay, fake_slack: FakeSlack
) -> None:
    relay.deliver_due(NOW)
    card_ts = load_record(db, record_id).card_ts

    action_id = add_action(db, record_id)
    relay.deliver_due(NOW)

    in_thread = [c for c in fake_slack.posts_to(QUALITY_CHANNEL) if c.args.get("thread_ts")]
    assert [c.args["thread_ts"] for c in in_thread] == [card_ts]
    (dm,) = [c for c in fake_slack.posts_to("UBOB") if "new action" in c.args["text"]]
    for message in (in_thread[0], dm):
        labels = button_labels(message.args["blocks"])
        assert {"Mark done", "Extend due date", "Reassign", "Blocked"} <= set(labels)
        assert "NC-0001/A1" in " ".join(mrkdwn_texts(message.args["blocks"]))
    action = load_action(db, action_id)
    assert (action.thread_channel, action.dm_channel) == (QUALITY_CHANNEL, "DUBOB")
    assert action.thread_ts and action.dm_ts


def test_adding_an_action_moves_the_record_to_actions_planned_step_by_step(
    db: Database, workspace: Workspace
) -> None:
    record_id = new_record(db, workspace)

    add_action(db, record_id)

    assert load_record(db, record_id).status == "actions_planned"
    moves = [
        ((entry.before or {}).get("status"), (entry.after or {}).get("status"))
        for entry in history(db, record_id)
        if entry.event == "status_changed"
    ]
    assert moves == [("new", "investigating"), ("investigating", "actions_planned")]


def test_no_action_is_added_to_a_closed_record(db: Database, record_id: int) -> None:
    close(db, record_id, override_reason="Line decommissioned")

    with pytest.raises(KeelError, match="closed"):
        add_action(db, record_id)

    assert action_count(db) == 0


# -- done ---------------------------------------------------------------------------------------


def test_the_owner_marks_an_action_done_with_its_evidence(
    db: Database, record_id: int, action_id: int
) -> None:
    complete(db, action_id, actor=BOB)

    action = load_action(db, action_id)
    assert (action.status, action.evidence, action.done_at) == ("done", "Template v2 released", NOW)
    done = last(db, record_id, "action_done")
    assert done.actor_id == "UBOB"
    recorded(
        done,
        before={"status": "open"},
        after={"status": "done", "evidence": "Template v2 released"},
    )
    assert len(outbox(db, OutboxKind.UPDATE_ACTION)) == 1


def test_the_record_moves_to_verifying_once_every_action_is_done(
    db: Database, record_id: int, action_id: int
) -> None:
    second = add_action(db, record_id, kind=ActionKind.CORRECTION, check=None)

    complete(db, action_id)
    assert load_record(db, record_id).status == "actions_planned"

    complete(db, second)
    assert load_record(db, record_id).status == "verifying"


def test_marking_done_edits_both_of_the_actions_messages_in_place(
    db: Database, record_id: int, relay: Relay, fake_slack: FakeSlack
) -> None:
    relay.deliver_due(NOW)
    action_id = add_action(db, record_id)
    relay.deliver_due(NOW)
    action = load_action(db, action_id)

    complete(db, action_id)
    relay.deliver_due(NOW)

    edited = {(c.args["channel"], c.args["ts"]) for c in fake_slack.calls_to("chat.update")}
    assert {(QUALITY_CHANNEL, action.thread_ts), ("DUBOB", action.dm_ts)} <= edited
    for key in ((QUALITY_CHANNEL, action.thread_ts), ("DUBOB", action.dm_ts)):
        blocks = fake_slack.messages[(str(key[0]), str(key[1]))]["blocks"]
        assert button_labels(blocks) == ["Verify effectiveness", "Cancel action"]


def test_a_done_action_cannot_be_done_again(db: Database, action_id: int) -> None:
    complete(db, action_id)

    with pytest.raises(TransitionRefused, match="already done"):
        complete(db, action_id)


# -- who may act --------------------------------------------------------------------------------


def _change(db: Database, action_id: int, what: str, actor: Actor) -> None:
    match what:
        case "complete":
            complete(db, action_id, actor=actor)
        case "extend":
            extend(db, action_id, date(2026, 12, 11), actor=actor)
        case "reassign":
            reassign(db, action_id, "UERIN", actor=actor)
        case "block":
            block(db, action_id, "Waiting for the printer vendor", actor=actor)
        case "cancel":
            cancel(db, action_id, "Not needed", actor=actor)


@pytest.mark.parametrize("what", ["complete", "extend", "reassign", "block", "cancel"])
def test_someone_uninvolved_cannot_change_an_action(
    db: Database, record_id: int, action_id: int, what: str
) -> None:
    before = events(db, record_id)

    with pytest.raises(NotAllowed, match="Only the"):
        _change(db, action_id, what, DAN)

    action = load_action(db, action_id)
    assert (action.status, action.owner_id, action.due_date) == ("open", "UBOB", date(2026, 12, 4))
    assert action.blocked_reason is None
    assert events(db, record_id) == before


@pytest.mark.parametrize("what", ["complete", "extend", "reassign", "block"])
def test_the_record_owner_may_act_on_an_action_they_do_not_own(
    db: Database, action_id: int, what: str
) -> None:
    _change(db, action_id, what, CAROL)

    assert load_action(db, action_id).updated_at == NOW


def test_the_action_owner_cannot_cancel_their_own_action(db: Database, action_id: int) -> None:
    with pytest.raises(NotAllowed):
        cancel(db, action_id, "Too much work", actor=BOB)

    assert load_action(db, action_id).status == "open"


# -- extending ----------------------------------------------------------------------------------


def test_extending_moves_the_due_date_with_its_reason(
    db: Database, record_id: int, action_id: int
) -> None:
    outcome = extend(db, action_id, date(2026, 12, 11), reason="Printer vendor is late")

    assert outcome.applied
    action = load_action(db, action_id)
    assert (action.due_date, action.extension_count) == (date(2026, 12, 11), 1)
    moved = last(db, record_id, "due_date_moved")
    recorded(
        moved,
        before={"due_date": "2026-12-04"},
        after={"due_date": "2026-12-11", "reason": "Printer vendor is late"},
    )


def test_an_extension_without_a_reason_is_refused(db: Database, action_id: int) -> None:
    with pytest.raises(KeelError, match="Say why"):
        extend(db, action_id, date(2026, 12, 11), reason="  ")

    assert load_action(db, action_id).due_date == date(2026, 12, 4)


def test_an_extension_to_a_past_date_is_refused(db: Database, action_id: int) -> None:
    with pytest.raises(KeelError, match="in the past"):
        extend(db, action_id, date(2026, 11, 20))

    assert load_action(db, action_id).due_date == date(2026, 12, 4)


def test_an_extension_beyond_the_limit_waits_for_a_lead_who_is_asked_with_buttons(
    db: Database, record_id: int, action_id: int, relay: Relay, fake_slack: FakeSlack
) -> None:
    extend(db, action_id, date(2026, 12, 11))
    extend(db, action_id, date(2026, 12, 18))

    outcome = extend(db, action_id, date(2027, 1, 8), reason="Vendor went bust")
    relay.deliver_due(NOW)

    assert not outcome.applied
    action = load_action(db, action_id)
    assert (action.due_date, action.extension_count) == (date(2026, 12, 18), 2)
    assert action.pending_extension == {
        "due_date": "2027-01-08",
        "reason": "Vendor went bust",
        "requested_by": "UBOB",
    }
    recorded(last(db, record_id, "extension_requested"), after=action.pending_extension)
    (ask,) = [c for c in fake_slack.posts_to("ULEAD") if "Extension requested" in c.args["text"]]
    assert button_labels(ask.args["blocks"]) == ["Approve", "Decline"]
    assert "Vendor went bust" in " ".join(mrkdwn_texts(ask.args["blocks"]))


def test_a_lead_extends_beyond_the_limit_without_asking(db: Database, action_id: int) -> None:
    extend(db, action_id, date(2026, 12, 11), actor=LEAD)
    extend(db, action_id, date(2026, 12, 18), actor=LEAD)

    assert extend(db, action_id, date(2027, 1, 8), actor=LEAD).applied

    assert load_action(db, action_id).due_date == date(2027, 1, 8)


def _pending(db: Database, action_id: int) -> None:
    extend(db, action_id, date(2026, 12, 11))
    extend(db, action_id, date(2026, 12, 18))
    extend(db, action_id, date(2027, 1, 8), reason="Vendor went bust")


def test_an_approved_extension_moves_the_date_and_the_requester_is_told(
    db: Database, record_id: int, action_id: int
) -> None:
    _pending(db, action_id)

    decide(db, action_id, approve=True)

    action = load_action(db, action_id)
    assert (action.due_date, action.pending_extension) == (date(2027, 1, 8), None)
    moved = last(db, record_id, "due_date_moved")
    recorded(
        moved,
        after={"due_date": "2027-01-08", "reason": "Vendor went bust", "approved_by": "ULEAD"},
    )
    assert "<@ULEAD> approved moving NC-0001/A1 to Fri 8 Jan 2027" in dms_to(db, "UBOB")[-1]["text"]


def test_a_declined_extension_keeps_the_date_and_the_requester_is_told(
    db: Database, record_id: int, action_id: int
) -> None:
    _pending(db, action_id)

    decide(db, action_id, approve=False)

    action = load_action(db, action_id)
    assert (action.due_date, action.pending_extension) == (date(2026, 12, 18), None)
    assert last(db, record_id, "extension_declined").actor_id == "ULEAD"
    assert "declined moving NC-0001/A1" in dms_to(db, "UBOB")[-1]["text"]


def test_the_workspace_sets_how_many_extensions_need_no_approval(
    db: Database, workspace: Workspace, action_id: int
) -> None:
    with db.transaction() as session:
        session.get_one(Workspace, workspace.id).extension_limit = 0

    outcome = extend(db, action_id, date(2026, 12, 11))

    assert not outcome.applied
    assert load_action(db, action_id).due_date == date(2026, 12, 4)


def test_a_late_approval_of_a_date_that_has_passed_is_refused(db: Database, action_id: int) -> None:
    extend(db, action_id, date(2026, 11, 25))
    extend(db, action_id, date(2026, 11, 26))
    extend(db, action_id, date(2026, 11, 27), reason="Vendor went bust")
    a_week_later = NOW + timedelta(days=7)

    with pytest.raises(KeelError), on_action(db, action_id) as (session, action, record):
        due_dates.decide_extension(
            session=session,
            action=action,
            record=record,
            approve=True,
            actor=LEAD,
            today=a_week_later.date(),
            now=a_week_later,
        )

    assert load_action(db, action_id).due_date == date(2026, 11, 26)


def test_two_approvals_at_once_move_the_date_once(
    db: Database, record_id: int, action_id: int
) -> None:
    _pending(db, action_id)
    first_read, second_read = threading.Event(), threading.Event()
    outcomes: list[str | KeelError] = []

    def approve(first: bool) -> None:
        if not first:
            first_read.wait(5)
        try:
            with on_action(db, action_id) as (session, action, record):
                (first_read if first else second_read).set()
                if first:  # let the other read too; on SQLite it waits for our lock instead
                    second_read.wait(1)
                outcomes.append(
                    due_dates.decide_extension(
                        session=session,
                        action=action,
                        record=record,
                        approve=True,
                        actor=LEAD,
                        today=TODAY,
                        now=NOW,
                    )
                )
        except KeelError as refused:
            outcomes.append(refused)

    threads = [threading.Thread(target=approve, args=(first,)) for first in (True, False)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(isinstance(outcome, str) for outcome in outcomes) == 1
    approvals = [e for e in history(db, record_id) if e.event == "due_date_moved"]
    assert len(approvals) == 3  # two extensions, then one approval
    assert len([d for d in dms_to(db, "UBOB") if "approved" in d["text"]]) == 1


def test_only_a_lead_decides_on_an_extension(db: Database, action_id: int) -> None:
    _pending(db, action_id)

    with pytest.raises(NotAllowed):
        decide(db, action_id, approve=True, actor=CAROL)

    assert load_action(db, action_id).pending_extension is not None


# -- reassigning and blocking -------------------------------------------------------------------


def test_reassigning_tells_both_people_and_sends_the_new_owner_the_action(
    db: Database, record_id: int, relay: Relay, fake_slack: FakeSlack
) -> None:
    relay.deliver_due(NOW)
    action_id = add_action(db, record_id)
    relay.deliver_due(NOW)

    reassign(db, action_id, "UERIN", actor=BOB)
    relay.deliver_due(NOW)

    assert load_action(db, action_id).owner_id == "UERIN"
    assert any(
        "reassigned NC-0001/A1 from you to <@UERIN>" in t for t in texts_to(fake_slack, "UBOB")
    )
    (new_dm,) = fake_slack.posts_to("UERIN")
    assert "You have a new action" in new_dm.args["text"]
    assert "Mark done" in button_labels(new_dm.args["blocks"])
    reassigned = last(db, record_id, "action_reassigned")
    recorded(reassigned, before={"owner": "UBOB"}, after={"owner": "UERIN"})
    assert load_action(db, action_id).dm_channel == "DUERIN"


def test_reassigning_edits_the_thread_message_and_the_old_dm_to_show_the_new_owner(
    db: Database, record_id: int, relay: Relay, fake_slack: FakeSlack
) -> None:
    relay.deliver_due(NOW)
    action_id = add_action(db, record_id)
    relay.deliver_due(NOW)
    old = load_action(db, action_id)

    reassign(db, action_id, "UERIN")
    relay.deliver_due(NOW)

    for key in ((QUALITY_CHANNEL, old.thread_ts), (old.dm_channel, old.dm_ts)):
        blocks = fake_slack.messages[(str(key[0]), str(key[1]))]["blocks"]
        assert "*Owner*\n<@UERIN>" in mrkdwn_texts(blocks)


def test_reassigning_to_the_same_owner_is_refused(db: Database, action_id: int) -> None:
    with pytest.raises(KeelError, match="already owns"):
        reassign(db, action_id, "UBOB")


def test_a_blocked_action_stays_open_and_the_record_owner_is_told(
    db: Database, record_id: int, action_id: int
) -> None:
    block(db, action_id, "Waiting for the printer vendor")

    action = load_action(db, action_id)
    assert (action.status, action.blocked_reason) == ("open", "Waiting for the printer vendor")
    blocked = last(db, record_id, "action_blocked")
    recorded(blocked, after={"blocked": "Waiting for the printer vendor"})
    assert "NC-0001/A1 is blocked" in dms_to(db, "UCAROL")[-1]["text"]


def test_a_done_action_cannot_be_blocked(db: Database, action_id: int) -> None:
    complete(db, action_id)

    with pytest.raises(KeelError, match="Only an open action"):
        block(db, action_id, "Waiting")


# -- cancelling ---------------------------------------------------------------------------------


def test_cancelling_needs_a_reason(db: Database, action_id: int) -> None:
    with pytest.raises(KeelError, match="Say why"):
        cancel(db, action_id, " ")

    assert load_action(db, action_id).status == "open"


def test_a_cancelled_action_keeps_its_reason(db: Database, record_id: int, action_id: int) -> None:
    cancel(db, action_id, "Superseded by the new printer")

    action = load_action(db, action_id)
    assert (action.status, action.cancel_reason) == ("cancelled", "Superseded by the new printer")
    cancelled = last(db, record_id, "action_cancelled")
    recorded(
        cancelled,
        before={"status": "open"},
        after={"status": "cancelled", "reason": "Superseded by the new printer"},
    )


# -- effectiveness ------------------------------------------------------------------------------


def test_the_actions_owner_never_verifies_it_even_as_a_lead(db: Database, record_id: int) -> None:
    action_id = add_action(db, record_id, owner="ULEAD")
    complete(db, action_id, actor=LEAD)

    with pytest.raises(NotAllowed, match="Someone other than the action's owner"):
        verify(db, action_id, actor=LEAD)

    assert load_action(db, action_id).status == "done"


def test_someone_uninvolved_cannot_verify(db: Database, action_id: int) -> None:
    complete(db, action_id)

    with pytest.raises(NotAllowed):
        verify(db, action_id, actor=DAN)

    assert load_action(db, action_id).status == "done"


def test_an_open_action_cannot_be_verified(db: Database, action_id: int) -> None:
    with pytest.raises(TransitionRefused, match="has to be marked done"):
        verify(db, action_id)


def test_an_effective_action_is_verified_by_someone_else(
    db: Database, record_id: int, action_id: int
) -> None:
    complete(db, action_id)

    verify(db, action_id, actor=CAROL)

    action = load_action(db, action_id)
    assert (action.status, action.verifier_id, action.verified_at) == ("verified", "UCAROL", NOW)
    checked = last(db, record_id, "effectiveness_checked")
    recorded(
        checked,
        before={"status": "done"},
        after={"status": "verified", "effective": True, "note": "No mislabelled batch since"},
    )


def test_not_effective_reopens_the_action_with_a_new_due_date_and_history_keeps_both(
    db: Database, record_id: int, action_id: int
) -> None:
    complete(db, action_id)

    not_effective(db, action_id, date(2027, 1, 29))

    action = load_action(db, action_id)
    assert (action.status, action.due_date, action.done_at) == ("open", date(2027, 1, 29), None)
    action_events = [e.event for e in history(db, record_id) if e.entity == "action"]
    assert action_events[-2:] == ["effectiveness_checked", "action_reopened"]
    checked, reopened = (
        last(db, record_id, e) for e in ("effectiveness_checked", "action_reopened")
    )
    recorded(checked, after={"status": "not_effective", "effective": False})
    recorded(
        reopened,
        before={"status": "not_effective", "due_date": "2026-12-04"},
        after={"status": "open", "due_date": "2027-01-29"},
    )
    assert "found not effective" in dms_to(db, "UBOB")[-1]["text"]
    assert load_record(db, record_id).status == "actions_planned"


def test_not_effective_without_a_new_due_date_is_refused(db: Database, action_id: int) -> None:
    complete(db, action_id)

    with pytest.raises(KeelError, match="new due date"):
        not_effective(db, action_id, None)

    assert load_action(db, action_id).status == "done"


def test_a_verified_corrective_action_lets_the_record_close(
    db: Database, record_id: int, action_id: int
) -> None:
    record_cause(db, record_id)
    complete(db, action_id)
    verify(db, action_id)

    with on_record(db, record_id) as (session, record):
        assert triage.blockers_for(session, record) == []
    close(db, record_id, actor=CAROL)
    assert load_record(db, record_id).status == "closed"
