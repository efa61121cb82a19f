"""An action: the buttons on its messages and the forms behind them, extension approvals,
and the digest's "Snooze until…" picker."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.forms.actions import parse_evidence, parse_extension, parse_verification
from bot.forms.buttons import ActionButton, SnoozePick
from bot.forms.triage import parse_owner, parse_reason
from bot.handlers.common import Submitted, actor_for, local_today, user_of, workspace_for
from bot.handlers.errors import reported_after_ack
from bot.handlers.registry import ACTION, FormButton, FormSubmission, Found, register_forms
from bot.ids import ActionId, Block, View
from bot.process.deps import Deps
from bot.queries import actions as action_queries
from bot.services import actions, due_dates, effectiveness
from bot.services.history import Source
from bot.services.permissions import (
    Actor,
    require_action_party,
    require_lead,
    require_record_owner_or_lead,
)
from bot.views import modals
from bot.views.common import section
from storage.models import Workspace


def _party(doing: str) -> Any:
    """The action's owner, the record's owner or a lead (checked again when saved)."""
    return lambda actor, found: require_action_party(actor, found[0], found[1], doing)


def _record_owner_or_lead(doing: str) -> Any:
    return lambda actor, found: require_record_owner_or_lead(actor, found[1], doing)


def _form(build: Any) -> Any:
    return lambda opening, found: build(*found, opening.today)


BUTTONS = [
    FormButton(ActionId.MARK_DONE, ACTION, _party("mark it done"), _form(modals.mark_done)),
    FormButton(
        ActionId.EXTEND_DUE, ACTION, _party("change its due date"), _form(modals.extend_due)
    ),
    FormButton(ActionId.REASSIGN, ACTION, _party("reassign it"), _form(modals.reassign)),
    FormButton(ActionId.BLOCKED, ACTION, _party("mark it blocked"), _form(modals.blocked)),
    FormButton(
        ActionId.VERIFY,
        ACTION,
        _record_owner_or_lead("check its effectiveness"),
        _form(modals.verify),
    ),
    FormButton(
        ActionId.CANCEL_ACTION,
        ACTION,
        _record_owner_or_lead("cancel it"),
        _form(modals.cancel_action),
    ),
]


def _mark_done(form: Submitted, found: Found) -> None:
    action, record = found
    actions.complete(
        session=form.session,
        action=action,
        record=record,
        evidence=parse_evidence(form.values),
        actor=form.actor,
        source=Source.FORM,
        now=form.now,
    )


def _extend(form: Submitted, found: Found) -> None:
    action, record = found
    extension = parse_extension(form.values, form.today)
    due_dates.extend(
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


def _reassign(form: Submitted, found: Found) -> None:
    action, record = found
    actions.reassign(
        session=form.session,
        action=action,
        record=record,
        new_owner=parse_owner(form.values),
        actor=form.actor,
        source=Source.FORM,
        now=form.now,
    )


def _blocked(form: Submitted, found: Found) -> None:
    action, record = found
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


def _verify(form: Submitted, found: Found) -> None:
    action, record = found
    checked = parse_verification(form.values, form.today)
    effectiveness.verify(
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


def _cancel(form: Submitted, found: Found) -> None:
    action, record = found
    reason = parse_reason(form.values, "Say why it is cancelled.")
    actions.cancel(
        session=form.session,
        action=action,
        record=record,
        reason=reason,
        actor=form.actor,
        now=form.now,
    )


SUBMISSIONS = [
    FormSubmission(View.MARK_DONE, ACTION, Block.EVIDENCE, _mark_done),
    FormSubmission(View.EXTEND_DUE, ACTION, Block.DUE_DATE, _extend),
    FormSubmission(View.REASSIGN, ACTION, Block.OWNER, _reassign),
    FormSubmission(View.BLOCKED, ACTION, Block.REASON, _blocked),
    FormSubmission(View.VERIFY, ACTION, Block.OUTCOME, _verify),
    FormSubmission(View.CANCEL_ACTION, ACTION, Block.REASON, _cancel),
]


def register(app: App, deps: Deps) -> None:
    register_forms(app, deps, BUTTONS, SUBMISSIONS)
    for button, approve in (
        (ActionId.APPROVE_EXTENSION, True),
        (ActionId.DECLINE_EXTENSION, False),
    ):
        _register_decision(app, deps, button, approve)

    @app.action(re.compile(rf"^{ActionId.SNOOZE}:"))
    @reported_after_ack
    def snooze(ack: Ack, body: dict[str, Any], action: Any, client: WebClient) -> None:
        """The digest's "Snooze until…" picker: out of the digest until that day."""
        ack()
        picked = SnoozePick.read(action)
        workspace = workspace_for(deps, body)
        actor = actor_for(deps, client, workspace, user_of(body))
        now = deps.clock.now()
        with deps.db.transaction() as session:
            row, record = action_queries.get(
                session=session,
                workspace_id=workspace.id,
                action_id=picked.action_id,
                for_update=True,
            )
            actions.snooze(
                session=session,
                action=row,
                record=record,
                until=picked.until,
                actor=actor,
                today=local_today(deps, workspace, actor.user_id, now),
                now=now,
            )
        deps.wake_relay()


def _register_decision(app: App, deps: Deps, button: ActionId, approve: bool) -> None:
    @app.action(button)
    @reported_after_ack
    def decide(ack: Ack, body: dict[str, Any], action: Any, client: WebClient) -> None:
        ack()
        action_id = ActionButton.read(action).id
        workspace = workspace_for(deps, body)
        actor = actor_for(deps, client, workspace, user_of(body))
        outcome = _decide(deps, workspace, actor, action_id, approve=approve)
        container = body.get("container") or {}
        channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
        ts = container.get("message_ts")
        if channel and ts:
            # The request is answered: the buttons give way to the outcome.
            client.chat_update(channel=channel, ts=ts, text=outcome, blocks=[section(outcome)])


def _decide(
    deps: Deps, workspace: Workspace, actor: Actor, action_id: int, *, approve: bool
) -> str:
    """Approve or decline an action's due-date extension; what became of it, in words."""
    require_lead(actor, "approve due-date extensions")
    now = deps.clock.now()
    with deps.db.transaction() as session:
        row, record = action_queries.get(
            session=session, workspace_id=workspace.id, action_id=action_id, for_update=True
        )
        outcome = due_dates.decide_extension(
            session=session,
            action=row,
            record=record,
            approve=approve,
            actor=actor,
            today=local_today(deps, workspace, actor.user_id, now),
            now=now,
        )
    deps.wake_relay()
    return outcome
