"""Polling etiquette through the real poll_feed task (in this process, real HTTP on 127.0.0.1):
validators sent back exactly, 304 and unchanged bodies change nothing, Retry-After and back-off,
failing feeds shown as failing, entry identity, and the per-host limit shared by all workers."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from datetime import timedelta
from email.utils import format_datetime
from datetime import datetime, timezone

import pytest

from httpserver import Route, ScriptedServer
from pipeline_env import claim, inprocess, start_worker, stop, wait_for, worker_env
from storage import Store
from storage.sql import utcnow

RSS = {"Content-Type": "application/rss+xml"}


def _rss(*items: tuple[str | None, str]) -> bytes:
    """items: (guid, link)"""
    body = "".join(f"<item><title>Story {i}</title>" + (f"<guid>{g}</guid>" if g else "") +
                   f"<link>{link}</link><description>Summary {i}.</description></item>"
                   for i, (g, link) in enumerate(items))
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>{body}</channel></rss>".encode()


def _depth(queue: str) -> int:
    from tasks.queues import depths
    return depths((queue,))[queue]


def _poll(store, feed_id: int) -> dict:
    from tasks.pipeline import poll_feed
    claim(store, feed_id)
    return poll_feed(feed_id)


# --- conditional GET, 304, unchanged body ---------------------------------------------------------

def test_validators_sent_back_exactly_and_304_changes_nothing(tmp_path, http_server):
    etag, lm = 'W/"v1;gz, with comma"', "Wed, 21 Oct 2015 07:28:00 GMT"
    url = http_server.route("/feed.xml", Route(body=_rss(("g1", http_server.url("/a1"))), headers=RSS,
                                               etag=etag, last_modified=lm))
    with inprocess(tmp_path) as store:
        fid = store.add_feed("f", url=url)
        assert _poll(store, fid) == {"status": 200, "new": 1}
        before = store.get_feed(fid)
        assert (before.etag, before.last_modified) == (etag, lm)
        depth = _depth("fetch") + _depth("process")
        assert _poll(store, fid) == {"status": 304, "new": 0}
        req = http_server.requests_to("/feed.xml")[-1]
        assert req.headers["if-none-match"] == etag and req.headers["if-modified-since"] == lm
        after = store.get_feed(fid)
        assert after.last_status == 304 and (after.etag, after.last_modified, after.body_hash) == \
            (etag, lm, before.body_hash)
        assert after.next_check_at > utcnow() and after.claimed_until is None
        assert _depth("fetch") + _depth("process") == depth
        assert store.counts()["articles"] == 1


def test_unchanged_body_is_not_parsed_again(tmp_path, http_server):
    body = _rss(("g1", http_server.url("/a1")))
    url = http_server.route("/feed.xml", Route(body=body, headers=RSS))  # no validators at all
    with inprocess(tmp_path) as store:
        fid = store.add_feed("f", url=url)
        assert _poll(store, fid)["new"] == 1
        # the entry is forgotten: only a parse would add it again, and the same bytes are not parsed
        from sqlalchemy import delete
        from storage.schema import articles, feed_entries
        with store.engine.begin() as conn:
            conn.execute(delete(feed_entries))
            conn.execute(delete(articles))
        assert _poll(store, fid) == {"status": 200, "new": 0}
        assert store.counts()["articles"] == 0
        http_server.route("/feed.xml", Route(body=body + b"\n", headers=RSS))  # changed bytes: parsed
        assert _poll(store, fid)["new"] == 1


# --- Retry-After, back-off, failing feeds ------------------------------------------------------

def test_429_retry_after_seconds_is_honoured(tmp_path, http_server):
    url = http_server.route("/feed.xml", Route(status=429, headers={"Retry-After": "1200"}))
    with inprocess(tmp_path) as store:
        fid = store.add_feed("f", url=url, interval_minutes=1)
        assert _poll(store, fid)["error"] == "http_error"
        f = store.get_feed(fid)
        wait = (f.next_check_at - f.last_polled_at).total_seconds()
        assert 1195 <= wait <= 1205 and f.last_status == 429 and f.error_count == 1


def test_503_retry_after_http_date_is_honoured(tmp_path, http_server):
    when = datetime.now(timezone.utc) + timedelta(seconds=900)
    url = http_server.route("/feed.xml", Route(status=503, headers={"Retry-After": format_datetime(when, usegmt=True)}))
    with inprocess(tmp_path) as store:
        fid = store.add_feed("f", url=url, interval_minutes=1)
        _poll(store, fid)
        f = store.get_feed(fid)
        wait = (f.next_check_at - f.last_polled_at).total_seconds()
        assert 880 <= wait <= 905 and f.last_status == 503


def test_backoff_has_jitter_and_a_cap():
    from tasks.policy import backoff_seconds, feed_retry_at
    import random
    rng = random.Random(1)
    for n in range(1, 30):
        step = min(3600, 60 * 2 ** (n - 1))
        values = {backoff_seconds(n, base=60, cap=3600, rng=rng) for _ in range(20)}
        assert all(step / 2 <= v <= step for v in values) and len(values) > 1  # jittered
    now = utcnow()
    assert feed_retry_at(50, 15, 120, now=now) <= now + timedelta(minutes=120)
    assert feed_retry_at(1, 15, 120, retry_after=10 ** 6, now=now) <= now + timedelta(minutes=120)


def test_failing_feed_backs_off_is_shown_failing_and_still_retried(tmp_path, http_server, capsys):
    from aidewatch import commands, settings
    url = http_server.route("/feed.xml", Route(status=500, body=b"down"))
    slow = http_server.route("/slow.xml", Route(body=_rss(), headers=RSS, delay=4))
    with inprocess(tmp_path, AIDEWATCH_MAX_BACKOFF_MINUTES=30, AIDEWATCH_FETCH_TIMEOUT=1) as store:
        fid = store.add_feed("broken", url=url, interval_minutes=15)
        waits = []
        for _ in range(6):
            _poll(store, fid)
            f = store.get_feed(fid)
            waits.append((f.next_check_at - f.last_polled_at).total_seconds())
        assert f.error_count == 6 and f.last_error.startswith("http_error")
        assert waits[0] < waits[3] and all(w <= 30 * 60 + 1 for w in waits)  # grows, then capped
        assert waits[-1] >= 15 * 60 / 2  # a failing feed is still tried, rarely
        sid = store.add_feed("slow", url=slow, interval_minutes=15)
        assert _poll(store, sid)["error"] == "timeout"
        commands.status(None, settings.load({"AIDEWATCH_DATA_DIR": str(tmp_path / "data")}))
    out = capsys.readouterr().out
    assert "broken: FAILING (6 errors: http_error" in out and "slow: retrying (timeout" in out


# --- entry identity --------------------------------------------------------------------------

def test_guid_change_with_same_link_and_duplicate_guids_give_one_article(tmp_path, http_server):
    link = http_server.url("/news/1.html")
    url = http_server.route("/feed.xml", Route(body=_rss(("g1", link), ("g1", link + "?dup=1")), headers=RSS))
    with inprocess(tmp_path) as store:
        fid = store.add_feed("f", url=url)
        assert _poll(store, fid)["new"] == 1  # two items with one GUID: one entry
        http_server.route("/feed.xml", Route(body=_rss(("new-guid", link + "?utm_source=rss")), headers=RSS))
        assert _poll(store, fid)["new"] == 0  # GUID changed, same (canonical) link: the same article
        assert [a["url"] for a in store.iter_articles()] == [link]


def test_same_story_in_two_feeds_is_one_article(tmp_path, http_server):
    link = http_server.url("/news/1.html")
    a = http_server.route("/a.xml", Route(body=_rss(("a-1", link)), headers=RSS))
    b = http_server.route("/b.xml", Route(body=_rss(("b-77", link + "#top")), headers=RSS))
    with inprocess(tmp_path) as store:
        fa, fb = store.add_feed("a", url=a), store.add_feed("b", url=b)
        assert _poll(store, fa)["new"] == 1
        assert _poll(store, fb)["new"] == 0
        assert store.counts()["articles"] == 1
        assert _poll(store, fb)["new"] == 0  # and the second feed knows the entry now


# --- per-host limit --------------------------------------------------------------------------

def _slots_hold_across_processes(store_or_redis_env: dict, tmp_path):
    """Slots taken by another process count against this one's."""
    from tasks import hostlimit
    with inprocess(tmp_path, AIDEWATCH_HOST_CONCURRENCY=2, **store_or_redis_env) as _store:
        code = ("import sys; sys.path.insert(0, 'tests'); from tasks import hostlimit;"
                "print(hostlimit.acquire('news.example', 'other-1'), hostlimit.acquire('news.example', 'other-2'))")
        env = worker_env(tmp_path, AIDEWATCH_HOST_CONCURRENCY=2, **store_or_redis_env)
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60,
                             cwd=env["PYTHONPATH"])
        assert out.stdout.split() == ["True", "True"], out.stderr[-2000:]
        assert not hostlimit.acquire("news.example", "me")  # both slots held by the other process
        assert hostlimit.acquire("other.example", "me")  # other hosts are not affected
        hostlimit.release("news.example", "other-1")
        assert hostlimit.acquire("news.example", "me")
        assert not hostlimit.acquire("news.example", "me-2")


def test_host_slots_in_the_store_are_shared_and_expire(tmp_path, store_url):
    _slots_hold_across_processes({"AIDEWATCH_DATABASE_URL": store_url}, tmp_path)
    store = Store(store_url)
    assert not store.acquire_host_slot("news.example", limit=2, holder="x", ttl_seconds=1)
    later = utcnow() + timedelta(seconds=60)  # a dead holder's slot frees itself
    assert store.acquire_host_slot("news.example", limit=2, holder="x", ttl_seconds=1, now=later)


def test_host_slots_in_redis_are_shared(tmp_path, fresh_redis):
    _slots_hold_across_processes({"AIDEWATCH_BROKER_URL": fresh_redis}, tmp_path)


def test_busy_host_puts_the_feed_back_without_waiting(tmp_path, http_server):
    from tasks import hostlimit
    from tasks.pipeline import poll_feed
    url = http_server.route("/feed.xml", Route(body=_rss(), headers=RSS))
    with inprocess(tmp_path, AIDEWATCH_HOST_CONCURRENCY=1) as store:
        fid = store.add_feed("f", url=url)
        assert hostlimit.acquire("127.0.0.1", "someone-else")
        claim(store, fid)
        t0 = time.monotonic()
        assert poll_feed(fid) == {"deferred": "host busy"}
        assert time.monotonic() - t0 < 1 and not http_server.requests
        f = store.get_feed(fid)
        soon = (f.next_check_at - utcnow()).total_seconds()
        assert f.claimed_until is None and f.error_count == 0 and 0 < soon <= 6


def test_host_limit_holds_across_workers_and_a_slow_host_does_not_delay_others(tmp_path, http_server,
                                                                             postgres_url, fresh_redis):
    """Two prefork workers (2 processes each), host limit 1: the slow host never sees two requests
    at once, and the fast host (another server on 127.0.0.1, under another name) is polled at once
    meanwhile."""
    lock, live, peak = threading.Lock(), [0], [0]

    def slow(_req):
        with lock:
            live[0] += 1
            peak[0] = max(peak[0], live[0])
        time.sleep(1.0)
        with lock:
            live[0] -= 1
        return Route(body=_rss(), headers=RSS)

    for i in range(5):
        http_server.route(f"/slow{i}.xml", slow)
    other = ScriptedServer().__enter__()
    other.route("/fast.xml", Route(body=_rss(), headers=RSS))
    store = Store(postgres_url)
    for i in range(5):
        store.add_feed(f"slow{i}", url=http_server.url(f"/slow{i}.xml"), interval_minutes=60)
    fast = other.url("/fast.xml").replace("127.0.0.1", "localhost")
    store.add_feed("fast", url=fast, interval_minutes=60)
    env = worker_env(tmp_path, AIDEWATCH_DATABASE_URL=postgres_url, AIDEWATCH_BROKER_URL=fresh_redis,
                     AIDEWATCH_HOST_CONCURRENCY=1, AIDEWATCH_BEAT_SECONDS=1)
    workers = [start_worker(tmp_path, env, "w1", concurrency=2, beat=True),
               start_worker(tmp_path, env, "w2", concurrency=2)]
    try:
        t0 = time.monotonic()
        wait_for(lambda: store.get_feed(store.list_feeds()[0].id) and
                 next(f for f in store.list_feeds() if f.name == "fast").last_status == 200,
                 60, "the fast feed polled")
        fast_done = time.monotonic() - t0
        wait_for(lambda: all(f.last_status == 200 for f in store.list_feeds()), 90, "every feed polled")
        slow_done = time.monotonic() - t0
    finally:
        for w in workers:
            stop(w)
        other.__exit__(None, None, None)
    assert peak[0] == 1, peak
    assert len([r for r in http_server.requests if r.path.startswith("/slow")]) == 5  # each polled once
    polled = sorted(f.last_polled_at for f in store.list_feeds() if f.name != "fast")
    fast_at = next(f for f in store.list_feeds() if f.name == "fast").last_polled_at
    assert fast_at < polled[-2], (fast_at, polled)  # not queued behind the slow host
    assert slow_done - fast_done > 2
