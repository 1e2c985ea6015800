"""The commit path locks only the data it decides on: unrelated articles commit while another
commit holds its locks, related ones wait, and 4 processes committing copies and reports of one
story at once on PostgreSQL still give one root copy, one story and one event with every source."""
from __future__ import annotations

import multiprocessing as mp
import threading
import time
from datetime import datetime

from sqlalchemy import text

from storage import Store
from storage.commit import commit_keys
from storage.writes import lock, lock_key, write
from tests.test_storage import _event, _fp, _policy


def test_commit_keys_name_copy_story_and_person():
    fp = _fp("Ann Lee resigned.", ["ann lee", "labour"])
    keys = commit_keys(7, fp, ["lee:departure", "lee:departure"])
    assert keys[0] == "article:7" and f"copy:{fp.content_hash}" in keys
    assert {"term:ann lee", "term:labour", "event:lee:departure", f"band:{fp.band_keys[0]}"} <= set(keys)
    assert len(keys) == len(set(keys))
    assert lock_key("term:ann lee") != lock_key("term:labour")
    assert -2**63 <= lock_key("x") < 2**63


def test_locks_are_taken_and_released_with_the_transaction(postgres_url):
    store = Store(postgres_url)

    def held(conn):
        assert lock(conn, ["b", "a", "a", "c"]) == 3
        return conn.execute(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                                 "AND pid = pg_backend_pid()")).scalar()
    assert write(store.engine, held) == 3
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                                 "AND pid = pg_backend_pid()")).scalar() == 0
    store.close()


def _add(store: Store, article_id: str, body: str) -> int:
    pk, _ = store.add_article(article_id=article_id, origin="backfill", alerts=False, text=body,
                              published=datetime(2024, 5, 1))
    assert store.claim_article(pk, "fetched", lease_seconds=60)
    return pk


def _commit(store: Store, pk: int, body: str, names: list[str], events) -> object:
    return store.commit_processed(pk, text=body, title=None, author=None, outlet=None, published=None,
                                  fingerprint=_fp(body, names), events_found=events, policy=_policy())


def test_unrelated_commits_do_not_wait_for_each_other(postgres_url):
    store = Store(postgres_url)
    a = _add(store, "a", "Ann Lee resigned.")
    b = _add(store, "b", "Bob Ray was appointed.")
    c = _add(store, "c", "Ann Lee quit her post.")
    release, holding = threading.Event(), threading.Event()

    def hold(conn):  # a commit of article a in progress: its locks are held
        lock(conn, commit_keys(a, _fp("Ann Lee resigned.", ["ann lee"]), ["lee:departure"]))
        holding.set()
        release.wait(30)
    holder = threading.Thread(target=write, args=(store.engine, hold))
    holder.start()
    assert holding.wait(10)
    t0 = time.monotonic()
    _commit(store, b, "Bob Ray was appointed.", ["bob ray"], [_event("Bob Ray", "appointment")])
    assert time.monotonic() - t0 < 5  # another person, another story: no wait
    done = threading.Event()
    related = threading.Thread(target=lambda: (_commit(store, c, "Ann Lee quit her post.", ["ann lee"],
                                                       [_event()]), done.set()))
    related.start()
    assert not done.wait(1.0)  # same story term and person: waits for a's commit
    release.set()
    holder.join(10)
    assert done.wait(10)
    related.join(10)
    store.close()


COPY = "Ann Lee resigned as chief of staff of Labour on Monday."


def _worker(url: str, jobs: list[tuple[int, str, str]], barrier) -> None:
    store = Store(url, migrate_schema=False)
    barrier.wait(30)
    for pk, _article_id, body in jobs:
        _commit(store, pk, body, ["ann lee", "labour"], [_event()])
    store.close()


def test_four_processes_commit_one_story_at_once(postgres_url):
    store = Store(postgres_url)
    jobs = []
    for i in range(24):  # half syndicated copies of one text, half reports of the same move in other words
        body = COPY if i % 2 else f"Labour said Ann Lee resigned as chief of staff ({i})."
        jobs.append((_add(store, f"art-{i}", body), f"art-{i}", body))
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(4)
    procs = [ctx.Process(target=_worker, args=(postgres_url, jobs[w::4], barrier)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    arts = {a["article_id"]: a for a in store.iter_articles()}
    assert all(a["duplicate_of"] is None for k, a in arts.items() if int(k.split("-")[1]) % 2 == 0)
    roots = {a["duplicate_of"] or k for k, a in arts.items() if int(k.split("-")[1]) % 2}
    assert len(roots) == 1, roots                       # every copy points at one root
    assert len({a["story_id"] for a in arts.values()}) == 1
    events = list(store.iter_events())
    assert len(events) == 1, [(e["person"], e["type"]) for e in events]
    assert len(events[0]["sources"]) == 24              # every article, copies too, is a source
    store.close()
