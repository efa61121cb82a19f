"""The words a workspace's name for its management system gives Keel's messages."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.terms import DEFAULT_TERMS, NAME_MAX, name_problem, stored_name, terms_for


def test_the_default_is_the_words_keel_always_used() -> None:
    assert terms_for(None) is DEFAULT_TERMS
    assert DEFAULT_TERMS.a_lead == "a quality lead"
    assert DEFAULT_TERMS.capital_leads == "Quality leads"
    assert DEFAULT_TERMS.channel == "quality channel"


@pytest.mark.parametrize(
    ("name", "a_lead"),
    [
        ("HSEQ", "an HSEQ lead"),
        ("SHEQ", "an SHEQ lead"),
        ("EHS", "an EHS lead"),
        ("QHSE", "a QHSE lead"),
        ("safety", "a safety lead"),
        ("environment", "an environment lead"),
        ("IMS", "an IMS lead"),
    ],
)
def test_the_article_follows_how_the_name_is_read(name: str, a_lead: str) -> None:
    assert terms_for(name).a_lead == a_lead


def test_a_name_starts_a_sentence_as_written() -> None:
    terms = terms_for("HSEQ")
    assert terms.capital_leads == "HSEQ leads" and terms.capital_channel == "HSEQ channel"
    assert terms_for("health and safety").capital_leads == "Health and safety leads"


@pytest.mark.parametrize("name", ["HSEQ", "EHS/Q", "health and safety", "Qualität", "ISO-45001"])
def test_ordinary_names_are_accepted(name: str) -> None:
    assert name_problem(name) is None


@pytest.mark.parametrize(
    "name", ["<!channel>", "*bold*", "_it_", "a&b", "`x`", "two  spaces", "-dash", "x" * 25]
)
def test_names_slack_would_read_as_markup_or_too_long_are_refused(name: str) -> None:
    assert name_problem(name) is not None


def test_the_default_name_in_any_case_is_stored_as_no_name() -> None:
    assert (
        stored_name("Quality") is None and stored_name("  ") is None and stored_name(None) is None
    )
    assert stored_name("  HSEQ   team ") == "HSEQ team"


@given(st.text(max_size=40))
def test_an_accepted_name_never_carries_mrkdwn_or_html_specials(text: str) -> None:
    name = stored_name(text)
    if name is None or name_problem(name) is not None:
        return
    assert len(name) <= NAME_MAX
    assert not set(name) & set("<>&*_~`|\n")
    assert terms_for(name).a_lead.endswith(f"{name} lead")
