"""`/nc export`: the audit pack built off the request thread and uploaded to the lead's DM
through Slack's external upload API (files.getUploadURLExternal, completeUploadExternal)."""

from __future__ import annotations

import io
import logging
import threading

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.process.deps import Deps
from bot.reports.export import Export, write_zip
from bot.reports.index import index_html
from bot.reports.review import render_for_cli
from storage.models import Workspace

log = logging.getLogger(__name__)


def start_export(deps: Deps, client: WebClient, workspace: Workspace, user_id: str) -> None:
    """Build and send the pack in a thread: the slash command is acked at once."""
    threading.Thread(
        target=send_export, args=(deps, client, workspace, user_id), daemon=True
    ).start()


def send_export(deps: Deps, client: WebClient, workspace: Workspace, user_id: str) -> None:
    now = deps.clock.now()
    buffer = io.BytesIO()
    review = render_for_cli(
        deps.db,
        deps.settings,
        start=None,
        end=None,
        team_id=workspace.team_id,
        fmt="html",
        now=now,
        name_people=lambda ids: deps.directory.names(client, workspace.team_id, ids),
    )
    export = Export(
        db=deps.db, default_tz=deps.settings.timezone, now=now, team_ids=[workspace.team_id]
    )
    write_zip(export, buffer, review_html=review, index_html=index_html)
    filename = f"keel-audit-pack-{now.astimezone(deps.timezone_of(workspace)):%Y-%m-%d}.zip"
    upload_to_dm(
        client,
        user_id,
        content=buffer.getvalue(),
        filename=filename,
        title="Keel audit pack",
        comment="Here is your audit pack: every record, action and change, the documents "
        "register and the training matrix as CSV, with the management review pack. "
        "Open index.html first.",
    )


def upload_to_dm(
    client: WebClient, user_id: str, *, content: bytes, filename: str, title: str, comment: str
) -> None:
    """Upload a file to the person's DM with Slack's external upload API (slack_sdk's
    files_upload_v2: files.getUploadURLExternal, then files.completeUploadExternal)."""
    try:
        channel = client.conversations_open(users=user_id)["channel"]["id"]
        client.files_upload_v2(
            content=content,
            filename=filename,
            title=title,
            channel=channel,
            initial_comment=comment,
        )
    except SlackApiError as error:
        log.error("%s could not be sent to %s: %s", title, user_id, error.response.get("error"))
