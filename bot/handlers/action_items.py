"""Buttons on an action's messages, the forms behind them, and extension approvals."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.models.views import View as SlackView
from sqlalchemy.orm import Session

from bot.forms.triage import (
    entity_id,
    parse_evidence,
    parse_extension,
    parse_owner,
    parse_reason,
    parse_verification,
)
from bot.handlers.common import (
    Submitted,
    actor_for,
    local_today,
    save_from_modal,
    user_of,
    workspace_for,
)
from bot.handlers.errors import reported_after_ack
from bot.ids import ActionId, Block, View
from bot.process.deps import Deps
from bot.services import actions
from bot.services.history import Source
from bot.services.permissions import (
    require_action_party,
    require_lead,
    require_record_owner_or_lead,
)
from bot.views import modals
from bot.views.common import section
from storage.models import Action as ActionRow
from storage.models import Record

Change = Callable[[Submitted, ActionRow, Record], None]

# For each button: its form, and who may open it (checked again when the form is saved).
FORMS: dict[ActionId, tuple[Callable[[ActionRow, Record], SlackView], str]] = {
    ActionId.MARK_DONE: (modals.mark_done, "mark it done"),
    ActionId.EXTEND_DUE: (modals.extend_due, "change its due date"),
    ActionId.REASSIGN: (modals.reassign, "reassign it"),
    ActionId.BLOCKED: (modals.blocked, "mark it blocked"),
    ActionId.VERIFY: (modals.verify, "check its effectiveness"),
    ActionId.CANCEL_ACTION: (modals.cancel_action, "cancel it"),
}


def register(app: App, deps: Deps) -> None:
    for button, (build, doing) in FORMS.items():
        _register_button(app, deps, button, build, doing)

    def submission(view_id: View, error_block: str, change: Change) -> None:
        @app.view(view_id)
        def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
            workspace = workspace_for(deps, body)
            actor = actor_for(deps, client, workspace, user_of(body))
            now = deps.clock.now()
            today = local_today(deps, workspace, actor.user_id, now)
            action_id = entity_id(view.get("private_metadata"), "action")

            def work(session: Session) -> None:
                action, record = actions.get(
                    session=session, workspace_id=workspace.id, action_id=action_id, for_update=True
                )
                form = Submitted(session, workspace, actor, view["state"]["values"], now, today)
                change(form, action, record)

            save_from_modal(deps, ack, error_block=error_block, work=work)

    submission(View.MARK_DONE, Block.EVIDENCE, _mark_done)
    submission(View.EXTEND_DUE, Block.DUE_DATE, _extend)
    submission(View.REASSIGN, Block.OWNER, _reassign)
    submission(View.BLOCKED, Block.REASON, _blocked)
    submission(View.VERIFY, Block.OUTCOME, _verify)
    submission(View.CANCEL_ACTION, Block.REASON, _cancel)

    for button, approve in (
        (ActionId.APPROVE_EXTENSION, True),
        (ActionId.DECLINE_EXTENSION, False),
    ):
        _register_decision(app, deps, button, approve)

    @app.action(re.compile(rf"^{ActionId.SNOOZE}:\d+$"))
    @reported_after_ack
    def snooze(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        """The digest's "Snooze until…" picker: out of the digest until that day."""
        ack()
        workspace = workspace_for(deps, body)
        actor = actor_for(deps, client, workspace, user_of(body))
        action_id = int(str(action["action_id"]).split(":", 1)[1])
        until = date.fromisoformat(str(action["selected_date"]))
        now = deps.clock.now()
        with deps.db.transaction() as session:
            row, record = actions.get(
                session=session, workspace_id=workspace.id, action_id=action_id, for_update=True
            )
            actions.snooze(
                session=session,
                action=row,
                record=record,
                until=until,
                actor=actor,
                today=local_today(deps, workspace, actor.user_id, now),
                now=now,
            )
        deps.wake_relay()


def _register_button(
    app: App,
    deps: Deps,
    button: ActionId,
    build: Callable[[ActionRow, Record], SlackView],
    doing: str,
) -> None:
    @app.action(button)
    @reported_after_ack
    def open_form(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        workspace = workspace_for(deps, body)
        with deps.db.reading() as session:
            row, record = actions.get(
                session=session, workspace_id=workspace.id, action_id=int(action["value"])
            )
        actor = actor_for(deps, client, workspace, user_of(body))
        if button in (ActionId.VERIFY, ActionId.CANCEL_ACTION):
            require_record_owner_or_lead(actor, record, doing)
        else:
            require_action_party(actor, row, record, doing)
        client.views_open(trigger_id=body["trigger_id"], view=build(row, record))


def _register_decision(app: App, deps: Deps, button: ActionId, approve: bool) -> None:
    @app.action(button)
    @reported_after_ack
    def decide(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        workspace = workspace_for(deps, body)
        actor = actor_for(deps, client, workspace, user_of(body))
        require_lead(actor, "approve due-date extensions")
        now = deps.clock.now()
        with deps.db.transaction() as session:
            row, record = actions.get(
                session=session,
                workspace_id=workspace.id,
                action_id=int(action["value"]),
                for_update=True,
            )
            outcome = actions.decide_extension(
                session=session,
                action=row,
                record=record,
                approve=approve,
                actor=actor,
                today=local_today(deps, workspace, actor.user_id, now),
                now=now,
            )
        deps.wake_relay()
        channel = (body.get("container") or {}).get("channel_id") or (
            body.get("channel") or {}
        ).get("id")
        ts = (body.get("container") or {}).get("message_ts")
        if channel and ts:
            # The request is answered: the buttons give way to the outcome.
            client.chat_update(channel=channel, ts=ts, text=outcome, blocks=[section(outcome)])


def _mark_done(form: Submitted, action: ActionRow, record: Record) -> None:
    actions.complete(
        session=form.session,
        action=action,
        record=record,
        evidence=parse_evidence(form.values),
        actor=form.actor,
        source=Source.FORM,
        now=form.now,
    )


def _extend(form: Submitted, action: ActionRow, record: Record) -> None:
    extension = parse_extension(form.values, form.today)
    actions.extend(
        session=form.session,
        action=action,
        record=record,
        workspace=form.workspace,
        new_date=extension.new_date,
        reason=extension.reason,
        actor=form.actor,
        source=Source.FORM,
        today=form.today,
        now=form.now,
    )


def _reassign(form: Submitted, action: ActionRow, record: Record) -> None:
    actions.reassign(
        session=form.session,
        action=action,
        record=record,
        new_owner=parse_owner(form.values),
        actor=form.actor,
        source=Source.FORM,
        now=form.now,
    )


def _blocked(form: Submitted, action: ActionRow, record: Record) -> None:
    reason = parse_reason(form.values, "Say what it is waiting for.")
    actions.set_blocked(
        session=form.session,
        action=action,
        record=record,
        reason=reason,
        actor=form.actor,
        source=Source.FORM,
        now=form.now,
    )


def _verify(form: Submitted, action: ActionRow, record: Record) -> None:
    checked = parse_verification(form.values, form.today)
    actions.verify(
        session=form.session,
        action=action,
        record=record,
        effective=checked.effective,
        note=checked.note,
        new_due_date=checked.new_due_date,
        actor=form.actor,
        today=form.today,
        now=form.now,
    )


def _cancel(form: Submitted, action: ActionRow, record: Record) -> None:
    reason = parse_reason(form.values, "Say why it is cancelled.")
    actions.cancel(
        session=form.session,
        action=action,
        record=record,
        reason=reason,
        actor=form.actor,
        now=form.now,
    )
