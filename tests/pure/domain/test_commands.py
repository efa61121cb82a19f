"""`/nc ...`: which subcommand the text asks for."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.commands import (
    Command,
    ListObjectives,
    ListRecords,
    LookUpReference,
    NewObjective,
    OpenForm,
    SetDigestChannel,
    SetQualityChannel,
    ShowHelp,
    ShowObjective,
    ShowRecord,
    SuggestCommand,
    parse_command,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("objectives", ListObjectives()),
        ("Objectives", ListObjectives()),
        ("objective", ListObjectives()),
        ("objectives new", NewObjective()),
        ("objective  add", NewObjective()),
        ("OBJ-3", ShowObjective(number=3)),
        ("obj7", ShowObjective(number=7)),
    ],
)
def test_objective_subcommands(text: str, expected: Command) -> None:
    assert parse_command(text) == expected


@pytest.mark.parametrize("text", ["digest <#CMGMT|management>", "DIGEST  CMGMT123"])
def test_digest_with_a_channel_chooses_the_objectives_digest_channel(text: str) -> None:
    parsed = parse_command(text)
    assert isinstance(parsed, SetDigestChannel)
    assert parsed.channel_id in ("CMGMT", "CMGMT123")


def test_a_title_about_objectives_still_raises_a_record() -> None:
    text = "objectives were never reviewed"
    assert parse_command(text) == OpenForm(title=text)


@pytest.mark.parametrize("text", ["help", "HELP", " help ", "?", "-h", "--help", "Help"])
def test_help_variants_show_help(text: str) -> None:
    assert parse_command(text) == ShowHelp()


@pytest.mark.parametrize("text", ["NC-0007", "nc-7", "NC7", "  nc-0007  "])
def test_a_reference_shows_that_record(text: str) -> None:
    assert parse_command(text) == ShowRecord(reference="NC-0007")


@pytest.mark.parametrize(("text", "reference"), [("nm3", "NM-0003"), ("INC-12", "INC-0012")])
def test_every_kind_prefix_is_a_reference(text: str, reference: str) -> None:
    assert parse_command(text) == ShowRecord(reference=reference)


def test_a_one_word_title_that_looks_like_a_reference_is_still_a_title() -> None:
    assert parse_command("Q3") == OpenForm(title="Q3")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("list", ListRecords(mine=True)),
        ("list mine", ListRecords(mine=True)),
        ("list all", ListRecords(mine=False)),
        ("LIST   ALL", ListRecords(mine=False)),
        ("list open", ListRecords(mine=False)),
    ],
)
def test_list_variants(text: str, expected: Command) -> None:
    assert parse_command(text) == expected


def test_channel_as_slack_escapes_it_sets_the_quality_channel() -> None:
    assert parse_command("channel <#C123|quality>") == SetQualityChannel(channel_id="C123")


def test_channel_escaped_without_a_name_sets_the_quality_channel() -> None:
    assert parse_command("channel <#G0PRIVATE>") == SetQualityChannel(channel_id="G0PRIVATE")


def test_channel_as_a_plain_id_sets_the_quality_channel() -> None:
    assert parse_command("channel C1234567") == SetQualityChannel(channel_id="C1234567")


@pytest.mark.parametrize(
    "text",
    [
        "Forklift brakes soft",
        "list of broken pallets",
        "help desk printer jams",
        "channel quality",
        "NC-0",
        "NC-1x wrong",
        "<!channel> spill in bay 3",
    ],
)
def test_any_other_text_opens_the_form_with_it_as_title(text: str) -> None:
    assert parse_command(text) == OpenForm(title=text)


def test_no_text_opens_an_empty_form() -> None:
    assert parse_command("") == OpenForm(title="")


def test_the_title_is_stripped_but_keeps_inner_spacing() -> None:
    assert parse_command("  Wrong  label \n") == OpenForm(title="Wrong  label")


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_parse_command_never_raises(text: str) -> None:
    command = parse_command(text)
    if isinstance(command, OpenForm):
        assert command.title == text.strip()


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("channel", "channel"),
        ("lsit", "list"),
        ("hlep", "help"),
        ("proceses", "processes"),
        ("objectivs", "objectives"),
        ("list mien", "list mine"),
        ("objectives nwe", "objectives new"),
    ],
)
def test_a_short_typo_of_a_subcommand_is_a_question_not_a_record(
    text: str, suggestion: str
) -> None:
    assert parse_command(text) == SuggestCommand(suggestion=suggestion, title=text)


@pytest.mark.parametrize(
    "text", ["Forklift", "Oil leak", "Forklift brakes soft", "ab", "Wet floor"]
)
def test_titles_far_from_any_subcommand_open_the_form(text: str) -> None:
    assert parse_command(text) == OpenForm(title=text)


@given(st.text(max_size=80))
def test_three_words_or_more_are_never_taken_for_a_typo(text: str) -> None:
    parsed = parse_command(text)
    if len(text.split()) > 2:
        assert not isinstance(parsed, SuggestCommand)


@pytest.mark.parametrize("text", ["CAR-2023-014", "pr-012", "NCR-2023/7", "WI.7"])
def test_a_reference_from_another_register_is_looked_up(text: str) -> None:
    assert parse_command(text) == LookUpReference(reference=text)
