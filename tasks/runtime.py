"""Per-process resources of the tasks: settings, store, spaCy pipeline, watchlist."""
from __future__ import annotations

import logging
import threading
import time
from functools import lru_cache

from celery.signals import worker_init, worker_process_init
from storage import StoreError

from aidewatch.settings import Settings
from storage import Store
from storage.sql import utcnow

from .app import app

log = logging.getLogger("aidewatch.tasks")
_lock = threading.Lock()
_watch_cache: dict = {"at": 0.0, "people": []}


def settings() -> Settings:
    return app.aidewatch_settings


# Database waits are bounded well below the soft time limit (80 % of the task time limit), so a
# task stuck on a lock or a slow statement gets a StoreUnavailable it retries from a clean state
# instead of being cut by the time limit inside a query.
STATEMENT_TIMEOUT_SHARE = 0.3
LOCK_TIMEOUT_SHARE = 0.15


def db_timeouts(s: Settings | None = None) -> dict[str, float]:
    """The statement and lock-wait bounds (seconds) of the tasks' store."""
    limit = (s or settings()).task_time_limit
    return {"statement_timeout": STATEMENT_TIMEOUT_SHARE * limit, "lock_timeout": LOCK_TIMEOUT_SHARE * limit}


@lru_cache(maxsize=1)
def store() -> Store:
    """The process's store (migrated and initialised on first use, as by every entry point), with
    database waits bounded."""
    from aidewatch.startup import open_store
    return open_store(settings(), **db_timeouts())


@lru_cache(maxsize=1)
def nlp():
    """The spaCy pipeline with the staffing-event component, loaded once per process."""
    from workers.extract import load_pipeline
    with _lock:
        return load_pipeline(settings().spacy_model)


def watchlist(max_age: float = 30.0):
    """The watchlist, re-read from the store at most every ``max_age`` seconds."""
    now = time.monotonic()
    if now - _watch_cache["at"] > max_age:
        _watch_cache.update(at=now, people=store().watchlist())
    return _watch_cache["people"]


@worker_init.connect
def _preload(sender=None, **_kw) -> None:
    """Load the spaCy pipeline in the worker's main process, before its pool forks: every child
    starts with it (shared pages), so no task pays the load inside its lease and time limit — a
    worker restarted after a crash would otherwise spend its first task's seconds loading."""
    queues = getattr(getattr(getattr(getattr(sender, "app", None), "amqp", None), "queues", None),
                     "consume_from", None)
    if queues and not {"process", "backfill"} & set(queues):
        return  # this worker never extracts
    started = time.monotonic()
    try:
        nlp()
    except Exception as exc:  # noqa: BLE001 - the first task loads it, and reports the error
        log.warning("could not preload the spaCy pipeline: %s", exc)
        return
    log.info("spaCy pipeline loaded before forking the pool (%.1f s)", time.monotonic() - started)


@worker_process_init.connect
def _forked(**_kw) -> None:
    """A prefork child never uses connections its parent opened (they belong to the parent)."""
    if store.cache_info().currsize:
        store().engine.dispose(close=False)


def give_back_article(pk: int, exc: Exception) -> None:
    """A database error cut the task after it claimed article ``pk``: end the lease now (the
    error recorded, the attempt counted) so the retried task, or ``tick``, can claim it at once.
    Best effort: with the database away the lease simply runs out."""
    try:
        store().fail_article(pk, reason="database_error", detail=f"{type(exc).__name__}: {exc}"[:500],
                             final=False, retry_at=utcnow())
    except StoreError:
        pass


def reset() -> None:
    """Forget cached resources (tests, or after settings change)."""
    store.cache_clear()
    _watch_cache.update(at=0.0, people=[])
