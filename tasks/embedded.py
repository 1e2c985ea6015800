"""Run a real Celery worker inside this process until the work runs out.

Used by ``aidewatch run --once`` and ``aidewatch backfill``: the same tasks and
broker as a long-running worker, but the command returns when the queues are
empty and no task is running.
"""
from __future__ import annotations

import logging
import os
import socket
import threading
import time
from contextlib import contextmanager
from typing import Callable, Iterator, Sequence

from celery.worker import WorkController
from celery.worker import state as worker_state

from . import queues as queue_depths
from .app import QUEUES, app

log = logging.getLogger("aidewatch.embedded")


class _Controller(WorkController):
    def __init__(self, *args, **kwargs):
        self.ready = threading.Event()
        super().__init__(*args, **kwargs)

    def on_consumer_ready(self, consumer):
        self.ready.set()


def quarantine_broken_messages() -> int:
    """Move aside message files of the embedded broker that a killed process left half-written.

    kombu's filesystem transport writes a message under an exclusive lock; a file that is not
    locked and is not JSON belongs to a writer that died, and would stop the consumer. The work
    it stood for is found again from the store (unfinished articles are queued again).
    """
    import fcntl
    import json
    from pathlib import Path

    s = app.aidewatch_settings
    if not s.broker_url.startswith("filesystem://"):
        return 0
    folder = Path(s.data_dir) / "broker"
    moved = 0
    for f in sorted(folder.glob("*.msg")) if folder.is_dir() else ():
        try:
            with open(f, "rb") as fh:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    continue  # being written right now
                try:
                    json.loads(fh.read())
                    continue
                except ValueError:
                    pass
                finally:
                    fcntl.flock(fh, fcntl.LOCK_UN)
            (folder / "broken").mkdir(exist_ok=True)
            f.replace(folder / "broken" / f.name)
            moved += 1
        except FileNotFoundError:
            continue  # consumed meanwhile
    if moved:
        log.warning("moved %d half-written broker message(s) to %s", moved, folder / "broken")
    return moved


@contextmanager
def worker_thread(queues: Sequence[str] = QUEUES, concurrency: int = 1) -> Iterator[WorkController]:
    """A worker consuming ``queues`` in a background thread of this process."""
    quarantine_broken_messages()
    pool = "solo" if concurrency <= 1 else "threads"
    worker = _Controller(app=app, concurrency=concurrency, pool=pool, queues=list(queues),
                         hostname=f"aidewatch-{os.getpid()}@{socket.gethostname()}",
                         without_heartbeat=True, without_mingle=True, without_gossip=True,
                         loglevel=logging.getLogger().level or logging.WARNING)
    thread = threading.Thread(target=worker.start, name="celery-worker", daemon=True)
    thread.start()
    if not worker.ready.wait(60):
        raise RuntimeError("the embedded Celery worker did not start within 60 s")
    try:
        yield worker
    finally:
        worker.stop(in_sighandler=False, exitcode=0)
        thread.join(30)


def busy() -> bool:
    """Whether this process's worker holds a task (running or reserved)."""
    return bool(worker_state.active_requests or worker_state.reserved_requests)


def wait_until_idle(queues: Sequence[str] = QUEUES, *, settle: int = 3, interval: float = 0.5,
                    settle_interval: float = 0.1, timeout: float | None = None,
                    on_tick: Callable[[], None] | None = None) -> bool:
    """Block until ``queues`` are empty and nothing runs for ``settle`` checks in a row.

    While work runs the queues are looked at every ``interval`` seconds; once they look idle, every
    ``settle_interval`` (a message fetched but not yet registered as reserved is seen again then).
    Returns False when ``timeout`` seconds passed first.
    """
    start, quiet = time.monotonic(), 0
    while True:
        if on_tick:
            on_tick()
        depth = queue_depths.depths(queues)
        idle = not busy() and all(d == 0 for d in depth.values())
        quiet = quiet + 1 if idle else 0
        if quiet >= settle:
            return True
        if timeout is not None and time.monotonic() - start > timeout:
            return False
        time.sleep(settle_interval if quiet else interval)
