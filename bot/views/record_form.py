"""The form that raises a record: one screen, only what a reporter knows on the spot."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, Protocol

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    DatePickerElement,
    InputBlock,
    PlainTextInputElement,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.domain.records import REPORTABLE_KINDS, RecordKind, Severity
from bot.domain.terms import DEFAULT_TERMS, Terms
from bot.domain.text import escape, truncate
from bot.forms.record import (
    CONTAINMENT_MAX,
    DESCRIPTION_MAX,
    LOCATION_MAX,
    TITLE_MAX,
    RecordMetadata,
)
from bot.ids import ActionId
from bot.ids import Block as BlockId
from bot.ids import View as ViewId
from bot.views import raw
from bot.views.common import context, option, plain


class ProcessChoice(Protocol):
    """What the form needs of a process (storage.models.Process fits)."""

    @property
    def id(self) -> int: ...

    @property
    def name(self) -> str: ...


@dataclass(frozen=True)
class _Choice:
    id: int
    name: str


# ISO 45001 3.35: both are incidents; the note tells them apart by their outcome.
KIND_HINT = (
    "Incident: someone was injured or made ill at work. Near miss: no one was, but someone "
    "could have been."
)


def record_form(
    *,
    today: date,
    metadata: RecordMetadata,
    title: str = "",
    description: str = "",
    kind: RecordKind = RecordKind.NONCONFORMITY,
    processes: Sequence[ProcessChoice] = (),
) -> View:
    """The /nc modal, prefilled with whatever the person already typed or pointed at."""
    kinds = [option(each.label, each.value) for each in REPORTABLE_KINDS]
    severities = [option(each.label, each.value) for each in Severity]
    blocks: list[Block] = [
        InputBlock(
            block_id=BlockId.KIND,
            label=plain("What kind of record is it?"),
            hint=plain(KIND_HINT),
            element=StaticSelectElement(
                action_id=ActionId.INPUT,
                options=kinds,
                initial_option=next((o for o in kinds if o.value == kind.value), None),
            ),
        ),
        InputBlock(
            block_id=BlockId.TITLE,
            label=plain("Title"),
            hint=plain("A few words to recognise it by."),
            element=PlainTextInputElement(
                action_id=ActionId.INPUT,
                max_length=TITLE_MAX,
                initial_value=truncate(title, TITLE_MAX) or None,
                placeholder=plain("e.g. Wrong label on batch 2231"),
            ),
        ),
        InputBlock(
            block_id=BlockId.DESCRIPTION,
            label=plain("What happened?"),
            element=PlainTextInputElement(
                action_id=ActionId.INPUT,
                multiline=True,
                max_length=DESCRIPTION_MAX,
                initial_value=truncate(description, DESCRIPTION_MAX) or None,
            ),
        ),
        InputBlock(
            block_id=BlockId.OCCURRED,
            label=plain("When did it happen?"),
            element=DatePickerElement(action_id=ActionId.INPUT, initial_date=today.isoformat()),
        ),
        *_process_picker(processes),
        InputBlock(
            block_id=BlockId.LOCATION,
            label=plain("Where, or in which process?"),
            optional=True,
            element=PlainTextInputElement(action_id=ActionId.INPUT, max_length=LOCATION_MAX),
        ),
        # Required and not preselected: a preselected "Medium" made every record Medium.
        InputBlock(
            block_id=BlockId.SEVERITY,
            label=plain("Severity"),
            hint=plain("Your first judgement: the owner or a lead can change it later."),
            element=StaticSelectElement(
                action_id=ActionId.INPUT,
                options=severities,
                placeholder=plain("Choose a severity"),
            ),
        ),
        InputBlock(
            block_id=BlockId.CONTAINMENT,
            label=plain("Immediate action taken"),
            optional=True,
            hint=plain("What was done on the spot to contain it, if anything."),
            element=PlainTextInputElement(
                action_id=ActionId.INPUT, multiline=True, max_length=CONTAINMENT_MAX
            ),
        ),
        InputBlock(
            block_id=BlockId.ANONYMOUS,
            label=plain("Anonymous"),
            optional=True,
            element=CheckboxesElement(
                action_id=ActionId.INPUT,
                options=[option("Report anonymously (near misses only)", ActionId.ANONYMOUS_YES)],
            ),
            hint=plain("Keel then keeps no record of who you are."),
        ),
    ]
    if metadata.permalink:
        blocks.append(context(f"Raised from <{metadata.permalink}|this message>."))
    return View(
        type="modal",
        callback_id=ViewId.RAISE_RECORD,
        title=plain("Raise a record"),
        submit=plain("Submit"),
        close=plain("Cancel"),
        private_metadata=metadata.dump(),
        blocks=blocks,
    )


def _process_picker(processes: Sequence[ProcessChoice]) -> list[Block]:
    """Which process it is about, when the workspace has a list: it routes to the owner."""
    if not processes:
        return []
    options = [option(process.name, str(process.id)) for process in processes[:100]]
    return [
        InputBlock(
            block_id=BlockId.PROCESS,
            label=plain("Which process is it about?"),
            optional=True,
            hint=plain("Its owner gets the record."),
            element=StaticSelectElement(action_id=ActionId.INPUT, options=options),
        )
    ]


def record_raised(
    *,
    reference: str,
    title: str,
    anonymous: bool,
    channel: str | None,
    terms: Terms = DEFAULT_TERMS,
) -> raw.RawBlock:
    """What the modal turns into once the record is saved: plain dicts (bot/views/raw.py),
    as it is built while Slack waits for the answer."""
    lines = [f":white_check_mark: *{reference}* is on record: {escape(title)}"]
    if channel:
        lines.append(
            f"Its card is being posted to <#{channel}>; its thread is where it is discussed."
        )
    else:
        lines.append(
            f"No {terms.channel} is set up yet, so it is not posted anywhere; the {terms.leads} "
            "have been asked to set one."
        )
    if anonymous:
        lines.append("You reported this anonymously: Keel did not store who you are.")
    else:
        lines.append("You will get a message with a link to it.")
    return raw.modal(
        ViewId.RECORD_RAISED, "Record raised", [raw.section("\n".join(lines))], close="Done"
    )


def record_form_payload(
    *,
    today: date,
    metadata: RecordMetadata,
    title: str = "",
    description: str = "",
    kind: RecordKind = RecordKind.NONCONFORMITY,
    processes: Sequence[ProcessChoice] = (),
) -> dict[str, Any]:
    """`record_form(...).to_dict()`, fast. slack_sdk validates a view while turning it into a
    dict, ~10 ms for this modal; that is most of an /nc's work. The part that is the same for
    everyone is rendered once per day, kind and process list, and the person's own text is
    filled in afterwards (a test checks that both give the same dict)."""
    choices = tuple((process.id, process.name) for process in processes)
    view: dict[str, Any] = json.loads(_template(today, kind, choices))
    inputs = {block.get("block_id"): block for block in view["blocks"]}
    for block_id, text, limit in (
        (BlockId.TITLE, title, TITLE_MAX),
        (BlockId.DESCRIPTION, description, DESCRIPTION_MAX),
    ):
        if truncate(text, limit):
            inputs[block_id.value]["element"]["initial_value"] = truncate(text, limit)
    view["private_metadata"] = metadata.dump()
    if metadata.permalink:
        view["blocks"].append(
            context(f"Raised from <{metadata.permalink}|this message>.").to_dict()
        )
    return view


@lru_cache(maxsize=64)
def _template(today: date, kind: RecordKind, choices: tuple[tuple[int, str], ...]) -> str:
    processes = [_Choice(id=process_id, name=name) for process_id, name in choices]
    form = record_form(today=today, metadata=RecordMetadata(), kind=kind, processes=processes)
    return json.dumps(form.to_dict())
