"""`/nc` and its subcommands."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.domain.commands import (
    Command,
    ExportPack,
    ListActions,
    ListAudits,
    ListDocuments,
    ListObjectives,
    ListRecords,
    LookUpReference,
    ManageProcesses,
    NewObjective,
    OpenForm,
    OpenSettings,
    SetAuditors,
    SetDigestChannel,
    SetLeads,
    SetQualityChannel,
    ShowAudit,
    ShowObjective,
    ShowRecord,
    ShowReview,
    ShowTraining,
    SuggestCommand,
    parse_command,
)
from bot.domain.errors import NotAllowed
from bot.domain.records import known_prefixes
from bot.domain.terms import terms_for
from bot.forms.record import RecordMetadata
from bot.handlers.audits import set_auditors, show_audit, show_programme
from bot.handlers.common import known_processes, local_today, user_of, workspace_for
from bot.handlers.documents import show_document, show_register
from bot.handlers.errors import reported_after_ack
from bot.handlers.exports import start_export
from bot.handlers.objectives import list_objectives, open_new_objective_form, show_objective
from bot.handlers.registers import answer_actions, answer_list
from bot.handlers.review import show_review
from bot.handlers.settings import open_settings
from bot.handlers.training import show_training
from bot.ids import SLASH_COMMAND
from bot.process.deps import Deps
from bot.process.prompt_ack import open_then_ack
from bot.queries import records
from bot.queries.references import document_id_for, record_number_for
from bot.services import processes, settings_service
from bot.services.history import for_record
from bot.services.permissions import leads_only
from bot.views import modals
from bot.views.help import help_blocks, help_text
from bot.views.record_card import detail_blocks, fallback_text
from bot.views.record_form import record_form_payload
from bot.views.suggest import suggestion_blocks
from storage.models import Workspace


def register(app: App, deps: Deps) -> None:
    @app.command(SLASH_COMMAND)
    @reported_after_ack
    def nc(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        command = body  # a slash command's body is the command itself
        workspace = workspace_for(deps, command)
        parsed = parse_command(
            command.get("text") or "", known_prefixes(workspace.reference_prefixes)
        )
        if isinstance(parsed, ManageProcesses):
            ack()
            with deps.db.reading() as session:
                view = modals.processes(
                    processes.active(session=session, workspace_id=workspace.id),
                    terms=terms_for(workspace.system_name),
                )
            client.views_open(trigger_id=command["trigger_id"], view=view)
            return
        if isinstance(parsed, OpenSettings):
            open_settings(deps, ack, command, client)
            return
        if isinstance(parsed, NewObjective):
            ack()
            open_new_objective_form(deps, command, client)
            return
        if isinstance(parsed, LookUpReference):  # issue 13: a reference from before Keel
            number = imported_record_number(deps, command, parsed.reference)
            if number is not None:
                found, record_blocks = show_record(deps, command, client, number)
                ack(text=found, blocks=record_blocks, response_type="ephemeral")
                return
            document_id = document_for(deps, command, parsed.reference)
            if document_id is not None:
                found, document_blocks = show_document(deps, command, client, document_id)
                ack(text=found, blocks=document_blocks, response_type="ephemeral")
                return
            parsed = OpenForm(title=(command.get("text") or "").strip())
        if isinstance(parsed, OpenForm):
            title = parsed.title

            def open_form() -> None:
                form = record_form_payload(
                    today=local_today(deps, workspace, user_of(command), deps.clock.now()),
                    metadata=RecordMetadata(channel_id=command.get("channel_id")),
                    title=title,
                    processes=known_processes(deps, workspace),
                )
                client.views_open(trigger_id=command["trigger_id"], view=form)

            open_then_ack(ack, open_form)
            return
        text, blocks = answer(deps, parsed, command, client)
        ack(text=text, blocks=blocks, response_type="ephemeral")


def answer(
    deps: Deps, parsed: Command, body: dict[str, Any], client: WebClient
) -> tuple[str, list[Any] | None]:
    """The private answer to a subcommand: (text, blocks)."""
    match parsed:
        case ShowRecord(reference=reference):
            return show_record(deps, body, client, reference)
        case ListRecords():
            return answer_list(deps, body, parsed)
        case ListActions():
            return answer_actions(deps, body, parsed)
        case ListObjectives():
            return list_objectives(deps, body, client)
        case ShowObjective(number=number):
            return show_objective(deps, body, client, number)
        case ListAudits():
            return show_programme(deps, body, client)
        case ListDocuments():
            return show_register(deps, body, client)
        case ShowAudit(number=number):
            return show_audit(deps, body, client, number)
        case ShowTraining():
            return show_training(deps, body, client)
        case SetAuditors(user_ids=user_ids):
            return set_auditors(deps, body, client, list(user_ids)), None
        case SetQualityChannel(channel_id=channel_id):
            return set_quality_channel(deps, body, client, channel_id), None
        case SetDigestChannel(channel_id=channel_id):
            return set_digest_channel(deps, body, client, channel_id), None
        case ExportPack():
            workspace = _lead_only(deps, body, client, "export the audit pack")
            start_export(deps, client, workspace, user_of(body))
            return "Preparing your export… Keel will send it to you here in a direct message.", None
        case ShowReview():
            return show_review(deps, body, client)
        case SetLeads(user_ids=user_ids):
            return set_leads(deps, body, client, list(user_ids)), None
        case SuggestCommand(suggestion=suggestion, title=title):
            return suggestion_blocks(suggestion, title)
        case _:
            return help_text(), help_blocks(terms_for(workspace_for(deps, body).system_name))


def show_record(
    deps: Deps, body: dict[str, Any], client: WebClient, key: str | int
) -> tuple[str, list[Any]]:
    """A record (by reference, or by number from a button) and its history, rendered for the
    person asking."""
    workspace = workspace_for(deps, body)
    user_id = user_of(body)
    with deps.db.reading() as session:
        if isinstance(key, int):
            record = records.get_by_number(session=session, workspace_id=workspace.id, number=key)
        else:
            record = records.get_by_reference(
                session=session, workspace_id=workspace.id, reference=key
            )
        history = for_record(session=session, workspace_id=workspace.id, record_id=record.id)
        extras = records.card_extras(session=session, record=record)
    involved = user_id in (record.reporter_id, record.owner_id)
    show_private = involved or deps.directory.is_lead(client, workspace, user_id)
    blocks = detail_blocks(
        record,
        history,
        show_private=show_private,
        now=deps.clock.now(),
        terms=terms_for(workspace.system_name),
        extras=extras,
    )
    return fallback_text(record), blocks


def imported_record_number(deps: Deps, body: dict[str, Any], reference: str) -> int | None:
    workspace = workspace_for(deps, body)
    with deps.db.reading() as session:
        return record_number_for(session=session, workspace_id=workspace.id, reference=reference)


def document_for(deps: Deps, body: dict[str, Any], reference: str) -> int | None:
    workspace = workspace_for(deps, body)
    with deps.db.reading() as session:
        return document_id_for(session=session, workspace_id=workspace.id, reference=reference)


def _lead_only(deps: Deps, body: dict[str, Any], client: WebClient, what: str) -> Workspace:
    workspace = workspace_for(deps, body)
    if not deps.directory.is_lead(client, workspace, user_of(body)):
        raise NotAllowed(leads_only(terms_for(workspace.system_name), what))
    return workspace


def set_leads(deps: Deps, body: dict[str, Any], client: WebClient, user_ids: list[str]) -> str:
    workspace = _lead_only(deps, body, client, "choose who the leads are")
    with deps.db.transaction() as session:
        settings_service.set_leads(
            session=session,
            workspace_id=workspace.id,
            lead_ids=user_ids,
            actor_id=user_of(body),
            now=deps.clock.now(),
        )
    deps.cache.forget("workspace", workspace.team_id)
    names = ", ".join(f"<@{user_id}>" for user_id in user_ids)
    return f"{terms_for(workspace.system_name).capital_leads} are now {names}."


def set_quality_channel(
    deps: Deps, body: dict[str, Any], client: WebClient, channel_id: str
) -> str:
    _set_channel(
        deps, body, client, channel_id, "quality_channel", doing="choose where new records go"
    )
    return f"New records will be posted to <#{channel_id}>. {_INVITE}"


def set_digest_channel(deps: Deps, body: dict[str, Any], client: WebClient, channel_id: str) -> str:
    _set_channel(
        deps,
        body,
        client,
        channel_id,
        "digest_channel",
        doing="choose where the objectives digest goes",
    )
    return f"The weekly objectives digest will be posted to <#{channel_id}>. {_INVITE}"


_INVITE = "Make sure Keel is in that channel (`/invite @Keel` there)."


def _set_channel(
    deps: Deps,
    body: dict[str, Any],
    client: WebClient,
    channel_id: str,
    setting: settings_service.ChannelSetting,
    *,
    doing: str,
) -> None:
    workspace = _lead_only(deps, body, client, doing)
    with deps.db.transaction() as session:
        settings_service.set_channel(
            session=session,
            workspace_id=workspace.id,
            setting=setting,
            channel_id=channel_id,
            actor_id=user_of(body),
            now=deps.clock.now(),
        )
    deps.cache.forget("workspace", workspace.team_id)
