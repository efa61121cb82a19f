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

A listener whose whole answer is a modal opens it before it acks (`open_then_ack`): the
modal is what the person waits for, and while Slack has no answer the burst behind it does
not pile up on the same threads and connections ahead of the `views.open` call. Should
Slack be slow to take the modal, the request thread acks on its own after
`OPEN_FIRST_SECONDS`, so Slack still has its answer within its 3 seconds.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, ParamSpec, TypeVar

from slack_bolt import Ack, BoltContext, BoltResponse

# Slack gives up after 3 seconds: no request thread waits longer than that for an answer.
ACK_WAIT_SECONDS = 3.0
# How long a request whose listener opens a modal first waits before it acks without it.
OPEN_FIRST_SECONDS = 2.0

P = ParamSpec("P")
T = TypeVar("T")

_request = threading.local()  # the ack the current request thread will wait for


class SignallingAck(Ack):
    """Bolt's Ack, and an event set once it has been called."""

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # Bolt's is unannotated
        self.called = threading.Event()
        self.opens_first = False  # set by open_then_ack: the request thread may ack itself
        self._lock = threading.Lock()

    def __call__(self, *args: Any, **kwargs: Any) -> BoltResponse:
        with self._lock:
            if self.opens_first and self.response is not None:
                return self.response  # the watchdog's ack or the listener's: first one wins
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
            if not ack.called.wait(OPEN_FIRST_SECONDS):
                if ack.opens_first:
                    ack()  # the modal is slow to open: Slack gets its empty answer in time
                else:
                    ack.called.wait(ACK_WAIT_SECONDS - OPEN_FIRST_SECONDS)
        return future


def open_then_ack(ack: Ack, open_modal: Callable[[], object]) -> None:
    """Open a modal, then ack (see the module's docstring); ack first where no request
    thread watches the time (an Ack that is not Keel's)."""
    if not isinstance(ack, SignallingAck):
        ack()
        open_modal()
        return
    ack.opens_first = True
    try:
        open_modal()
    finally:
        ack()
