"""The record form's submission."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from sqlalchemy.exc import IntegrityError

from bot.deps import Deps
from bot.forms import FormErrors, RecordForm, RecordMetadata, parse_record_form
from bot.handlers.common import latest_today, team_of, user_of
from bot.ids import View
from bot.services.records import raise_record
from bot.services.workspaces import ensure_workspace
from bot.views.record_card import reference
from bot.views.record_form import record_raised


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
    """Store the record and say so; a double click racing this one finds the record the
    other made (the unique view id is the only constraint that can clash here)."""
    team_id, enterprise_id = team_of(body)
    for attempt in (1, 2):
        try:
            with deps.db.transaction() as session:
                workspace = ensure_workspace(
                    session=session,
                    team_id=team_id,
                    enterprise_id=enterprise_id,
                    defaults=deps.workspace_defaults,
                    now=deps.clock.now(),
                )
                record = raise_record(
                    session=session,
                    workspace=workspace,
                    form=form,
                    reporter_id=user_of(body),
                    view_id=view_id,
                    now=deps.clock.now(),
                ).record
                return record_raised(
                    reference=reference(record),
                    title=record.title,
                    anonymous=record.anonymous,
                    channel=workspace.quality_channel,
                )
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable: the second attempt returns or raises")
