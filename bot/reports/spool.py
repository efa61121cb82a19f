"""Rows built in a helper process while this one writes: the large XLSX export's second core.

The XLSX writer is serial and pulls every row through the interpreter, so one process does
everything one after the other: at 100,000 records, reading and building the history's million
rows (JSON, the change described, times in two zones, neutralising) costs as much as writing
the whole workbook. Those rows do not depend on the writer. A helper process builds them from
a connection of its own and spools them to a temporary file in pickled batches while this
process writes the earlier sheets, then this process reads them back at the writer's pace.

Through a file, not a pipe or a `multiprocessing.Queue`: a pipe holds 64 KB, so the helper
would wait for the writer and the two would no longer overlap, and a Queue keeps every batch
not yet read in the helper's memory. The file keeps both processes' memory flat whatever the
size; each batch is announced on a pipe once it is on disk. The file is written and read by
Keel alone, in a directory only this user can open, so unpickling it trusts nothing outside.

No library does this: `concurrent.futures` returns a result whole, and multiprocessing's pools
and queues hold what the reader has not taken in memory."""

from __future__ import annotations

import multiprocessing
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

BATCH = 5_000
# A fresh interpreter: a fork would copy this process's connections and threads.
CONTEXT = multiprocessing.get_context("spawn")


class SpoolFailed(RuntimeError):
    """The helper process could not build its rows; the message says why."""


@contextmanager
def spooled(build: Callable[..., Iterable[Any]], *args: Any) -> Iterator[Iterator[Any]]:
    """Start building `build(*args)` in a helper process now; the rows, in order, as they are
    read. `build` must be a module-level function and `args` picklable. Leaving the block
    stops the helper, whether or not every row was read."""
    with tempfile.TemporaryDirectory(prefix="keel-spool-") as scratch:
        path = Path(scratch) / "rows.spool"
        path.touch()
        receiver, sender = CONTEXT.Pipe(duplex=False)
        helper = CONTEXT.Process(
            target=_serve, args=(build, args, path, sender), name="keel-spool", daemon=True
        )
        helper.start()
        sender.close()  # the helper holds the only writing end: its exit reads as EOF here
        try:
            yield _read(path, receiver)
        finally:
            if helper.is_alive():
                helper.terminate()
            helper.join()
            receiver.close()


def _read(path: Path, receiver: Connection) -> Iterator[Any]:
    with path.open("rb") as spool:
        while True:
            try:
                notice = receiver.recv()
            except EOFError:
                raise SpoolFailed("the helper process stopped before its last row") from None
            if isinstance(notice, int):
                yield from pickle.loads(spool.read(notice))  # noqa: S301 - Keel's own file
            elif notice == "done":
                return
            else:
                raise SpoolFailed(str(notice))


def _serve(
    build: Callable[..., Iterable[Any]], args: tuple[Any, ...], path: Path, sender: Connection
) -> None:
    """The helper's whole life: build, spool batch by batch, say "done" or what failed."""
    try:
        with path.open("ab") as spool:
            batch: list[Any] = []
            for row in build(*args):
                batch.append(row)
                if len(batch) == BATCH:
                    _flush(spool, sender, batch)
                    batch = []
            _flush(spool, sender, batch)
        sender.send("done")
    except Exception as error:  # noqa: BLE001 - told to the reader, which raises it
        sender.send(f"{type(error).__name__}: {error}")
    finally:
        sender.close()


def _flush(spool: Any, sender: Connection, batch: list[Any]) -> None:
    if batch:
        data = pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)
        spool.write(data)
        spool.flush()
        sender.send(len(data))
