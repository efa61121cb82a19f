"""The processes form: owners changed on the spot, new processes added on save."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.forms.buttons import ProcessOwnerPick
from bot.forms.processes import parse_new_process
from bot.forms.state import state_of
from bot.handlers.common import actor_for, save_from_modal, user_of, workspace_for
from bot.handlers.errors import reported_after_ack
from bot.ids import ActionId, Block, View
from bot.process.deps import Deps
from bot.services import processes
from bot.services.permissions import require_lead


def register(app: App, deps: Deps) -> None:
    @app.action(ActionId.PROCESS_OWNER_PICK)
    @reported_after_ack
    def pick_owner(ack: Ack, body: dict[str, Any], action: Any, client: WebClient) -> None:
        ack()
        picked = ProcessOwnerPick.read(action)
        workspace = workspace_for(deps, body)
        actor = actor_for(deps, client, workspace, user_of(body))
        require_lead(actor, "change who owns a process")
        with deps.db.transaction() as session:
            process = processes.get(
                session=session, workspace_id=workspace.id, process_id=picked.process_id
            )
            processes.set_owner(
                session=session,
                process=process,
                owner_id=picked.owner_id,
                actor=actor,
                now=deps.clock.now(),
            )
        deps.cache.forget("processes", workspace.id)

    @app.view(View.PROCESSES)
    def save(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        workspace = workspace_for(deps, body)
        actor = actor_for(deps, client, workspace, user_of(body))

        def work(session: Session) -> None:
            new = parse_new_process(state_of(view))
            if new is not None:
                processes.add(
                    session=session,
                    workspace_id=workspace.id,
                    name=new.name,
                    owner_id=new.owner_id,
                    actor=actor,
                    now=deps.clock.now(),
                )

        if save_from_modal(deps, ack, error_block=Block.PROCESS_NAME, work=work):
            deps.cache.forget("processes", workspace.id)
