"""The HTTP face of Keel: POST /slack/events for everything Slack sends, GET /healthz.

Every POST is checked before the framework sees it (bot/process/inbound.py): a request
without Slack's signature gets 401 and one log line, a signed one Keel cannot read gets 400.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.adapter.wsgi.http_response import WsgiHttpResponse
from waitress import wasyncore
from waitress.server import create_server

from bot.process.inbound import (
    MAX_BODY_BYTES,
    ParsedRequest,
    Refused,
    parse_body,
    shape_problem,
    signature_is_valid,
)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
# How long a start waits for the worker threads to be ready for requests.
WORKERS_READY_SECONDS = 2.0
# Enough threads that slow Slack API calls in listeners never starve new requests.
SERVER_THREADS = 16
# How long a stop waits for requests already being served. Slack gives up after 3 s, and
# platforms allow about 30 s between SIGTERM and SIGKILL.
STOP_GRACE_SECONDS = 10.0

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


log = logging.getLogger(__name__)


def wsgi_app(app: App, *, signing_secret: str) -> WsgiApp:
    def route(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"ok\n"]
        if path == EVENTS_PATH and method == "POST":
            answer = _answer_slack(app, signing_secret, environ)
            response = WsgiHttpResponse(answer.status, answer.headers, answer.body)
            start_response(response.status, response.get_headers())
            return response.get_body()
        start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
        return [b"not found: Slack sends everything to POST /slack/events\n"]

    return route


def _answer_slack(app: App, signing_secret: str, environ: dict[str, Any]) -> BoltResponse:
    try:
        request = _slack_request(signing_secret, environ)
    except Refused as refused:
        log.warning("refused a request to %s (%s): %s", EVENTS_PATH, refused.status, refused)
        return BoltResponse(status=refused.status, body=refused.reason + "\n")
    try:
        return app.dispatch(request)
    except (AttributeError, KeyError, TypeError, ValueError) as unreadable:
        # Bolt answers a listener's error itself; one escaping it means the framework could
        # not read the body even to report it: a shape shape_problem() does not know yet.
        log.warning(
            "refused a request to %s (400): the framework could not read it: %r",
            EVENTS_PATH,
            unreadable,
        )
        return BoltResponse(status=400, body="not a request Slack sends\n")


def _slack_request(signing_secret: str, environ: dict[str, Any]) -> ParsedRequest:
    """The request Bolt dispatches, once it is known to be Slack's and readable."""
    raw = _read_body(environ)
    headers = _headers(environ)
    if not signature_is_valid(
        secret=signing_secret,
        raw=raw,
        timestamp=headers.get("x-slack-request-timestamp"),
        signature=headers.get("x-slack-signature"),
        now=time.time(),
    ):
        raise Refused(401, "no valid Slack signature")
    body = parse_body(raw, headers.get("content-type"))
    problem = shape_problem(body)
    if problem:
        raise Refused(400, f"not a request Slack sends: {problem}")
    try:
        return ParsedRequest(
            raw_body=raw.decode("utf-8"),
            body=body,
            headers=dict(headers),
            query=environ.get("QUERY_STRING", ""),
        )
    except (AttributeError, KeyError, TypeError, ValueError) as unreadable:
        # A shape shape_problem() does not know yet: refused like the ones it knows.
        raise Refused(400, f"not a request Slack sends: {unreadable!r}") from None


def _read_body(environ: dict[str, Any]) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise Refused(400, "Content-Length is not a number") from None
    if length < 0 or length > MAX_BODY_BYTES:
        raise Refused(413, f"body of {length} bytes")
    stream = environ.get("wsgi.input")
    return stream.read(length) if stream is not None and length else b""


def _headers(environ: dict[str, Any]) -> dict[str, str]:
    """Header names in lower case with dashes, as Bolt reads them."""
    headers = {}
    for key, value in environ.items():
        if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            headers[key.lower().replace("_", "-")] = str(value)
        elif key.startswith("HTTP_"):
            headers[key[5:].lower().replace("_", "-")] = str(value)
    return headers


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
        _await_idle_workers(self._server.task_dispatcher, WORKERS_READY_SECONDS)
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


def _await_idle_workers(dispatcher: Any, timeout: float) -> None:
    """waitress counts a new worker thread as busy until it first waits for work, so a
    request accepted before the threads have run is queued with a "Task queue depth"
    warning although nothing is busy (seen on a loaded machine). Accept only once they are
    idle, or after `timeout`: connections wait in the listen backlog meanwhile."""
    deadline = time.monotonic() + timeout
    while dispatcher.active_count > 0 and time.monotonic() < deadline:
        time.sleep(0.005)


def _answers_in_flight(socket_map: dict[int, Any]) -> bool:
    """Whether a connection has a request arriving or being served, or an answer unsent."""
    return any(
        getattr(channel, "request", None)
        or getattr(channel, "requests", None)
        or getattr(channel, "total_outbufs_len", 0)
        for channel in list(socket_map.values())
    )


def make_server(app: App, *, host: str, port: int, signing_secret: str) -> HttpServer:
    return HttpServer(wsgi_app(app, signing_secret=signing_secret), host=host, port=port)
