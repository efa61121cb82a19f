"""`/nc training`, its forms and the digest's refresher line, within Slack's limits: a
person with many competences, a matrix with hundreds of gaps, long and hostile names."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.domain.commands import ShowTraining, SuggestCommand, parse_command
from bot.domain.competence import Standing
from bot.domain.schedule import Urgency
from bot.forms.buttons import DamagedButton
from bot.forms.competence import (
    CompletionButton,
    parse_auditor_competence,
    parse_competence,
    parse_completion,
    parse_role,
)
from bot.forms.state import FormErrors
from bot.queries.competence import MatrixSummary
from bot.queries.digest_items import DigestLine
from bot.queries.training import Gap, Overview, PersonLine
from bot.views import training as views
from bot.views.digest import digest_blocks
from storage.models import Competence
from tests.blocks import button_labels, mrkdwn_texts
from tests.pure.blockkit import message_blocks, surface

TODAY = date(2026, 11, 23)
HOSTILE = "<!channel> & " + "x" * 300


def competence(n: int, name: str | None = None) -> Competence:
    return Competence(
        id=n,
        workspace_id=1,
        name=name or f"Competence {n}",
        kind="course",
        validity_months=12,
        created_at=datetime(2026, 1, 1),
    )


def line(n: int, state: Standing, *, name: str | None = None) -> PersonLine:
    done = None if state is Standing.MISSING else date(2026, 1, 1)
    expiry = {
        Standing.MISSING: None,
        Standing.EXPIRED: date(2026, 11, 1),
        Standing.EXPIRING: date(2026, 12, 10),
        Standing.VALID: date(2027, 6, 1),
    }[state]
    return PersonLine(n, name or f"Competence {n}", state, expiry, done, required=True)


def overview(gaps: int) -> Overview:
    return Overview(
        summary=MatrixSummary(people=400, valid=900, expiring=40, gaps=gaps),
        gaps=[Gap(HOSTILE, tuple(f"U{p:08d}" for p in range(60))) for _ in range(gaps)],
        expiring=[(f"U{p:08d}", HOSTILE, date(2026, 12, 1)) for p in range(40)],
        competences=120,
        roles=30,
    )


def test_a_member_with_many_competences_fits_in_one_message() -> None:
    lines = [line(n, list(Standing)[n % 4], name=HOSTILE) for n in range(200)]
    blocks = message_blocks(views.training_blocks(lines, TODAY))
    assert button_labels(blocks) == ["Log completion"]
    text = " ".join(mrkdwn_texts(blocks))
    assert "<!channel>" not in text and "&lt;!channel&gt; &amp;" in text
    assert "…and 35 more" in text


def test_a_lead_sees_the_matrix_summarised_within_limits() -> None:
    blocks = message_blocks(
        views.training_blocks([], TODAY, overview=overview(300), auditor_competence=HOSTILE)
    )
    assert button_labels(blocks) == [
        "Log completion",
        "Add competence",
        "Add role",
        "Log for someone else",
        "Auditor qualification",
    ]
    text = " ".join(mrkdwn_texts(blocks))
    assert "*Missing or expired*\n300" in text
    assert "60 people" in text and "and 55 more" in text
    assert "…and 292 more competences with gaps" in text
    assert "<!channel>" not in text


def test_gaps_expiring_and_valid_read_as_people_read_dates() -> None:
    lines = [
        line(1, Standing.MISSING, name="Forklift licence"),
        line(2, Standing.EXPIRED, name="First aid"),
        line(3, Standing.EXPIRING, name="Site induction"),
        line(4, Standing.VALID, name="ISO 19011"),
    ]
    text = "\n".join(mrkdwn_texts(message_blocks(views.training_blocks(lines, TODAY))))
    assert "*Forklift licence* — not done yet" in text
    assert "*First aid* — expired on Sun 1 Nov" in text
    assert "*Site induction* — expires in 17 days, on Thu 10 Dec" in text
    assert "*ISO 19011* — valid until Tue 1 Jun 2027" in text
    assert views.training_text(lines) == "Your training: 2 gaps, 1 expiring within 30 days."


def test_the_forms_are_valid_modals_even_with_hundreds_of_competences() -> None:
    many = [competence(n, HOSTILE) for n in range(1, 300)]
    own = surface(views.completion_form(many, TODAY, chosen=7))
    assert own["title"]["text"] == "Log completion"
    assert "person" not in {b.get("block_id") for b in own["blocks"]}
    for_other = surface(views.completion_form(many, TODAY, for_other=True))
    assert for_other["blocks"][0]["block_id"] == "person"
    surface(views.competence_form())
    surface(views.role_form(many))
    surface(views.role_form([]))
    qualification = surface(views.auditor_competence_form(many, 5))
    (select,) = [b for b in qualification["blocks"] if b.get("block_id") == "auditor_competence"]
    assert len(select["element"]["options"]) == 100
    surface(views.no_competences_form())


def test_the_digest_refresher_line_offers_log_completion() -> None:
    soon = DigestLine(
        "refresher:4:soon",
        "refresher",
        9,
        HOSTILE,
        "Refresher",
        date(2026, 12, 23),
        Urgency.DUE_SOON,
    )
    expired = soon._replace(key="refresher:4:expired", urgency=Urgency.OVERDUE, due=TODAY)
    blocks = message_blocks(digest_blocks([soon, expired], TODAY))
    assert button_labels(blocks) == ["Log completion", "Log completion"]
    text = " ".join(mrkdwn_texts(blocks))
    assert "expires in 30 days, on Wed 23 Dec: time for a refresher" in text
    assert "expired on Mon 23 Nov" in text and "<!channel>" not in text
    ticked = message_blocks(digest_blocks([soon._replace(urgency=None)], TODAY))
    assert button_labels(ticked) == []
    assert "<!channel>" not in " ".join(mrkdwn_texts(ticked))


def test_training_is_a_subcommand_and_its_typo_is_suggested() -> None:
    assert parse_command("training") == ShowTraining()
    assert parse_command("Training matrix") == ShowTraining()
    assert parse_command("trainig") == SuggestCommand(suggestion="training", title="trainig")


def _input(value: object, key: str = "value", kind: str = "plain_text_input") -> dict[str, object]:
    return {"input": {"type": kind, key: value}}


def test_completion_forms_are_parsed_with_clear_errors() -> None:
    with pytest.raises(FormErrors) as missing:
        parse_completion({}, today=TODAY, for_other=True)
    assert set(missing.value.errors) == {"person", "competence", "completed_date"}
    values = {
        "competence": _input({"value": "3"}, "selected_option", "static_select"),
        "completed_date": _input("2026-11-20", "selected_date", "datepicker"),
        "evidence": _input("x" * 1001),
    }
    with pytest.raises(FormErrors) as long:
        parse_completion(values, today=TODAY, for_other=False)
    assert long.value.errors == {"evidence": "Keep it under 1000 characters."}
    values["evidence"] = _input("Certificate 881")
    parsed = parse_completion(values, today=TODAY, for_other=False)
    assert (parsed.person, parsed.competence_id, parsed.completed) == (None, 3, date(2026, 11, 20))
    values["competence"] = _input({"value": "-1"}, "selected_option", "static_select")
    with pytest.raises(FormErrors):
        parse_completion(values, today=TODAY, for_other=False)


def test_competence_role_and_qualification_forms() -> None:
    competence_values = {
        "competence_name": _input("First aid"),
        "competence_kind": _input({"value": "course"}, "selected_option", "static_select"),
        "validity_months": _input("0"),
    }
    with pytest.raises(FormErrors) as zero:
        parse_competence(competence_values)
    assert "validity_months" in zero.value.errors
    competence_values["validity_months"] = _input(None)
    assert parse_competence(competence_values).validity_months is None
    role = parse_role(
        {
            "role_name": _input("Forklift driver"),
            "role_members": _input(["UA", "UA", "UB"], "selected_users", "multi_users_select"),
            "role_competences": _input(
                [{"value": "2"}, {"value": "2"}], "selected_options", "multi_static_select"
            ),
        }
    )
    assert (role.members, role.competence_ids) == (("UA", "UB"), (2,))
    choose = "auditor_competence"
    assert parse_auditor_competence({choose: _input({"value": "none"}, "selected_option")}) is None
    assert parse_auditor_competence({choose: _input({"value": "8"}, "selected_option")}) == 8
    with pytest.raises(FormErrors):
        parse_auditor_competence({choose: _input({"value": "x"}, "selected_option")})


def test_a_damaged_log_completion_button_is_refused() -> None:
    assert CompletionButton.read({"value": "any"}).competence_id is None
    assert CompletionButton.read({"value": "12"}).competence_id == 12
    for bad in ("", "-3", "1e3", None, "9" * 30):
        with pytest.raises(DamagedButton):
            CompletionButton.read({"value": bad})
