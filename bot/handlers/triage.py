"""The record card's buttons and the forms behind them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.deps import Deps
from bot.domain.errors import NotFound
from bot.domain.records import RecordStatus
from bot.domain.transitions import RECORD_MOVES
from bot.handlers.common import actor_for, local_today, save_from_modal, user_of, workspace_for
from bot.handlers.errors import reported_after_ack
from bot.ids import Action, Block, View
from bot.services import actions, triage
from bot.services.permissions import Actor, require_record_owner_or_lead
from bot.triage_forms import (
    entity_id,
    parse_new_action,
    parse_owner,
    parse_reason,
    parse_root_cause,
    parse_severity,
    parse_status,
)
from bot.views import modals
from storage.models import Record, Workspace


def load_record(session: Session, workspace: Workspace, record_id: int) -> Record:
    record = session.scalar(
        select(Record).where(Record.workspace_id == workspace.id, Record.id == record_id)
    )
    if record is None:
        raise NotFound("That record no longer exists in this workspace.")
    return record


def register(app: App, deps: Deps) -> None:
    def open_for_record(
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        build: Any,
        *,
        owner_or_lead: str | None = None,
    ) -> None:
        """Open a record's form, refusing at once (ephemeral) anyone who may not use it."""
        workspace = workspace_for(deps, body)
        with deps.db.reading() as session:
            record = load_record(session, workspace, int(action["value"]))
        actor = actor_for(deps, client, workspace, user_of(body))
        if owner_or_lead is not None:
            require_record_owner_or_lead(actor, record, owner_or_lead)
        with deps.db.reading() as session:
            view = build(session, workspace, record, actor)
        client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.action(Action.ASSIGN_OWNER)
    @reported_after_ack
    def assign_button(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        open_for_record(body, action, client, lambda s, w, r, a: modals.assign_owner(r))

    @app.action(Action.FIVE_WHYS)
    @reported_after_ack
    def whys_button(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        open_for_record(
            body,
            action,
            client,
            lambda s, w, r, a: modals.five_whys(r, triage.cause_categories(w)),
            owner_or_lead="record its root cause",
        )

    @app.action(Action.ADD_ACTION)
    @reported_after_ack
    def add_action_button(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        open_for_record(
            body,
            action,
            client,
            lambda s, w, r, a: modals.add_action(
                r, local_today(deps, w, a.user_id, deps.clock.now())
            ),
            owner_or_lead="add actions to it",
        )

    @app.action(Action.CHANGE_STATUS)
    @reported_after_ack
    def status_button(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()

        def build(s: Session, w: Workspace, r: Record, a: Any) -> Any:
            manual = [
                status
                for status in RecordStatus
                if status in RECORD_MOVES[RecordStatus(r.status)]
                and status not in (RecordStatus.CLOSED, RecordStatus.REJECTED)
            ]
            return modals.change_status(r, manual)

        open_for_record(body, action, client, build, owner_or_lead="change its status")

    @app.action(Action.CHANGE_SEVERITY)
    @reported_after_ack
    def severity_button(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        open_for_record(
            body,
            action,
            client,
            lambda s, w, r, a: modals.change_severity(r),
            owner_or_lead="change its severity",
        )

    @app.action(Action.REJECT_RECORD)
    @reported_after_ack
    def reject_button(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        open_for_record(
            body, action, client, lambda s, w, r, a: modals.reject(r), owner_or_lead="reject it"
        )

    @app.action(Action.CLOSE_RECORD)
    @reported_after_ack
    def close_button(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        open_for_record(
            body,
            action,
            client,
            lambda s, w, r, a: modals.close(r, triage.blockers_for(s, r), is_lead=a.is_lead),
            owner_or_lead="close it",
        )

    def submission(view_id: View, error_block: str | None, change: Any) -> None:
        """Register a record form's submission: parse, check, change, all or nothing."""

        @app.view(view_id)
        def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
            workspace = workspace_for(deps, body)
            actor = actor_for(deps, client, workspace, user_of(body))
            values = view["state"]["values"]
            now = deps.clock.now()

            def work(session: Session) -> None:
                record = load_record(
                    session, workspace, entity_id(view.get("private_metadata"), "record")
                )
                change(session, workspace, record, actor, values, now)

            save_from_modal(deps, ack, error_block=error_block, work=work)

    submission(View.ASSIGN_OWNER, Block.OWNER, _assign_owner)
    submission(View.FIVE_WHYS, Block.ROOT_CAUSE, _record_root_cause)
    submission(View.CHANGE_STATUS, Block.STATUS, _change_status)
    submission(View.CHANGE_SEVERITY, Block.SEVERITY, _change_severity)
    submission(View.REJECT_RECORD, Block.REASON, _reject)
    submission(View.CLOSE_RECORD, None, _close)

    def add_action(
        session: Session,
        workspace: Workspace,
        record: Record,
        actor: Actor,
        values: dict[str, Any],
        now: datetime,
    ) -> None:
        today = local_today(deps, workspace, actor.user_id, now)
        new = parse_new_action(values, today)
        actions.add(session=session, record=record, new=new, actor=actor, today=today, now=now)

    submission(View.ADD_ACTION, Block.DESCRIPTION, add_action)


# Each change below: (session, workspace, record, actor, form values, now) -> None.


def _assign_owner(
    session: Session,
    workspace: Workspace,
    record: Record,
    actor: Actor,
    values: dict[str, Any],
    now: datetime,
) -> None:
    owner = parse_owner(values)
    triage.assign_owner(session=session, record=record, owner_id=owner, actor=actor, now=now)


def _record_root_cause(
    session: Session,
    workspace: Workspace,
    record: Record,
    actor: Actor,
    values: dict[str, Any],
    now: datetime,
) -> None:
    cause = parse_root_cause(values, triage.cause_categories(workspace))
    triage.record_root_cause(session=session, record=record, cause=cause, actor=actor, now=now)


def _change_status(
    session: Session,
    workspace: Workspace,
    record: Record,
    actor: Actor,
    values: dict[str, Any],
    now: datetime,
) -> None:
    target = parse_status(values)
    triage.change_status(session=session, record=record, target=target, actor=actor, now=now)


def _change_severity(
    session: Session,
    workspace: Workspace,
    record: Record,
    actor: Actor,
    values: dict[str, Any],
    now: datetime,
) -> None:
    severity = parse_severity(values)
    triage.change_severity(session=session, record=record, severity=severity, actor=actor, now=now)


def _reject(
    session: Session,
    workspace: Workspace,
    record: Record,
    actor: Actor,
    values: dict[str, Any],
    now: datetime,
) -> None:
    reason = parse_reason(values, "Say why it is rejected.")
    triage.reject(session=session, record=record, reason=reason, actor=actor, now=now)


def _close(
    session: Session,
    workspace: Workspace,
    record: Record,
    actor: Actor,
    values: dict[str, Any],
    now: datetime,
) -> None:
    """Close; the reason field is there only when a lead closes a record with open points."""
    override = parse_reason(values) if Block.REASON.value in values else None
    triage.close(session=session, record=record, actor=actor, now=now, override_reason=override)
