"""The documents register through signed requests: a lead adds a document from
`/nc documents` (a bad link is refused on its field), `/nc PR-012` shows it, its owner records
a revision that two people must read, the digest asks them, and "I have read it" counts them;
people who may not are refused."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.domain.competence import CompetenceKind
from bot.jobs.nudges import run_nudges
from bot.services import competence
from storage.models import Acknowledgement, DeliveryLedger, Document, Workspace
from tests.blocks import button_labels, find_button, mrkdwn_texts
from tests.conftest import NOW, RunningKeel
from tests.pure.blockkit import message_blocks, surface
from tests.settings_state import state_from_modal
from tests.slack_requests import block_action, view_submission
from tests.wiring.flows import chosen, picked_date, picked_user, refused, responses, typed
from tests.wiring.test_objectives_flow import open_from
from tests.wiring.test_settings import open_settings

LEAD = "ULEAD"
OWNER = "UOWNER"
ANNA = "UANNA"
BEN = "UBEN"
STRANGER = "USTRANGER"


def register_blocks(keel: RunningKeel, user: str) -> list[dict[str, Any]]:
    answer = keel.slack.command("documents", user=user)
    assert answer.status == 200
    blocks = list(answer.json()["blocks"])
    message_blocks(blocks)
    return blocks


def document_values(**overrides: Any) -> dict[str, Any]:
    values = {
        "doc_reference": typed("PR-012"),
        "title": typed("Control of nonconforming output <!channel>"),
        "doc_version": typed("3"),
        "owner": picked_user(OWNER),
        "doc_link": typed("https://example.sharepoint.com/sites/qms/PR-012.docx"),
        "review_months": typed("12"),
        "last_reviewed": picked_date("2025-12-01"),
    }
    values.update(overrides)
    return values


def submit(keel: RunningKeel, view: dict[str, Any], values: dict[str, Any], user: str) -> Any:
    answer = keel.slack.interaction(view_submission(view, values, user=user))
    assert answer.status == 200, answer.body
    return answer


def add_document(keel: RunningKeel) -> None:
    view = open_from(keel, register_blocks(keel, LEAD), "Add document", LEAD)
    surface(view)
    assert submit(keel, view, document_values(), LEAD).body == ""


def the_document(keel: RunningKeel) -> Document:
    with keel.db.reading() as session:
        return session.scalars(select(Document)).one()


def press(keel: RunningKeel, blocks: list[dict[str, Any]], label: str, user: str) -> None:
    button = find_button(blocks, label)
    answer = keel.slack.interaction(
        block_action(
            button["action_id"], button["value"], user=user, response_url=keel.fake.response_url()
        )
    )
    assert answer.status == 200


def test_a_lead_adds_a_document_and_anyone_finds_it_by_its_reference(keel: RunningKeel) -> None:
    blocks = register_blocks(keel, LEAD)
    assert "No documents in the register yet" in " ".join(mrkdwn_texts(blocks))
    view = open_from(keel, blocks, "Add document", LEAD)
    assert view["callback_id"] == "add_document"

    bad = submit(keel, view, document_values(doc_link=typed("javascript:alert(1)")), LEAD)
    assert bad.json()["response_action"] == "errors"
    assert "https://" in bad.json()["errors"]["doc_link"]
    assert submit(keel, view, document_values(), LEAD).body == ""
    again = submit(keel, view, document_values(doc_reference=typed("pr-012")), LEAD)
    assert "already in the register" in again.json()["errors"]["doc_reference"]

    document = the_document(keel)
    assert (document.version, document.next_review_date.isoformat()) == ("3", "2026-12-01")
    text = " ".join(mrkdwn_texts(register_blocks(keel, STRANGER)))
    assert "*PR-012* Control of nonconforming output &lt;!channel&gt; · version 3" in text
    assert "review due Tue 1 Dec" in text
    assert "example.sharepoint.com" in text
    assert "Add document" not in button_labels(register_blocks(keel, STRANGER))

    shown = keel.slack.command("PR-012", user=STRANGER)
    assert shown.status == 200
    assert "Control of nonconforming output" in " ".join(mrkdwn_texts(shown.json()["blocks"]))
    assert button_labels(shown.json()["blocks"]) == []  # a stranger may not edit it


def test_the_owner_edits_and_a_stranger_is_refused(keel: RunningKeel) -> None:
    add_document(keel)
    owner_blocks = register_blocks(keel, OWNER)
    assert {"Edit", "Revised", "Reviewed, no change"} <= set(button_labels(owner_blocks))
    view = open_from(keel, owner_blocks, "Edit", OWNER)
    assert view["callback_id"] == "edit_document"
    assert submit(keel, view, document_values(review_months=typed("24")), OWNER).body == ""
    assert the_document(keel).review_months == 24

    before = responses(keel)
    press(keel, owner_blocks, "Edit", STRANGER)  # a forged click: the button is the owner's
    assert "Only PR-012's owner or a quality lead" in refused(keel, before)["text"]
    before = responses(keel)
    press(keel, owner_blocks, "Reviewed, no change", STRANGER)
    assert "Only PR-012's owner or a quality lead" in refused(keel, before)["text"]
    assert the_document(keel).last_reviewed_date.isoformat() == "2025-12-01"  # type: ignore[union-attr]


def test_reviewed_no_change_from_the_register(keel: RunningKeel) -> None:
    add_document(keel)
    blocks = register_blocks(keel, OWNER)
    before = responses(keel)
    press(keel, blocks, "Reviewed, no change", OWNER)
    assert "Next review: Wed 1 Dec 2027" in refused(keel, before)["text"]
    assert the_document(keel).next_review_date.isoformat() == "2027-12-01"
    before = responses(keel)
    press(keel, blocks, "Reviewed, no change", OWNER)  # the same button again
    assert "recorded already" in refused(keel, before)["text"]
    assert the_document(keel).next_review_date.isoformat() == "2027-12-01"


def make_readers(keel: RunningKeel) -> None:
    document = the_document(keel)
    with keel.db.transaction() as session:
        workspace = session.scalars(select(Workspace)).one()
        read = competence.add_competence(
            session=session,
            workspace_id=workspace.id,
            name="Has read PR-012",
            kind=CompetenceKind.DOCUMENT,
            validity_months=None,
            document_id=document.id,
            actor_id=LEAD,
            now=NOW,
        )
        for person in (ANNA, BEN):
            competence.require(
                session=session,
                workspace_id=workspace.id,
                competence_id=read.id,
                user_id=person,
                actor_id=LEAD,
                now=NOW,
            )


def revise(keel: RunningKeel, user: str, version: str = "4") -> Any:
    shown = keel.slack.command("PR-012", user=user).json()["blocks"]
    view = open_from(keel, shown, "Revised", user)
    assert view["callback_id"] == "revise_document"
    surface(view)
    values = {
        "doc_version": typed(version),
        "what_changed": typed("Step 4 names the new <quarantine> area"),
        "reread": chosen("yes"),
    }
    return submit(keel, view, values, user)


def digest_of(keel: RunningKeel, user: str) -> Any:
    return [c for c in keel.fake.posts_to(user) if str(c.args.get("text", "")).startswith("Keel:")]


def test_a_revision_asks_two_readers_in_their_digest_and_i_have_read_it_counts(
    keel: RunningKeel,
) -> None:
    add_document(keel)
    make_readers(keel)
    assert revise(keel, OWNER).body == ""
    assert the_document(keel).version == "4"

    run_nudges(NOW, keel.db, keel.runtime.deps.clients, "Europe/Berlin")
    (anna_digest,) = digest_of(keel, ANNA)
    (ben_digest,) = digest_of(keel, BEN)
    blocks = message_blocks(anna_digest.args["blocks"])
    text = " ".join(mrkdwn_texts(blocks))
    assert "Please read PR-012 v4* — what changed: Step 4 names the new &lt;quarantine&gt;" in text
    # The revision counted as the review that was due on Tue 1 Dec: the owner is not asked.
    assert the_document(keel).next_review_date.isoformat() == "2027-11-23"
    assert digest_of(keel, OWNER) == []
    assert ben_digest.args["channel"] == BEN

    read = find_button(blocks, "I have read it")
    before = responses(keel)
    keel.slack.interaction(
        block_action(
            read["action_id"], read["value"], user=STRANGER, response_url=keel.fake.response_url()
        )
    )
    assert "not among the people who must read PR-012" in refused(keel, before)["text"]

    with keel.db.reading() as session:
        sent = session.scalars(select(DeliveryLedger).where(DeliveryLedger.user_id == ANNA)).one()
    edits = len(keel.fake.calls_to("chat.update"))
    keel.slack.interaction(
        block_action(
            read["action_id"],
            read["value"],
            user=ANNA,
            channel=sent.channel,
            message_ts=sent.ts,
            response_url=keel.fake.response_url(),
        )
    )

    def anna_edited() -> list[Any]:
        updates = keel.fake.calls_to("chat.update")[edits:]
        return [c.args for c in updates if c.args.get("ts") == sent.ts]

    (edited,) = keel.fake.wait_for(anna_edited)
    assert "~PR-012~ v4 read" in " ".join(mrkdwn_texts(edited["blocks"]))
    with keel.db.reading() as session:
        kept = session.scalars(select(Acknowledgement)).all()
    assert [(a.user_id, a.version) for a in kept] == [(ANNA, "4")]
    text = " ".join(mrkdwn_texts(register_blocks(keel, LEAD)))
    assert f"1 of 2 have read v4 · not yet: <@{BEN}>" in text


def test_with_approval_on_the_author_cannot_approve_their_own_revision(
    keel: RunningKeel,
) -> None:
    add_document(keel)
    settings = open_settings(keel, LEAD)
    option = {"text": {"type": "plain_text", "text": "Yes"}, "value": "yes"}
    values = state_from_modal(
        settings,
        revision_approval={"type": "static_select", "selected_option": option},
        review_reminder_days={"type": "number_input", "value": "21"},
    )
    assert submit(keel, settings, values, LEAD).body == ""
    with keel.db.reading() as session:
        stored = session.scalars(select(Workspace)).one()
        assert (stored.revision_approval, stored.review_reminder_days) == (True, 21)
    assert revise(keel, OWNER).body == ""
    assert the_document(keel).version == "3"
    shown = keel.slack.command("PR-012", user=OWNER).json()["blocks"]
    assert "Approve revision" not in button_labels(shown)
    assert "version 4 waits for approval" in " ".join(mrkdwn_texts(shown))
    lead_view = keel.slack.command("PR-012", user=LEAD).json()["blocks"]
    before = responses(keel)
    press(keel, lead_view, "Approve revision", OWNER)  # the author, with the lead's button
    assert "someone other than its author" in refused(keel, before)["text"]
    assert the_document(keel).version == "3"
    before = responses(keel)
    press(keel, lead_view, "Approve revision", LEAD)
    assert "version 4 is now current" in refused(keel, before)["text"]
    assert the_document(keel).version == "4"
