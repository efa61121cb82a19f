"""The record card's buttons and the forms behind them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.errors import NotFound
from bot.domain.records import RecordStatus
from bot.domain.transitions import RECORD_MOVES
from bot.forms.triage import (
    entity_id,
    parse_new_action,
    parse_owner,
    parse_reason,
    parse_root_cause,
    parse_severity,
    parse_status,
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
from bot.services import actions, triage
from bot.services.permissions import require_record_owner_or_lead
from bot.views import modals
from storage.models import Record, Workspace


def load_record(
    session: Session, workspace: Workspace, record_id: int, *, for_update: bool = False
) -> Record:
    """The record; `for_update` locks its row until commit (two submissions at once)."""
    query = select(Record).where(Record.workspace_id == workspace.id, Record.id == record_id)
    record = session.scalar(query.with_for_update() if for_update else query)
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

    @app.action(ActionId.ASSIGN_OWNER)
    @reported_after_ack
    def assign_button(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        open_for_record(body, action, client, lambda s, w, r, a: modals.assign_owner(r))

    @app.action(ActionId.FIVE_WHYS)
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

    @app.action(ActionId.ADD_ACTION)
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

    @app.action(ActionId.CHANGE_STATUS)
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

    @app.action(ActionId.CHANGE_SEVERITY)
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

    @app.action(ActionId.REJECT_RECORD)
    @reported_after_ack
    def reject_button(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        open_for_record(
            body, action, client, lambda s, w, r, a: modals.reject(r), owner_or_lead="reject it"
        )

    @app.action(ActionId.REOPEN_RECORD)
    @reported_after_ack
    def reopen_button(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        open_for_record(
            body, action, client, lambda s, w, r, a: modals.reopen(r), owner_or_lead="reopen it"
        )

    @app.action(ActionId.CLOSE_RECORD)
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

    def submission(
        view_id: View, error_block: str | None, change: Callable[[Submitted, Record], None]
    ) -> None:
        """Register a record form's submission: parse, check, change, all or nothing."""

        @app.view(view_id)
        def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
            workspace = workspace_for(deps, body)
            actor = actor_for(deps, client, workspace, user_of(body))
            now = deps.clock.now()
            today = local_today(deps, workspace, actor.user_id, now)
            record_id = entity_id(view.get("private_metadata"), "record")

            def work(session: Session) -> None:
                form = Submitted(session, workspace, actor, view["state"]["values"], now, today)
                change(form, load_record(session, workspace, record_id, for_update=True))

            save_from_modal(deps, ack, error_block=error_block, work=work)

    submission(View.ASSIGN_OWNER, Block.OWNER, _assign_owner)
    submission(View.FIVE_WHYS, Block.ROOT_CAUSE, _record_root_cause)
    submission(View.CHANGE_STATUS, Block.STATUS, _change_status)
    submission(View.CHANGE_SEVERITY, Block.SEVERITY, _change_severity)
    submission(View.REJECT_RECORD, Block.REASON, _reject)
    submission(View.CLOSE_RECORD, None, _close)
    submission(View.REOPEN_RECORD, Block.REASON, _reopen)
    submission(View.ADD_ACTION, Block.DESCRIPTION, _add_action)


def _assign_owner(form: Submitted, record: Record) -> None:
    triage.assign_owner(
        session=form.session,
        record=record,
        owner_id=parse_owner(form.values),
        actor=form.actor,
        now=form.now,
    )


def _record_root_cause(form: Submitted, record: Record) -> None:
    cause = parse_root_cause(form.values, triage.cause_categories(form.workspace))
    triage.record_root_cause(
        session=form.session, record=record, cause=cause, actor=form.actor, now=form.now
    )


def _change_status(form: Submitted, record: Record) -> None:
    triage.change_status(
        session=form.session,
        record=record,
        target=parse_status(form.values),
        actor=form.actor,
        now=form.now,
    )


def _change_severity(form: Submitted, record: Record) -> None:
    triage.change_severity(
        session=form.session,
        record=record,
        severity=parse_severity(form.values),
        actor=form.actor,
        now=form.now,
    )


def _reject(form: Submitted, record: Record) -> None:
    reason = parse_reason(form.values, "Say why it is rejected.")
    triage.reject(
        session=form.session, record=record, reason=reason, actor=form.actor, now=form.now
    )


def _close(form: Submitted, record: Record) -> None:
    """Close; the reason field is there only when a lead closes a record with open points."""
    override = parse_reason(form.values) if Block.REASON.value in form.values else None
    triage.close(
        session=form.session,
        record=record,
        actor=form.actor,
        now=form.now,
        override_reason=override,
    )


def _reopen(form: Submitted, record: Record) -> None:
    reason = parse_reason(form.values, "Say why it is reopened.")
    triage.reopen(
        session=form.session, record=record, reason=reason, actor=form.actor, now=form.now
    )


def _add_action(form: Submitted, record: Record) -> None:
    new = parse_new_action(form.values, form.today)
    actions.add(
        session=form.session,
        record=record,
        new=new,
        actor=form.actor,
        today=form.today,
        now=form.now,
    )
