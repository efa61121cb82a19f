"""The record form's submission."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from sqlalchemy.exc import IntegrityError

from bot.forms.record import FormErrors, RecordForm, RecordMetadata, parse_record_form
from bot.handlers.common import latest_today, user_of, workspace_for
from bot.ids import View
from bot.process.deps import Deps
from bot.services.records import raise_record
from bot.views.record_card import reference
from bot.views.record_form import record_raised
from storage.models import Workspace


def register(app: App, deps: Deps) -> None:
    @app.view(View.RAISE_RECORD)
    def submit_record(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        metadata = RecordMetadata.load(view.get("private_metadata"))
        today = latest_today(deps.clock.now())
        try:
            form = parse_record_form(view["state"]["values"], metadata, today=today)
        except FormErrors as invalid:
            ack(response_action="errors", errors=invalid.errors)
            return
        ack(response_action="update", view=_save(deps, body, form, view.get("id")))
        deps.wake_relay()


def _save(
    deps: Deps, body: dict[str, Any], form: RecordForm, view_id: str | None
) -> dict[str, Any]:
    """Store the record and say so. A submission is nearly always new, so the first attempt
    does not look for an earlier record from the same modal; a repeat (a double click, Slack
    resending) clashes on the unique view id, and the second attempt finds the record the
    other one made."""
    workspace = workspace_for(deps, body)
    for attempt in (1, 2):
        try:
            with deps.db.transaction() as session:
                # Without a channel no card is queued, ever: a cached row from before
                # `/nc channel` (in another process) must not decide that.
                current = (
                    workspace
                    if workspace.quality_channel
                    else session.get_one(Workspace, workspace.id)
                )
                record = raise_record(
                    session=session,
                    workspace=current,
                    form=form,
                    reporter_id=user_of(body),
                    view_id=view_id,
                    now=deps.clock.now(),
                    look_for_earlier=attempt > 1,
                ).record
                return record_raised(
                    reference=reference(record),
                    title=record.title,
                    anonymous=record.anonymous,
                    channel=current.quality_channel,
                )
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable: the second attempt returns or raises")
