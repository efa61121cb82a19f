"""The tests' fake Slack Web API in its own process, for benchmarks: what Keel's process
measures is then Keel's own work, as against a remote Slack. Prints its API URL, then serves
until stdin closes."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fake_slack import FakeSlack


def main() -> None:
    fake = FakeSlack(validate=False).start()
    fake.add_channel("CQUALITY")
    print(fake.api_url, flush=True)
    sys.stdin.read()  # the benchmark closes our stdin when it is done
    fake.stop()


if __name__ == "__main__":
    main()
