"""Slack's Socket Mode, played on loopback: a WebSocket server that says hello, sends
envelopes (slash commands, interactions, events) and collects the app's acknowledgements."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from typing import Any

from aiohttp import WSMsgType, web

APP_ID = "AKEEL"


class FakeSocketMode:
    def __init__(self) -> None:
        self.acks: dict[str, dict[str, Any]] = {}  # envelope_id -> the app's acknowledgement
        self._connected = threading.Event()
        self._socket: web.WebSocketResponse | None = None
        self._loop = asyncio.new_event_loop()
        self._lock = threading.Lock()
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def start(self) -> FakeSocketMode:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._serve(), self._loop).result(10)
        return self

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    @property
    def url(self) -> str:
        """What apps.connections.open answers: where the app opens its WebSocket."""
        return f"ws://127.0.0.1:{self._port}/link/?ticket=fake"

    def wait_connected(self, timeout: float = 20.0) -> None:
        assert self._connected.wait(timeout), "the app never opened its Socket Mode connection"

    def send(self, kind: str, payload: dict[str, Any]) -> str:
        """Send one envelope (`slash_commands`, `interactive`, `events_api`); its id."""
        envelope_id = str(uuid.uuid4())
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
            "retry_attempt": 0,
            "retry_reason": "",
        }
        socket = self._socket
        assert socket is not None, "no connection to send on"
        asyncio.run_coroutine_threadsafe(socket.send_json(envelope), self._loop).result(10)
        return envelope_id

    def ack_for(self, envelope_id: str, timeout: float = 20.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if envelope_id in self.acks:
                    return self.acks[envelope_id]
            time.sleep(0.02)
        raise AssertionError(f"no acknowledgement for envelope {envelope_id}")

    async def _serve(self) -> None:
        app = web.Application()
        app.router.add_get("/link/", self._link)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self._port = int(self._runner.addresses[0][1])

    async def _link(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._socket = socket
        await socket.send_json(
            {
                "type": "hello",
                "num_connections": 1,
                "debug_info": {"host": "fake", "approximate_connection_time": 3600},
                "connection_info": {"app_id": APP_ID},
            }
        )
        self._connected.set()
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                ack = json.loads(message.data)
                if "envelope_id" in ack:
                    with self._lock:
                        self.acks[str(ack["envelope_id"])] = ack
        return socket
