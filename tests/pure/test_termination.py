"""How `serve` waits for a stop: a signal handler's request wakes the main thread."""

from __future__ import annotations

import threading

from bot.__main__ import _Termination


def test_a_request_from_another_thread_ends_the_wait() -> None:
    termination = _Termination()
    timer = threading.Timer(0.05, termination.request)
    timer.start()
    termination.wait()
    timer.join()
    assert termination.requested


def test_a_request_made_before_the_wait_returns_at_once() -> None:
    termination = _Termination()
    termination.request()
    termination.wait()
    assert termination.requested
