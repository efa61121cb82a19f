"""`python -m bot serve` with SLACK_APP_TOKEN: Socket Mode, against a Slack played on loopback
(the Web API by FakeSlack, the WebSocket by FakeSocketMode)."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import QUALITY_CHANNEL
from tests.fake_slack import APP_TOKEN, TEAM_ID, FakeSlack
from tests.fake_socket_mode import FakeSocketMode
from tests.slack_requests import form_values, view_submission
from tests.wiring.test_cli import operator_env


@pytest.fixture
def socket_mode(fake_slack: FakeSlack) -> Iterator[FakeSocketMode]:
    server = FakeSocketMode().start()
    fake_slack.socket_mode_url = server.url
    yield server
    server.stop()


def test_serve_with_an_app_token_raises_a_record_over_socket_mode(
    tmp_path: Path, fake_slack: FakeSlack, socket_mode: FakeSocketMode
) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--no-scheduler"],
        cwd=tmp_path,
        env=operator_env(
            SLACK_BOT_TOKEN="xoxb-test-token",
            SLACK_APP_TOKEN=APP_TOKEN,
            DATABASE_URL=f"sqlite:///{tmp_path}/keel.db",
            SLACK_API_URL=fake_slack.api_url,
            KEEL_QUALITY_CHANNEL=QUALITY_CHANNEL,
        ),
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        socket_mode.wait_connected()
        command = socket_mode.send(
            "slash_commands",
            {
                "team_id": TEAM_ID,
                "user_id": "UALICE",
                "command": "/nc",
                "text": "",
                "channel_id": "CGENERAL",
                "trigger_id": "1.2.socket",
                "response_url": fake_slack.response_url(),
                "api_app_id": "AKEEL",
            },
        )
        assert socket_mode.ack_for(command) == {"envelope_id": command}
        opened = fake_slack.wait_for(lambda: fake_slack.calls_to("views.open"))
        view = dict(opened[-1].args["view"])

        submitted = socket_mode.send(
            "interactive", view_submission(view, form_values(title="Spill at bay 3"))
        )
        answer = socket_mode.ack_for(submitted)["payload"]
        assert answer["response_action"] == "update" and "NC-0001" in str(answer["view"])
        cards = fake_slack.wait_for(lambda: fake_slack.posts_to(QUALITY_CHANNEL))
        assert "NC-0001" in cards[0].args["text"]
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert "WARNING" not in stderr and "Traceback" not in stderr, stderr
