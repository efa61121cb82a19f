"""The HTTP face of Keel: POST /slack/events for everything Slack sends, GET /healthz."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
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


def make_server(app: App, *, host: str, port: int) -> Any:
    """A waitress server (production-grade, pure Python); `.run()` serves, `.close()` stops."""
    return create_server(
        wsgi_app(app),
        host=host,
        port=port,
        threads=SERVER_THREADS,
        ident="keel",
        clear_untrusted_proxy_headers=True,
    )
