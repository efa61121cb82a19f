"""Modal submissions."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from sqlalchemy.exc import IntegrityError

from bot.deps import Deps
from bot.forms import FormErrors, RecordMetadata, parse_record_form
from bot.handlers.common import latest_today, team_of, user_of
from bot.ids import View
from bot.services.records import Raised, raise_record
from bot.services.workspaces import ensure_workspace
from bot.views.record_card import reference
from bot.views.record_form import record_raised


def register(app: App, deps: Deps) -> None:
    @app.view(View.RAISE_RECORD)
    def submit_record(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        now = deps.clock.now()
        metadata = RecordMetadata.load(view.get("private_metadata"))
        try:
            form = parse_record_form(view["state"]["values"], metadata, today=latest_today(now))
        except FormErrors as invalid:
            ack(response_action="errors", errors=invalid.errors)
            return
        raised = _save(deps, body, form_args={"form": form, "view_id": view.get("id")})
        channel = raised.quality_channel
        ack(
            response_action="update",
            view=record_raised(
                reference=reference(raised.raised.record),
                title=raised.raised.record.title,
                anonymous=raised.raised.record.anonymous,
                channel=channel,
            ),
        )
        deps.wake_relay()


class _Saved:
    def __init__(self, raised: Raised, quality_channel: str | None) -> None:
        self.raised = raised
        self.quality_channel = quality_channel


def _save(deps: Deps, body: dict[str, Any], form_args: dict[str, Any]) -> _Saved:
    """Store the record; a double-click racing this one finds the record it made instead."""
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
                raised = raise_record(
                    session=session,
                    workspace=workspace,
                    reporter_id=user_of(body),
                    now=deps.clock.now(),
                    **form_args,
                )
                return _Saved(raised, workspace.quality_channel)
        except IntegrityError:
            # Only the unique (workspace, view id) can clash here: the twin submission won.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")
