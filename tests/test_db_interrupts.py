"""A task cut inside a database call never poisons its process: the interrupted connection is
discarded (not pooled again), pooled connections are checked before use, and lock/statement waits
are bounded so a task gives up with an error it can retry instead of being cut mid-query."""
from __future__ import annotations

import os
import signal
import sqlite3
import threading
import time
from datetime import datetime

import psycopg
import pytest
from billiard.exceptions import SoftTimeLimitExceeded
from billiard.pool import soft_timeout_sighandler
from celery import Celery
from sqlalchemy import text
from storage import StoreUnavailable

from pipeline_env import FLETCHER, Hook, start_worker, stop, wait_for, worker_env
from storage import Store
from workers.model import WatchPerson


def _normal(url: str) -> str:
    return url.replace("postgresql://", "postgresql://", 1)


class _RowLock:
    """Another session holding a row lock on ``table`` row ``pk`` (or, with no ``pk``, a lock on the
    whole table that lets readers through but no writer) until ``release()``."""

    def __init__(self, url: str, table: str, pk: int | None = None):
        self.conn = psycopg.connect(url)
        if pk is None:
            self.conn.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        else:
            self.conn.execute(f"SELECT id FROM {table} WHERE id = %s FOR UPDATE", (pk,))

    def release(self) -> None:
        self.conn.rollback()
        self.conn.close()


def _soft_limit_in(seconds: float) -> threading.Timer:
    """Deliver the soft time limit the way billiard's pool does: SIGUSR1 to this process, whose
    handler raises SoftTimeLimitExceeded wherever the main thread is (here: inside a query)."""
    signal.signal(signal.SIGUSR1, soft_timeout_sighandler)
    timer = threading.Timer(seconds, os.kill, (os.getpid(), signal.SIGUSR1))
    timer.start()
    return timer


@pytest.fixture
def restore_sigusr1():
    saved = signal.getsignal(signal.SIGUSR1)
    yield
    signal.signal(signal.SIGUSR1, saved)


def test_soft_time_limit_inside_a_query_discards_the_connection(postgres_url, restore_sigusr1):
    store = Store(postgres_url)  # no bounds: the time limit is what stops the wait
    fid = store.add_feed("f", url="https://example.org/rss", interval_minutes=5)
    lock = _RowLock(postgres_url, "feeds", fid)
    try:
        _soft_limit_in(0.5)
        started = time.monotonic()
        with pytest.raises(SoftTimeLimitExceeded):
            store.finish_poll(fid, status=200, next_check_at=datetime(2030, 1, 1))  # waits on the lock
        assert time.monotonic() - started < 5
    finally:
        lock.release()
    # The same process (same pool) goes on: the cut connection was not handed out again.
    for _ in range(6):
        assert store.get_feed(fid).name == "f"
    store.finish_poll(fid, status=200, next_check_at=datetime(2030, 1, 1))
    assert store.get_feed(fid).last_status == 200
    store.close()


def test_soft_time_limit_inside_a_slow_statement_then_next_query_works(postgres_url, restore_sigusr1):
    store = Store(postgres_url)
    _soft_limit_in(0.3)
    with pytest.raises(SoftTimeLimitExceeded):
        with store.engine.connect() as conn:
            conn.execute(text("SELECT pg_sleep(30)"))
    started = time.monotonic()
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar() == 1
    assert store.list_feeds() == []
    # The server was asked to stop the cut query: no backend of this database is still sleeping.
    wait_for(lambda: not _sleeping(postgres_url), 5, "the cut pg_sleep to be cancelled")
    assert time.monotonic() - started < 5
    store.close()


def _sleeping(url: str) -> bool:
    with psycopg.connect(url, autocommit=True) as c:
        return bool(c.execute("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(30)%' "
                              "AND pid <> pg_backend_pid() AND state = 'active'").fetchone()[0])


def test_a_connection_left_busy_is_refused_at_checkout(postgres_url):
    """A connection that somehow went back to the pool mid-command is not handed out."""
    store = Store(postgres_url)
    with store.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        raw.pgconn.send_query(b"SELECT pg_sleep(2)")  # the driver is now mid-command
    for _ in range(3):
        assert store.list_feeds() == []
    store.close()


def test_lock_wait_is_bounded_and_the_session_stays_usable(postgres_url):
    store = Store(postgres_url, statement_timeout=3, lock_timeout=0.5)
    fid = store.add_feed("f", url="https://example.org/rss", interval_minutes=5)
    lock = _RowLock(postgres_url, "feeds", fid)
    try:
        started = time.monotonic()
        with pytest.raises(StoreUnavailable, match="lock timeout"):
            store.finish_poll(fid, status=200, next_check_at=datetime(2030, 1, 1))
        assert time.monotonic() - started < 2.5
    finally:
        lock.release()
    store.finish_poll(fid, status=200, next_check_at=datetime(2030, 1, 1))
    started = time.monotonic()
    with pytest.raises(StoreUnavailable, match="statement timeout"):
        with store.engine.connect() as conn:
            conn.execute(text("SELECT pg_sleep(10)"))
    assert time.monotonic() - started < 5
    assert store.get_feed(fid).last_status == 200
    store.close()


def test_migrations_are_not_bounded(postgres_url):
    """The bounds apply to the tasks' statements, not to a migration waiting for another one."""
    store = Store(postgres_url, statement_timeout=0.2, lock_timeout=0.1)
    with psycopg.connect(postgres_url) as other:
        other.execute("SELECT pg_advisory_xact_lock(4242)")  # another process migrating
        threading.Timer(0.6, other.rollback).start()
        Store(postgres_url, statement_timeout=0.2, lock_timeout=0.1).close()  # waits, then migrates
    store.close()


def test_sqlite_busy_wait_is_bounded(tmp_path):
    url = f"sqlite:///{tmp_path}/a.db"
    store = Store(url, statement_timeout=0.5)
    other = sqlite3.connect(tmp_path / "a.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        started = time.monotonic()
        with pytest.raises(StoreUnavailable, match="locked"):
            store.add_feed("f", url="https://example.org/rss")
        assert time.monotonic() - started < 3
    finally:
        other.execute("ROLLBACK")
        other.close()
    store.add_feed("f", url="https://example.org/rss")
    store.close()


def _cut(store) -> list[dict]:
    return [e for e in store.last_errors(limit=50) if e["reason"] == "database_error"]


def test_worker_blocked_past_its_soft_limit_gives_up_and_retries(tmp_path, postgres_url, fresh_redis):
    """A real worker whose commit waits on a lock held longer than its soft time limit: the
    lock wait ends first (lock_timeout), the task gives the article back and retries, and once the
    lock is gone the article is processed once and alerted once (not failed as `time_limit`)."""
    store = Store(postgres_url)
    store.add_watch(WatchPerson(name="Simon Fletcher", aliases=("Mr Fletcher",)))
    pk, _ = store.add_article(article_id="story", origin="feed", alerts=True, text=FLETCHER,
                              published=datetime(2017, 2, 17))
    with Hook() as hook:
        env = worker_env(tmp_path, AIDEWATCH_DATABASE_URL=postgres_url, AIDEWATCH_BROKER_URL=fresh_redis,
                         AIDEWATCH_ALERT_URLS=hook.url, AIDEWATCH_TASK_TIME_LIMIT=10,  # soft limit 8 s
                         AIDEWATCH_LEASE_SECONDS=12, AIDEWATCH_VISIBILITY_TIMEOUT=15,
                         AIDEWATCH_BEAT_SECONDS=1, AIDEWATCH_ALERT_MAX_AGE_DAYS=0)
        worker = start_worker(tmp_path, env, "w", concurrency=1, beat=True)
        lock = _RowLock(postgres_url, "article_fingerprints")  # the commit writes there, after the claim
        try:
            Celery(broker=fresh_redis).send_task("aidewatch.process_article", args=(pk,), queue="process")
            # Each wait is cut at 1.5 s and the task retried (the worker may take a while to start
            # on a busy machine, so wait for the cuts rather than for a fixed time).
            wait_for(lambda: len(_cut(store)) >= 2, 90, "the lock waits to be cut by lock_timeout")
            assert store.article_status(pk) == "fetched"
            lock.release()
            lock = None
            wait_for(lambda: store.article_status(pk) == "processed" and hook.delivered, 90,
                     "the article to be processed once the lock is gone")
            time.sleep(2)
        finally:
            if lock:
                lock.release()
            stop(worker)
        assert hook.delivered == 1 and store.alert_counts() == {"sent": 1}
        log = (tmp_path / "w.log").read_text()
        assert "SoftTimeLimitExceeded" not in log and "already in progress" not in log, log[-3000:]
        cut = _cut(store)
        assert cut and all("lock timeout" in e["detail"] for e in cut), cut  # the waits were cut by the bound
