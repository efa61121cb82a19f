"""Interpreter settings for Keel's long-running processes (`serve`, `clock`, `run-job`).

Two costs of CPython's defaults show under load:

- The switch interval. An ack costs a millisecond or two of CPU. At the default 5 ms, a busy
  listener or relay thread keeps a waiting ack behind it for whole intervals; at 0.5 ms acks
  stay prompt (bench/ack_latency.py at 100 req/s: submission p99 170 -> 59 ms).
- The cyclic garbage collector. By default it runs every 700 container allocations and walks
  every young object; a digest run allocates millions of short-lived dicts that reference
  counting frees anyway, so collections cost about a sixth of the run
  (bench/nudges.py). Collecting every 20,000 allocations, with the objects alive once
  start-up is done frozen out of every later collection, keeps that to a few percent while
  cycles are still collected.
"""

from __future__ import annotations

import gc
import sys

SWITCH_INTERVAL_SECONDS = 0.0005
YOUNG_COLLECTION_THRESHOLD = 20_000


def tune() -> None:
    """Set the switch interval and the collector's threshold; call before start-up work."""
    sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, middle, old)


def freeze_start_up_objects() -> None:
    """Move what start-up built (modules, the app, compiled queries) out of the collector's
    reach: it lives as long as the process, and walking it again finds nothing."""
    gc.collect()
    gc.freeze()
