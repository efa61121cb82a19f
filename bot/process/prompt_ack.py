"""Answer Slack the moment a listener calls ack(), not on Bolt's next 10 ms poll.

With `process_before_response=False` Bolt runs each listener in its executor and the request
thread polls `ack.response` every 10 ms, so every answer waits for the next tick: a form
saved in 3 ms is answered after 10, one saved in 11 ms after 20. Keel keeps that model (ack,
then work on while Slack has its answer) and removes the wait with two public hooks:

- a middleware gives each request an `Ack` that signals when it is called;
- the listener executor, which Bolt's runner calls from the request thread just before it
  starts polling, waits for that signal (or for the listener to end) before it returns.

The poll then finds the answer at once. Nothing else changes: if a future Bolt no longer
goes this way, requests fall back to its polling, slower but just as correct.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, ParamSpec, TypeVar

from slack_bolt import Ack, BoltContext, BoltResponse

# Slack gives up after 3 seconds: no request thread waits longer than that for an answer.
ACK_WAIT_SECONDS = 3.0

P = ParamSpec("P")
T = TypeVar("T")

_request = threading.local()  # the ack the current request thread will wait for


class SignallingAck(Ack):
    """Bolt's Ack, and an event set once it has been called."""

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # Bolt's is unannotated
        self.called = threading.Event()

    def __call__(self, *args: Any, **kwargs: Any) -> BoltResponse:
        try:
            return super().__call__(*args, **kwargs)
        finally:
            self.called.set()

    def __deepcopy__(self, memo: dict[int, Any]) -> Ack:
        """Bolt deep-copies the request for each lazy listener; an Event cannot be copied,
        and a copy has no one waiting on it: a plain Ack with the same answer."""
        copied = Ack()  # type: ignore[no-untyped-call]  # Bolt's is unannotated
        copied.response = self.response
        return copied


def signal_ack(context: BoltContext, next: Callable[[], None]) -> None:
    """Global middleware: this request's ack signals, and this thread will wait for it."""
    ack = context.get("ack")
    if ack is None or (ack.response is None and not isinstance(ack, SignallingAck)):
        ack = SignallingAck()
        context["ack"] = ack
    _request.ack = ack if isinstance(ack, SignallingAck) else None
    next()


class PromptAckExecutor(ThreadPoolExecutor):
    """A thread pool whose first submit from a request thread returns once the listener it
    started has called ack() or ended, whichever is first."""

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        future = super().submit(fn, *args, **kwargs)
        ack: SignallingAck | None = getattr(_request, "ack", None)
        if ack is not None:
            _request.ack = None  # later submits of this request (lazy listeners) never wait
            future.add_done_callback(lambda _: ack.called.set())
            ack.called.wait(ACK_WAIT_SECONDS)
        return future
