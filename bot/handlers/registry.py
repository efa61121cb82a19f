"""One registrar for the buttons that open a form about one thing (a record, an action, an
objective) and for those forms' submissions.

Each row of a table says what the button's value is parsed into, who may press it, and which
form it opens; or, for a submission, which error block a refusal is shown on and which change
it makes. The listeners are the same for every row: ack, parse, check, one call, answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, Protocol, TypeVar

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.models.views import View as SlackView
from sqlalchemy.orm import Session

from bot.forms.buttons import ActionButton, DamagedButton, MenuPick, ObjectiveButton, RecordButton
from bot.forms.metadata import ActionRef, ObjectiveRef, RecordRef
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
from bot.handlers.home import publish_home
from bot.ids import ActionId, Block, View
from bot.process.deps import Deps
from bot.queries import actions, objectives, records
from bot.services.permissions import Actor
from storage.models import Action as ActionRow
from storage.models import Objective, Record, Workspace

S = TypeVar("S")
Found = tuple[ActionRow, Record]  # an action and its record


class Pointing(Protocol):
    """A parsed button value that names one row."""

    @property
    def id(self) -> int: ...


@dataclass(frozen=True)
class Subject(Generic[S]):
    """What a button or a form is about: how its id arrives and how its row is loaded."""

    button: Callable[[Any], Pointing]  # Bolt's `action` -> the parsed value
    id_of_form: Callable[[str | None], int]  # private_metadata -> id, or FormErrors({})
    load: Callable[[Session, int, int, bool], S]  # (session, workspace id, id, for update)
    # Whose Home tab shows it (an action: its owner), redrawn after a form changes it.
    shown_to: Callable[[S], str | None] = lambda subject: None


RECORD = Subject[Record](
    button=RecordButton.read,
    id_of_form=lambda raw: RecordRef.load(raw).record,
    load=lambda session, workspace_id, record_id, lock: records.get(
        session=session, workspace_id=workspace_id, record_id=record_id, for_update=lock
    ),
)
ACTION = Subject[Found](
    button=ActionButton.read,
    id_of_form=lambda raw: ActionRef.load(raw).action,
    load=lambda session, workspace_id, action_id, lock: actions.get(
        session=session, workspace_id=workspace_id, action_id=action_id, for_update=lock
    ),
    shown_to=lambda found: found[0].owner_id,
)
OBJECTIVE = Subject[Objective](
    button=ObjectiveButton.read,
    id_of_form=lambda raw: ObjectiveRef.load(raw).objective,
    # Objective changes lock nothing: each is one row's update, the last one wins.
    load=lambda session, workspace_id, objective_id, lock: objectives.get(
        session=session, workspace_id=workspace_id, objective_id=objective_id
    ),
)


@dataclass(frozen=True)
class Opening:
    """What a form needs to open: the reading session, who asks, their date, the button."""

    session: Session
    workspace: Workspace
    actor: Actor
    today: date
    button: Pointing


@dataclass(frozen=True)
class FormButton(Generic[S]):
    action: ActionId
    subject: Subject[S]
    allowed: Callable[[Actor, S], None]  # raises NotAllowed (or KeelError) to refuse
    form: Callable[[Opening, S], SlackView | dict[str, Any]]


@dataclass(frozen=True)
class FormSubmission(Generic[S]):
    view: View
    subject: Subject[S]
    error_block: Block | None  # where a refusal is shown; None: the modal says it
    change: Callable[[Submitted, S], None]


def register_forms(
    app: App,
    deps: Deps,
    buttons: Sequence[FormButton[Any]],
    submissions: Sequence[FormSubmission[Any]],
    *,
    menu: ActionId | None = None,
) -> None:
    """Listen for every button and every form submission in the tables; and, with `menu`,
    for that overflow menu, whose options stand for buttons of the table."""
    openers = {button.action.value: _opener(deps, button) for button in buttons}
    for action, opener in openers.items():
        app.action(action)(reported_after_ack(opener))
    if menu is not None:
        app.action(menu)(reported_after_ack(_menu(openers)))
    for submission in submissions:
        app.view(submission.view)(_saver(deps, submission))


def _menu(openers: dict[str, Callable[..., None]]) -> Callable[..., None]:
    """An option of an overflow menu is its button: the same value, parsed by the same form,
    refused or opened by the same row."""

    def pick(ack: Ack, body: dict[str, Any], action: Any, client: WebClient) -> None:
        try:
            picked = MenuPick.read(action)
            opener = openers.get(picked.action_id)
            if opener is None:
                raise DamagedButton(MenuPick.damaged)
        except DamagedButton:
            ack()
            raise
        button = {"action_id": picked.action_id, "value": picked.value}
        opener(ack=ack, body=body, action=button, client=client)

    return pick


def _opener(deps: Deps, row: FormButton[S]) -> Callable[..., None]:
    def open_form(ack: Ack, body: dict[str, Any], action: Any, client: WebClient) -> None:
        ack()
        button = row.subject.button(action)  # DamagedButton: told privately, nothing done
        workspace = workspace_for(deps, body)
        actor = actor_for(deps, client, workspace, user_of(body))
        today = local_today(deps, workspace, actor.user_id, deps.clock.now())
        with deps.db.reading() as session:
            subject = row.subject.load(session, workspace.id, button.id, False)
            row.allowed(actor, subject)
            view = row.form(Opening(session, workspace, actor, today, button), subject)
        client.views_open(trigger_id=body["trigger_id"], view=view)

    return open_form


def _saver(deps: Deps, row: FormSubmission[S]) -> Callable[..., None]:
    def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        workspace = workspace_for(deps, body)
        actor = actor_for(deps, client, workspace, user_of(body))
        now = deps.clock.now()
        today = local_today(deps, workspace, actor.user_id, now)

        concerned = {actor.user_id}

        def work(session: Session) -> None:
            subject_id = row.subject.id_of_form(view.get("private_metadata"))
            subject = row.subject.load(session, workspace.id, subject_id, True)
            concerned.add(row.subject.shown_to(subject) or actor.user_id)
            row.change(Submitted(session, workspace, actor, state_of(view), now, today), subject)
            concerned.add(row.subject.shown_to(subject) or actor.user_id)

        saved = save_from_modal(deps, ack, error_block=row.error_block, work=work)
        if saved and row.subject is ACTION:
            # Open actions are on their owners' Home tabs: show them as they now are, to the
            # person who changed the action and to its owner before and after (a reassignment).
            for user_id in sorted(concerned):
                publish_home(deps, client, workspace, user_id)

    return submit
