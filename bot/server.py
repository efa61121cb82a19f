"""The HTTP face of Keel: POST /slack/events for everything Slack sends, GET /healthz."""

from __future__ import annotations

import threading
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

StartResponse = Callable[..., Any]


def wsgi_app(app: App) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
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
    loop runs one poll at a time and closes everything in its own thread once told to stop.
    """

    def __init__(self, app: App, *, host: str, port: int) -> None:
        # One host and port give one TcpWSGIServer; the stubs do not describe its attributes.
        self._server: Any = create_server(
            wsgi_app(app),
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
        self._server.close()
        wasyncore.close_all(socket_map)
        self._server.task_dispatcher.shutdown()

    def stop(self) -> None:
        """Ask the serving thread to stop; safe from any thread or a signal handler."""
        self._stopping.set()
        try:
            self._server.pull_trigger()
        except OSError:
            # The serving thread closed everything between the two lines above: it has
            # stopped already, which is what was asked.
            return


def make_server(app: App, *, host: str, port: int) -> HttpServer:
    return HttpServer(app, host=host, port=port)
