"""Socket Mode: Slack sends each request already parsed, over a WebSocket Keel opened with
its app token (so there is no signature to check). A payload whose routing fields have a
shape Slack never gives is acknowledged and dropped with one log line, as the HTTP server
answers it 400: the framework would otherwise raise on it and leave it unanswered."""

from __future__ import annotations

import logging
from time import time

from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.socket_mode.internals import run_bolt_app, send_response
from slack_sdk.socket_mode.builtin import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from bot.process.inbound import shape_problem

log = logging.getLogger(__name__)


class KeelSocketModeHandler(SocketModeHandler):
    def handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]
        start = time()
        payload = req.payload
        problem = (
            shape_problem(payload) if isinstance(payload, dict) else "payload is not an object"
        )
        if problem:
            log.warning("dropped a Socket Mode %s request: %s", req.type, problem)
            client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
            return
        send_response(client, req, run_bolt_app(self.app, req), start)
