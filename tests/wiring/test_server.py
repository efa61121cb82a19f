"""The HTTP server's stop: requests already being served still get their whole answer."""

from __future__ import annotations

import http.client
import logging
import threading
from collections.abc import Iterable
from typing import Any

import pytest

from bot.process.server import HttpServer, StartResponse, _await_idle_workers

WAIT_SECONDS = 10


class HeldAnswer:
    """A WSGI app that holds each answer until the test lets it go."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        self.entered.set()
        assert self.release.wait(WAIT_SECONDS)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"the whole answer\n"]


def _get(port: int, answers: list[tuple[int, bytes]]) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT_SECONDS)
    connection.request("GET", "/")
    response = connection.getresponse()
    answers.append((response.status, response.read()))
    connection.close()


def _refuses_connections(port: int) -> bool:
    try:
        http.client.HTTPConnection("127.0.0.1", port, timeout=1).connect()
    except OSError:
        return True
    return False


def test_stop_lets_a_request_in_flight_finish_and_logs_nothing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    held = HeldAnswer()
    server = HttpServer(held, host="127.0.0.1", port=0)
    serving = threading.Thread(target=server.serve_forever)
    serving.start()
    answers: list[tuple[int, bytes]] = []
    client = threading.Thread(target=_get, args=(server.port, answers))
    client.start()
    assert held.entered.wait(WAIT_SECONDS)

    with caplog.at_level(logging.WARNING):
        server.stop()
        # Once the listening socket is closed the server is draining: the held request
        # must still be answered, on its open connection.
        for _ in range(100):
            if _refuses_connections(server.port):
                break
            threading.Event().wait(0.05)
        else:
            pytest.fail("the server still accepts connections after stop()")
        held.release.set()
        client.join(WAIT_SECONDS)
        serving.join(WAIT_SECONDS)

    assert not serving.is_alive()
    assert answers == [(200, b"the whole answer\n")]
    assert [record.getMessage() for record in caplog.records] == []


def test_stop_with_no_requests_returns_at_once() -> None:
    server = HttpServer(HeldAnswer(), host="127.0.0.1", port=0)
    serving = threading.Thread(target=server.serve_forever)
    serving.start()
    server.stop()
    serving.join(WAIT_SECONDS)
    assert not serving.is_alive()
    assert _refuses_connections(server.port)


class _Dispatcher:
    """waitress's dispatcher as the start sees it: workers busy until their threads run."""

    def __init__(self, busy_checks: int) -> None:
        self.checks = 0
        self.busy_checks = busy_checks

    @property
    def active_count(self) -> int:
        self.checks += 1
        return 1 if self.checks <= self.busy_checks else 0


def test_the_server_accepts_only_once_its_workers_wait_for_work() -> None:
    starting = _Dispatcher(busy_checks=3)
    _await_idle_workers(starting, timeout=5.0)
    assert starting.checks == 4  # waited through three busy looks, then went on

    stuck = _Dispatcher(busy_checks=10**9)
    _await_idle_workers(stuck, timeout=0.05)  # gives up rather than never serving
    assert stuck.checks > 1
