"""The HTTP face of Keel: POST /slack/events for everything Slack sends, GET /healthz."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from waitress import wasyncore
from waitress.server import create_server

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
# Enough threads that slow Slack API calls in listeners never starve new requests.
SERVER_THREADS = 16
# How long a stop waits for requests already being served. Slack gives up after 3 s, and
# platforms allow about 30 s between SIGTERM and SIGKILL.
STOP_GRACE_SECONDS = 10.0

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def wsgi_app(app: App) -> WsgiApp:
    bolt = SlackRequestHandler(app)

    def route(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"ok\n"]
        if path == EVENTS_PATH and method == "POST":
            return bolt(environ, start_response)
        start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
        return [b"not found: Slack sends everything to POST /slack/events\n"]

    return route


class HttpServer:
    """waitress (production-grade, pure Python) with a clean stop from another thread.

    waitress's own close() closes sockets under a running select() loop (EBADF); here the
    loop runs one poll at a time and, once told to stop, stops accepting, lets the requests
    in flight finish and reach their clients, and only then closes everything, in its own
    thread. Closing first would cut those answers off and make their worker threads write
    to a closed trigger.
    """

    def __init__(self, wsgi: WsgiApp, *, host: str, port: int) -> None:
        # One host and port give one TcpWSGIServer; the stubs do not describe its attributes.
        self._server: Any = create_server(
            wsgi,
            host=host,
            port=port,
            threads=SERVER_THREADS,
            ident="keel",
            clear_untrusted_proxy_headers=True,
        )
        self._stopping = threading.Event()

    @property
    def port(self) -> int:
        return int(self._server.effective_port)

    def serve_forever(self) -> None:
        socket_map = self._server._map  # waitress keeps its channels here
        while not self._stopping.is_set() and socket_map:
            wasyncore.loop(timeout=1.0, map=socket_map, count=1)
        # No new connections from here on. The server's own close() would also close the
        # trigger that worker threads pull when they finish.
        wasyncore.dispatcher.close(self._server)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        while _answers_in_flight(socket_map) and time.monotonic() < deadline:
            wasyncore.loop(timeout=0.05, map=socket_map, count=1)
        self._server.task_dispatcher.shutdown()
        wasyncore.close_all(socket_map)

    def stop(self) -> None:
        """Ask the serving thread to stop; safe from any thread or a signal handler."""
        self._stopping.set()
        try:
            self._server.pull_trigger()
        except OSError:
            # The serving thread closed everything between the two lines above: it has
            # stopped already, which is what was asked.
            return


def _answers_in_flight(socket_map: dict[int, Any]) -> bool:
    """Whether a connection has a request arriving or being served, or an answer unsent."""
    return any(
        getattr(channel, "request", None)
        or getattr(channel, "requests", None)
        or getattr(channel, "total_outbufs_len", 0)
        for channel in list(socket_map.values())
    )


def make_server(app: App, *, host: str, port: int) -> HttpServer:
    return HttpServer(wsgi_app(app), host=host, port=port)
