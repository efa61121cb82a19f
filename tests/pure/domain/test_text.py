"""mrkdwn escaping and length limits for user text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.text import escape, first_line, plural, truncate


def unescape(text: str) -> str:
    # `&amp;` last: `&amp;lt;` is the escape of the text `&lt;`, not of `<`.
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def test_escape_makes_a_channel_ping_inert() -> None:
    assert escape("<!channel> look") == "&lt;!channel&gt; look"


def test_escape_makes_user_and_link_syntax_inert() -> None:
    assert escape("<@U123> <https://evil.example|click>") == (
        "&lt;@U123&gt; &lt;https://evil.example|click&gt;"
    )


def test_escape_escapes_ampersands_so_entities_stay_literal() -> None:
    assert escape("R&D &lt;") == "R&amp;D &amp;lt;"


def test_escape_leaves_mrkdwn_formatting_alone() -> None:
    assert escape("*bold* _it_ `code` ~x~") == "*bold* _it_ `code` ~x~"


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_escaped_text_has_no_angle_brackets(text: str) -> None:
    escaped = escape(text)
    assert "<" not in escaped
    assert ">" not in escaped


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("<>&;ltgamp!@# x")) | st.text())
def test_unescaping_gives_back_the_original_text(text: str) -> None:
    assert unescape(escape(text)) == text


def test_truncate_leaves_short_text_unchanged() -> None:
    assert truncate("short", 10) == "short"


def test_truncate_leaves_text_of_exactly_the_limit_unchanged() -> None:
    assert truncate("x" * 10, 10) == "x" * 10


def test_truncate_marks_the_cut_with_an_ellipsis() -> None:
    assert truncate("Forklift brakes soft", 10) == "Forklift…"


@settings(max_examples=200, deadline=None)
@given(st.text(), st.integers(min_value=1, max_value=500))
def test_truncate_is_never_longer_than_the_limit(text: str, limit: int) -> None:
    assert len(truncate(text, limit)) <= limit


@settings(max_examples=200, deadline=None)
@given(st.text(), st.integers(min_value=1, max_value=500))
def test_truncate_returns_text_within_the_limit_unchanged(text: str, limit: int) -> None:
    if len(text) <= limit:
        assert truncate(text, limit) == text


@settings(max_examples=200, deadline=None)
@given(st.text(), st.integers(min_value=1, max_value=500))
def test_truncate_keeps_the_start_of_the_text(text: str, limit: int) -> None:
    cut = truncate(text, limit)
    if cut != text:
        assert cut.endswith("…")
        assert text.startswith(cut[:-1])


def test_truncate_to_zero_gives_empty_text() -> None:
    assert len(truncate("anything", 0)) <= 0


def test_first_line_skips_blank_lines_and_strips() -> None:
    assert first_line("\n   \n  Wrong label on batch  \nmore") == "Wrong label on batch"


def test_first_line_of_one_line_is_that_line() -> None:
    assert first_line("Forklift brakes soft") == "Forklift brakes soft"


@pytest.mark.parametrize("text", ["", "   ", "\n\n \t\n"])
def test_first_line_of_blank_text_is_empty(text: str) -> None:
    assert first_line(text) == ""


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_first_line_is_one_stripped_line_of_the_text(text: str) -> None:
    line = first_line(text)
    assert line == line.strip()
    assert "\n" not in line
    assert line in text


def test_plural_writes_one_and_many_as_a_person_does() -> None:
    assert plural(1, "day") == "1 day"
    assert plural(0, "day") == "0 days"
    assert plural(3, "day") == "3 days"
    assert plural(2, "near miss", "near misses") == "2 near misses"
    assert plural(1, "near miss", "near misses") == "1 near miss"
