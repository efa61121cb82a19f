"""The small modals behind card and action buttons: valid Block Kit, labelled, escaped."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from slack_sdk.models.views import View

from bot.domain.actions import DEFAULT_CAUSE_CATEGORIES, ActionKind
from bot.domain.records import RecordStatus, Severity
from bot.domain.transitions import RECORD_MOVES
from bot.views import closing, modals
from tests.blocks import mrkdwn_texts
from tests.pure.action_factories import make_action, make_process
from tests.pure.blockkit import SURFACE_BLOCKS_MAX, surface, walk
from tests.pure.factories import TODAY, make_record

PING = "<!channel>"
HOSTILE = f"{PING} R&D <@UEVE> <https://evil.example|x>"
CATEGORIES = list(DEFAULT_CAUSE_CATEGORIES)
MODAL_TEXT_MAX = 24
WHYS = ["why_1", "why_2", "why_3", "why_4", "why_5"]

RECORD = make_record(id=11)
ACTION = make_action(id=31)

RECORD_MODALS: dict[str, Callable[[Any], View]] = {
    "assign_owner": modals.assign_owner,
    "five_whys": lambda record: modals.five_whys(record, CATEGORIES),
    "change_status": lambda record: modals.change_status(
        record, sorted(RECORD_MOVES[RecordStatus(record.status)])
    ),
    "change_severity": modals.change_severity,
    "reject": modals.reject,
    "close_ready": lambda record: closing.close(record, [], is_lead=False),
    "close_blocked": lambda record: closing.close(record, ["it has no actions"], is_lead=False),
    "close_lead": lambda record: closing.close(record, ["it has no actions"], is_lead=True),
    "add_action": lambda record: modals.add_action(record, TODAY),
}

ACTION_MODALS: dict[str, Callable[[Any, Any], View]] = {
    "mark_done": modals.mark_done,
    "extend_due": modals.extend_due,
    "reassign": modals.reassign,
    "blocked": modals.blocked,
    "verify": modals.verify,
    "cancel_action": modals.cancel_action,
}


def every_modal(record: Any = RECORD, action: Any = ACTION) -> dict[str, View]:
    views = {name: build(record) for name, build in RECORD_MODALS.items()}
    views |= {name: build(action, record) for name, build in ACTION_MODALS.items()}
    views["processes_empty"] = modals.processes([])
    views["processes"] = modals.processes([make_process(1), make_process(2, owner_id=None)])
    return views


ALL = every_modal()


def input_block_ids(raw: dict[str, Any]) -> list[str]:
    return [block["block_id"] for block in raw["blocks"] if block["type"] == "input"]


def assert_inert(text: str) -> None:
    """No mrkdwn control character from user text survives: only whole entities."""
    assert PING not in text
    rest = re.sub(r"&(amp|lt|gt);", "", text)
    assert "<" not in rest, text
    assert ">" not in rest, text
    assert "&" not in rest, text


# Valid and labelled


@pytest.mark.parametrize("name", list(ALL))
def test_every_modal_is_valid_block_kit(name: str) -> None:
    raw = surface(ALL[name])
    assert len(raw["blocks"]) <= SURFACE_BLOCKS_MAX


@pytest.mark.parametrize("name", list(ALL))
def test_modal_title_submit_and_close_fit_slacks_limit(name: str) -> None:
    raw = ALL[name].to_dict()
    for key in ("title", "submit", "close"):
        if key in raw:
            assert 0 < len(raw[key]["text"]) <= MODAL_TEXT_MAX, (key, raw[key])


@pytest.mark.parametrize("name", list(ALL))
def test_every_modal_has_a_close_button(name: str) -> None:
    assert ALL[name].to_dict()["close"]["text"] in ("Cancel", "Close")


@pytest.mark.parametrize("name", list(RECORD_MODALS))
def test_a_record_modal_carries_the_record_id(name: str) -> None:
    assert json.loads(ALL[name].to_dict()["private_metadata"]) == {"record": 11}


@pytest.mark.parametrize("name", list(ACTION_MODALS))
def test_an_action_modal_carries_the_action_id(name: str) -> None:
    assert json.loads(ALL[name].to_dict()["private_metadata"]) == {"action": 31}


@pytest.mark.parametrize("name", list(ALL))
def test_every_input_is_labelled_for_a_person(name: str) -> None:
    for block in ALL[name].to_dict()["blocks"]:
        if block["type"] == "input":
            label = block["label"]["text"]
            assert label.strip()
            assert label[0].isupper(), label


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("assign_owner", ["owner"]),
        ("five_whys", [*WHYS, "root_cause", "cause_category", "elsewhere"]),
        ("change_status", ["status"]),
        ("change_severity", ["severity"]),
        ("reject", ["reason"]),
        ("close_ready", ["risks_update", "system_change", "closing_changes"]),
        ("close_blocked", []),
        ("close_lead", ["reason", "risks_update", "system_change", "closing_changes"]),
        (
            "add_action",
            ["action_kind", "description", "owner", "due_date", "check_date", "criterion"],
        ),
        ("mark_done", ["evidence"]),
        ("extend_due", ["due_date", "reason"]),
        ("reassign", ["owner"]),
        ("blocked", ["reason"]),
        ("verify", ["outcome", "note", "due_date"]),
        ("cancel_action", ["reason"]),
        ("processes", ["process_name", "process_owner"]),
    ],
)
def test_each_modal_asks_for_what_its_parser_reads(name: str, expected: list[str]) -> None:
    assert input_block_ids(ALL[name].to_dict()) == expected


# What each modal offers


def test_five_whys_offers_the_workspace_categories_and_prefills_what_is_known() -> None:
    record = make_record(
        whys=["Printed by hand.", "Printer down."],
        root_cause="No fallback printer.",
        cause_category="machine",
        elsewhere="Line 2.",
    )
    raw = surface(modals.five_whys(record, CATEGORIES))
    by_id = {block.get("block_id"): block for block in raw["blocks"]}
    assert by_id["why_1"]["element"]["initial_value"] == "Printed by hand."
    assert by_id["why_2"]["element"]["initial_value"] == "Printer down."
    assert "initial_value" not in by_id["why_3"]["element"]
    assert by_id["root_cause"]["element"]["initial_value"] == "No fallback printer."
    select = by_id["cause_category"]["element"]
    assert [o["value"] for o in select["options"]] == CATEGORIES
    assert select["initial_option"]["value"] == "machine"
    assert by_id["elsewhere"]["element"]["initial_value"] == "Line 2."


def test_five_whys_names_the_cause_categories_in_plain_words_and_stores_the_names() -> None:
    raw = surface(modals.five_whys(RECORD, ["method", "Machine", "Mould tooling"]))
    select = next(b for b in raw["blocks"] if b.get("block_id") == "cause_category")["element"]
    assert [(o["text"]["text"], o["value"]) for o in select["options"]] == [
        ("How the work is done (method)", "method"),
        ("Equipment and tools (machine)", "Machine"),
        ("Mould tooling", "Mould tooling"),  # a workspace's own category, as written
    ]


def test_five_whys_only_the_first_why_is_required() -> None:
    raw = surface(modals.five_whys(RECORD, CATEGORIES))
    optional = {b["block_id"]: b.get("optional", False) for b in raw["blocks"] if "label" in b}
    assert optional["why_1"] is False
    assert all(optional[f"why_{n}"] for n in range(2, 6))


@pytest.mark.parametrize("status", list(RecordStatus))
def test_change_status_offers_exactly_the_allowed_moves(status: RecordStatus) -> None:
    targets = sorted(RECORD_MOVES[status])
    raw = surface(modals.change_status(make_record(status=status.value), targets))
    (select,) = [b["element"] for b in raw["blocks"] if b.get("block_id") == "status"]
    assert [o["value"] for o in select["options"]] == [t.value for t in targets]


def test_change_severity_offers_every_severity_and_preselects_the_current_one() -> None:
    raw = surface(modals.change_severity(make_record(severity="high")))
    (select,) = [b["element"] for b in raw["blocks"] if b.get("block_id") == "severity"]
    assert [o["value"] for o in select["options"]] == [s.value for s in Severity]
    assert select["initial_option"]["value"] == "high"


def test_add_action_offers_every_kind_with_corrective_preselected() -> None:
    raw = surface(modals.add_action(RECORD, TODAY))
    (select,) = [b["element"] for b in raw["blocks"] if b.get("block_id") == "action_kind"]
    assert [o["value"] for o in select["options"]] == [k.value for k in ActionKind]
    assert select["initial_option"]["value"] == "corrective"


def test_a_close_modal_without_blockers_can_be_submitted() -> None:
    raw = surface(closing.close(RECORD, [], is_lead=False))
    assert raw["submit"]["text"] == "Close"


def test_a_blocked_close_modal_for_a_non_lead_cannot_be_submitted() -> None:
    raw = surface(closing.close(RECORD, ["it has no actions"], is_lead=False))
    assert "submit" not in raw
    text = "\n".join(mrkdwn_texts(raw))
    assert "• it has no actions" in text
    assert "A quality lead can close it anyway" in text


def test_a_blocked_close_modal_for_a_lead_asks_for_a_reason_to_override() -> None:
    raw = surface(closing.close(RECORD, ["it has no actions"], is_lead=True))
    assert raw["submit"]["text"] == "Close anyway"
    assert input_block_ids(raw) == ["reason", "risks_update", "system_change", "closing_changes"]


def test_closing_asks_the_two_questions_of_10_2_1_optional_and_unanswered() -> None:
    raw = surface(closing.close(RECORD, [], is_lead=False))
    questions = {b["block_id"]: b for b in raw["blocks"] if b["type"] == "input"}
    for block_id in ("risks_update", "system_change"):
        element = questions[block_id]["element"]
        assert element["type"] == "radio_buttons"
        assert [o["text"]["text"] for o in element["options"]] == ["No", "Yes"]
        assert "initial_option" not in element  # nobody's answer is chosen for them
        assert questions[block_id]["optional"] is True
    labels = [questions[b]["label"]["text"] for b in ("risks_update", "system_change")]
    assert labels == [
        "Do the risks and opportunities need updating?",
        "Does the management system need changing?",
    ]


def test_closing_an_incident_cites_iso_45001_in_its_hints() -> None:
    raw = surface(closing.close(make_record(kind="incident"), [], is_lead=False))
    hints = [b["hint"]["text"] for b in raw["blocks"] if b.get("block_id") == "risks_update"]
    assert hints == ["ISO 45001 10.2 d: review the assessment of OH&S risks and other risks."]


def test_an_opportunity_for_improvement_closes_without_the_questions() -> None:
    raw = surface(closing.close(make_record(kind="improvement"), [], is_lead=False))
    assert input_block_ids(raw) == []


def test_verify_offers_effective_and_not_effective() -> None:
    raw = surface(modals.verify(make_action(status="done", evidence="QP-12 rev 3."), RECORD))
    (radio,) = [b["element"] for b in raw["blocks"] if b.get("block_id") == "outcome"]
    assert radio["type"] == "radio_buttons"
    assert [o["value"] for o in radio["options"]] == ["effective", "not_effective"]
    text = "\n".join(mrkdwn_texts(raw))
    assert "Evidence: QP-12 rev 3." in text
    assert "Effective when: No mislabelled batch in the next 3 months." in text


def test_an_action_modal_names_the_action_and_its_due_date() -> None:
    raw = surface(modals.mark_done(make_action(number=2), make_record(number=7)))
    assert "*NC-0007/A2* · due Tue 1 Dec" in "\n".join(mrkdwn_texts(raw))


def test_the_processes_modal_lists_each_process_with_an_owner_picker() -> None:
    raw = surface(modals.processes([make_process(1, name="Purchasing", owner_id="UPAT")]))
    (row,) = [b for b in raw["blocks"] if b.get("block_id") == "process_owner:1"]
    assert row["text"]["text"] == "Purchasing"
    assert row["accessory"]["type"] == "users_select"
    assert row["accessory"]["action_id"] == "process_owner_pick"
    assert row["accessory"]["initial_user"] == "UPAT"


def test_the_empty_processes_modal_invites_the_first_one() -> None:
    raw = surface(modals.processes([]))
    assert any("No processes yet" in text for text in mrkdwn_texts(raw))


def test_the_processes_modal_with_60_processes_stays_within_the_block_limit() -> None:
    raw = surface(modals.processes([make_process(n) for n in range(1, 61)]))
    assert len(raw["blocks"]) <= SURFACE_BLOCKS_MAX


def test_the_processes_modal_with_60_processes_accounts_for_every_one() -> None:
    raw = surface(modals.processes([make_process(n) for n in range(1, 61)]))
    listed = [b for b in raw["blocks"] if b.get("block_id", "").startswith("process_owner:")]
    said = " ".join(str(part["text"]) for part in walk(raw) if isinstance(part.get("text"), str))
    assert len(listed) == 60 or "20 more" in said


# User text is escaped wherever it lands in mrkdwn


def hostile_modals() -> dict[str, View]:
    record = make_record(id=11, title=HOSTILE, root_cause=HOSTILE, whys=[HOSTILE])
    action = make_action(
        description=HOSTILE, evidence=HOSTILE, effectiveness_criterion=HOSTILE, status="done"
    )
    views = every_modal(record, action)
    views["processes"] = modals.processes([make_process(1, name=HOSTILE)])
    views["close_blocked"] = closing.close(record, [HOSTILE], is_lead=True)
    return views


HOSTILE_MODALS = hostile_modals()


@pytest.mark.parametrize("name", list(HOSTILE_MODALS))
def test_user_text_is_escaped_in_every_mrkdwn_text(name: str) -> None:
    raw = surface(HOSTILE_MODALS[name])
    for text in mrkdwn_texts(raw):
        assert_inert(text)


@pytest.mark.parametrize("name", [*RECORD_MODALS, *ACTION_MODALS])
def test_user_text_is_shown_escaped_not_dropped(name: str) -> None:
    texts = "\n".join(mrkdwn_texts(surface(HOSTILE_MODALS[name])))
    assert "&lt;!channel&gt; R&amp;D &lt;@UEVE&gt;" in texts


def test_a_process_name_is_plain_text_in_the_processes_modal() -> None:
    raw = surface(HOSTILE_MODALS["processes"])
    (row,) = [b for b in raw["blocks"] if b.get("block_id") == "process_owner:1"]
    assert row["text"] == {"type": "plain_text", "text": HOSTILE, "emoji": True}


def test_long_user_text_is_cut_to_the_input_limits() -> None:
    record = make_record(whys=["x" * 900], root_cause="y" * 5000, elsewhere="z" * 5000)
    raw = surface(modals.five_whys(record, CATEGORIES))
    for block in raw["blocks"]:
        element = block.get("element", {})
        if "initial_value" in element:
            assert len(element["initial_value"]) <= element["max_length"]
