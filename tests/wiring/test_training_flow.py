"""Competence through signed requests: `/nc training` for a member and for a lead, a lead
adds a competence and a role, the member logs their own completion in the modal, the
digest's refresher line with Log completion ticks off once logged, and the internal-auditor
qualification named in `/nc training` lets its holder lead a planned audit."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from bot.domain.competence import CompetenceKind
from bot.forms.competence import CompetenceForm, CompletionForm
from bot.jobs.nudges import run_nudges
from bot.services import training
from bot.services.permissions import Actor
from storage.models import Completion, DeliveryLedger, Workspace
from tests.blocks import button_labels, find_button, mrkdwn_texts
from tests.conftest import NOW, RunningKeel
from tests.slack_requests import block_action, view_submission
from tests.wiring.flows import chosen, picked_date, typed
from tests.wiring.test_audits_flow import plan_values, programme, with_process
from tests.wiring.test_objectives_flow import open_from

LEAD = "ULEAD"
ANNA = "UANNA001"


def training_of(keel: RunningKeel, user: str) -> list[dict[str, Any]]:
    answer = keel.slack.command("training", user=user)
    assert answer.status == 200
    body = answer.json()
    assert body["response_type"] == "ephemeral"
    return list(body["blocks"])


def submit(keel: RunningKeel, view: dict[str, Any], values: dict[str, Any], user: str) -> Any:
    return keel.slack.interaction(view_submission(view, values, user=user))


def test_a_member_sees_their_gaps_and_logs_their_own_completion(keel: RunningKeel) -> None:
    mine = training_of(keel, ANNA)
    assert "Nothing is required of you yet" in " ".join(mrkdwn_texts(mine))
    assert button_labels(mine) == ["Log completion"]

    lead_view = training_of(keel, LEAD)
    assert {"Add competence", "Add role", "Log for someone else"} <= set(button_labels(lead_view))
    assert any(b.get("type") == "header" and "matrix" in b["text"]["text"] for b in lead_view)

    form = open_from(keel, lead_view, "Add competence", LEAD)
    values = {
        "competence_name": typed("Forklift licence"),
        "competence_kind": chosen("licence"),
        "validity_months": typed("twelve"),
    }
    refused = submit(keel, form, values, LEAD).json()
    assert refused["response_action"] == "errors" and "validity_months" in refused["errors"]
    values["validity_months"] = typed("12")
    assert submit(keel, form, values, LEAD).body == ""
    added = keel.fake.wait_for(lambda: keel.fake.posts_to(LEAD))
    assert added[-1].args["text"] == (
        "Added the competence *Forklift licence* (licence, valid for 12 months)."
    )
    again = submit(keel, form, values, LEAD).json()
    assert again["errors"] == {
        "competence_name": "There is a competence called Forklift licence already."
    }

    form = open_from(keel, training_of(keel, LEAD), "Add role", LEAD)
    (option,) = next(b for b in form["blocks"] if b["block_id"] == "role_competences")["element"][
        "options"
    ]
    role = {
        "role_name": typed("Forklift driver"),
        "role_members": {"input": {"type": "multi_users_select", "selected_users": [ANNA]}},
        "role_competences": {
            "input": {"type": "multi_static_select", "selected_options": [option]}
        },
    }
    assert submit(keel, form, role, LEAD).body == ""

    mine = training_of(keel, ANNA)
    assert any("*Forklift licence* — not done yet" in text for text in mrkdwn_texts(mine))
    summary = " ".join(mrkdwn_texts(training_of(keel, LEAD)))
    assert "*Missing or expired*\n1" in summary and f"<@{ANNA}>" in summary

    form = open_from(keel, mine, "Log completion", ANNA)
    assert "person" not in {b.get("block_id") for b in form["blocks"]}  # their own
    done = {
        "competence": chosen(option["value"]),
        "completed_date": picked_date("2026-12-01"),
        "evidence": typed("Certificate 881"),
    }
    future = submit(keel, form, done, ANNA).json()
    assert future["errors"] == {"completed_date": "Pick today or an earlier day: it is done."}
    done["completed_date"] = picked_date("2026-11-20")
    assert submit(keel, form, done, ANNA).body == ""
    with keel.db.reading() as session:
        completion = session.scalars(select(Completion)).one()
    assert (completion.user_id, completion.confirmed_by) == (ANNA, ANNA)
    assert completion.expiry_date == date(2027, 11, 20)
    mine = training_of(keel, ANNA)
    assert any("valid until Sat 20 Nov 2027" in text for text in mrkdwn_texts(mine))
    told = keel.fake.wait_for(lambda: keel.fake.posts_to(ANNA))
    assert "Logged your completion of *Forklift licence*" in str(told[-1].args["text"])


def test_only_a_lead_opens_the_lead_forms(keel: RunningKeel) -> None:
    keel.slack.interaction(
        block_action("add_competence", "any", user=ANNA, response_url=keel.fake.response_url())
    )
    told = keel.fake.wait_for(lambda: keel.fake.calls_to("response_url"))
    assert "Only a quality lead can add competences." in str(told[-1].args)
    assert keel.fake.calls_to("views.open") == []


def _licence_expiring(keel: RunningKeel) -> int:
    keel.slack.command("training", user=LEAD)  # the workspace comes to be on first contact
    with keel.db.transaction() as session:
        workspace = session.scalars(select(Workspace)).one()
        licence = training.add_competence(
            session=session,
            workspace_id=workspace.id,
            actor=Actor(LEAD, is_lead=True),
            form=CompetenceForm(
                name="Forklift licence", kind=CompetenceKind.LICENCE, validity_months=12
            ),
            now=NOW,
        )
        training.log(  # expires Wed 23 Dec 2026: 30 days after Mon 23 Nov
            session=session,
            workspace_id=workspace.id,
            actor=Actor(ANNA),
            form=CompletionForm(
                person=None, competence_id=licence.id, completed=date(2025, 12, 23)
            ),
            today=NOW.date(),
            now=NOW,
        )
        return licence.id


def test_the_digest_refresher_line_logs_a_completion_and_ticks_off(keel: RunningKeel) -> None:
    licence_id = _licence_expiring(keel)
    run_nudges(NOW, keel.db, keel.runtime.deps.clients, "Europe/Berlin")
    # The digest, not whatever else reaches Anna first (a message may still be on its way).
    digest = keel.fake.wait_for(
        lambda: [m for m in keel.fake.posts_to(ANNA) if "Log completion" in str(m.args)]
    )[-1]
    texts = mrkdwn_texts(digest.args["blocks"])
    assert any("*Forklift licence* expires in 30 days, on Wed 23 Dec" in text for text in texts)
    button = find_button(digest.args["blocks"], "Log completion")
    assert button["value"] == str(licence_id)
    with keel.db.reading() as session:
        sent = session.scalars(select(DeliveryLedger).where(DeliveryLedger.kind == "digest")).one()

    before = len(keel.fake.calls_to("views.open"))
    keel.slack.interaction(
        block_action(
            button["action_id"],
            button["value"],
            user=ANNA,
            channel=sent.channel,
            message_ts=sent.ts,
            response_url=keel.fake.response_url(),
        )
    )
    form = keel.fake.wait_for(lambda: keel.fake.calls_to("views.open")[before:])[0].args["view"]
    competence = next(b for b in form["blocks"] if b["block_id"] == "competence")
    assert competence["element"]["initial_option"]["value"] == str(licence_id)
    values = {
        "competence": chosen(str(licence_id)),
        "completed_date": picked_date("2026-11-23"),
        "evidence": typed("Refresher course, trainer J. Moss"),
    }
    assert submit(keel, form, values, ANNA).body == ""

    def ticked() -> bool:
        edits = [c for c in keel.fake.calls_to("chat.update") if c.args.get("ts") == sent.ts]
        return bool(edits) and "~Forklift licence~ logged" in str(edits[-1].args["blocks"])

    keel.fake.wait_for(ticked)


def test_the_auditor_qualification_lets_its_holders_lead_an_audit(keel: RunningKeel) -> None:
    licence_id = _licence_expiring(keel)  # Anna holds it, valid until 23 Dec 2026
    process_id = with_process(keel)
    keel.slack.command("auditors <@ULISTED>", user=LEAD)
    view = open_from(keel, programme(keel), "Plan an audit", LEAD)
    refused = submit(keel, view, plan_values(process_id, ANNA), LEAD).json()
    assert "not on the list of qualified auditors" in refused["errors"]["lead_auditor"]

    form = open_from(keel, training_of(keel, LEAD), "Auditor qualification", LEAD)
    assert submit(keel, form, {"auditor_competence": chosen(str(licence_id))}, LEAD).body == ""
    summary = " ".join(mrkdwn_texts(training_of(keel, LEAD)))
    assert "Internal-auditor qualification: *Forklift licence*" in summary
    listed = keel.slack.command("auditors <@ULISTED>", user=LEAD).json()["text"]
    assert "and whoever holds a valid Forklift licence" in listed

    assert submit(keel, view, plan_values(process_id, ANNA), LEAD).body == ""
    late = plan_values(process_id, ANNA, planned_date=picked_date("2027-01-11"))
    lapsed = submit(keel, view, late, LEAD).json()
    assert "holds no valid Forklift licence on Mon 11 Jan" in lapsed["errors"]["lead_auditor"]


def test_a_lead_logs_a_completion_for_someone_else_who_is_told(keel: RunningKeel) -> None:
    licence_id = _licence_expiring(keel)
    form = open_from(keel, training_of(keel, LEAD), "Log for someone else", LEAD)
    assert form["blocks"][0]["block_id"] == "person"
    values = {
        "person": {"input": {"type": "users_select", "selected_user": "UBEN0002"}},
        "competence": chosen(str(licence_id)),
        "completed_date": picked_date("2026-11-16"),
        "evidence": typed("Practical test passed"),
    }
    assert submit(keel, form, values, LEAD).body == ""
    with keel.db.reading() as session:
        ben = session.scalars(select(Completion).where(Completion.user_id == "UBEN0002")).one()
    assert (ben.confirmed_by, ben.evidence) == (LEAD, "Practical test passed")
    told = keel.fake.wait_for(lambda: keel.fake.posts_to("UBEN0002"))
    assert f"<@{LEAD}> logged your completion of *Forklift licence*" in told[0].args["text"]

    before = len(keel.fake.calls_to("views.open"))
    keel.slack.interaction(
        block_action("log_completion_for", "any", user=ANNA, response_url=keel.fake.response_url())
    )
    refused = keel.fake.wait_for(lambda: keel.fake.calls_to("response_url"))
    assert "Only a quality lead can log a completion for someone else." in str(refused[-1].args)
    assert len(keel.fake.calls_to("views.open")) == before
    forged = dict(form, private_metadata='{"for_other": true}')
    answer = submit(keel, forged, dict(values, completed_date=picked_date("2026-11-17")), ANNA)
    assert "Only a quality lead" in str(answer.json())
