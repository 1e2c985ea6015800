"""Driving a backfill: archive records into the store in batches (with a resume checkpoint),
their articles onto the low-priority ``backfill`` queue, and waiting until they are done."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable, Iterable

from workers.archives import ArchiveProblem
from workers.urls import canonical_url

from .embedded import wait_until_idle
from .pipeline import enqueue_article, process_articles
from .policy import ARTICLE_MAX_ATTEMPTS

BATCH = 100             # records stored per transaction while reading an archive
PROCESS_BATCH = 8       # stored articles per processing message (one claim, one nlp.pipe call)
FLUSH_SECONDS = 1.0     # a slow source is still stored (and checkpointed) this often


def archive_signature(path: Path) -> str:
    """Size and modification time: a checkpoint of a changed archive is not used."""
    st = path.stat()
    return f"{st.st_size if path.is_file() else 'dir'}:{st.st_mtime_ns}"


def _canonical(url: str | None) -> str | None:
    if not url:
        return None
    try:
        return canonical_url(url)
    except ValueError:
        return None


class BackfillRun:
    """One backfill of one source. ``key``/``sig`` name an archive file for checkpoints
    (None for a URL listing); ``done_before`` records were read by an interrupted run."""

    def __init__(self, store, *, label: str, alerts: bool, key: str | None = None, sig: str | None = None,
                 done_before: int = 0, on_read: Callable[[int], None] = lambda n: None):
        self.store, self.label, self.alerts = store, label, alerts
        self.key, self.sig, self.done_before, self.on_read = key, sig, done_before, on_read
        self.new = self.seen = self.problems = 0
        self.touched: set[int] = set()   # this run's articles, for the summary
        self.pending: set[int] = set()   # of those, not yet processed or failed
        self.position: str | None = None  # of the last record read
        self.flushed: str | None = None   # of the last record stored with its checkpoint
        self._batch: list = []
        self._last_flush = time.monotonic()

    def requeue_interrupted(self) -> None:
        """Queue again the articles an interrupted run stored but did not finish."""
        self._queue_all((pk, status) for pk, status, _origin in self.store.stalled_articles(
            origin="backfill", limit=1_000_000, max_attempts=ARTICLE_MAX_ATTEMPTS))

    def read(self, items: Iterable) -> None:
        """Store every record of ``items``; unreadable ones are recorded as errors."""
        for item in items:
            self.position = item.position
            if isinstance(item, ArchiveProblem):
                self.store.record_error("backfill", f"{self.label}:{item.position}", item.reason, item.detail)
                if item.skipped:
                    self.problems += 1
                    self.on_read(1)
            else:
                self._batch.append(item)
            if len(self._batch) >= BATCH or time.monotonic() - self._last_flush > FLUSH_SECONDS:
                self.flush()
        self.flush()

    def flush(self) -> None:
        """Store the batch in one transaction with the checkpoint, then queue its unfinished articles."""
        after = self.done_before + self.seen + len(self._batch) + self.problems
        checkpoint = (self.key, self.sig, self.position, after) if self.key and self.position is not None else None
        if self._batch:
            rows = self.store.add_backfill_articles([dict(
                article_id=it.id, url=it.url, canonical_url=_canonical(it.url), origin="backfill",
                alerts=self.alerts, outlet=it.outlet, title=it.title, published=it.published, text=it.text,
                raw=it.html.encode("utf-8") if it.html and not it.text else None,
                content_type="text/html; charset=utf-8" if it.html else None) for it in self._batch],
                checkpoint=checkpoint)
            for pk, created, _status in rows:
                self.new += created
                self.touched.add(pk)
            self._queue_all((pk, status) for pk, _created, status in rows if status in ("discovered", "fetched"))
            self.seen += len(self._batch)
            self.on_read(len(self._batch))
            self._batch.clear()
        elif checkpoint and self.position != self.flushed:  # problems only since the last flush
            self.store.save_backfill_checkpoint(*checkpoint)
        self.flushed, self._last_flush = self.position, time.monotonic()

    def wait(self, queues: list[str], on_done: Callable[[int], None] = lambda n: None, rounds: int = 3) -> None:
        """Wait until this run's articles are processed or failed; work whose message was lost
        (its lease expired while the queue is empty) is queued again, ``rounds`` times at most."""
        def progress():
            done = self.store.finished_among(self.pending)
            self.pending.difference_update(done)
            on_done(len(done))
        for _round in range(rounds):
            wait_until_idle(queues, on_tick=progress)
            progress()
            stalled = [(pk, st) for pk, st, _o in self.store.stalled_articles(
                origin="backfill", limit=1_000_000, max_attempts=ARTICLE_MAX_ATTEMPTS) if pk in self.pending]
            if not stalled:
                break
            self._queue_all(stalled)

    def save_checkpoint(self) -> None:
        """Keep the position of the last stored batch (on an interruption)."""
        if self.key and self.flushed is not None:
            self.store.save_backfill_checkpoint(self.key, self.sig, self.flushed,
                                                self.done_before + self.seen + self.problems)

    def finish(self) -> None:
        """The source was read to the end: a later run starts from the top."""
        if self.key:
            self.store.clear_backfill_checkpoint(self.key)

    def _queue_all(self, items: Iterable[tuple[int, str]]) -> None:
        """Queue articles: those to fetch one message each, fetched ones ``PROCESS_BATCH`` a message."""
        fetched = []
        for pk, status in items:
            self.touched.add(pk)
            self.pending.add(pk)
            if status == "fetched":
                fetched.append(pk)
            else:
                enqueue_article(pk, status, "backfill")
        for i in range(0, len(fetched), PROCESS_BATCH):
            process_articles.apply_async((fetched[i:i + PROCESS_BATCH],), queue="backfill")
