"""A Slack Web API stand-in that answers every call at once with a plausible success, for
benchmarks that measure Keel's own cost. It checks nothing (the tests' fake Slack does).
Prints its API URL, then serves until stdin closes.

It notes when each `views.open` arrives (time.monotonic(), a clock every process on the
machine shares) with its trigger_id; `GET /arrivals` answers them as a JSON list of
[trigger_id, seconds] and forgets them, so a benchmark can time a request to its modal."""

from __future__ import annotations

import asyncio
import itertools
import json
import sys
import time
from urllib.parse import parse_qs

_ts = itertools.count(1)
_MEMBERS: list[dict[str, object]] = []
_ARRIVALS: list[tuple[str, float]] = []


def _trigger_id(body: bytes, headers: list[str]) -> str:
    """The trigger_id of a views.open call, sent as JSON or as a form."""
    as_json = any(h.lower().startswith("content-type:") and "json" in h.lower() for h in headers)
    text = body.decode(errors="replace")
    if as_json:
        return str(json.loads(text or "{}").get("trigger_id", ""))
    return (parse_qs(text).get("trigger_id") or [""])[0]


def _answer(method: str) -> bytes:
    if method == "auth.test":
        body: dict[str, object] = {
            "ok": True,
            "user_id": "UKEELBOT",
            "bot_id": "BKEEL",
            "team_id": "T0",
        }
    elif method == "users.list":
        body = {"ok": True, "members": _MEMBERS, "response_metadata": {"next_cursor": ""}}
    else:
        body = {"ok": True, "channel": "D0", "ts": f"{1_700_000_000 + next(_ts)}.000100"}
    return json.dumps(body).encode()


async def _serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            request_line, *headers = head.decode("latin-1").split("\r\n")
            length = next(
                (
                    int(h.split(":", 1)[1])
                    for h in headers
                    if h.lower().startswith("content-length:")
                ),
                0,
            )
            body = await reader.readexactly(length) if length else b""
            arrived = time.monotonic()
            method = request_line.split(" ")[1].rsplit("/", 1)[-1]
            if method == "views.open":
                _ARRIVALS.append((_trigger_id(body, headers), arrived))
            if method == "arrivals":
                payload = json.dumps(_ARRIVALS).encode()
                _ARRIVALS.clear()
            else:
                payload = _answer(method)
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                + f"Content-Length: {len(payload)}\r\n\r\n".encode()
                + payload
            )
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        return  # the client hung up (urllib closes after each call): nothing left to answer
    finally:
        writer.close()


async def main() -> None:
    server = await asyncio.start_server(_serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    print(f"http://127.0.0.1:{port}/api/", flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)
    server.close()


if __name__ == "__main__":
    asyncio.run(main())
