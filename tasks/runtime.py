"""Per-process resources of the tasks: settings, store, spaCy pipeline, watchlist."""
from __future__ import annotations

import threading
import time
from functools import lru_cache

from aidewatch.settings import Settings
from storage import Store

from .app import app

_lock = threading.Lock()
_watch_cache: dict = {"at": 0.0, "people": []}


def settings() -> Settings:
    return app.aidewatch_settings


@lru_cache(maxsize=1)
def store() -> Store:
    """The process's store (migrated and initialised on first use, as by every entry point)."""
    from aidewatch.startup import open_store
    return open_store(settings())


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


def reset() -> None:
    """Forget cached resources (tests, or after settings change)."""
    store.cache_clear()
    _watch_cache.update(at=0.0, people=[])
