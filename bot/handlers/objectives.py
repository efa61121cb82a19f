"""Objectives: `/nc objectives`, `/nc OBJ-n`, and the forms that set, log, edit and retire."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.models.views import View as SlackView
from sqlalchemy.orm import Session

from bot.domain import objectives as rules
from bot.domain.errors import KeelError
from bot.domain.terms import terms_for
from bot.domain.text import escape, truncate
from bot.forms.buttons import ObjectiveButton
from bot.forms.objectives import (
    parse_logged_value,
    parse_new_objective,
    parse_objective_terms,
    parse_retirement,
)
from bot.forms.state import state_of
from bot.handlers.common import (
    Submitted,
    actor_for,
    local_today,
    save_from_modal,
    user_of,
    workspace_for,
)
from bot.handlers.errors import reported_after_ack
from bot.handlers.registry import OBJECTIVE, FormButton, FormSubmission, Opening, register_forms
from bot.ids import ActionId, Block, View
from bot.process.deps import Deps
from bot.queries import objectives as objective_queries
from bot.services import notify, objectives
from bot.services.permissions import Actor, require_lead, require_objective_owner_or_lead
from bot.views import objectives as views
from storage.models import Objective


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
        items = objective_queries.overviews(session=session, workspace_id=workspace.id, today=today)
    can_add = deps.directory.is_lead(client, workspace, user_id)
    return views.list_text(items), views.list_blocks(
        items, can_add=can_add, terms=terms_for(workspace.system_name)
    )


def show_objective(
    deps: Deps, body: dict[str, Any], client: WebClient, number: int
) -> tuple[str, list[Any]]:
    workspace = workspace_for(deps, body)
    user_id = user_of(body)
    today = local_today(deps, workspace, user_id, deps.clock.now())
    with deps.db.reading() as session:
        objective = objective_queries.get_by_number(
            session=session, workspace_id=workspace.id, number=number
        )
        values = objective_queries.values_by_period(session=session, objective=objective, limit=24)
    item = objective_queries.overview(objective, values, today)
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
    return text, views.detail_blocks(item, periods, can_manage=can_manage, today=today)


def _log_allowed(actor: Actor, objective: Objective) -> None:
    require_objective_owner_or_lead(actor, objective)
    if not objective.active:
        raise KeelError(f"{views.reference(objective)} is retired: no more values.")


def _lead_allowed(actor: Actor, objective: Objective) -> None:
    require_lead(actor, "change objectives")
    if not objective.active:
        raise KeelError(f"{views.reference(objective)} is retired.")


def _log_form(opening: Opening, objective: Objective) -> SlackView:
    """The periods that may be logged; the one the button is about (a digest line) chosen,
    else the one waiting for a value."""
    periods = objective_queries.loggable_periods(
        objective, opening.today, limit=views.PERIODS_OFFERED
    )
    if not periods:
        raise KeelError(
            f"{views.reference(objective)} is measured from "
            f"{objective.start_date:%d %b %Y}: its first value can be logged from then."
        )
    item = objective_queries.overviews(
        session=opening.session,
        workspace_id=opening.workspace.id,
        today=opening.today,
        objectives=[objective],
    )[0]
    asked = opening.button.period if isinstance(opening.button, ObjectiveButton) else None
    chosen = asked or (item.waiting_for.start if item.waiting_for else None)
    return views.log_value_form(objective, periods, chosen)


BUTTONS = [
    FormButton(ActionId.LOG_VALUE, OBJECTIVE, _log_allowed, _log_form),
    FormButton(
        ActionId.EDIT_OBJECTIVE, OBJECTIVE, _lead_allowed, lambda o, j: views.edit_objective_form(j)
    ),
    FormButton(
        ActionId.RETIRE_OBJECTIVE,
        OBJECTIVE,
        _lead_allowed,
        lambda o, j: views.retire_objective_form(j),
    ),
]


def _edit(form: Submitted, objective: Objective) -> None:
    parsed = parse_objective_terms(form.values)
    terms = objectives.ObjectiveTerms(**parsed.model_dump(exclude={"plan"}), plan=parsed.plan)
    previous_owner = objective.owner_id
    changed = objectives.update(
        session=form.session, objective=objective, terms=terms, actor=form.actor, now=form.now
    )
    if "owner_id" in changed and terms.owner_id != form.actor.user_id:
        notify.dm(
            session=form.session,
            workspace_id=objective.workspace_id,
            users=[objective.owner_id],
            now=form.now,
            text=(
                f"<@{form.actor.user_id}> made you the person who measures "
                f"*{views.reference(objective)}* {escape(objective.title)}, instead of "
                f"<@{previous_owner}>. Keel will ask you for each period's value in your "
                "daily message."
            ),
        )


def _retire(form: Submitted, objective: Objective) -> None:
    reason = parse_retirement(form.values)
    objectives.retire(
        session=form.session, objective=objective, reason=reason, actor=form.actor, now=form.now
    )


def _log_value(form: Submitted, objective: Objective) -> None:
    offered = objective_queries.loggable_periods(objective, form.today, limit=rules.PERIODS_KEPT)
    logged = parse_logged_value(form.values, {period.start for period in offered})
    objectives.log_value(
        session=form.session,
        objective=objective,
        period_start=logged.period_start,
        value=logged.value,
        note=logged.note,
        actor=form.actor,
        now=form.now,
    )


SUBMISSIONS = [
    FormSubmission(View.EDIT_OBJECTIVE, OBJECTIVE, None, _edit),
    FormSubmission(View.RETIRE_OBJECTIVE, OBJECTIVE, Block.REASON, _retire),
    FormSubmission(View.LOG_VALUE, OBJECTIVE, Block.VALUE, _log_value),
]


def register(app: App, deps: Deps) -> None:
    register_forms(app, deps, BUTTONS, SUBMISSIONS)

    @app.action(ActionId.NEW_OBJECTIVE)
    @reported_after_ack
    def new_button(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        open_new_objective_form(deps, body, client)

    @app.view(View.NEW_OBJECTIVE)
    def save_new(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        workspace = workspace_for(deps, body)
        actor = actor_for(deps, client, workspace, user_of(body))
        now = deps.clock.now()
        today = local_today(deps, workspace, actor.user_id, now)

        def work(session: Session) -> None:
            parsed = parse_new_objective(state_of(view), today)
            new = objectives.NewObjective(**parsed.model_dump(exclude={"plan"}), plan=parsed.plan)
            objective = objectives.create(
                session=session, workspace_id=workspace.id, new=new, actor=actor, now=now
            )
            _tell_owner(session, objective, actor.user_id, new, now)

        save_from_modal(deps, ack, error_block=None, work=work)


def _tell_owner(
    session: Session,
    objective: Objective,
    actor_id: str,
    new: objectives.NewObjective,
    now: datetime,
) -> None:
    """The owner learns they measure it, unless they set it up themselves."""
    owner_id = objective.owner_id
    if owner_id == actor_id:
        return
    frequency = new.frequency.label.lower()
    target = escape(f"{new.direction.symbol} {rules.format_value(new.target, new.unit)}")
    notify.dm(
        session=session,
        workspace_id=objective.workspace_id,
        users=[owner_id],
        now=now,
        text=(
            f"<@{actor_id}> set the objective *{views.reference(objective)}* "
            f"with you as the person who measures it (target {target}, {frequency}). "
            "Keel will ask you for each period's value in your daily message; "
            "`/nc objectives` shows where it stands."
        ),
    )
