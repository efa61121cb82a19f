"""The documents register as people see it: `/nc documents`, `/nc PR-012`, and its forms."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    HeaderBlock,
    InputBlock,
    Option,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.domain.dates import readable_date
from bot.domain.documents import DEFAULT_REVIEW_MONTHS
from bot.domain.text import escape, plural, truncate
from bot.forms.documents import DocumentRef
from bot.ids import ActionId
from bot.ids import Block as BlockId
from bot.ids import View as ViewId
from bot.queries.documents import RegisterLine
from bot.views.common import context, option, plain, section
from bot.views.inputs import date_input, form_modal, text_input, user_input
from storage.models import Document, Process

PAGE_SIZE = 10  # two blocks each: well inside a message's 50
NAMES_SHOWN = 15  # people named as not having read it, in the register
NAMES_SHOWN_ALONE = 60  # and when one document is shown


def _review_state(document: Document, today: date, reminder_days: int) -> str:
    due = readable_date(document.next_review_date, today)
    days = (today - document.next_review_date).days
    if days > 0:
        return f":red_circle: review overdue by {plural(days, 'day')} (due {due})"
    if days == 0:
        return f":large_orange_circle: review due today ({due})"
    if -days <= reminder_days:
        return f":large_yellow_circle: review due {due}"
    return f"next review {due}"


def review_due(document: Document, today: date, reminder_days: int) -> bool:
    """Whether "Reviewed, no change" is offered: the review is in its reminder window."""
    return (document.next_review_date - today).days <= reminder_days


def entry_text(
    line: RegisterLine,
    today: date,
    *,
    process_names: dict[int, str],
    reminder_days: int,
    names_shown: int = NAMES_SHOWN,
) -> str:
    document = line.document
    text = (
        f"*{escape(document.reference)}* {escape(document.title)} · "
        f"version {escape(document.version)}"
    )
    parts = [f"owner <@{document.owner_id}>"]
    if document.process_id in process_names:
        parts.append(f"process: {escape(process_names[document.process_id])}")
    if document.link:
        parts.append(f"<{escape(document.link)}|open the document>")
    text += "\n" + " · ".join(parts)
    last = document.last_reviewed_date
    every = plural(document.review_months, "month")
    text += f"\n{_review_state(document, today, reminder_days)} · every {every}"
    if last:
        text += f" · last reviewed {readable_date(last, today)}"
    if line.read_version is not None and line.readers:
        version = escape(line.read_version)
        text += f"\n{len(line.have_read)} of {len(line.readers)} have read v{version}"
        missing = line.not_read
        if missing:
            named = ", ".join(f"<@{person}>" for person in missing[:names_shown])
            more = f" and {len(missing) - names_shown} more" if len(missing) > names_shown else ""
            text += f" · not yet: {named}{more}"
    if line.pending is not None:
        text += (
            f"\n:hourglass: version {escape(line.pending.version)} waits for approval "
            f"(revised by <@{line.pending.author_id}>)"
        )
    return text


def entry_buttons(
    line: RegisterLine, today: date, *, viewer: str, is_lead: bool, reminder_days: int
) -> list[ButtonElement]:
    """The buttons this person may use (the services check again when they are pressed)."""
    document = line.document
    value = str(document.id)
    buttons = []
    if viewer in line.readers and viewer not in line.have_read and line.read_version:
        buttons.append(
            ButtonElement(
                text=plain("I have read it"),
                action_id=ActionId.HAVE_READ,
                value=f"{document.id}:{line.read_version}",
                style="primary",
            )
        )
    if not (is_lead or document.owner_id == viewer):
        return buttons
    if review_due(document, today, reminder_days):
        buttons.append(
            ButtonElement(
                text=plain("Reviewed, no change"),
                action_id=ActionId.REVIEWED_NO_CHANGE,
                value=f"{document.id}:{document.next_review_date.isoformat()}",
            )
        )
    if line.pending is None:
        buttons.append(
            ButtonElement(text=plain("Revised"), action_id=ActionId.REVISE_DOCUMENT, value=value)
        )
    elif line.pending.author_id != viewer:
        buttons.append(
            ButtonElement(
                text=plain("Approve revision"),
                action_id=ActionId.APPROVE_REVISION,
                value=str(line.pending.id),
                style="primary",
            )
        )
    buttons.append(ButtonElement(text=plain("Edit"), action_id=ActionId.EDIT_DOCUMENT, value=value))
    return buttons


def summary(lines: Sequence[RegisterLine], today: date, reminder_days: int) -> str:
    overdue = sum(1 for line in lines if line.document.next_review_date < today)
    soon = sum(
        1 for line in lines if 0 <= (line.document.next_review_date - today).days <= reminder_days
    )
    unread = len({person for line in lines if line.read_version for person in line.not_read})
    parts = [plural(len(lines), "document")]
    if overdue:
        parts.append(f"{plural(overdue, 'review')} overdue")
    if soon:
        parts.append(f"{plural(soon, 'review')} due within {plural(reminder_days, 'day')}")
    if unread:
        waiting = "person has" if unread == 1 else "people have"
        parts.append(f"{unread} {waiting} yet to confirm reading a revision")
    return " · ".join(parts)


def register_blocks(
    lines: Sequence[RegisterLine],
    today: date,
    *,
    viewer: str,
    is_lead: bool,
    page: int,
    process_names: dict[int, str],
    reminder_days: int,
) -> list[Any]:
    """`/nc documents`: a page of the register, overdue reviews first."""
    ordered = sorted(
        lines, key=lambda line: (line.document.next_review_date >= today, line.document.reference)
    )
    pages = max(1, -(-len(ordered) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    shown = ordered[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    blocks: list[Any] = [HeaderBlock(text=plain("Documents register"))]
    if not lines:
        blocks.append(
            section(
                "No documents in the register yet. Add your procedures, work instructions and "
                "forms with their owner and review interval (ISO 9001 7.5)."
            )
        )
    else:
        blocks.append(context(summary(lines, today, reminder_days)))
    for line in shown:
        blocks.append(
            section(
                entry_text(line, today, process_names=process_names, reminder_days=reminder_days)
            )
        )
        buttons = entry_buttons(
            line, today, viewer=viewer, is_lead=is_lead, reminder_days=reminder_days
        )
        if buttons:
            blocks.append(ActionsBlock(elements=buttons))
    footer: list[ButtonElement] = []
    if page > 1:
        footer.append(
            ButtonElement(
                text=plain("Previous page"), action_id=ActionId.DOCUMENTS_PAGE, value=str(page - 1)
            )
        )
    if page < pages:
        footer.append(
            ButtonElement(
                text=plain("Next page"), action_id=ActionId.DOCUMENTS_PAGE, value=str(page + 1)
            )
        )
    if is_lead or any(line.document.owner_id == viewer for line in lines):
        footer.append(
            ButtonElement(
                text=plain("Add document"),
                action_id=ActionId.ADD_DOCUMENT,
                value="new",
                style="primary",
            )
        )
    if footer:
        blocks.append(ActionsBlock(block_id=BlockId.DOCUMENTS_PAGER, elements=footer))
    where = f"Page {page} of {pages}. " if pages > 1 else ""
    blocks.append(context(f"{where}`/nc PR-012` shows one document by its reference."))
    return blocks


def register_text(lines: Sequence[RegisterLine], today: date, reminder_days: int) -> str:
    return "Documents register: " + summary(lines, today, reminder_days) + "."


def document_blocks(
    line: RegisterLine,
    today: date,
    *,
    viewer: str,
    is_lead: bool,
    process_names: dict[int, str],
    reminder_days: int,
) -> list[Any]:
    """`/nc PR-012`: one document, everyone who has not read it, and what changed."""
    text = entry_text(
        line,
        today,
        process_names=process_names,
        reminder_days=reminder_days,
        names_shown=NAMES_SHOWN_ALONE,
    )
    blocks: list[Any] = [section(text)]
    if line.read_version and line.what_changed:
        changed = escape(truncate(line.what_changed, 2500))
        blocks.append(section(f"*What changed in v{escape(line.read_version)}*\n{changed}"))
    if line.pending is not None:
        pending = escape(truncate(line.pending.what_changed, 2500))
        blocks.append(
            section(f"*Waiting for approval: v{escape(line.pending.version)}*\n{pending}")
        )
    buttons = entry_buttons(
        line, today, viewer=viewer, is_lead=is_lead, reminder_days=reminder_days
    )
    if buttons:
        blocks.append(ActionsBlock(elements=buttons))
    blocks.append(context("`/nc documents` shows the whole register."))
    return blocks


# -- forms ---------------------------------------------------------------------------------


def _process_input(processes: Sequence[Process], chosen: int | None) -> InputBlock | None:
    if not processes:
        return None
    options: list[Option] = [option(p.name, str(p.id)) for p in processes[:100]]
    initial = next((o for o in options if o.value == str(chosen)), None)
    return InputBlock(
        block_id=BlockId.PROCESS,
        label=plain("Process"),
        optional=True,
        element=StaticSelectElement(
            action_id=ActionId.INPUT, options=options, initial_option=initial
        ),
    )


def document_form(
    processes: Sequence[Process], document: Document | None = None, *, owner: str | None = None
) -> View:
    """Add document, or Edit an entry (`document` given)."""
    blocks: list[Any] = [
        text_input(
            BlockId.DOC_REFERENCE,
            "Reference",
            initial=document.reference if document else None,
            max_length=32,
            hint="As your system names it, e.g. PR-012.",
        ),
        text_input(
            BlockId.TITLE, "Title", initial=document.title if document else None, max_length=200
        ),
        text_input(
            BlockId.DOC_VERSION,
            "Current version",
            initial=document.version if document else None,
            max_length=16,
        ),
        user_input(BlockId.OWNER, "Owner", document.owner_id if document else owner),
        text_input(
            BlockId.DOC_LINK,
            "Where it lives (link)",
            optional=True,
            initial=document.link if document and document.link else None,
            max_length=500,
            hint="A web address starting with https:// — Keel keeps the link, not the file.",
        ),
    ]
    process = _process_input(processes, document.process_id if document else None)
    if process is not None:
        blocks.append(process)
    months = document.review_months if document else DEFAULT_REVIEW_MONTHS
    blocks.append(
        text_input(
            BlockId.REVIEW_MONTHS, "Review every (months)", initial=str(months), max_length=3
        )
    )
    blocks.append(
        date_input(
            BlockId.LAST_REVIEWED,
            "Last reviewed",
            document.last_reviewed_date if document else None,
            optional=True,
            hint="The next review follows from this date; left empty, from today.",
        )
    )
    if document is None:
        return form_modal(ViewId.ADD_DOCUMENT, "Add document", "Add", "{}", blocks)
    meta = DocumentRef(document=document.id).dump()
    return form_modal(ViewId.EDIT_DOCUMENT, f"Edit {document.reference}"[:24], "Save", meta, blocks)


def revision_form(document: Document) -> View:
    """Revised: the new version, what changed, and whether people read it again."""
    reread = [
        option("Yes: everyone who must know it reads it again", "yes"),
        option("No: a minor change, no need to re-read", "no"),
    ]
    blocks: list[Any] = [
        section(
            f"*{escape(document.reference)}* {escape(document.title)}, now version "
            f"{escape(document.version)}."
        ),
        text_input(BlockId.DOC_VERSION, "New version", max_length=16),
        text_input(BlockId.WHAT_CHANGED, "What changed?", multiline=True, max_length=3000),
        InputBlock(
            block_id=BlockId.REREAD,
            label=plain("Must people read it again?"),
            element=StaticSelectElement(
                action_id=ActionId.INPUT, options=reread, initial_option=reread[0]
            ),
        ),
    ]
    meta = DocumentRef(document=document.id).dump()
    return form_modal(ViewId.REVISE_DOCUMENT, "Revised", "Save", meta, blocks)
