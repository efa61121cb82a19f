"""`/nc help`: every subcommand, in plain words."""

from __future__ import annotations

from slack_sdk.models.blocks import Block

from bot.domain.terms import DEFAULT_TERMS, Terms
from bot.views.common import context, section

# {leads}, {Leads} and {channel} are the workspace's words (bot.domain.terms).
SUBCOMMANDS = [
    (
        "/nc",
        "Raise a record: a nonconformity, customer complaint, near miss, incident or "
        "opportunity for improvement. Near misses can be reported anonymously.",
    ),
    (
        "/nc &lt;title&gt;",
        "Raise a record with the title already filled in, e.g. `/nc Forklift brakes soft`.",
    ),
    (
        "/nc NC-0007",
        "Show a record and its history, to you only. Each kind has its prefix: NC, CC, NM, "
        "INC, OFI, AF.",
    ),
    ("/nc list", "Open records you reported or own. `/nc list all` shows every open record."),
    (
        "/nc list closed",
        "The records register, filtered by words: `open`, `closed`, `everything`, a kind "
        "(`complaints`, `near misses`, `incidents`, `OFIs`, `audit findings`), `mine`, "
        "`process Purchasing`; e.g. `/nc list all complaints`.",
    ),
    (
        "/nc actions",
        "Your open actions, overdue first, with due dates and records. `/nc actions all` "
        "shows every open action.",
    ),
    ("/nc channel #channel", "{Leads}: post new records' cards to that channel."),
    ("/nc leads @name …", "{Leads}: choose who the {leads} are."),
    (
        "/nc settings",
        "{Leads}: channels, leads, time zone, working days, digest hours, escalation, "
        "cause categories, the standards you are certified to and reference prefixes.",
    ),
    (
        "/nc processes",
        "The processes and areas, and who owns each: records about a process go to its owner.",
    ),
    (
        "/nc objectives",
        "Where each objective stands, with *Log value* for the ones you measure.",
    ),
    ("/nc objectives new", "{Leads}: set a measurable objective (ISO 9001 6.2)."),
    ("/nc digest #channel", "{Leads}: post the weekly objectives digest to that channel."),
    ("/nc OBJ-3", "Show an objective and its values; {leads} can edit or retire it there."),
    (
        "/nc audits",
        "The internal audit programme: what is planned, overdue and in progress, and the "
        "processes not audited for a year; {leads} plan audits there.",
    ),
    ("/nc AUD-3", "Show an audit, its findings and its history, with its buttons."),
    ("/nc auditors @name …", "{Leads}: the qualified internal auditors who may lead audits."),
    (
        "/nc training",
        "Your training gaps and what expires soon, with *Log completion*; {leads} see "
        "the matrix and add competences and roles.",
    ),
    (
        "/nc documents",
        "The documents register: owners, links, reviews due and who has read the latest "
        "revision; {leads} and owners add, review and revise documents there.",
    ),
    ("/nc PR-012", "Show a document by its reference."),
    (
        "/nc review",
        "{Leads}: the next management review, its pack in figures, *Plan review*, "
        "*Share the pack* and, on the day, *Record decisions* (ISO 9001 9.3).",
    ),
    (
        "/nc export",
        "{Leads}: the audit pack (records, actions, history, objectives) in a DM.",
    ),
    ("/nc help", "This list."),
]


def help_blocks(terms: Terms = DEFAULT_TERMS) -> list[Block]:
    """The list, in the workspace's words ("HSEQ leads" where it names them so)."""
    words = {"leads": terms.leads, "Leads": terms.capital_leads, "channel": terms.channel}
    lines = [f"`{command}` — {what.format(**words)}" for command, what in SUBCOMMANDS]
    return [
        section("*Keel keeps your management system alive in Slack.*\n" + "\n".join(lines)),
        context(
            "You can also raise a record from any message: open its ⋮ menu and choose "
            "*Raise as a record*."
        ),
        context(
            f"On a record's card in the {terms.channel}: *Assign owner*, *Five whys*, *Add "
            "action*, *Close record*, *Change status*, *Change severity*, *Reject*, and "
            "*Reopen record* once it is closed or rejected."
        ),
        context(
            "Action owners update an action by replying in its thread, e.g. `done: new "
            "template in use`, `blocked: waiting for the supplier`, `due 12 March: parts late`, "
            "or with the buttons on the action."
        ),
    ]


def help_text() -> str:
    return "Keel commands: " + "; ".join(command for command, _ in SUBCOMMANDS)
