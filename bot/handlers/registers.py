"""The registers: `/nc list` (records, filtered) and `/nc actions` (open actions), and their
pager buttons, which replace the page they are on."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.domain.commands import ListActions, ListRecords
from bot.forms.buttons import ActionsPageButton, ListPageButton
from bot.handlers.common import known_processes, local_today, user_of, workspace_for
from bot.handlers.errors import reported_after_ack
from bot.ids import ActionId
from bot.process.deps import Deps
from bot.queries import action_register, records
from bot.views.action_register import actions_blocks
from bot.views.record_list import Listing, list_blocks
from storage.models import Process


def register(app: App, deps: Deps) -> None:
    @app.action(re.compile(rf"^{ActionId.LIST_PAGE}:"))
    @reported_after_ack
    def list_page(
        ack: Ack, body: dict[str, Any], action: Any, respond: Respond, client: WebClient
    ) -> None:
        ack()
        wanted = ListPageButton.read(action)
        name = _process_name(deps, body, wanted.process)
        listing = Listing(wanted.mine, wanted.status, wanted.kind, wanted.process, name)
        text, blocks = list_records(deps, body, listing, page=wanted.page)
        respond(text=text, blocks=blocks, replace_original=True, response_type="ephemeral")

    @app.action(re.compile(rf"^{ActionId.ACTIONS_PAGE}:"))
    @reported_after_ack
    def actions_page(
        ack: Ack, body: dict[str, Any], action: Any, respond: Respond, client: WebClient
    ) -> None:
        ack()
        wanted = ActionsPageButton.read(action)
        text, blocks = list_actions(deps, body, mine=wanted.mine, page=wanted.page)
        respond(text=text, blocks=blocks, replace_original=True, response_type="ephemeral")


def answer_list(deps: Deps, body: dict[str, Any], wanted: ListRecords) -> tuple[str, Any]:
    """`/nc list …`: the page asked for, or why the process named is not one."""
    process = None
    if wanted.process is not None:
        process = find_process(known_processes(deps, workspace_for(deps, body)), wanted.process)
        if process is None:
            return _no_such_process(deps, body, wanted.process), None
    listing = Listing(
        wanted.mine,
        wanted.status,
        wanted.kind,
        process.id if process else None,
        process.name if process else None,
    )
    return list_records(deps, body, listing, page=1)


def answer_actions(deps: Deps, body: dict[str, Any], wanted: ListActions) -> tuple[str, Any]:
    return list_actions(deps, body, mine=wanted.mine, page=1)


def find_process(known: list[Process], typed: str) -> Process | None:
    """The process called `typed` (any case), else the one process whose name starts so."""
    wanted = typed.casefold()
    exact = [process for process in known if process.name.casefold() == wanted]
    if exact:
        return exact[0]
    starting = [process for process in known if process.name.casefold().startswith(wanted)]
    return starting[0] if len(starting) == 1 else None


def _no_such_process(deps: Deps, body: dict[str, Any], typed: str) -> str:
    names = [process.name for process in known_processes(deps, workspace_for(deps, body))]
    known = ", ".join(names) if names else "none yet"
    return (
        f"There is no process called “{typed}”. The processes are: {known}. "
        "See them with `/nc processes`."
    )


def _process_name(deps: Deps, body: dict[str, Any], process_id: int | None) -> str | None:
    if process_id is None:
        return None
    known = known_processes(deps, workspace_for(deps, body))
    return next((process.name for process in known if process.id == process_id), "a process")


def list_records(
    deps: Deps, body: dict[str, Any], listing: Listing, *, page: int
) -> tuple[str, list[Any]]:
    workspace = workspace_for(deps, body)
    user_id = user_of(body)
    today = local_today(deps, workspace, user_id, deps.clock.now())
    with deps.db.reading() as session:
        result = records.list_records(
            session=session,
            workspace_id=workspace.id,
            statuses=listing.status.statuses,
            kind=listing.kind,
            process_id=listing.process_id,
            user_id=user_id if listing.mine else None,
            page=page,
        )
        blocks = list_blocks(result, listing, today=today)
    return f"{result.total} {listing.status.value} records", blocks


def list_actions(
    deps: Deps, body: dict[str, Any], *, mine: bool, page: int
) -> tuple[str, list[Any]]:
    workspace = workspace_for(deps, body)
    user_id = user_of(body)
    today = local_today(deps, workspace, user_id, deps.clock.now())
    with deps.db.reading() as session:
        result = action_register.open_actions(
            session=session,
            workspace_id=workspace.id,
            owner_id=user_id if mine else None,
            today=today,
            page=page,
        )
        blocks = actions_blocks(result, mine=mine, today=today)
    return f"{result.total} open actions, {result.overdue} overdue", blocks
