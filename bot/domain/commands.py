"""What `/nc ...` asks for, parsed from the command text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from bot.domain import audits, objectives
from bot.domain.documents import looks_like_reference
from bot.domain.records import RecordKind, known_prefixes, parse_reference
from bot.domain.registers import StatusFilter, parse_actions_scope, parse_record_filter


@dataclass(frozen=True)
class OpenForm:
    title: str = ""


@dataclass(frozen=True)
class ShowHelp:
    pass


@dataclass(frozen=True)
class ShowRecord:
    reference: str


@dataclass(frozen=True)
class ListRecords:
    mine: bool
    status: StatusFilter = StatusFilter.OPEN
    kind: RecordKind | None = None
    process: str | None = None  # a process name as typed


@dataclass(frozen=True)
class ListActions:
    """The open actions register: the person's own, or everyone's."""

    mine: bool


@dataclass(frozen=True)
class SetQualityChannel:
    channel_id: str


@dataclass(frozen=True)
class SetDigestChannel:
    channel_id: str


@dataclass(frozen=True)
class ManageProcesses:
    pass


@dataclass(frozen=True)
class SetLeads:
    user_ids: tuple[str, ...]


@dataclass(frozen=True)
class ListObjectives:
    pass


@dataclass(frozen=True)
class NewObjective:
    pass


@dataclass(frozen=True)
class ShowObjective:
    number: int


@dataclass(frozen=True)
class ExportPack:
    pass


@dataclass(frozen=True)
class OpenSettings:
    pass


@dataclass(frozen=True)
class ShowReview:
    """The management review (bot/handlers/review.py)."""


@dataclass(frozen=True)
class SuggestCommand:
    """A short text close to a subcommand: ask before raising a record titled with it."""

    suggestion: str
    title: str


# Internal audits (bot/handlers/audits.py).
@dataclass(frozen=True)
class ListAudits:
    pass


@dataclass(frozen=True)
class ShowAudit:
    number: int


@dataclass(frozen=True)
class SetAuditors:
    user_ids: tuple[str, ...]


# Competence and training (bot/handlers/training.py).
@dataclass(frozen=True)
class ShowTraining:
    pass


# The documents register (bot/handlers/documents.py).
@dataclass(frozen=True)
class ListDocuments:
    pass


@dataclass(frozen=True)
class LookUpReference:
    """A reference that is not Keel's own (`CAR-2023-014`, `PR-012`): an imported record or a
    document; when nothing has it, the text is the title of a new record as before."""

    reference: str


Command = (
    OpenForm
    | SuggestCommand
    | OpenSettings
    | ExportPack
    | ShowReview
    | ShowHelp
    | ShowRecord
    | ListRecords
    | ListActions
    | SetQualityChannel
    | SetDigestChannel
    | SetLeads
    | ManageProcesses
    | ListObjectives
    | NewObjective
    | ShowObjective
    | ListAudits
    | ShowAudit
    | SetAuditors
    | LookUpReference
    | ShowTraining
    | ListDocuments
)

# With "Escape channels, users, and links" on, Slack sends #quality as <#C123|quality>;
# without it, a plain channel ID also works.
_CHANNEL = re.compile(
    r"^(channel|digest)\s+(?:<#([CG][A-Z0-9]+)(?:\|[^>]*)?>|([CG][A-Z0-9]{6,}))\s*$", re.I
)
_AUDITORS = re.compile(r"^auditors((?:\s+<@[UW][A-Z0-9]+(?:\|[^>]*)?>)+)\s*$", re.I)
_LEADS = re.compile(r"^leads((?:\s+<@[UW][A-Z0-9]+(?:\|[^>]*)?>)+)\s*$", re.I)
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)")
_KEEL_LIKE = re.compile(r"^NC-?\d", re.I)  # Keel's own references, even malformed ones
_LIST = re.compile(r"^list(?:\s+(.*))?$", re.I | re.S)
_ACTIONS = re.compile(r"^actions?(?:\s+(.*))?$", re.I | re.S)


def parse_command(text: str, prefixes: frozenset[str] | None = None) -> Command:
    """Known subcommands are exact; any other text is the title of a new record.

    `prefixes` are the record prefixes of the workspace (default: Keel's own)."""
    stripped = " ".join(text.split())
    lowered = stripped.lower()
    if lowered in ("help", "?", "-h", "--help"):
        return ShowHelp()
    if lowered in ("settings", "setting", "config"):
        return OpenSettings()
    if lowered == "export":
        return ExportPack()
    if lowered in ("review", "management review", "mr"):
        return ShowReview()
    if lowered in ("processes", "process", "areas"):
        return ManageProcesses()
    if lowered in ("objectives", "objective", "objectives list"):
        return ListObjectives()
    if lowered in ("objectives new", "objective new", "objectives add", "objective add"):
        return NewObjective()
    if lowered in ("documents", "document", "docs", "documents register"):
        return ListDocuments()
    if lowered in ("audits", "audit", "audit programme", "audit program"):
        return ListAudits()
    if lowered in ("training", "competence", "competences", "matrix", "training matrix"):
        return ShowTraining()
    if (number := audits.parse_reference(stripped)) is not None:
        return ShowAudit(number=number)
    if match := _AUDITORS.match(stripped):
        return SetAuditors(user_ids=tuple(dict.fromkeys(_MENTION.findall(match.group(1)))))
    if (number := objectives.parse_reference(stripped)) is not None:
        return ShowObjective(number=number)
    if (reference := parse_reference(stripped, prefixes or known_prefixes())) is not None:
        return ShowRecord(reference=reference)
    if (match := _LIST.match(stripped)) and (wanted := parse_record_filter(match.group(1) or "")):
        return ListRecords(
            mine=wanted.mine, status=wanted.status, kind=wanted.kind, process=wanted.process
        )
    if (match := _ACTIONS.match(stripped)) and (
        mine := parse_actions_scope(match.group(1) or "")
    ) is not None:
        return ListActions(mine=mine)
    if match := _CHANNEL.match(stripped):
        channel_id = match.group(2) or match.group(3)
        if match.group(1).lower() == "digest":
            return SetDigestChannel(channel_id=channel_id)
        return SetQualityChannel(channel_id=channel_id)
    if match := _LEADS.match(stripped):
        return SetLeads(user_ids=tuple(dict.fromkeys(_MENTION.findall(match.group(1)))))
    if looks_like_reference(stripped) and not _KEEL_LIKE.match(stripped):
        return LookUpReference(reference=stripped)
    if (suggestion := closest_subcommand(stripped)) is not None:
        return SuggestCommand(suggestion=suggestion, title=stripped)
    return OpenForm(title=text.strip())


# What a one- or two-word text is compared with: subcommands as people type them in full.
SUBCOMMANDS = (
    "help",
    "list",
    "list mine",
    "list all",
    "list closed",
    "actions",
    "actions all",
    "processes",
    "objectives",
    "objectives new",
    "channel",
    "digest",
    "leads",
    "settings",
    "audits",
    "auditors",
    "export",
    "review",
    "training",
    "documents",
)
# Within this many edits (a swap of two letters is one) a text is taken for a typo.
TYPO_EDITS = 2


def closest_subcommand(text: str) -> str | None:
    """The subcommand a one- or two-word `text` most likely meant, or None.

    Exact subcommands are matched before this; a text of three words or more, or shorter than
    three letters, is a title. Optimal string alignment distance (rapidfuzz) counts "lsit" as
    one edit from "list"."""
    lowered = text.lower()
    if len(lowered.split()) > 2 or len(lowered) < 3:
        return None
    distances = [(OSA.distance(lowered, known), known) for known in SUBCOMMANDS]
    distance, known = min(distances)
    return known if distance <= TYPO_EDITS else None
