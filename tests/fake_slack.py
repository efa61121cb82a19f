"""A fake Slack Web API on loopback that behaves like Slack where Keel can tell.

It answers the methods Keel calls, validates Block Kit the way Slack does (slack_sdk's
models plus the limits they do not check), keeps messages so chat.update can fail when the
message is gone, and can be told to fail: HTTP 500s, 429 with Retry-After, or an ok:false.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

BOT_USER_ID = "UKEELBOT"
BOT_ID = "BKEEL"
APP_TOKEN = "xapp-test-token"
TS_EPOCH = 1_795_428_000  # 2026-11-23 10:00 UTC, tests.conftest.NOW
TEAM_ID = "T0KEEL"
MESSAGE_BLOCKS_MAX = 50
VIEW_BLOCKS_MAX = 100
JSON_FIELDS = ("blocks", "view", "attachments", "metadata")
# The bot scopes of manifest.yml: what a correctly installed Keel is granted.
MANIFEST_SCOPES = (
    "commands",
    "chat:write",
    "im:write",
    "users:read",
    "users:read.email",
    "channels:history",
    "groups:history",
    "im:history",
    "reactions:write",
    "files:write",
)


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    token: str | None
    answered: int = 200


@dataclass
class Failure:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    remaining: int = 1  # how many calls it answers; -1 for until cleared
    raw: bytes | None = None  # a body that is not JSON (a proxy's error page), sent as is
    after_acting: bool = False  # Slack did what was asked; only its answer is lost


class FakeSlack:
    """Start with `start()`; its Web API base URL is `api_url`."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.users: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        self.messages: dict[tuple[str, str], dict[str, Any]] = {}
        # The external upload API: file_id -> {filename, length, bytes, channel, title, comment}.
        self.files: dict[str, dict[str, Any]] = {}
        self._failures: dict[str, list[Failure]] = {}
        self._lock = threading.Lock()
        self._ts = itertools.count(1)
        self._views = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        # Where apps.connections.open sends a Socket Mode app (tests.fake_socket_mode).
        self.socket_mode_url: str | None = None
        # What the bot token was granted: Slack names them in every answer's x-oauth-scopes.
        self.granted_scopes: list[str] = list(MANIFEST_SCOPES)

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> FakeSlack:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                fake._handle(self)

            def log_message(self, format: str, *args: Any) -> None:
                return

        class Server(ThreadingHTTPServer):
            request_queue_size = 128  # bursts of clients, as Slack's front end would take

        self._server = Server(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def base_url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"{self.base_url}/response/{name}"

    # -- the workspace ---------------------------------------------------------------------
    def add_user(
        self,
        user_id: str,
        *,
        tz: str = "UTC",
        is_admin: bool = False,
        deleted: bool = False,
        is_bot: bool = False,
    ) -> None:
        self.users[user_id] = {
            "id": user_id,
            "team_id": TEAM_ID,
            "name": user_id.lower(),
            "deleted": deleted,
            "tz": tz,
            "tz_offset": 0,
            "is_admin": is_admin,
            "is_owner": False,
            "is_bot": is_bot,
        }

    def add_channel(
        self, channel_id: str, *, member: bool = True, archived: bool = False, name: str = ""
    ) -> None:
        self.channels[channel_id] = {
            "id": channel_id,
            "name": name or channel_id.lower(),
            "is_member": member,
            "is_archived": archived,
        }

    # -- failures --------------------------------------------------------------------------
    def fail(
        self,
        method: str,
        *,
        status: int = 500,
        error: str = "internal_error",
        times: int = 1,
        headers: dict[str, str] | None = None,
    ) -> None:
        """The next `times` calls of `method` ("*" for any) fail this way; -1: until healed."""
        with self._lock:
            self._failures.setdefault(method, []).append(
                Failure(
                    status=status,
                    body={"ok": False, "error": error},
                    headers=headers or {},
                    remaining=times,
                )
            )

    def rate_limit(self, method: str, *, retry_after: int, times: int = 1) -> None:
        self.fail(
            method,
            status=429,
            error="ratelimited",
            times=times,
            headers={"Retry-After": str(retry_after)},
        )

    def garble(self, method: str, *, status: int = 200) -> None:
        """The next call of `method` is answered with an HTML page instead of Slack's JSON, as
        a proxy answers; Slack never sees the call (`lose_answer` plays one it carried out)."""
        with self._lock:
            self._failures.setdefault(method, []).append(
                Failure(status=status, body={}, raw=b"<html><body>Bad gateway</body></html>")
            )

    def lose_answer(self, method: str, *, status: int = 504) -> None:
        """The next call of `method` is carried out, but its answer never arrives: a proxy
        answers `status` instead (a gateway timeout), as when Slack was slow to answer."""
        with self._lock:
            self._failures.setdefault(method, []).append(
                Failure(
                    status=status,
                    body={},
                    raw=b"<html><body>Gateway Timeout</body></html>",
                    after_acting=True,
                )
            )

    def reject_token(self) -> None:
        """Every call answers `invalid_auth` until healed, as for a revoked or mistyped token."""
        self.fail("*", status=200, error="invalid_auth", times=-1)

    def heal(self) -> None:
        with self._lock:
            self._failures.clear()

    # -- what happened ---------------------------------------------------------------------
    def calls_to(self, method: str, *, ok_only: bool = True) -> list[Call]:
        with self._lock:
            return [
                c for c in self.calls if c.method == method and (c.answered == 200 or not ok_only)
            ]

    def posts_to(self, channel: str) -> list[Call]:
        return [c for c in self.calls_to("chat.postMessage") if c.args.get("channel") == channel]

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 20.0) -> Any:
        """Poll until `predicate()` is truthy; fail the test if it never is."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = predicate()
            if result:
                return result
            time.sleep(0.02)
        raise AssertionError(
            "fake Slack never saw what the test waited for; "
            f"calls: {[c.method for c in self.calls]}"
        )

    # -- the server ------------------------------------------------------------------------
    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        if request.path.startswith("/upload/"):
            self._receive_upload(request)
            return
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length).decode()
        if request.path.startswith("/response/"):
            args = json.loads(raw or "{}")
            with self._lock:
                self.calls.append(Call("response_url", args, None))
            self._reply(request, 200, {"ok": True})
            return
        method = request.path.removeprefix("/api/")
        args = self._parse(raw, request.headers.get("Content-Type", ""))
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") if auth else args.get("token")
        call = Call(method, args, token)
        with self._lock:
            self.calls.append(call)
            failure = self._take_failure(method)
        if failure is not None and failure.after_acting:
            self._answer(method, args)
        if failure is not None:
            call.answered = failure.status
            if failure.raw is not None:
                request.send_response(failure.status)
                request.send_header("Content-Type", "text/html")
                request.send_header("Content-Length", str(len(failure.raw)))
                request.end_headers()
                request.wfile.write(failure.raw)
                return
            self._reply(request, failure.status, failure.body, failure.headers)
            return
        # Socket Mode's apps.connections.open takes the app-level token, the rest the bot's.
        expected = APP_TOKEN if method == "apps.connections.open" else "xoxb-test-token"
        if token != expected:
            self._reply(request, 200, {"ok": False, "error": "invalid_auth"})
            call.answered = 0
            return
        body, headers = self._answer(method, args)
        if not body.get("ok"):
            call.answered = 0
        headers = {"x-oauth-scopes": ",".join(self.granted_scopes), **headers}
        self._reply(request, 200, body, headers)

    def _take_failure(self, method: str) -> Failure | None:
        for key in (method, "*"):
            queue = self._failures.get(key) or []
            if queue:
                failure = queue[0]
                if failure.remaining > 0:
                    failure.remaining -= 1
                    if failure.remaining == 0:
                        queue.pop(0)
                return failure
        return None

    @staticmethod
    def _parse(raw: str, content_type: str) -> dict[str, Any]:
        if "json" in content_type:
            args: dict[str, Any] = json.loads(raw or "{}")
        else:
            args = {key: values[0] for key, values in parse_qs(raw, keep_blank_values=True).items()}
        for key in JSON_FIELDS:
            if isinstance(args.get(key), str):
                args[key] = json.loads(args[key])
        return args

    @staticmethod
    def _reply(
        request: BaseHTTPRequestHandler,
        status: int,
        body: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> None:
        data = json.dumps(body).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/json; charset=utf-8")
        request.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            request.send_header(name, value)
        request.end_headers()
        request.wfile.write(data)

    def _answer(self, method: str, args: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        if handler is None:
            return {"ok": False, "error": "unknown_method"}, {}
        result = handler(args)
        if isinstance(result, tuple):
            return result
        return result, {}

    # -- methods ---------------------------------------------------------------------------
    def _auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        body = {
            "ok": True,
            "url": "https://keel-test.slack.com/",
            "team": "Keel Test",
            "user": "keel",
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }
        return body

    def _apps_connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        if self.socket_mode_url is None:
            return {"ok": False, "error": "socket_mode_not_enabled"}
        return {"ok": True, "url": self.socket_mode_url}

    def _next_ts(self) -> str:
        """Slack's ts are wall-clock times: these follow the tests' clock (tests.conftest.NOW)."""
        return f"{TS_EPOCH + next(self._ts)}.000100"

    def _check_blocks(self, blocks: Any, limit: int) -> str | None:
        if blocks is None:
            return None
        if not isinstance(blocks, list) or len(blocks) > limit:
            return "invalid_blocks"
        try:
            for block in blocks:
                parsed = Block.parse(block)
                if parsed is None:
                    return "invalid_blocks"
                parsed.to_dict()
                if _too_long_inside(block):
                    return "invalid_blocks"
        except SlackObjectFormationError:
            return "invalid_blocks"
        return None

    def _channel_for(self, channel: str) -> tuple[str | None, str | None]:
        """(channel id to post in, error)."""
        if channel.startswith(("U", "W")):
            user = self.users.get(channel)
            if user is not None and user["deleted"]:
                return None, "user_disabled"
            return "D" + channel, None
        if channel.startswith("D"):
            return channel, None
        known = self.channels.get(channel)
        if known is None:
            return None, "channel_not_found"
        if known["is_archived"]:
            return None, "is_archived"
        if not known["is_member"]:
            return None, "not_in_channel"
        return channel, None

    def _chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("text") and not args.get("blocks"):
            return {"ok": False, "error": "no_text"}
        if len(str(args.get("text") or "")) > 40_000:
            return {"ok": False, "error": "msg_too_long"}
        if error := self._check_blocks(args.get("blocks"), MESSAGE_BLOCKS_MAX):
            return {"ok": False, "error": error}
        channel, error = self._channel_for(str(args.get("channel", "")))
        if error or channel is None:
            return {"ok": False, "error": error}
        ts = self._next_ts()
        message = {
            "type": "message",
            "ts": ts,
            "text": args.get("text"),
            "blocks": args.get("blocks"),
            "bot_id": BOT_ID,
            "user": BOT_USER_ID,
            "thread_ts": args.get("thread_ts"),
        }
        if args.get("metadata"):
            metadata = args["metadata"]
            message["metadata"] = json.loads(metadata) if isinstance(metadata, str) else metadata
        with self._lock:
            self.messages[(channel, ts)] = message
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        """A channel's top-level messages, newest first; metadata only when asked for."""
        channel, error = self._channel_for(str(args.get("channel", "")))
        if error or channel is None:
            return {"ok": False, "error": error}
        oldest = float(args.get("oldest") or 0)
        with_metadata = str(args.get("include_all_metadata", "")).lower() in ("1", "true")
        with self._lock:
            found = [
                dict(message)
                for (where, ts), message in self.messages.items()
                if where == channel and float(ts) > oldest and not message.get("thread_ts")
            ]
        found.sort(key=lambda message: float(message["ts"]), reverse=True)
        if not with_metadata:
            for message in found:
                message.pop("metadata", None)
        limit = int(args.get("limit") or 100)
        return {"ok": True, "messages": found[:limit], "has_more": len(found) > limit}

    def _conversations_info(self, args: dict[str, Any]) -> dict[str, Any]:
        """A channel as Slack describes it; it takes channels:read (or groups:read), which
        Keel's manifest does not ask for, so without it the answer is missing_scope."""
        if not {"channels:read", "groups:read"} & set(self.granted_scopes):
            return {
                "ok": False,
                "error": "missing_scope",
                "needed": "channels:read",
                "provided": ",".join(self.granted_scopes),
            }
        channel_id = str(args.get("channel", ""))
        known = self.channels.get(channel_id)
        if known is None:
            return {"ok": False, "error": "channel_not_found"}
        return {"ok": True, "channel": {**known, "is_channel": True}}

    def _chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        if error := self._check_blocks(args.get("blocks"), MESSAGE_BLOCKS_MAX):
            return {"ok": False, "error": error}
        key = (str(args.get("channel")), str(args.get("ts")))
        with self._lock:
            message = self.messages.get(key)
            if message is None:
                return {"ok": False, "error": "message_not_found"}
            message.update(text=args.get("text"), blocks=args.get("blocks"))
        return {"ok": True, "channel": key[0], "ts": key[1], "text": args.get("text")}

    def _chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        if error := self._check_blocks(args.get("blocks"), MESSAGE_BLOCKS_MAX):
            return {"ok": False, "error": error}
        return {"ok": True, "message_ts": self._next_ts()}

    def _chat_getPermalink(self, args: dict[str, Any]) -> dict[str, Any]:
        channel, ts = str(args.get("channel")), str(args.get("message_ts"))
        if (channel, ts) not in self.messages:
            return {"ok": False, "error": "message_not_found"}
        return {
            "ok": True,
            "channel": channel,
            "permalink": f"https://keel-test.slack.com/archives/{channel}/p{ts.replace('.', '')}",
        }

    def _check_view(self, view: Any) -> str | None:
        if not isinstance(view, dict):
            return "invalid_arguments"
        try:
            View(**view).to_dict()
        except (SlackObjectFormationError, TypeError):
            return "invalid_arguments"
        return self._check_blocks(view.get("blocks"), VIEW_BLOCKS_MAX)

    def _views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("trigger_id"):
            return {"ok": False, "error": "invalid_trigger_id"}
        if error := self._check_view(args.get("view")):
            return {"ok": False, "error": error}
        view = dict(args["view"], id=f"V{next(self._views):08d}", team_id=TEAM_ID)
        return {"ok": True, "view": view}

    def _views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        if error := self._check_view(args.get("view")):
            return {"ok": False, "error": error}
        return {"ok": True, "view": dict(args["view"], id=args.get("view_id") or "V0")}

    _views_push = _views_update

    def _views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        if error := self._check_view(args.get("view")):
            return {"ok": False, "error": error}
        return {"ok": True, "view": dict(args["view"], id="VHOME")}

    def _users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user_id = str(args.get("user"))
        if user_id not in self.users:
            self.add_user(user_id)
        return {"ok": True, "user": self.users[user_id]}

    def _users_list(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "members": list(self.users.values()),
            "response_metadata": {"next_cursor": ""},
        }

    def _conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        users = str(args.get("users", ""))
        return {"ok": True, "channel": {"id": "D" + users.split(",")[0]}}

    def _reactions_add(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True}

    # -- the external upload API (files.getUploadURLExternal, then files.completeUploadExternal)
    def _files_getUploadURLExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        """`filename` and `length` (bytes) are required; answers `upload_url` and `file_id`."""
        filename, length = args.get("filename"), str(args.get("length") or "")
        if not filename or not length.isdigit() or int(length) <= 0:
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F{len(self.files) + 1:08d}"
        with self._lock:
            self.files[file_id] = {"filename": filename, "length": int(length), "bytes": None}
        return {"ok": True, "upload_url": f"{self.base_url}/upload/{file_id}", "file_id": file_id}

    def _receive_upload(self, request: BaseHTTPRequestHandler) -> None:
        """The upload URL takes the raw bytes (or a multipart form) and answers 200 "OK - n"."""
        file_id = request.path.removeprefix("/upload/")
        data = request.rfile.read(int(request.headers.get("Content-Length") or 0))
        with self._lock:
            entry = self.files.get(file_id)
            if entry is not None:
                entry["bytes"] = data
            self.calls.append(Call("upload", {"file_id": file_id, "size": len(data)}, None))
        status = 200 if entry is not None else 404
        body = f"OK - {len(data)}".encode()
        request.send_response(status)
        request.send_header("Content-Type", "text/plain")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    def _files_completeUploadExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        """`files` is a JSON list of {id, title}; shared to `channel_id` with
        `initial_comment` when given. Every file must have been uploaded first."""
        files = args.get("files")
        if isinstance(files, str):
            files = json.loads(files)
        if not isinstance(files, list) or not files:
            return {"ok": False, "error": "invalid_arguments"}
        done = []
        with self._lock:
            for item in files:
                entry = self.files.get(str(item.get("id")))
                if entry is None or entry["bytes"] is None:
                    return {"ok": False, "error": "file_not_found"}
                entry.update(
                    title=item.get("title") or entry["filename"],
                    channel=args.get("channel_id"),
                    comment=args.get("initial_comment"),
                )
                done.append({"id": item["id"], "title": entry["title"]})
        return {"ok": True, "files": done}


def _too_long_inside(block: dict[str, Any]) -> bool:
    """Limits slack_sdk does not check: option text (75) and an input's max_length (3000)."""
    elements = [block.get("element"), *list(block.get("elements") or []), block.get("accessory")]
    for element in elements:
        if not isinstance(element, dict):
            continue
        if int(element.get("max_length") or 0) > 3000:
            return True
        for option in element.get("options") or []:
            if len(option.get("text", {}).get("text", "")) > 75:
                return True
    return False
