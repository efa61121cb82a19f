"""A record: raising one (the form, the message shortcut), its card's buttons and the forms
behind them, "View record and history", and `/nc list`'s pager."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.models.views import View as SlackView
from sqlalchemy.exc import IntegrityError

from bot.domain.records import RecordStatus
from bot.domain.terms import terms_for
from bot.domain.text import first_line
from bot.domain.transitions import RECORD_MOVES
from bot.forms.buttons import RecordNumberButton
from bot.forms.closing import parse_close_form
from bot.forms.metadata import RecordMetadata
from bot.forms.record import RecordForm, parse_record_form
from bot.forms.state import FormErrors, state_of
from bot.forms.triage import (
    parse_new_action,
    parse_owner,
    parse_reason,
    parse_root_cause,
    parse_severity,
    parse_status,
)
from bot.handlers.commands import show_record
from bot.handlers.common import (
    Submitted,
    known_processes,
    latest_today,
    local_today,
    user_of,
    workspace_for,
)
from bot.handlers.errors import reported_after_ack
from bot.handlers.registry import RECORD, FormButton, FormSubmission, Opening, register_forms
from bot.ids import ActionId, Block, Shortcut, View
from bot.process.deps import Deps
from bot.process.prompt_ack import open_then_ack
from bot.services import actions, triage
from bot.services.permissions import Actor, require_record_owner_or_lead
from bot.services.records import raise_record
from bot.views import closing, modals
from bot.views.record_card import reference
from bot.views.record_form import record_form_payload, record_raised
from storage.models import Record, Workspace


def _owner_or_lead(doing: str) -> Any:
    return lambda actor, record: require_record_owner_or_lead(actor, record, doing)


def _anyone(actor: Actor, record: Record) -> None:
    """Anyone may propose an owner; the change itself is checked when the form is saved."""


def _status_form(opening: Opening, record: Record) -> SlackView:
    manual = [
        status
        for status in RecordStatus
        if status in RECORD_MOVES[RecordStatus(record.status)]
        and status not in (RecordStatus.CLOSED, RecordStatus.REJECTED)
    ]
    return modals.change_status(record, manual)


def _close_form(opening: Opening, record: Record) -> SlackView:
    blockers = triage.blockers_for(opening.session, record)
    return closing.close(record, blockers, is_lead=opening.actor.is_lead, terms=opening.actor.terms)


BUTTONS = [
    FormButton(ActionId.ASSIGN_OWNER, RECORD, _anyone, lambda o, r: modals.assign_owner(r)),
    FormButton(
        ActionId.FIVE_WHYS,
        RECORD,
        _owner_or_lead("record its root cause"),
        lambda o, r: modals.five_whys(r, triage.cause_categories(o.workspace)),
    ),
    FormButton(
        ActionId.ADD_ACTION,
        RECORD,
        _owner_or_lead("add actions to it"),
        lambda o, r: modals.add_action(r, o.today),
    ),
    FormButton(ActionId.CHANGE_STATUS, RECORD, _owner_or_lead("change its status"), _status_form),
    FormButton(
        ActionId.CHANGE_SEVERITY,
        RECORD,
        _owner_or_lead("change its severity"),
        lambda o, r: modals.change_severity(r),
    ),
    FormButton(
        ActionId.REJECT_RECORD, RECORD, _owner_or_lead("reject it"), lambda o, r: modals.reject(r)
    ),
    FormButton(
        ActionId.REOPEN_RECORD, RECORD, _owner_or_lead("reopen it"), lambda o, r: modals.reopen(r)
    ),
    FormButton(ActionId.CLOSE_RECORD, RECORD, _owner_or_lead("close it"), _close_form),
]


def _assign_owner(form: Submitted, record: Record) -> None:
    owner_id = parse_owner(form.values)
    triage.assign_owner(
        session=form.session, record=record, owner_id=owner_id, actor=form.actor, now=form.now
    )


def _record_root_cause(form: Submitted, record: Record) -> None:
    parsed = parse_root_cause(form.values, triage.cause_categories(form.workspace))
    cause = triage.RootCause(**parsed.model_dump())
    triage.record_root_cause(
        session=form.session, record=record, cause=cause, actor=form.actor, now=form.now
    )


def _change_status(form: Submitted, record: Record) -> None:
    target = parse_status(form.values)
    triage.change_status(
        session=form.session, record=record, target=target, actor=form.actor, now=form.now
    )


def _change_severity(form: Submitted, record: Record) -> None:
    severity = parse_severity(form.values)
    triage.change_severity(
        session=form.session, record=record, severity=severity, actor=form.actor, now=form.now
    )


def _reject(form: Submitted, record: Record) -> None:
    reason = parse_reason(form.values, "Say why it is rejected.")
    triage.reject(
        session=form.session, record=record, reason=reason, actor=form.actor, now=form.now
    )


def _close(form: Submitted, record: Record) -> None:
    """Close; the reason field is there only when a lead closes a record with open points."""
    parsed = parse_close_form(form.values)
    triage.close(
        session=form.session,
        record=record,
        actor=form.actor,
        now=form.now,
        override_reason=parsed.override_reason,
        answers=parsed.answers,
    )


def _reopen(form: Submitted, record: Record) -> None:
    reason = parse_reason(form.values, "Say why it is reopened.")
    triage.reopen(
        session=form.session, record=record, reason=reason, actor=form.actor, now=form.now
    )


def _add_action(form: Submitted, record: Record) -> None:
    parsed = parse_new_action(form.values, form.today)
    new = actions.NewAction(**parsed.model_dump())
    actions.add(
        session=form.session,
        record=record,
        new=new,
        actor=form.actor,
        today=form.today,
        now=form.now,
    )


SUBMISSIONS = [
    FormSubmission(View.ASSIGN_OWNER, RECORD, Block.OWNER, _assign_owner),
    FormSubmission(View.FIVE_WHYS, RECORD, Block.ROOT_CAUSE, _record_root_cause),
    FormSubmission(View.CHANGE_STATUS, RECORD, Block.STATUS, _change_status),
    FormSubmission(View.CHANGE_SEVERITY, RECORD, Block.SEVERITY, _change_severity),
    FormSubmission(View.REJECT_RECORD, RECORD, Block.REASON, _reject),
    FormSubmission(View.CLOSE_RECORD, RECORD, None, _close),
    FormSubmission(View.REOPEN_RECORD, RECORD, Block.REASON, _reopen),
    FormSubmission(View.ADD_ACTION, RECORD, Block.DESCRIPTION, _add_action),
]


def message_permalink(body: dict[str, Any]) -> str | None:
    """Slack's permalink for the message, built without an API call: the trigger_id expires
    in 3 seconds and views.open must come first. RecordMetadata drops anything malformed."""
    domain = (body.get("team") or {}).get("domain")
    channel = (body.get("channel") or {}).get("id")
    ts = (body.get("message") or {}).get("ts") or body.get("message_ts")
    if not (domain and channel and ts):
        return None
    link = f"https://{domain}.slack.com/archives/{channel}/p{str(ts).replace('.', '')}"
    thread_ts = (body.get("message") or {}).get("thread_ts")
    if thread_ts and thread_ts != ts:
        link += f"?thread_ts={thread_ts}&cid={channel}"
    return link


def _save_record(
    deps: Deps, body: dict[str, Any], form: RecordForm, view_id: str | None
) -> dict[str, Any]:
    """Store the record and say so. A submission is nearly always new, so the first attempt
    does not look for an earlier record from the same modal; a repeat (a double click, Slack
    resending) clashes on the unique view id, and the second attempt finds the record the
    other one made."""
    workspace = workspace_for(deps, body)
    for attempt in (1, 2):
        try:
            with deps.db.transaction() as session:
                # Without a channel no card is queued, ever: a cached row from before
                # `/nc channel` (in another process) must not decide that.
                current = (
                    workspace
                    if workspace.quality_channel
                    else session.get_one(Workspace, workspace.id)
                )
                record = raise_record(
                    session=session,
                    workspace=current,
                    form=form,
                    reporter_id=user_of(body),
                    view_id=view_id,
                    now=deps.clock.now(),
                    look_for_earlier=attempt > 1,
                ).record
                return record_raised(
                    reference=reference(record),
                    title=record.title,
                    anonymous=record.anonymous,
                    channel=current.quality_channel,
                    terms=terms_for(current.system_name),
                )
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable: the second attempt returns or raises")


def register(app: App, deps: Deps) -> None:
    register_forms(app, deps, BUTTONS, SUBMISSIONS, menu=ActionId.RECORD_MENU)

    @app.shortcut(Shortcut.RAISE_FROM_MESSAGE)
    @reported_after_ack
    def raise_from_message(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        def open_form() -> None:
            workspace = workspace_for(deps, body)
            text = str((body.get("message") or {}).get("text") or "")
            metadata = RecordMetadata(
                channel_id=(body.get("channel") or {}).get("id"),
                permalink=message_permalink(body),
            )
            view = record_form_payload(
                processes=known_processes(deps, workspace),
                today=local_today(deps, workspace, user_of(body), deps.clock.now()),
                metadata=metadata,
                title=first_line(text),
                description=text,
            )
            client.views_open(trigger_id=body["trigger_id"], view=view)

        open_then_ack(ack, open_form)

    @app.view(View.RAISE_RECORD)
    def submit_record(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        metadata = RecordMetadata.load(view.get("private_metadata"))
        known = known_processes(deps, workspace_for(deps, body))
        try:
            form = parse_record_form(
                state_of(view),
                metadata,
                today=latest_today(deps.clock.now()),
                process_ids={process.id for process in known},
            )
        except FormErrors as invalid:
            ack(response_action="errors", errors=invalid.errors)
            return
        ack(response_action="update", view=_save_record(deps, body, form, view.get("id")))
        deps.wake_relay()

    @app.action(ActionId.VIEW_RECORD)
    @reported_after_ack
    def view_record(ack: Ack, body: dict[str, Any], action: Any, client: WebClient) -> None:
        ack()
        number = RecordNumberButton.read(action).value
        text, blocks = show_record(deps, body, client, number)
        client.chat_postEphemeral(
            channel=body["channel"]["id"], user=user_of(body), text=text, blocks=blocks
        )
