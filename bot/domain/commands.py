"""What `/nc ...` asks for, parsed from the command text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain import objectives
from bot.domain.documents import looks_like_reference
from bot.domain.records import parse_reference


@dataclass(frozen=True)
class OpenForm:
    title: str = ""


@dataclass(frozen=True)
class ShowHelp:
    pass


@dataclass(frozen=True)
class ShowRecord:
    number: int


@dataclass(frozen=True)
class ListRecords:
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
class LookUpReference:
    """A reference that is not Keel's own (`CAR-2023-014`, `PR-012`): an imported record or a
    document; when nothing has it, the text is the title of a new record as before."""

    reference: str


Command = (
    OpenForm
    | ShowHelp
    | ShowRecord
    | ListRecords
    | SetQualityChannel
    | SetDigestChannel
    | SetLeads
    | ManageProcesses
    | ListObjectives
    | NewObjective
    | ShowObjective
    | LookUpReference  # issue 13
)

# With "Escape channels, users, and links" on, Slack sends #quality as <#C123|quality>;
# without it, a plain channel ID also works.
_CHANNEL = re.compile(
    r"^(channel|digest)\s+(?:<#([CG][A-Z0-9]+)(?:\|[^>]*)?>|([CG][A-Z0-9]{6,}))\s*$", re.I
)
_LEADS = re.compile(r"^leads((?:\s+<@[UW][A-Z0-9]+(?:\|[^>]*)?>)+)\s*$", re.I)
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)")
_KEEL_LIKE = re.compile(r"^NC-?\d", re.I)  # Keel's own references, even malformed ones
_LIST = re.compile(r"^list(?:\s+(mine|all|open))?\s*$", re.I)


def parse_command(text: str) -> Command:
    """Known subcommands are exact; any other text is the title of a new record."""
    stripped = " ".join(text.split())
    lowered = stripped.lower()
    if lowered in ("help", "?", "-h", "--help"):
        return ShowHelp()
    if lowered in ("processes", "process", "areas"):
        return ManageProcesses()
    if lowered in ("objectives", "objective", "objectives list"):
        return ListObjectives()
    if lowered in ("objectives new", "objective new", "objectives add", "objective add"):
        return NewObjective()
    if (number := objectives.parse_reference(stripped)) is not None:
        return ShowObjective(number=number)
    if (number := parse_reference(stripped)) is not None:
        return ShowRecord(number=number)
    if match := _LIST.match(stripped):
        return ListRecords(mine=(match.group(1) or "mine").lower() == "mine")
    if match := _CHANNEL.match(stripped):
        channel_id = match.group(2) or match.group(3)
        if match.group(1).lower() == "digest":
            return SetDigestChannel(channel_id=channel_id)
        return SetQualityChannel(channel_id=channel_id)
    if match := _LEADS.match(stripped):
        return SetLeads(user_ids=tuple(dict.fromkeys(_MENTION.findall(match.group(1)))))
    if looks_like_reference(stripped) and not _KEEL_LIKE.match(stripped):  # issue 13
        return LookUpReference(reference=stripped)
    return OpenForm(title=text.strip())
