"""The store raises its own exceptions (callers never import SQLAlchemy), with passwords masked, and
loads the default feeds and watchlist exactly once per store, whoever opens it first."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

from conftest import free_port
from storage import Store, StoreError, StoreUnavailable
from workers.model import WatchPerson


def test_unreachable_database_is_store_unavailable_with_the_password_masked():
    with pytest.raises(StoreUnavailable) as info:
        Store(f"postgresql://bob:hunter2@127.0.0.1:{free_port()}/nothing")
    assert "hunter2" not in str(info.value)
    assert info.value.__cause__ is not None  # the driver's error, kept for the log


def test_a_failing_statement_is_a_store_error(store_url):
    store = Store(store_url)
    with pytest.raises(StoreError):
        with store.engine.begin() as conn:
            conn.execute(text("INSERT INTO feeds (id) VALUES (NULL)"))  # NOT NULL columns missing


def test_defaults_are_loaded_once_even_by_processes_starting_together(store_url):
    feeds = [{"name": "seed", "path": "/x/feed.xml", "interval_minutes": 15.0}]
    people = [WatchPerson("Ann Lee", ("Ms Lee",))]
    stores = [Store(store_url) for _ in range(4)]
    results = []
    threads = [threading.Thread(target=lambda s=s: results.append(
        s.load_defaults_once(feeds, people, source={"test": True}))) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False, False, False, True]
    store = stores[0]
    assert [f.name for f in store.list_feeds()] == ["seed"] and store.watchlist() == people
    store.remove_feed("seed")
    store.remove_watch("ann lee")
    assert store.load_defaults_once(feeds, people, source={}) is False
    assert store.list_feeds() == [] and store.watchlist() == []
    assert store.info()["defaults_loaded"]["value"]["feeds"] == 1
