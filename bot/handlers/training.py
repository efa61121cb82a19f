"""Competence and training: `/nc training`, its buttons (and the digest's Log completion)
and their forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.models.views import View as SlackView
from sqlalchemy.orm import Session

from bot.domain.terms import terms_for
from bot.forms import competence as forms
from bot.forms.state import state_of
from bot.handlers.common import actor_for, local_today, save_from_modal, user_of, workspace_for
from bot.handlers.errors import reported_after_ack
from bot.ids import ActionId, Block, View
from bot.process.deps import Deps
from bot.queries import training as queries
from bot.services import training
from bot.services.permissions import Actor, require_lead
from bot.views import training as views
from storage.models import Workspace


def show_training(deps: Deps, body: dict[str, Any], client: WebClient) -> tuple[str, list[Any]]:
    """The person's own training; the quality leads also see the matrix summarised."""
    workspace = workspace_for(deps, body)
    user_id = user_of(body)
    today = local_today(deps, workspace, user_id, deps.clock.now())
    is_lead = deps.directory.is_lead(client, workspace, user_id)
    with deps.db.reading() as session:
        lines = queries.mine(
            session=session, workspace_id=workspace.id, user_id=user_id, today=today
        )
        overview = (
            queries.overview(session=session, workspace_id=workspace.id, today=today)
            if is_lead
            else None
        )
        competences = queries.catalogue(session=session, workspace_id=workspace.id)
        names = {competence.id: competence.name for competence in competences}
    blocks = views.training_blocks(
        lines,
        today,
        terms=terms_for(workspace.system_name),
        overview=overview,
        auditor_competence=names.get(workspace.auditor_competence_id or 0),
    )
    return views.training_text(lines), blocks


def register(app: App, deps: Deps) -> None:
    def opener(
        build: Callable[[Session, Workspace, Actor, dict[str, Any]], SlackView],
    ) -> Callable[..., None]:
        def listener(
            ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
        ) -> None:
            ack()
            workspace = workspace_for(deps, body)
            actor = actor_for(deps, client, workspace, user_of(body))
            with deps.db.reading() as session:
                view = build(session, workspace, actor, action)
            client.views_open(trigger_id=body["trigger_id"], view=view)

        return reported_after_ack(listener)

    def log_own(session: Session, workspace: Workspace, actor: Actor, action: Any) -> SlackView:
        button = forms.CompletionButton.read(action)  # DamagedButton: told, nothing done
        return _completion_form(session, workspace, actor, button.competence_id, for_other=False)

    def log_for(session: Session, workspace: Workspace, actor: Actor, action: Any) -> SlackView:
        require_lead(actor, "log a completion for someone else")
        return _completion_form(session, workspace, actor, None, for_other=True)

    def _completion_form(
        session: Session,
        workspace: Workspace,
        actor: Actor,
        chosen: int | None,
        *,
        for_other: bool,
    ) -> SlackView:
        competences = queries.catalogue(session=session, workspace_id=workspace.id)
        if not competences:
            return views.no_competences_form(actor.terms)
        today = local_today(deps, workspace, actor.user_id, deps.clock.now())
        return views.completion_form(
            competences, today, terms=actor.terms, chosen=chosen, for_other=for_other
        )

    def add_competence(
        session: Session, workspace: Workspace, actor: Actor, action: Any
    ) -> SlackView:
        require_lead(actor, "add competences")
        return views.competence_form()

    def add_role(session: Session, workspace: Workspace, actor: Actor, action: Any) -> SlackView:
        require_lead(actor, "add roles")
        return views.role_form(queries.catalogue(session=session, workspace_id=workspace.id))

    def qualification(
        session: Session, workspace: Workspace, actor: Actor, action: Any
    ) -> SlackView:
        require_lead(actor, "choose the internal-auditor qualification")
        return views.auditor_competence_form(
            queries.catalogue(session=session, workspace_id=workspace.id),
            workspace.auditor_competence_id,
        )

    app.action(ActionId.LOG_COMPLETION)(opener(log_own))
    app.action(ActionId.LOG_COMPLETION_FOR)(opener(log_for))
    app.action(ActionId.ADD_COMPETENCE)(opener(add_competence))
    app.action(ActionId.ADD_ROLE)(opener(add_role))
    app.action(ActionId.AUDITOR_COMPETENCE)(opener(qualification))

    def saver(
        error_block: Block,
        change: Callable[[Session, Workspace, Actor, dict[str, Any]], None],
    ) -> Callable[..., None]:
        def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
            workspace = workspace_for(deps, body)
            actor = actor_for(deps, client, workspace, user_of(body))
            saved = save_from_modal(
                deps,
                ack,
                error_block=error_block,
                work=lambda session: change(session, workspace, actor, view),
            )
            if saved:
                deps.cache.forget("workspace", workspace.team_id)

        return submit

    def save_completion(
        session: Session, workspace: Workspace, actor: Actor, view: dict[str, Any]
    ) -> None:
        meta = forms.TrainingMetadata.load(view.get("private_metadata"))
        now = deps.clock.now()
        today = local_today(deps, workspace, actor.user_id, now)
        form = forms.parse_completion(state_of(view), today=today, for_other=meta.for_other)
        training.log(
            session=session,
            workspace_id=workspace.id,
            actor=actor,
            form=form,
            today=today,
            now=now,
        )

    def save_competence(
        session: Session, workspace: Workspace, actor: Actor, view: dict[str, Any]
    ) -> None:
        training.add_competence(
            session=session,
            workspace_id=workspace.id,
            actor=actor,
            form=forms.parse_competence(state_of(view)),
            now=deps.clock.now(),
        )

    def save_role(
        session: Session, workspace: Workspace, actor: Actor, view: dict[str, Any]
    ) -> None:
        training.add_role(
            session=session,
            workspace_id=workspace.id,
            actor=actor,
            form=forms.parse_role(state_of(view)),
            now=deps.clock.now(),
        )

    def save_qualification(
        session: Session, workspace: Workspace, actor: Actor, view: dict[str, Any]
    ) -> None:
        training.set_auditor_competence(
            session=session,
            workspace_id=workspace.id,
            actor=actor,
            competence_id=forms.parse_auditor_competence(state_of(view)),
            now=deps.clock.now(),
        )

    app.view(View.LOG_COMPLETION)(saver(Block.COMPLETED_DATE, save_completion))
    app.view(View.ADD_COMPETENCE)(saver(Block.COMPETENCE_NAME, save_competence))
    app.view(View.ADD_ROLE)(saver(Block.ROLE_NAME, save_role))
    app.view(View.AUDITOR_COMPETENCE)(saver(Block.AUDITOR_COMPETENCE, save_qualification))
