"""`/nc processes` and `/nc leads`: the subcommands added with corrective actions."""

from __future__ import annotations

import pytest

from bot.domain.commands import ManageProcesses, OpenForm, SetLeads, parse_command


@pytest.mark.parametrize("text", ["processes", "PROCESSES", "  processes ", "process", "areas"])
def test_processes_manages_processes(text: str) -> None:
    assert parse_command(text) == ManageProcesses()


def test_processes_with_more_words_is_a_title() -> None:
    assert parse_command("processes are not followed") == OpenForm(
        title="processes are not followed"
    )


def test_leads_with_escaped_mentions_sets_the_leads() -> None:
    assert parse_command("leads <@U1|a> <@U2>") == SetLeads(user_ids=("U1", "U2"))


def test_leads_keeps_the_order_and_drops_repeats() -> None:
    assert parse_command("leads <@U2> <@U1|a> <@U2|b>") == SetLeads(user_ids=("U2", "U1"))


def test_leads_accepts_enterprise_user_ids() -> None:
    assert parse_command("LEADS <@W123ABC|pat>") == SetLeads(user_ids=("W123ABC",))


@pytest.mark.parametrize("text", ["leads bob", "leads @bob", "leads <#C123|quality>"])
def test_leads_without_mentions_is_a_title(text: str) -> None:
    assert parse_command(text) == OpenForm(title=text)
