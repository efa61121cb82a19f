"""A small time-limited cache for what is read often and rarely changes (the workspace row,
its process list, people's Slack profiles). Changes made in this process drop the entry at
once; changes made by another process show within the time limit."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

DEFAULT_TTL_SECONDS = 30.0


class TtlCache:
    def __init__(self, ttl_seconds: float = DEFAULT_TTL_SECONDS) -> None:
        self._ttl = ttl_seconds
        self._entries: dict[tuple[Any, ...], tuple[float, Any]] = {}
        self._lock = threading.Lock()
        # Bumped by forget(): a value loaded before a forget() is not stored after it.
        self._generation = 0

    def get(self, key: tuple[Any, ...], load: Callable[[], T]) -> T:
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(key)
            generation = self._generation
        if entry is not None and entry[0] > now:
            value: T = entry[1]
            return value
        value = load()
        if value is not None:  # "not there yet" is not worth remembering
            with self._lock:
                if generation == self._generation:
                    self._entries[key] = (now + self._ttl, value)
        return value

    def peek(self, key: tuple[Any, ...]) -> Any:
        """The value if it is cached and fresh, else None; never loads."""
        with self._lock:
            entry = self._entries.get(key)
        return entry[1] if entry is not None and entry[0] > time.monotonic() else None

    def forget(self, *key_start: Any) -> None:
        """Drop every entry whose key starts with `key_start`."""
        with self._lock:
            self._generation += 1
            for key in [k for k in self._entries if k[: len(key_start)] == key_start]:
                del self._entries[key]
