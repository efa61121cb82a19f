"""The /nc modal and what it turns into once the record is saved."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.records import REPORTABLE_KINDS, RecordKind
from bot.forms.record import DESCRIPTION_MAX, TITLE_MAX, RecordMetadata
from bot.views.record_form import record_form, record_raised
from tests.blocks import mrkdwn_texts
from tests.pure.blockkit import surface, walk
from tests.pure.factories import TODAY

PERMALINK = "https://keel-test.slack.com/archives/CGENERAL/p1726133700887259"


def form(**kwargs: Any) -> dict[str, Any]:
    kwargs.setdefault("metadata", RecordMetadata(channel_id="CGENERAL"))
    return surface(record_form(today=TODAY, **kwargs))


def block(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


def test_the_form_is_a_valid_modal() -> None:
    view = form()
    assert view["type"] == "modal"
    assert view["callback_id"] == "raise_record"


def test_the_form_asks_for_every_field_the_parser_reads() -> None:
    ids = [b["block_id"] for b in form()["blocks"] if b["type"] == "input"]
    assert ids == [
        "kind",
        "title",
        "description",
        "occurred",
        "location",
        "severity",
        "containment",
        "anonymous",
    ]


def test_only_reportable_kinds_are_offered() -> None:
    offered = [o["value"] for o in block(form(), "kind")["element"]["options"]]
    assert offered == [kind.value for kind in REPORTABLE_KINDS]
    assert RecordKind.AUDIT_FINDING.value not in offered


def test_the_kind_says_how_an_incident_differs_from_a_near_miss() -> None:
    kind = block(form(), "kind")
    labels = [o["text"]["text"] for o in kind["element"]["options"]]
    assert "Opportunity for improvement" in labels
    assert kind["hint"]["text"] == (
        "Incident: someone was injured or made ill at work. Near miss: no one was, but "
        "someone could have been."
    )


@pytest.mark.parametrize("kind", REPORTABLE_KINDS)
def test_the_chosen_kind_is_preselected(kind: RecordKind) -> None:
    element = block(form(kind=kind), "kind")["element"]
    assert element["initial_option"]["value"] == kind.value


def test_the_date_defaults_to_today() -> None:
    assert block(form(), "occurred")["element"]["initial_date"] == TODAY.isoformat()


def test_required_and_optional_fields() -> None:
    optional = {b["block_id"] for b in form()["blocks"] if b.get("optional")}
    assert optional == {"location", "containment", "anonymous"}


def test_severity_is_asked_for_and_none_is_preselected() -> None:
    severity = block(form(), "severity")
    assert not severity.get("optional")
    assert "initial_option" not in severity["element"]


def test_the_title_is_prefilled() -> None:
    element = block(form(title="Forklift brakes soft"), "title")["element"]
    assert element["initial_value"] == "Forklift brakes soft"


def test_an_empty_title_is_not_prefilled() -> None:
    assert "initial_value" not in block(form(title=""), "title")["element"]


def test_a_long_prefill_is_cut_to_what_the_input_accepts() -> None:
    view = form(title="t" * 1000, description="d" * 10_000)
    assert len(block(view, "title")["element"]["initial_value"]) <= TITLE_MAX
    assert len(block(view, "description")["element"]["initial_value"]) <= DESCRIPTION_MAX


def test_every_text_input_has_a_max_length() -> None:
    inputs = [p for p in walk(form()) if p.get("type") == "plain_text_input"]
    assert inputs
    assert all(0 < p["max_length"] <= 3000 for p in inputs)


def test_the_metadata_comes_back_from_private_metadata() -> None:
    metadata = RecordMetadata(channel_id="CGENERAL", permalink=PERMALINK)
    view = form(metadata=metadata)
    assert RecordMetadata.load(view["private_metadata"]) == metadata


def test_a_form_raised_from_a_message_links_to_it() -> None:
    view = form(metadata=RecordMetadata(channel_id="CGENERAL", permalink=PERMALINK))
    assert any(PERMALINK in text for text in mrkdwn_texts(view))


def test_a_prefilled_mention_stays_out_of_mrkdwn() -> None:
    view = form(title="<!channel> spill", description="<!here> <@U1> oil on the floor")
    assert not any("<!" in text or "<@" in text for text in mrkdwn_texts(view))


@settings(max_examples=200, deadline=None)
@given(title=st.text(), description=st.text(), kind=st.sampled_from(REPORTABLE_KINDS))
def test_any_prefill_gives_a_valid_modal(title: str, description: str, kind: RecordKind) -> None:
    form(title=title, description=description, kind=kind)


def test_record_raised_is_a_valid_modal_naming_the_reference() -> None:
    view = surface(
        record_raised(reference="NC-0007", title="Wrong label", anonymous=False, channel="CQ")
    )
    assert view["callback_id"] == "record_raised"
    text = "\n".join(mrkdwn_texts(view))
    assert "NC-0007" in text
    assert "<#CQ>" in text


def test_record_raised_escapes_the_title() -> None:
    view = surface(
        record_raised(reference="NC-0007", title="<!channel> & co", anonymous=False, channel=None)
    )
    text = "\n".join(mrkdwn_texts(view))
    assert "<!channel>" not in text
    assert "&lt;!channel&gt; &amp; co" in text


def test_record_raised_without_a_channel_says_so() -> None:
    view = surface(record_raised(reference="NC-0007", title="x", anonymous=False, channel=None))
    assert "No quality channel" in "\n".join(mrkdwn_texts(view))


def test_record_raised_anonymously_says_nothing_was_kept() -> None:
    view = surface(record_raised(reference="NC-0007", title="x", anonymous=True, channel="CQ"))
    assert "anonymously" in "\n".join(mrkdwn_texts(view))
