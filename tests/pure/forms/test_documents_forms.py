"""The documents forms and buttons: every bad field named, a link only if it is a web
address, a damaged button refused with a way back."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.forms.buttons import DamagedButton
from bot.forms.documents import ReadButton, ReviewButton, parse_document, parse_revision
from bot.forms.state import FormErrors
from tests.wiring.flows import chosen, picked_date, picked_user, typed

TODAY = date(2026, 11, 23)


def values(**overrides: Any) -> dict[str, Any]:
    base = {
        "doc_reference": typed("PR-012"),
        "title": typed("Control of nonconforming output"),
        "doc_version": typed("3"),
        "owner": picked_user("UOWNER"),
        "doc_link": typed("https://drive.example.com/d/1"),
        "review_months": typed("24"),
        "last_reviewed": picked_date("2026-01-10"),
        "process": chosen("4"),
    }
    base.update(overrides)
    return base


def test_a_good_entry_is_parsed() -> None:
    fields = parse_document(values(), processes={4}, today=TODAY)
    assert (fields.reference, fields.review_months, fields.process_id) == ("PR-012", 24, 4)
    assert fields.last_reviewed == date(2026, 1, 10)
    assert parse_document(values(doc_link=typed(None)), processes={4}, today=TODAY).link is None


@pytest.mark.parametrize(
    ("field", "value", "block"),
    [
        ("doc_link", typed("javascript:alert(1)"), "doc_link"),
        ("doc_link", typed("https://"), "doc_link"),
        ("doc_link", typed("https://x.example.com/a b"), "doc_link"),
        ("doc_link", typed("https://x.example.com/<!channel>"), "doc_link"),
        ("doc_link", typed("ftp://files.example.com/pr"), "doc_link"),
        ("doc_reference", typed("procedure twelve"), "doc_reference"),
        ("doc_reference", typed(None), "doc_reference"),
        ("review_months", typed("0"), "review_months"),
        ("review_months", typed("twelve"), "review_months"),
        ("review_months", typed("121"), "review_months"),
        ("last_reviewed", picked_date("2026-11-24"), "last_reviewed"),
        ("process", chosen("99"), "process"),
        ("owner", picked_user(None), "owner"),
        ("title", typed("t" * 201), "title"),
    ],
)
def test_bad_fields_are_named(field: str, value: dict[str, Any], block: str) -> None:
    with pytest.raises(FormErrors) as raised:
        parse_document(values(**{field: value}), processes={4}, today=TODAY)
    assert list(raised.value.errors) == [block]


def test_a_minor_revision_needs_no_re_read_and_the_same_version_is_refused() -> None:
    revision = {
        "doc_version": typed("4"),
        "what_changed": typed("Typo in step 2"),
        "reread": chosen("no"),
    }
    assert not parse_revision(revision, current="3").reread_required
    assert parse_revision(revision | {"reread": chosen("yes")}, current="3").reread_required
    with pytest.raises(FormErrors) as raised:
        parse_revision(revision | {"what_changed": typed(None)}, current="4")
    assert set(raised.value.errors) == {"doc_version", "what_changed"}


def test_buttons_carry_the_document_and_what_they_answer() -> None:
    review = ReviewButton.read({"value": "12:2026-11-10"})
    assert (review.document_id, review.due) == (12, date(2026, 11, 10))
    read = ReadButton.read({"value": "12:4:1"})
    assert (read.document_id, read.version) == (12, "4:1")
    for damaged in ("12", "x:2026-11-10", "12:tomorrow", None, "0:2026-11-10"):
        with pytest.raises(DamagedButton, match="/nc documents"):
            ReviewButton.read({"value": damaged})
    with pytest.raises(DamagedButton):
        ReadButton.read({"value": "12:"})
