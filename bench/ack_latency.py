"""How long Slack waits for Keel's answer (the "ack"), under concurrent load, against a floor.

What is measured: the HTTP round trip, from sending a signed Slack request to reading the whole
answer, for two request shapes:

- `/nc`: the slash command that opens the record form (Keel acks, then calls views.open on the
  Slack stand-in; only the ack is timed, views.open runs afterwards in Bolt's listener pool);
- `submission`: the record form's view_submission, each with its own view id so each one
  creates a record (Keel stores the record, then acks with the "record raised" view; the
  outbox relay posts the card to Slack in the background while the load goes on).

Each shape is sent by `--clients` concurrent clients (default 16, as many as Keel's waitress
threads), each on one keep-alive connection, `--warmup` requests first (not counted), then
`--requests` timed ones, paced at `--rate` requests a second across all clients (default 100;
`--rate 0`: a closed loop, each client sending as soon as it has its answer). The clients run
in a separate process so that they do not compete with the server for its GIL; with few CPUs
they still compete for CPU, so compare rows measured on the same machine, not figures across
machines.

Four servers are measured, one after the other:
- `floor`: a bare Bolt app with the same signing secret and mode whose listeners only call
  ack(), behind the same waitress server, as Bolt comes: it looks for the ack every 10 ms, so
  its answers take 10 ms and more. The targets are relative to this one.
- `floor-ack`: the same bare app answering at ack() as Keel does (bot/prompt_ack.py): what
  Bolt, waitress and the load generator cost by themselves. Keel's row minus this one is
  Keel's own work.
- `sqlite`: Keel on a migrated temporary SQLite file.
- `postgresql`: Keel on PostgreSQL (`--postgres-url`, a scratch database: its `public` schema
  is dropped and migrated again; skipped with a note when it is unreachable or anyone else is
  connected to it).
Keel is built as the `keel` test fixture builds it, with the outbox relay running, in this
process; Slack is played by bench/instant_slack.py in a process of its own, answering every
call at once, so that only Keel's work is on Keel's CPU.

How to read the table: p50 / p95 / p99 / mean / max are milliseconds per request; req/s is the
timed requests over the wall time of the timed phase; cpu/req is the CPU this process (server,
listeners and relay together) spent per timed request; `p99/floor` is the row's p99
over the floor's p99 for the same shape. The targets are p99 <= 50 ms and p99 <= 1.5x the
floor's; `ok` or `MISS` says whether a row meets both. In a closed loop, once the server is
saturated, latency is about clients / throughput (Little's law): the rows then compare how many
requests a second each server can take, not how long Slack waits at a given load. Below the
table, per database: submissions sent vs records created (equal when no submission was lost),
and cards Slack took once the outbox relay caught up (equal to the records).

With `--burst`, only `/nc` is sent: 400 timed requests (`--requests`) from the 16 clients in a
closed loop, as fast as they go, and besides the ack the table has a `views.open` row per
server: the time from sending the request to the form's `views.open` reaching the Slack
stand-in (which notes arrival times), the moment the person's modal can open. Both floors then
call `views.open` from their listener too, with a prebuilt form, on the same Web API client
and stand-in. Below the table: views.open calls that never arrived and calls that arrived more
than once (a retry).

Run from the repository root: `python bench/ack_latency.py --requests 1000`, or
`python bench/ack_latency.py --burst`.
"""

from __future__ import annotations

import argparse
import http.client
import json
import logging
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from multiprocessing import get_context
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

import bot.app
from bot.clock import SystemClock
from bot.forms.record import RecordMetadata
from bot.ids import SLASH_COMMAND
from bot.ids import View as ViewId
from bot.process import interpreter
from bot.process.prompt_ack import PromptAckExecutor, signal_ack
from bot.process.server import make_server
from bot.runtime import Runtime, build_bolt_app, build_runtime
from bot.services.outbox import OutboxKind, OutboxStatus
from bot.settings import ConfigError, Settings
from bot.views.record_form import record_form
from storage.db import make_engine
from storage.migrate import upgrade
from storage.models import OutboxMessage, Record
from tests.conftest import QUALITY_CHANNEL
from tests.fake_slack import TEAM_ID
from tests.slack_requests import SIGNING_SECRET, form_values, sign, view_submission

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/keel_bench"
BOT_TOKEN = "xoxb-test-token"
COMMAND = "/nc"
SUBMISSION = "submission"
SHAPES = (COMMAND, SUBMISSION)
VIEWS_OPEN = "views.open"  # the burst's second row: request sent -> views.open at Slack
BURST_REQUESTS = 400
ARRIVAL_WAIT_SECONDS = 30.0
FLOOR = "floor"
FLOOR_PROMPT = "floor-ack"
# Far above what Slack sends one workspace (people type their reports), with room to spare.
DEFAULT_RATE = 100.0
TARGET_P99_MS = 50.0
TARGET_RATIO = 1.5
CLIENT_TIMEOUT_SECONDS = 15.0
SETTLE_POLL_SECONDS = 0.1
SERVER_STOP_SECONDS = 5.0


# -- the load generator (runs in a child process) ----------------------------------------------
@dataclass(frozen=True)
class LoadSpec:
    """One batch of requests: `count` of one shape from `clients` keep-alive connections."""

    url: str
    shape: str
    clients: int
    count: int
    tag: str  # makes trigger and view ids unique across batches
    view: dict[str, Any]
    response_url: str  # the Slack stand-in's, so nothing ever leaves loopback
    rate: float = 0.0  # requests per second across all clients; 0: each sends when answered


@dataclass(frozen=True)
class LoadResult:
    latencies: list[float]  # seconds, one per answered request
    errors: int
    wall_seconds: float
    first_error: str | None
    sent_at: dict[int, float]  # request index -> time.monotonic() when it was sent


def command_body(index: int, tag: str, response_url: str) -> str:
    """A `/nc` slash command, form-encoded as Slack sends it."""
    return urlencode(
        {
            "token": "legacy-verification-token",
            "team_id": TEAM_ID,
            "team_domain": "keel-test",
            "channel_id": "CGENERAL",
            "channel_name": "general",
            "user_id": "UALICE",
            "user_name": "ualice",
            "command": COMMAND,
            "text": "",
            "api_app_id": "AKEEL",
            "response_url": response_url,
            "trigger_id": f"{tag}{index}.{TEAM_ID}.trigger",
        }
    )


def submission_body(index: int, tag: str, view: dict[str, Any]) -> str:
    """A record form submission with a view id of its own, so it creates a new record."""
    values = form_values(title=f"Bench record {tag}-{index}")
    payload = view_submission(view, values, view_id=f"VB{tag}{index:08d}")
    return urlencode({"payload": json.dumps(payload)})


def signed_headers(body: str) -> dict[str, str]:
    """Signed with the real time: Bolt refuses timestamps more than 5 minutes off."""
    timestamp = int(time.time())
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": sign(body, timestamp),
        "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
    }


class Client:
    """One keep-alive connection; reconnects only when the server closes it."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        host = parts.hostname or ""
        assert host in ("127.0.0.1", "localhost", "::1"), "loopback only"
        self._host, self._port, self._path = host, parts.port, parts.path
        self._connection: http.client.HTTPConnection | None = None

    def post(self, body: str) -> tuple[float, int, str]:
        """(seconds until the whole answer was read, HTTP status, answer body)."""
        headers = signed_headers(body)
        data = body.encode()
        connection = self._connect()
        started = time.perf_counter()
        try:
            connection.request("POST", self._path, body=data, headers=headers)
            response = connection.getresponse()
            answer = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        elapsed = time.perf_counter() - started
        if response.will_close:
            self.close()
        return elapsed, response.status, answer.decode(errors="replace")

    def _connect(self) -> http.client.HTTPConnection:
        if self._connection is None:
            self._connection = http.client.HTTPConnection(
                self._host, self._port, timeout=CLIENT_TIMEOUT_SECONDS
            )
            self._connection.connect()
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def body_maker(spec: LoadSpec) -> Callable[[int], str]:
    if spec.shape == COMMAND:
        return lambda index: command_body(index, spec.tag, spec.response_url)
    return lambda index: submission_body(index, spec.tag, spec.view)


def run_load(spec: LoadSpec) -> LoadResult:
    """Send `spec.count` requests from `spec.clients` threads; every request is sent once."""
    make_body = body_maker(spec)
    indexes = iter(range(spec.count))
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []
    sent_at: dict[int, float] = {}
    start = threading.Barrier(spec.clients + 1)

    def next_index() -> int | None:
        with lock:
            return next(indexes, None)

    def client_loop(offset: int) -> None:
        client = Client(spec.url)
        mine: list[float] = []
        mine_sent: dict[int, float] = {}
        start.wait()
        # Paced load: each client sends every clients/rate seconds, the clients staggered.
        interval = spec.clients / spec.rate if spec.rate else 0.0
        next_send = time.perf_counter() + offset * interval / spec.clients
        while (index := next_index()) is not None:
            if interval:
                time.sleep(max(0.0, next_send - time.perf_counter()))
                next_send += interval
            body = make_body(index)
            mine_sent[index] = time.monotonic()  # shared with the stand-in's process
            try:
                elapsed, status, answer = client.post(body)
            except (OSError, http.client.HTTPException) as error:
                with lock:
                    errors.append(f"{type(error).__name__}: {error}")
                continue
            if status != 200:
                with lock:
                    errors.append(f"HTTP {status}: {answer[:200]}")
                continue
            mine.append(elapsed)
        client.close()
        with lock:
            latencies.extend(mine)
            sent_at.update(mine_sent)

    threads = [threading.Thread(target=client_loop, args=(i,)) for i in range(spec.clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    return LoadResult(latencies, len(errors), wall, errors[0] if errors else None, sent_at)


# -- figures -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Stats:
    p50: float  # all in milliseconds, but throughput (requests per second)
    p95: float
    p99: float
    mean: float
    max: float
    throughput: float
    errors: int
    first_error: str | None
    cpu_per_request: float  # ms of this process's CPU (server, listeners, relay) per request


def process_cpu() -> float:
    """CPU seconds used so far by this process, every thread (not the load generator's)."""
    times = os.times()
    return times.user + times.system


def summarize(result: LoadResult, cpu_seconds: float) -> Stats:
    ms = [latency * 1000 for latency in result.latencies]
    if len(ms) < 2:
        raise SystemExit(f"too few answered requests to measure; first error: {result.first_error}")
    cuts = statistics.quantiles(ms, n=100, method="inclusive")
    return Stats(
        p50=cuts[49],
        p95=cuts[94],
        p99=cuts[98],
        mean=statistics.fmean(ms),
        max=max(ms),
        throughput=len(ms) / result.wall_seconds,
        errors=result.errors,
        first_error=result.first_error,
        cpu_per_request=cpu_seconds * 1000 / len(ms),
    )


@dataclass(frozen=True)
class Row:
    shape: str
    database: str
    stats: Stats
    note: str = ""  # the burst's views.open: calls missing, calls retried


@dataclass(frozen=True)
class Tally:
    """What Keel did with the requests of one database's run."""

    database: str
    commands_sent: int
    submissions_sent: int
    records: int
    cards: int
    outbox: dict[str, int]  # rows by status once settled
    settled: bool


# -- what is measured --------------------------------------------------------------------------
def form_view() -> dict[str, Any]:
    """The record form as `/nc` opens it; submissions are made from it."""
    metadata = RecordMetadata(channel_id="CGENERAL")
    view: dict[str, Any] = record_form(today=date.today(), metadata=metadata).to_dict()
    return view


def measure_shapes(
    loader: ProcessPoolExecutor,
    url: str,
    fake: RemoteSlack,
    database: str,
    args: argparse.Namespace,
) -> list[Row]:
    """Warm up, then time, each request shape against the server at `url`."""
    view = form_view()
    rows = []
    for shape in (COMMAND,) if args.burst else SHAPES:
        if args.warmup:
            warmup = LoadSpec(url, shape, args.clients, args.warmup, "w", view, fake.response_url())
            loader.submit(run_load, warmup).result()
            if args.burst:
                fake.arrivals("w", args.warmup)
        timed = LoadSpec(
            url, shape, args.clients, args.requests, "m", view, fake.response_url(), args.rate
        )
        cpu_before = process_cpu()
        result = loader.submit(run_load, timed).result()
        stats = summarize(result, process_cpu() - cpu_before)
        print(f"  {shape:<11} {database:<10} p99 {stats.p99:7.1f} ms", flush=True)
        rows.append(Row(shape, database, stats))
        if args.burst:
            arrivals = fake.arrivals("m", args.requests)
            rows.append(views_open_row(result, arrivals, database, stats.cpu_per_request))
    return rows


def views_open_row(
    result: LoadResult, arrivals: dict[str, list[float]], database: str, cpu_per_request: float
) -> Row:
    """From sending each timed `/nc` to its views.open reaching Slack."""
    latencies, missing = [], 0
    for index, sent in result.sent_at.items():
        arrived = arrivals.get(f"m{index}.{TEAM_ID}.trigger")
        if arrived:
            latencies.append(min(arrived) - sent)
        else:
            missing += 1
    retried = sum(len(times) - 1 for times in arrivals.values())
    opened = LoadResult(latencies, missing, result.wall_seconds, None, result.sent_at)
    stats = summarize(opened, cpu_per_request * len(latencies) / 1000)
    print(f"  {VIEWS_OPEN:<11} {database:<10} p99 {stats.p99:7.1f} ms", flush=True)
    note = f"views.open on {database}: {missing} never arrived, {retried} retried"
    return Row(VIEWS_OPEN, database, stats, note)


@dataclass(frozen=True)
class RemoteSlack:
    """bench/instant_slack.py in its own process: Slack's work never lands on Keel's CPU."""

    api_url: str

    def response_url(self) -> str:
        return self.api_url.removesuffix("/api/") + "/response/bench"

    def arrivals(self, tag: str, count: int) -> dict[str, list[float]]:
        """trigger_id -> arrival times of the views.open calls of batch `tag`, once `count`
        triggers have arrived (or ARRIVAL_WAIT_SECONDS have passed); forgets every arrival."""
        found: dict[str, list[float]] = {}
        deadline = time.monotonic() + ARRIVAL_WAIT_SECONDS
        while len(found) < count and time.monotonic() < deadline:
            with urllib.request.urlopen(self.api_url + "arrivals", timeout=10) as answer:  # noqa: S310 - loopback
                for trigger, at in json.loads(answer.read()):
                    if trigger.startswith(tag):
                        found.setdefault(trigger, []).append(at)
            time.sleep(SETTLE_POLL_SECONDS)
        return found


@contextmanager
def fake_slack() -> Iterator[RemoteSlack]:
    process = subprocess.Popen(  # noqa: S603 - our own script, no shell
        [sys.executable, str(Path(__file__).with_name("instant_slack.py"))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        yield RemoteSlack(process.stdout.readline().strip())
    finally:
        assert process.stdin is not None
        process.stdin.close()
        process.wait(timeout=10)


def floor_app(fake: RemoteSlack, *, prompt_ack: bool, open_form: bool) -> App:
    """Bolt with nothing behind it: the same secret and mode as Keel, listeners that only ack
    (and with `open_form`, then open a prebuilt form with views.open, as Keel's `/nc` does).
    With `prompt_ack`, answered at ack() as Keel answers (bot/prompt_ack.py); without, as Bolt
    answers out of the box, on its next 10 ms poll."""
    form = form_view()
    app = App(
        client=WebClient(token=BOT_TOKEN, base_url=fake.api_url),
        signing_secret=SIGNING_SECRET,
        process_before_response=False,
        raise_error_for_unhandled_request=False,
        listener_executor=(
            PromptAckExecutor(max_workers=bot.app.LISTENER_THREADS) if prompt_ack else None
        ),
    )
    if prompt_ack:
        app.use(signal_ack)

    @app.command(SLASH_COMMAND)
    def command(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        if open_form:
            client.views_open(trigger_id=body["trigger_id"], view=form)

    @app.view(ViewId.RAISE_RECORD.value)
    def submission(ack: Ack) -> None:
        ack()

    return app


@contextmanager
def serving(app: App) -> Iterator[str]:
    """`app` behind Keel's own waitress server on loopback; yields its events URL."""
    server = make_server(app, host="127.0.0.1", port=0, signing_secret=SIGNING_SECRET)
    interpreter.freeze_start_up_objects()  # as `serve` does once the app is built
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}/slack/events"
    finally:
        server.stop()
        thread.join(timeout=SERVER_STOP_SECONDS)


def bench_floor(
    loader: ProcessPoolExecutor, args: argparse.Namespace, *, prompt_ack: bool
) -> list[Row]:
    name = FLOOR_PROMPT if prompt_ack else FLOOR
    with (
        fake_slack() as fake,
        serving(floor_app(fake, prompt_ack=prompt_ack, open_form=args.burst)) as url,
    ):
        return measure_shapes(loader, url, fake, name, args)


def keel_settings(fake: RemoteSlack, database_url: str) -> Settings:
    """As the test fixtures configure Keel."""
    return Settings(
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake.api_url,
        database_url=database_url,
        KEEL_QUALITY_CHANNEL=QUALITY_CHANNEL,
        KEEL_ADMINS="ULEAD",
        KEEL_TIMEZONE="Europe/Berlin",
    )


@dataclass(frozen=True)
class Keel:
    runtime: Runtime
    fake: RemoteSlack
    url: str


@contextmanager
def running_keel(fake: RemoteSlack, database_url: str) -> Iterator[Keel]:
    """Keel serving HTTP on loopback, built with the calls of `tests.conftest.start_keel`, but
    on the system clock so that the relay's retries come due."""
    settings = keel_settings(fake, database_url)
    runtime = build_runtime(settings, clock=SystemClock(), migrate=False)
    app = build_bolt_app(runtime, socket_mode=False)
    runtime.start_relay()
    try:
        with serving(app) as url:
            yield Keel(runtime, fake, url)
    finally:
        runtime.stop()


def outbox_counts(keel: Keel) -> dict[str, int]:
    """Outbox rows by status: pending, sent, failed."""
    query = select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    with keel.runtime.deps.db.reading() as session:
        return {str(status): int(count) for status, count in session.execute(query).all()}


def count_records(keel: Keel) -> int:
    with keel.runtime.deps.db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(Record)) or 0)


def count_cards(keel: Keel) -> int:
    """Cards Slack took: outbox rows that posted a record's card."""
    query = select(func.count()).where(
        OutboxMessage.kind == OutboxKind.POST_RECORD_CARD.value,
        OutboxMessage.status == OutboxStatus.SENT.value,
    )
    with keel.runtime.deps.db.reading() as session:
        return int(session.scalar(query) or 0)


def settle(keel: Keel, database: str, *, commands: int, submissions: int, timeout: float) -> Tally:
    """Wait (at most `timeout` s) for an empty outbox."""
    deadline = time.monotonic() + timeout
    while True:
        outbox = outbox_counts(keel)
        settled = not outbox.get("pending")
        if settled or time.monotonic() >= deadline:
            cards = count_cards(keel)
            records = count_records(keel)
            return Tally(database, commands, submissions, records, cards, outbox, settled)
        time.sleep(SETTLE_POLL_SECONDS)


def bench_keel(
    loader: ProcessPoolExecutor, database: str, database_url: str, args: argparse.Namespace
) -> tuple[list[Row], Tally]:
    """Both shapes against Keel on one database; every request of each shape is sent once."""
    sent = args.warmup + args.requests
    with fake_slack() as fake, running_keel(fake, database_url) as keel:
        rows = measure_shapes(loader, keel.url, fake, database, args)
        submitted = 0 if args.burst else sent
        tally = settle(
            keel, database, commands=sent, submissions=submitted, timeout=args.settle_timeout
        )
        return rows, tally


@contextmanager
def sqlite_database() -> Iterator[str]:
    """A migrated SQLite file in a temporary directory."""
    with tempfile.TemporaryDirectory(prefix="keel-bench-") as directory:
        url = f"sqlite:///{Path(directory) / 'keel.db'}"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url


OTHER_SESSIONS = text(
    "SELECT count(*) FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
)


def reset_postgres(url: str) -> str | None:
    """Drop and migrate the scratch database's schema; a reason to skip if it cannot.

    Refuses while anyone else is connected: a test run using the same database would lose its
    tables mid-run, and its load would skew the figures.
    """
    try:
        engine = make_engine(url, connect_args={"connect_timeout": 3})
    except ConfigError as error:
        return str(error)
    try:
        with engine.begin() as connection:
            others = int(connection.scalar(OTHER_SESSIONS) or 0)
            if others:
                return (
                    f"{others} other session(s) are connected to it (a test run?); "
                    "give --postgres-url a database of its own"
                )
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        upgrade(engine)
    except OperationalError as error:
        return str(error.orig or error).strip().splitlines()[0]
    finally:
        engine.dispose()
    return None


# -- the report --------------------------------------------------------------------------------
def verdict(stats: Stats, floor: Stats, shape: str) -> str:
    """The ack: p99 within 50 ms and 1.5x the floor's; views.open: within 1.5x the floor's."""
    ratio = stats.p99 / floor.p99
    fast = shape == VIEWS_OPEN or stats.p99 <= TARGET_P99_MS
    return "ok" if fast and ratio <= TARGET_RATIO else "MISS"


def print_table(rows: list[Row]) -> None:
    floors = {row.shape: row.stats for row in rows if row.database == FLOOR}
    header = (
        f"{'scenario':<11} {'database':<10} {'p50':>7} {'p95':>7} {'p99':>7} {'mean':>7} "
        f"{'max':>7} {'req/s':>6} {'errors':>6} {'cpu/req':>7} {'p99/floor':>9}  target"
    )
    print(header)
    print("-" * len(header))
    for shape in dict.fromkeys(row.shape for row in rows):
        for row in (each for each in rows if each.shape == shape):
            s, floor = row.stats, floors[shape]
            target = "-" if row.database in (FLOOR, FLOOR_PROMPT) else verdict(s, floor, shape)
            print(
                f"{shape:<11} {row.database:<10} {s.p50:7.1f} {s.p95:7.1f} {s.p99:7.1f} "
                f"{s.mean:7.1f} {s.max:7.1f} {s.throughput:6.0f} {s.errors:6d} "
                f"{s.cpu_per_request:7.2f} "
                f"{s.p99 / floor.p99:8.2f}x  {target}"
            )
    print(
        "(milliseconds; cpu/req: CPU ms of Keel's process per request, Slack's stand-in "
        f"runs in its own; targets: p99 <= {TARGET_P99_MS:.0f} ms and "
        f"<= {TARGET_RATIO}x the floor's p99)"
    )
    for row in rows:
        if row.note:
            print(row.note)
        if row.stats.first_error:
            print(f"first error, {row.shape} on {row.database}: {row.stats.first_error}")


def print_tally(tally: Tally) -> None:
    def same(a: int, b: int) -> str:
        return "equal" if a == b else "DIFFERENT"

    outbox = ", ".join(f"{count} {status}" for status, count in sorted(tally.outbox.items()))
    print(
        f"{tally.database}: submissions sent {tally.submissions_sent}, records created "
        f"{tally.records} ({same(tally.records, tally.submissions_sent)}); cards posted to "
        f"{QUALITY_CHANNEL} {tally.cards} ({same(tally.cards, tally.records)} to records); "
        f"commands sent {tally.commands_sent}; "
        f"outbox rows: {outbox or 'none'}"
    )
    if not tally.settled:
        print(f"{tally.database}: not settled within --settle-timeout; counts may still move")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (16)")
    parser.add_argument(
        "--requests",
        type=int,
        default=None,
        help=f"timed requests per scenario (2000; with --burst {BURST_REQUESTS})",
    )
    parser.add_argument("--warmup", type=int, default=200, help="untimed requests per scenario")
    parser.add_argument(
        "--rate",
        type=float,
        default=DEFAULT_RATE,
        help=f"requests per second across all clients (default {DEFAULT_RATE:g}; 0: a closed "
        "loop, each client sends as soon as it has its answer)",
    )
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL, help="scratch database")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument(
        "--settle-timeout", type=float, default=180.0, help="seconds to wait for the relay"
    )
    parser.add_argument(
        "--burst",
        action="store_true",
        help=f"`/nc` only, {BURST_REQUESTS} requests in a closed loop; also times views.open",
    )
    parser.add_argument(
        "--listener-threads",
        type=int,
        default=None,
        help=f"listener threads of Keel and floor-ack (Keel's: {bot.app.LISTENER_THREADS})",
    )
    args = parser.parse_args()
    if args.listener_threads is not None:
        bot.app.LISTENER_THREADS = args.listener_threads  # read when each app is built
    if args.requests is None:
        args.requests = BURST_REQUESTS if args.burst else 2000
    if args.burst:
        args.rate = 0.0
    if args.clients < 1 or args.requests < 100 or args.warmup < 0:
        parser.error("need --clients >= 1, --requests >= 100 and --warmup >= 0")
    return args


def quiet_logs() -> None:
    """Warnings and errors only, without waitress's "Task queue depth" one per busy moment."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)


def main() -> None:
    interpreter.tune()  # as `python -m bot serve` does, for the floor and Keel alike
    args = parse_args()
    quiet_logs()
    print(
        f"Keel ack latency: {args.clients} clients, {args.requests} timed + {args.warmup} "
        f"warm-up requests per scenario; "
        f"{f'paced at {args.rate:g} req/s' if args.rate else 'closed loop'}"
        f"{', burst of /nc' if args.burst else ''}; "
        f"{bot.app.LISTENER_THREADS} listener threads; "
        f"Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs",
        flush=True,
    )
    tallies: list[Tally] = []
    notes: list[str] = []
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as loader:
        rows = bench_floor(loader, args, prompt_ack=False)
        rows += bench_floor(loader, args, prompt_ack=True)
        with sqlite_database() as url:
            sqlite_rows, tally = bench_keel(loader, "sqlite", url, args)
        rows += sqlite_rows
        tallies.append(tally)
        skip = "--no-postgres given" if args.no_postgres else reset_postgres(args.postgres_url)
        if skip is None:
            postgres_rows, tally = bench_keel(loader, "postgresql", args.postgres_url, args)
            rows += postgres_rows
            tallies.append(tally)
        else:
            notes.append(f"PostgreSQL skipped: {skip}")
    print()
    print_table(rows)
    print()
    for tally in tallies:
        print_tally(tally)
    for note in notes:
        print(note)


if __name__ == "__main__":
    main()
