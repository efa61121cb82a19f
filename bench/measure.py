"""Running a Keel CLI command as a bench measures it: wall time, the process's own peak RSS,
and the most it and the helper processes it starts held together (sampled from /proc)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Measured:
    returncode: int
    seconds: float
    own_mb: float  # the command's process: its ru_maxrss
    together_mb: float  # it and its descendants, RSS summed at the worst 50 ms sample


def tree_rss_kb(root: int) -> int:
    """The resident memory of `root` and every process descended from it, in kB (Linux /proc).
    Libraries the processes share count once per process: an upper bound."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:  # the process ended while the table was read
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        parents[int(entry.name)] = int(fields["PPid"])
        rss[int(entry.name)] = int(fields.get("VmRSS", "0 kB").split()[0])
    tree, grew = {root}, True
    while grew:
        joined = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= joined
        grew = bool(joined)
    return sum(rss.get(pid, 0) for pid in tree)


def run_cli(args: list[str], env: dict[str, str]) -> Measured:
    """`python -m bot ARGS` in a child process, measured. Run the seeding in a process of its
    own first: Linux keeps a process's pre-exec high-water mark in the child's ru_maxrss."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "bot", *args], env=env)  # noqa: S603
    # The child's own usage (RUSAGE_CHILDREN would report the seeder's peak as well), and
    # meanwhile the whole tree's resident memory: a helper's is not in the child's usage.
    together_kb = 0
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid == child.pid:
            break
        together_kb = max(together_kb, tree_rss_kb(child.pid))
        time.sleep(0.05)
    return Measured(
        returncode=os.waitstatus_to_exitcode(status),
        seconds=time.perf_counter() - started,
        own_mb=usage.ru_maxrss / 1024,
        together_mb=max(together_kb, usage.ru_maxrss) / 1024,
    )
