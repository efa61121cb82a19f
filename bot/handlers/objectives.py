"""Objectives: `/nc objectives`, `/nc OBJ-n`, and the forms that set, log, edit and retire."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.models.views import View as SlackView
from sqlalchemy.orm import Session

from bot.domain import objectives as rules
from bot.domain.errors import KeelError, NotFound
from bot.domain.text import escape, truncate
from bot.forms.objectives import (
    parse_logged_value,
    parse_new_objective,
    parse_objective_terms,
    parse_retirement,
)
from bot.forms.triage import entity_id
from bot.handlers.common import actor_for, local_today, save_from_modal, user_of, workspace_for
from bot.handlers.errors import reported_after_ack
from bot.ids import ActionId, Block, View
from bot.process.deps import Deps
from bot.services import notify, objectives
from bot.services.permissions import Actor, require_lead
from bot.views import objectives as views
from storage.models import Objective, Workspace


def open_new_objective_form(deps: Deps, body: dict[str, Any], client: WebClient) -> None:
    """The "New objective" form, for quality leads only (refused before it opens)."""
    workspace = workspace_for(deps, body)
    actor = actor_for(deps, client, workspace, user_of(body))
    require_lead(actor, "set objectives")
    client.views_open(trigger_id=body["trigger_id"], view=views.new_objective_form())


def list_objectives(deps: Deps, body: dict[str, Any], client: WebClient) -> tuple[str, list[Any]]:
    workspace = workspace_for(deps, body)
    user_id = user_of(body)
    today = local_today(deps, workspace, user_id, deps.clock.now())
    with deps.db.reading() as session:
        items = objectives.overviews(session=session, workspace_id=workspace.id, today=today)
    can_add = deps.directory.is_lead(client, workspace, user_id)
    return views.list_text(items), views.list_blocks(items, can_add=can_add)


def show_objective(
    deps: Deps, body: dict[str, Any], client: WebClient, number: int
) -> tuple[str, list[Any]]:
    workspace = workspace_for(deps, body)
    user_id = user_of(body)
    today = local_today(deps, workspace, user_id, deps.clock.now())
    with deps.db.reading() as session:
        objective = objectives.get_by_number(
            session=session, workspace_id=workspace.id, number=number
        )
        values = objectives.values_by_period(session=session, objective=objective, limit=24)
    item = objectives.overview(objective, values, today)
    periods = [
        (
            views.period_name(objective, value.period_start),
            rules.format_value(value.value, objective.unit)
            + (f" ({truncate(value.note, views.NOTE_SHOWN)})" if value.note else ""),
        )
        for value in values
    ]
    text = f"{views.reference(objective)} {escape(objective.title)}"
    can_manage = deps.directory.is_lead(client, workspace, user_id)
    return text, views.detail_blocks(item, periods, can_manage=can_manage)


def _objective_id(action: dict[str, Any]) -> int:
    """The objective a button is about: its value is the id, maybe with ":<period start>"."""
    raw_id = str(action.get("value", "")).partition(":")[0]
    if not (raw_id.isascii() and raw_id.isdigit()):
        raise NotFound("That objective is not in Keel any more.")
    return int(raw_id)


def register(app: App, deps: Deps) -> None:
    @app.action(ActionId.NEW_OBJECTIVE)
    @reported_after_ack
    def new_button(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        open_new_objective_form(deps, body, client)

    @app.action(ActionId.LOG_VALUE)
    @reported_after_ack
    def log_button(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        workspace = workspace_for(deps, body)
        actor = actor_for(deps, client, workspace, user_of(body))
        today = local_today(deps, workspace, actor.user_id, deps.clock.now())
        # The value is the objective's id, with ":<period start>" from a daily digest line.
        _, _, raw_period = str(action["value"]).partition(":")
        with deps.db.reading() as session:
            objective = objectives.get(
                session=session, workspace_id=workspace.id, objective_id=_objective_id(action)
            )
            objectives.require_owner_or_lead(actor, objective)
            if not objective.active:
                raise KeelError(f"{views.reference(objective)} is retired: no more values.")
            item = objectives.overviews(
                session=session, workspace_id=workspace.id, today=today, objectives=[objective]
            )[0]
        periods = objectives.loggable_periods(objective, today, limit=views.PERIODS_OFFERED)
        if not periods:
            raise KeelError(
                f"{views.reference(objective)} is measured from "
                f"{objective.start_date:%d %b %Y}: its first value can be logged from then."
            )
        chosen = _period_start(raw_period) or (item.waiting_for.start if item.waiting_for else None)
        view = views.log_value_form(objective, periods, chosen)
        client.views_open(trigger_id=body["trigger_id"], view=view)

    def open_for_lead(
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        build: Callable[[Objective], SlackView],
    ) -> None:
        """A lead's form about one objective (edit, retire); refused before it opens."""
        workspace = workspace_for(deps, body)
        actor = actor_for(deps, client, workspace, user_of(body))
        require_lead(actor, "change objectives")
        with deps.db.reading() as session:
            objective = objectives.get(
                session=session, workspace_id=workspace.id, objective_id=_objective_id(action)
            )
        if not objective.active:
            raise KeelError(f"{views.reference(objective)} is retired.")
        client.views_open(trigger_id=body["trigger_id"], view=build(objective))

    @app.action(ActionId.EDIT_OBJECTIVE)
    @reported_after_ack
    def edit_button(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        open_for_lead(body, action, client, views.edit_objective_form)

    @app.action(ActionId.RETIRE_OBJECTIVE)
    @reported_after_ack
    def retire_button(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        open_for_lead(body, action, client, views.retire_objective_form)

    def change_objective(
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: WebClient,
        change: Callable[[Session, Objective, Actor], None],
        error_block: str | None,
    ) -> None:
        """Save a lead's form about one objective: `change(session, objective, actor)`."""
        workspace = workspace_for(deps, body)
        actor = actor_for(deps, client, workspace, user_of(body))

        def work(session: Session) -> None:
            objective = objectives.get(
                session=session,
                workspace_id=workspace.id,
                objective_id=entity_id(view.get("private_metadata"), "objective"),
            )
            change(session, objective, actor)

        save_from_modal(deps, ack, error_block=error_block, work=work)

    @app.view(View.EDIT_OBJECTIVE)
    def save_edit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        def change(session: Session, objective: Objective, actor: Actor) -> None:
            terms = parse_objective_terms(view["state"]["values"])
            previous_owner = objective.owner_id
            changed = objectives.update(
                session=session, objective=objective, terms=terms, actor=actor, now=deps.clock.now()
            )
            if "owner_id" in changed and terms.owner_id != actor.user_id:
                _tell_new_owner(session, objective, actor.user_id, previous_owner)

        change_objective(ack, body, view, client, change, error_block=None)

    @app.view(View.RETIRE_OBJECTIVE)
    def save_retire(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        def change(session: Session, objective: Objective, actor: Actor) -> None:
            reason = parse_retirement(view["state"]["values"])
            objectives.retire(
                session=session,
                objective=objective,
                reason=reason,
                actor=actor,
                now=deps.clock.now(),
            )

        change_objective(ack, body, view, client, change, error_block=Block.REASON)

    def _tell_new_owner(
        session: Session, objective: Objective, actor_id: str, previous_owner: str
    ) -> None:
        notify.dm(
            session=session,
            workspace_id=objective.workspace_id,
            users=[objective.owner_id],
            now=deps.clock.now(),
            text=(
                f"<@{actor_id}> made you the person who measures *{views.reference(objective)}* "
                f"{escape(objective.title)}, instead of <@{previous_owner}>. Keel will ask you "
                "for each period's value in your daily message."
            ),
        )

    @app.view(View.NEW_OBJECTIVE)
    def save_new(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        workspace = workspace_for(deps, body)
        actor = actor_for(deps, client, workspace, user_of(body))
        today = local_today(deps, workspace, actor.user_id, deps.clock.now())

        def work(session: Session) -> None:
            new = parse_new_objective(view["state"]["values"], today)
            now = deps.clock.now()
            objective = objectives.create(
                session=session, workspace_id=workspace.id, new=new, actor=actor, now=now
            )
            _tell_owner(session, workspace, objective, actor.user_id, new)

        save_from_modal(deps, ack, error_block=None, work=work)

    @app.view(View.LOG_VALUE)
    def save_value(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        workspace = workspace_for(deps, body)
        actor = actor_for(deps, client, workspace, user_of(body))
        today = local_today(deps, workspace, actor.user_id, deps.clock.now())

        def work(session: Session) -> None:
            objective = objectives.get(
                session=session,
                workspace_id=workspace.id,
                objective_id=entity_id(view.get("private_metadata"), "objective"),
            )
            offered = objectives.loggable_periods(objective, today, limit=rules.PERIODS_KEPT)
            logged = parse_logged_value(view["state"]["values"], {p.start for p in offered})
            objectives.log_value(
                session=session,
                objective=objective,
                period_start=logged.period_start,
                value=logged.value,
                note=logged.note,
                actor=actor,
                now=deps.clock.now(),
            )

        save_from_modal(deps, ack, error_block=Block.VALUE, work=work)

    def _period_start(raw: str) -> date | None:
        try:
            return date.fromisoformat(raw) if raw else None
        except ValueError:
            return None

    def _tell_owner(
        session: Session,
        workspace: Workspace,
        objective: Objective,
        actor_id: str,
        new: objectives.NewObjective,
    ) -> None:
        """The owner learns they measure it, unless they set it up themselves."""
        owner_id = objective.owner_id
        if owner_id == actor_id:
            return
        frequency = new.frequency.label.lower()
        target = escape(f"{new.direction.symbol} {rules.format_value(new.target, new.unit)}")
        notify.dm(
            session=session,
            workspace_id=workspace.id,
            users=[owner_id],
            now=deps.clock.now(),
            text=(
                f"<@{actor_id}> set the objective *{views.reference(objective)}* "
                f"with you as the person who measures it (target {target}, {frequency}). "
                "Keel will ask you for each period's value in your daily message; "
                "`/nc objectives` shows where it stands."
            ),
        )
