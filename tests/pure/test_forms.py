"""The record form's view state parsed into a RecordForm, or errors keyed by block id."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.records import RecordKind, Severity
from bot.forms.record import (
    CONTAINMENT_MAX,
    DESCRIPTION_MAX,
    LOCATION_MAX,
    TITLE_MAX,
    FormErrors,
    RecordForm,
    RecordMetadata,
    parse_record_form,
)
from bot.views.record_form import record_form
from tests.pure.factories import TODAY
from tests.slack_requests import form_values

NO_METADATA = RecordMetadata()


def errors_for(values: dict[str, Any], today: date = TODAY) -> dict[str, str]:
    with pytest.raises(FormErrors) as raised:
        parse_record_form(values, NO_METADATA, today=today)
    return raised.value.errors


INPUT_BLOCK_IDS = {
    block["block_id"]
    for block in record_form(today=TODAY, metadata=NO_METADATA).to_dict()["blocks"]
    if block["type"] == "input"
}


def test_valid_input_becomes_a_record_form() -> None:
    form = parse_record_form(form_values(), NO_METADATA, today=TODAY)
    assert form == RecordForm(
        kind=RecordKind.NONCONFORMITY,
        title="Wrong label on batch 2231",
        description="Batch 2231 left with the label of 2213.",
        location=None,
        occurred_date=date(2026, 11, 20),
        severity=Severity.MEDIUM,
        containment=None,
        anonymous=False,
        permalink=None,
    )


def test_optional_fields_are_kept() -> None:
    values = form_values(location="Line 3", containment="Batch quarantined.", severity="high")
    form = parse_record_form(values, NO_METADATA, today=TODAY)
    assert (form.location, form.containment, form.severity) == (
        "Line 3",
        "Batch quarantined.",
        Severity.HIGH,
    )


def test_text_is_stripped() -> None:
    form = parse_record_form(form_values(title="  Wrong label \n"), NO_METADATA, today=TODAY)
    assert form.title == "Wrong label"


def test_blank_optional_text_is_none() -> None:
    values = form_values(location="   ", containment="\n")
    form = parse_record_form(values, NO_METADATA, today=TODAY)
    assert form.location is None
    assert form.containment is None


def test_no_severity_is_an_error_on_severity_never_a_silent_medium() -> None:
    assert set(errors_for(form_values(severity=None))) == {"severity"}


def test_the_permalink_comes_from_the_metadata() -> None:
    metadata = RecordMetadata(
        channel_id="C1", permalink="https://keel-test.slack.com/archives/C1/p1"
    )
    form = parse_record_form(form_values(), metadata, today=TODAY)
    assert form.permalink == "https://keel-test.slack.com/archives/C1/p1"


@pytest.mark.parametrize(
    ("missing", "block_id"),
    [
        ({"title": None}, "title"),
        ({"description": None}, "description"),
        ({"kind": None}, "kind"),
        ({"occurred": None}, "occurred"),
    ],
)
def test_a_missing_required_field_is_an_error_on_its_block(
    missing: dict[str, Any], block_id: str
) -> None:
    assert set(errors_for(form_values(**missing))) == {block_id}


def test_every_missing_required_field_is_reported_at_once() -> None:
    values = form_values(title=None, description=None, kind=None, occurred=None)
    assert set(errors_for(values)) == {"title", "description", "kind", "occurred"}


def test_an_empty_state_is_errors_not_a_traceback() -> None:
    assert set(errors_for({})) == {"title", "description", "kind", "occurred", "severity"}


@pytest.mark.parametrize("blank", ["   ", "\n\t ", "\u00a0"])
def test_a_whitespace_only_title_is_an_error(blank: str) -> None:
    assert set(errors_for(form_values(title=blank))) == {"title"}


def test_a_whitespace_only_description_is_an_error() -> None:
    assert set(errors_for(form_values(description=" \n "))) == {"description"}


def test_a_date_after_today_is_an_error_on_occurred() -> None:
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    assert set(errors_for(form_values(occurred=tomorrow))) == {"occurred"}


def test_today_is_a_valid_date() -> None:
    form = parse_record_form(form_values(occurred=TODAY.isoformat()), NO_METADATA, today=TODAY)
    assert form.occurred_date == TODAY


def test_an_unreadable_date_is_an_error_on_occurred() -> None:
    assert set(errors_for(form_values(occurred="2026-13-45"))) == {"occurred"}


def test_an_unknown_kind_is_an_error_on_kind() -> None:
    assert set(errors_for(form_values(kind="gossip"))) == {"kind"}


def test_an_unknown_severity_is_an_error_on_severity() -> None:
    assert set(errors_for(form_values(severity="apocalyptic"))) == {"severity"}


def test_anonymous_on_a_nonconformity_is_an_error_on_anonymous() -> None:
    assert set(errors_for(form_values(kind="nonconformity", anonymous=True))) == {"anonymous"}


def test_anonymous_on_a_near_miss_is_accepted() -> None:
    values = form_values(kind="near_miss", anonymous=True)
    form = parse_record_form(values, NO_METADATA, today=TODAY)
    assert form.anonymous is True
    assert form.kind is RecordKind.NEAR_MISS


def test_future_date_and_anonymous_misuse_are_reported_together() -> None:
    future = (TODAY + timedelta(days=3)).isoformat()
    values = form_values(kind="incident", anonymous=True, occurred=future)
    assert set(errors_for(values)) == {"occurred", "anonymous"}


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("title", TITLE_MAX),
        ("description", DESCRIPTION_MAX),
        ("location", LOCATION_MAX),
        ("containment", CONTAINMENT_MAX),
    ],
)
def test_an_over_long_field_is_an_error_on_its_block(field: str, limit: int) -> None:
    assert set(errors_for(form_values(**{field: "x" * (limit + 1)}))) == {field}


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("title", TITLE_MAX),
        ("description", DESCRIPTION_MAX),
        ("location", LOCATION_MAX),
        ("containment", CONTAINMENT_MAX),
    ],
)
def test_a_field_of_exactly_its_limit_is_accepted(field: str, limit: int) -> None:
    form = parse_record_form(form_values(**{field: "x" * limit}), NO_METADATA, today=TODAY)
    assert len(getattr(form, field)) == limit


def test_error_messages_are_sentences_for_people() -> None:
    values = form_values(title=None, description=None, kind=None, occurred=None)
    for message in errors_for(values).values():
        assert message.strip()
        assert message[0].isupper()


def test_metadata_survives_a_dump_and_load() -> None:
    metadata = RecordMetadata(
        channel_id="C1", permalink="https://keel-test.slack.com/archives/C1/p1700000000000200"
    )
    assert RecordMetadata.load(metadata.dump()) == metadata


def test_empty_metadata_dumps_small() -> None:
    assert RecordMetadata().dump() == "{}"


@pytest.mark.parametrize(
    "raw", [None, "", "not json", "[1, 2]", '"text"', "42", '{"channel_id": 5}', "{"]
)
def test_loading_garbage_metadata_gives_empty_metadata(raw: str | None) -> None:
    assert RecordMetadata.load(raw) == RecordMetadata()


def test_loading_metadata_ignores_unknown_keys() -> None:
    assert RecordMetadata.load('{"channel_id": "C1", "extra": 1}') == RecordMetadata(
        channel_id="C1"
    )


@settings(max_examples=200, deadline=None)
@given(channel_id=st.none() | st.text(), permalink=st.none() | st.text())
def test_any_metadata_survives_a_dump_and_load(
    channel_id: str | None, permalink: str | None
) -> None:
    metadata = RecordMetadata(channel_id=channel_id, permalink=permalink)
    assert RecordMetadata.load(metadata.dump()) == metadata


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_loading_any_text_as_metadata_never_raises(raw: str) -> None:
    assert isinstance(RecordMetadata.load(raw), RecordMetadata)


optional_text = st.none() | st.text()
choice = st.none() | st.text() | st.sampled_from([*RecordKind, *Severity]).map(str)
any_date = st.none() | st.dates(min_value=date(1, 1, 1)).map(date.isoformat) | st.text()


@settings(max_examples=200, deadline=None)
@given(
    kind=choice,
    title=optional_text,
    description=optional_text,
    location=optional_text,
    containment=optional_text,
    severity=choice,
    occurred=any_date,
    anonymous=st.booleans(),
    today=st.dates(),
)
def test_any_submission_is_a_form_or_errors_on_input_blocks(
    kind: str | None,
    title: str | None,
    description: str | None,
    location: str | None,
    containment: str | None,
    severity: str | None,
    occurred: str | None,
    anonymous: bool,
    today: date,
) -> None:
    values = form_values(
        kind=kind,
        title=title,
        description=description,
        location=location,
        containment=containment,
        severity=severity,
        occurred=occurred,
        anonymous=anonymous,
    )
    try:
        form = parse_record_form(values, NO_METADATA, today=today)
    except FormErrors as error:
        assert error.errors
        assert set(error.errors) <= INPUT_BLOCK_IDS
        assert all(isinstance(message, str) and message for message in error.errors.values())
    else:
        assert isinstance(form, RecordForm)
        assert form.occurred_date <= today


@pytest.mark.parametrize("occurred", ["0001-01-01", "1899-12-31"])
def test_a_date_before_1900_is_an_error_on_occurred(occurred: str) -> None:
    with pytest.raises(FormErrors) as error:
        parse_record_form(form_values(occurred=occurred), NO_METADATA, today=TODAY)
    assert error.value.errors == {
        "occurred": "That date is too far back: pick the day it happened."
    }


def test_a_process_the_form_may_name_is_kept() -> None:
    values = form_values()
    values["process"] = {"input": {"selected_option": {"value": "7"}}}
    form = parse_record_form(values, NO_METADATA, today=TODAY, process_ids={7})
    assert form.process_id == 7


@pytest.mark.parametrize("raw", ["8", "9" * 400, "seven", "-1"])
def test_a_process_the_form_may_not_name_is_an_error_on_process(raw: str) -> None:
    values = form_values()
    values["process"] = {"input": {"selected_option": {"value": raw}}}
    with pytest.raises(FormErrors) as error:
        parse_record_form(values, NO_METADATA, today=TODAY, process_ids={7})
    assert set(error.value.errors) == {"process"}


def test_a_forged_permalink_is_not_kept() -> None:
    metadata = RecordMetadata.load('{"permalink": "https://evil.example/x|click"}')
    assert parse_record_form(form_values(), metadata, today=TODAY).permalink is None
