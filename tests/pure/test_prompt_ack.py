"""The listener executor returns as soon as the listener it started has called ack()."""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt import Ack, App, BoltContext, BoltRequest
from slack_bolt.authorization import AuthorizeResult

from bot.process import prompt_ack
from bot.process.prompt_ack import PromptAckExecutor, SignallingAck, open_then_ack, signal_ack

WAIT = 5.0  # generous: only a broken implementation ever waits this long


@pytest.fixture
def executor() -> Iterator[PromptAckExecutor]:
    pool = PromptAckExecutor(max_workers=2)
    yield pool
    pool.shutdown(wait=True)


def request_with_signalling_ack() -> SignallingAck:
    """What the middleware does at the start of a request on this thread."""
    context = BoltContext()
    signal_ack(context, lambda: None)
    ack = context["ack"]
    assert isinstance(ack, SignallingAck)
    return ack


def test_submit_returns_once_the_listener_acks_while_it_works_on(
    executor: PromptAckExecutor,
) -> None:
    ack = request_with_signalling_ack()
    release = threading.Event()

    def listener() -> str:
        ack(text="saved")
        release.wait(WAIT)
        return "done"

    future = executor.submit(listener)

    assert ack.response is not None and ack.response.body == "saved"
    assert not future.done()  # still working after its ack, as Slack expects
    release.set()
    assert future.result(WAIT) == "done"


def test_submit_returns_when_the_listener_ends_without_acking(
    executor: PromptAckExecutor,
) -> None:
    ack = request_with_signalling_ack()

    def failing_listener() -> None:
        raise RuntimeError("boom")

    future = executor.submit(failing_listener)

    assert future.done() and ack.response is None
    with pytest.raises(RuntimeError):
        future.result()


def test_only_the_first_submit_of_a_request_waits(executor: PromptAckExecutor) -> None:
    """Lazy listeners are submitted after the listener; they never hold the answer back."""
    ack = request_with_signalling_ack()
    executor.submit(ack)
    release = threading.Event()

    lazy = executor.submit(release.wait, WAIT)

    assert not lazy.done()
    release.set()
    assert lazy.result(WAIT) is True


def test_a_thread_serving_no_request_never_waits(executor: PromptAckExecutor) -> None:
    release = threading.Event()
    submitted = []
    thread = threading.Thread(target=lambda: submitted.append(executor.submit(release.wait, WAIT)))
    thread.start()
    thread.join(WAIT)

    assert submitted and not submitted[0].done()
    release.set()
    assert submitted[0].result(WAIT) is True


def test_an_ack_already_called_is_kept() -> None:
    """A middleware before this one answered already (Bolt's self-event filter does)."""
    context = BoltContext()
    context.ack()
    answered = context["ack"]

    signal_ack(context, lambda: None)

    assert context["ack"] is answered


def test_a_copy_is_a_plain_ack_with_the_same_answer() -> None:
    """Bolt deep-copies each request for its lazy listeners; an Event cannot be copied."""
    ack = SignallingAck()
    ack(text="saved")

    copied = copy.deepcopy(ack)

    assert type(copied) is Ack and copied.response is not None
    assert copied.response.body == "saved"


def test_lazy_listeners_run_after_a_prompt_answer() -> None:
    executor = PromptAckExecutor(max_workers=2)
    app = App(
        signing_secret="secret",
        request_verification_enabled=False,
        # Authorized without asking Slack (auth.test): this test makes no network call.
        authorize=lambda **_: AuthorizeResult(
            enterprise_id=None, team_id="T1", bot_token="xoxb-offline", bot_user_id="UKEEL"
        ),
        listener_executor=executor,
    )
    app.use(signal_ack)
    ran = threading.Event()

    def answer(ack: Ack) -> None:
        ack(text="on it")

    def later(body: dict[str, Any]) -> None:
        ran.set()

    app.command("/nc")(ack=answer, lazy=[later])
    body = "command=%2Fnc&text=&team_id=T1&user_id=U1&channel_id=C1&trigger_id=t"
    headers = {"content-type": ["application/x-www-form-urlencoded"]}

    response = app.dispatch(BoltRequest(body=body, headers=headers))

    assert (response.status, response.body) == (200, "on it")
    assert ran.wait(WAIT)
    executor.shutdown(wait=True)


def test_a_modal_opens_before_the_ack(executor: PromptAckExecutor) -> None:
    ack = request_with_signalling_ack()
    events: list[str] = []

    def listener() -> None:
        open_then_ack(ack, lambda: events.append("views.open"))
        events.append("after")

    future = executor.submit(listener)
    future.result(WAIT)

    assert ack.response is not None and ack.response.status == 200
    assert events == ["views.open", "after"]


def test_a_slow_modal_is_acked_in_time_by_the_request_thread(
    executor: PromptAckExecutor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Slack slow to take the modal: the answer must not wait for it past Slack's 3 s."""
    monkeypatch.setattr(prompt_ack, "OPEN_FIRST_SECONDS", 0.05)
    ack = request_with_signalling_ack()
    opened = threading.Event()
    release = threading.Event()
    answers: list[object] = []

    def slow_modal() -> None:
        release.wait(WAIT)
        opened.set()

    def listener() -> None:
        open_then_ack(ack, slow_modal)
        answers.append(ack.response)

    future = executor.submit(listener)

    assert ack.response is not None and not opened.is_set()  # answered, modal still opening
    first = ack.response
    release.set()
    future.result(WAIT)
    assert answers == [first]  # the listener's own ack changed nothing


def test_an_ack_that_is_not_keels_acks_before_the_modal() -> None:
    ack = Ack()
    seen: list[bool] = []

    open_then_ack(ack, lambda: seen.append(ack.response is not None))

    assert seen == [True]
