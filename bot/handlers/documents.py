"""The documents register: `/nc documents`, `/nc PR-012`, and its buttons and forms."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.domain.dates import readable_date
from bot.domain.errors import NotAllowed
from bot.domain.text import escape
from bot.forms.documents import (
    DocumentButton,
    DocumentFields,
    DocumentRef,
    PageButton,
    ReadButton,
    ReviewButton,
    RevisionButton,
    parse_document,
    parse_revision,
)
from bot.forms.state import FormErrors, state_of
from bot.handlers.common import (
    Submitted,
    actor_for,
    known_processes,
    local_today,
    save_from_modal,
    user_of,
    workspace_for,
)
from bot.handlers.errors import reported_after_ack
from bot.handlers.registry import FormButton, FormSubmission, Opening, Subject, register_forms
from bot.ids import ActionId, Block, View
from bot.process.deps import Deps
from bot.queries import documents as queries
from bot.services import document_reads, documents, notify, processes
from bot.services.permissions import Actor
from bot.views import documents as views
from storage.models import Document, Workspace

DOCUMENT = Subject[Document](
    button=DocumentButton.read,
    id_of_form=lambda raw: DocumentRef.load(raw).document,
    load=lambda session, workspace_id, document_id, _lock: documents.get(
        session=session, workspace_id=workspace_id, document_id=document_id
    ),
)


def _names(deps: Deps, workspace: Workspace) -> dict[int, str]:
    return {process.id: process.name for process in known_processes(deps, workspace)}


def show_register(
    deps: Deps, body: dict[str, Any], client: WebClient, page: int = 1
) -> tuple[str, list[Any]]:
    workspace = workspace_for(deps, body)
    user_id = user_of(body)
    today = local_today(deps, workspace, user_id, deps.clock.now())
    with deps.db.reading() as session:
        lines = queries.register(session=session, workspace_id=workspace.id)
    days = workspace.review_reminder_days
    blocks = views.register_blocks(
        lines,
        today,
        viewer=user_id,
        is_lead=deps.directory.is_lead(client, workspace, user_id),
        page=page,
        process_names=_names(deps, workspace),
        reminder_days=days,
    )
    return views.register_text(lines, today, days), blocks


def show_document(
    deps: Deps, body: dict[str, Any], client: WebClient, document_id: int
) -> tuple[str, list[Any]]:
    """One entry of the register, found by its reference."""
    workspace = workspace_for(deps, body)
    user_id = user_of(body)
    today = local_today(deps, workspace, user_id, deps.clock.now())
    with deps.db.reading() as session:
        lines = queries.register(session=session, workspace_id=workspace.id)
    line = next((line for line in lines if line.document.id == document_id), None)
    if line is None:
        raise NotAllowed("That document is no longer in the register.")
    blocks = views.document_blocks(
        line,
        today,
        viewer=user_id,
        is_lead=deps.directory.is_lead(client, workspace, user_id),
        process_names=_names(deps, workspace),
        reminder_days=workspace.review_reminder_days,
    )
    document = line.document
    return f"{document.reference} {document.title}, version {document.version}", blocks


def _owner_or_lead(doing: str) -> Any:
    def check(actor: Actor, document: Document) -> None:
        if not documents.may_edit(document, actor.user_id, is_lead=actor.is_lead):
            raise NotAllowed(
                f"Only {document.reference}'s owner or {actor.terms.a_lead} can {doing}."
            )

    return check


def _edit_form(opening: Opening, document: Document) -> Any:
    known = processes.active(session=opening.session, workspace_id=opening.workspace.id)
    return views.document_form(known, document)


BUTTONS = [
    FormButton(ActionId.EDIT_DOCUMENT, DOCUMENT, _owner_or_lead("edit it"), _edit_form),
    FormButton(
        ActionId.REVISE_DOCUMENT,
        DOCUMENT,
        _owner_or_lead("revise it"),
        lambda opening, document: views.revision_form(document),
    ),
]


def _fields(form: Submitted) -> DocumentFields:
    known = processes.active(session=form.session, workspace_id=form.workspace.id)
    return parse_document(
        form.values, processes={process.id for process in known}, today=form.today
    )


def _edit(form: Submitted, document: Document) -> None:
    documents.edit(
        session=form.session,
        workspace_id=form.workspace.id,
        document_id=document.id,
        fields=_fields(form),
        actor_id=form.actor.user_id,
        is_lead=form.actor.is_lead,
        terms=form.actor.terms,
        now=form.now,
    )


def _revise(form: Submitted, document: Document) -> None:
    fields = parse_revision(form.values, current=document.version)
    reference = escape(document.reference)
    revised = documents.revise(
        session=form.session,
        workspace=form.workspace,
        document_id=document.id,
        fields=fields,
        actor_id=form.actor.user_id,
        is_lead=form.actor.is_lead,
        terms=form.actor.terms,
        now=form.now,
    )
    version = escape(fields.version)
    if revised.waiting_for_approval:
        text = (
            f"{reference} version {version} is saved and waits for approval by someone "
            "other than you; the register keeps the current version until then."
        )
    else:
        readers = queries.required_readers(session=form.session, workspace_id=form.workspace.id)
        asked = len(readers.get(document.id, set())) if fields.reread_required else 0
        text = f"{reference} is now at version {version}."
        if asked:
            who = "person is" if asked == 1 else "people are"
            text += f" {asked} {who} asked to read it in their daily message."
    notify.dm(
        session=form.session,
        workspace_id=form.workspace.id,
        users=[form.actor.user_id],
        text=text,
        now=form.now,
    )


SUBMISSIONS = [
    FormSubmission(View.EDIT_DOCUMENT, DOCUMENT, Block.DOC_REFERENCE, _edit),
    FormSubmission(View.REVISE_DOCUMENT, DOCUMENT, Block.DOC_VERSION, _revise),
]


def register(app: App, deps: Deps) -> None:
    register_forms(app, deps, BUTTONS, SUBMISSIONS)

    def tell(respond: Any, text: str) -> None:
        respond(text=text, response_type="ephemeral", replace_original=False)

    @app.action(ActionId.ADD_DOCUMENT)
    @reported_after_ack
    def add_button(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        workspace = workspace_for(deps, body)
        actor = actor_for(deps, client, workspace, user_of(body))
        view = views.document_form(
            known_processes(deps, workspace), owner=None if actor.is_lead else actor.user_id
        )
        client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.view(View.ADD_DOCUMENT)
    def save_new(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        workspace = workspace_for(deps, body)
        actor = actor_for(deps, client, workspace, user_of(body))
        now = deps.clock.now()
        today = local_today(deps, workspace, actor.user_id, now)

        def work(session: Session) -> None:
            form = Submitted(session, workspace, actor, state_of(view), now, today)
            fields = _fields(form)
            if not actor.is_lead and fields.owner_id != actor.user_id:
                raise FormErrors(
                    {
                        Block.OWNER.value: (
                            f"Only {actor.terms.a_lead} can add a document someone else owns."
                        )
                    }
                )
            documents.add(
                session=session,
                workspace_id=workspace.id,
                fields=fields,
                actor_id=actor.user_id,
                is_lead=actor.is_lead,
                terms=actor.terms,
                now=now,
            )

        save_from_modal(deps, ack, error_block=Block.DOC_REFERENCE, work=work)

    @app.action(ActionId.REVIEWED_NO_CHANGE)
    @reported_after_ack
    def reviewed(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Any
    ) -> None:
        ack()
        button = ReviewButton.read(action)
        workspace = workspace_for(deps, body)
        actor = actor_for(deps, client, workspace, user_of(body))
        with deps.db.transaction() as session:
            done = documents.reviewed_no_change(
                session=session,
                workspace_id=workspace.id,
                document_id=button.document_id,
                due=button.due,
                actor_id=actor.user_id,
                is_lead=actor.is_lead,
                terms=actor.terms,
                now=deps.clock.now(),
            )
            document = done.document
            reference, next_due = escape(document.reference), document.next_review_date
        deps.wake_relay()
        today = local_today(deps, workspace, actor.user_id, deps.clock.now())
        when = readable_date(next_due, today)
        if done.recorded:
            tell(respond, f"Review of {reference} recorded, no change. Next review: {when}.")
        else:
            tell(respond, f"That review of {reference} was recorded already. Next review: {when}.")

    @app.action(ActionId.APPROVE_REVISION)
    @reported_after_ack
    def approve(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Any
    ) -> None:
        ack()
        button = RevisionButton.read(action)
        workspace = workspace_for(deps, body)
        actor = actor_for(deps, client, workspace, user_of(body))
        with deps.db.transaction() as session:
            revision = documents.approve(
                session=session,
                workspace_id=workspace.id,
                revision_id=button.value,
                approver_id=actor.user_id,
                is_lead=actor.is_lead,
                terms=actor.terms,
                now=deps.clock.now(),
            )
            version, approver = escape(revision.version), revision.approver_id
        deps.wake_relay()
        if approver == actor.user_id:
            tell(respond, f"Approved: version {version} is now current.")
        else:
            tell(respond, f"<@{approver}> approved version {version} already.")

    @app.action(ActionId.HAVE_READ)
    @reported_after_ack
    def have_read(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Any
    ) -> None:
        ack()
        button = ReadButton.read(action)
        workspace = workspace_for(deps, body)
        with deps.db.transaction() as session:
            kept = document_reads.acknowledge(
                session=session,
                workspace_id=workspace.id,
                document_id=button.document_id,
                version=button.version,
                user_id=user_of(body),
                now=deps.clock.now(),
            )
        deps.wake_relay()
        version = escape(button.version)
        if kept:
            tell(respond, f"Thank you: Keel keeps that you have read version {version}.")
        else:
            tell(respond, f"You had confirmed reading version {version} already.")

    @app.action(ActionId.DOCUMENTS_PAGE)
    @reported_after_ack
    def page(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Any
    ) -> None:
        ack()
        text, blocks = show_register(deps, body, client, PageButton.read(action).value)
        respond(text=text, blocks=blocks, replace_original=True, response_type="ephemeral")
