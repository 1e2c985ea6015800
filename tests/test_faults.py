"""Faults with real services on 127.0.0.1 (Redis broker, PostgreSQL store, prefork Celery workers):
a worker SIGKILLed in the middle of each kind of task, the queue lost, the database unreachable,
the alert channel down, two beats. Nothing is lost and nothing is stored or sent twice."""
from __future__ import annotations

import html
import subprocess
import sys
import time
from email.utils import format_datetime
from datetime import datetime, timezone

import pytest
import redis
from celery import Celery

from httpserver import Route
from pipeline_env import (FLETCHER, ROOT, SEEDS, Hook, TcpProxy, kill_group, start_beat, start_worker, stop,
                          wait_for, worker_env)
from storage import Store
from workers.model import WatchPerson

TITLE = FLETCHER.strip().splitlines()[0][:80]
FAST = dict(AIDEWATCH_VISIBILITY_TIMEOUT=4, AIDEWATCH_LEASE_SECONDS=6, AIDEWATCH_BEAT_SECONDS=1,
            AIDEWATCH_TASK_TIME_LIMIT=30, AIDEWATCH_ALERT_MAX_AGE_DAYS=0, AIDEWATCH_ALERT_RETRY_SECONDS=1,
            AIDEWATCH_FETCH_TIMEOUT=5)


def _page(text: str) -> bytes:
    paras = "".join(f"<p>{html.escape(p)}</p>" for p in text.splitlines() if p.strip())
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(TITLE)}</title></head>"
            f"<body><article>{paras}</article></body></html>").encode()


def _site(server, *, feed_delay: float = 0, page_delay: float = 0, etag: str | None = None) -> str:
    link = server.url("/news/1.html")
    pub = format_datetime(datetime(2017, 2, 17, tzinfo=timezone.utc))
    rss = (f"<?xml version='1.0'?><rss version='2.0'><channel><title>Local</title><item>"
           f"<title>{html.escape(TITLE)}</title><link>{link}</link><pubDate>{pub}</pubDate></item>"
           f"</channel></rss>").encode()
    server.route("/news/1.html", Route(body=_page(FLETCHER), headers={"Content-Type": "text/html"},
                                       delay=page_delay))
    return server.route("/feed.xml", Route(body=rss, headers={"Content-Type": "application/rss+xml"},
                                           delay=feed_delay, etag=etag))


def _store(url: str) -> Store:
    store = Store(url)
    store.add_watch(WatchPerson(name="Simon Fletcher", aliases=("Mr Fletcher",)))
    return store


def _fletcher_events(store: Store) -> list[dict]:
    return [e for e in store.iter_events() if e["person"] == "Simon Fletcher" and e["type"] == "departure"
            and not e["historical"]]


def _assert_once(store: Store, hook: Hook, articles: int = 1) -> None:
    """Each article once, each move once (one source per article), each alert delivered once."""
    arts = list(store.iter_articles())
    assert len(arts) == articles and all(a["status"] == "processed" for a in arts), arts
    events = list(store.iter_events())
    keys = [(e["person"], e["type"], e["role"], e["historical"]) for e in events]
    assert events and len(keys) == len(set(keys)), keys
    for e in events:
        ids = [src["article_id"] for src in e["sources"]]
        assert len(ids) == len(set(ids)), e
    sent = store.alert_counts()
    assert set(sent) == {"sent"} and sent["sent"] >= 1, store.list_alerts()
    assert len(_fletcher_events(store)) == sent["sent"]
    assert hook.delivered == sent["sent"], hook.log


def _state(store: Store, hook: Hook, server=None) -> dict:
    return {"counts": store.counts(), "alerts": store.list_alerts(), "hook": hook.log,
            "feeds": store.list_feeds(), "articles": list(store.iter_articles()),
            "requests": [r.path for r in server.requests] if server else None}


def _done(store: Store, hook: Hook) -> bool:
    return store.counts().get("articles_processed") == 1 and hook.delivered >= 1 and \
        store.alert_counts().get("pending", 0) == 0


def _article_claimed_for_processing(store: Store) -> bool:
    arts = store.iter_articles()
    a = next(arts, None)
    if a is None or a["status"] != "fetched":
        return False
    row = store.get_article(store.article_pks([a["article_id"]])[a["article_id"]])
    return row["lease_until"] is not None


@pytest.mark.parametrize("kind", ["poll", "fetch", "process", "deliver"])
def test_worker_killed_mid_task_work_is_done_once(kind, tmp_path, http_server, postgres_url, fresh_redis):
    url = _site(http_server, feed_delay=3 if kind == "poll" else 0, page_delay=3 if kind == "fetch" else 0)
    store = _store(postgres_url)
    store.add_feed("local", url=url, interval_minutes=60)
    with Hook([(3, 503)] if kind == "deliver" else []) as hook:
        env = worker_env(tmp_path, AIDEWATCH_DATABASE_URL=postgres_url, AIDEWATCH_BROKER_URL=fresh_redis,
                         AIDEWATCH_ALERT_URLS=hook.url, **FAST)
        mid_task = {
            "poll": lambda: http_server.requests_to("/feed.xml"),
            "fetch": lambda: http_server.requests_to("/news/1.html"),
            "process": lambda: _article_claimed_for_processing(store),
            "deliver": lambda: hook.arrived,
        }[kind]
        first = start_worker(tmp_path, env, "first", concurrency=1, beat=True)
        second = None
        try:
            wait_for(mid_task, 90, f"the worker to be in the middle of {kind}", interval=0.02)
            kill_group(first)
            second = start_worker(tmp_path, env, "second", concurrency=2, beat=True)
            try:
                wait_for(lambda: _done(store, hook), 90, "the work to be done after the kill")
            except AssertionError as exc:
                raise AssertionError(f"{exc}: {_state(store, hook, http_server)}") from None
            time.sleep(3)  # room for any duplicate to show up
        finally:
            stop(first)
            if second:
                stop(second)
        _assert_once(store, hook)
    if kind == "poll":
        assert len(http_server.requests_to("/feed.xml")) >= 2  # the killed poll ran again


def test_queue_lost_work_is_found_again_from_the_store(tmp_path, http_server, postgres_url, fresh_redis):
    """Redis restarted empty (FLUSHDB): a claimed feed and an unfinished article whose messages
    were lost are found by tick and done once."""
    url = _site(http_server)
    http_server.route("/news/2.html", Route(body=_page("The city council met on Tuesday to discuss the budget for parks and roads.\n" * 5),
                                            headers={"Content-Type": "text/html"}))
    store = _store(postgres_url)
    fid = store.add_feed("local", url=url, interval_minutes=60)
    pk, _ = store.add_article(article_id="orphan", url=http_server.url("/news/2.html"), origin="feed",
                              alerts=False)
    client = Celery(broker=fresh_redis)
    assert store.claim_due_feeds(lease_seconds=FAST["AIDEWATCH_LEASE_SECONDS"])  # as a tick did
    client.send_task("aidewatch.poll_feed", args=(fid,), queue="poll")
    client.send_task("aidewatch.fetch_article", args=(pk,), queue="fetch")
    redis.Redis.from_url(fresh_redis).flushdb()  # the broker forgot everything
    with Hook() as hook:
        env = worker_env(tmp_path, AIDEWATCH_DATABASE_URL=postgres_url, AIDEWATCH_BROKER_URL=fresh_redis,
                         AIDEWATCH_ALERT_URLS=hook.url, **FAST)
        worker = start_worker(tmp_path, env, "w", concurrency=2, beat=True)
        try:
            wait_for(lambda: store.counts().get("articles_processed") == 2 and hook.delivered >= 1, 90,
                     "the lost feed poll and article to be done")
            time.sleep(2)
        finally:
            stop(worker)
        assert len(http_server.requests_to("/feed.xml")) == 1
        assert len(http_server.requests_to("/news/2.html")) == 1
        _assert_once(store, hook, articles=2)


def test_database_unreachable_then_back_tasks_retry_and_complete(tmp_path, postgres_url, fresh_redis):
    """PostgreSQL unreachable (a proxy in front of it is cut) while work arrives: the tasks fail,
    retry, and finish once it is back — one event, one alert."""
    store = _store(postgres_url)
    pk, _ = store.add_article(article_id="story", origin="feed", alerts=True, text=FLETCHER,
                              published=datetime(2017, 2, 17))
    base, dbname = postgres_url.rsplit("/", 1)
    proxy = TcpProxy(("127.0.0.1", 5432))
    proxied = f"postgresql://postgres@127.0.0.1:{proxy.port}/{dbname}"
    with Hook() as hook:
        env = worker_env(tmp_path, AIDEWATCH_DATABASE_URL=proxied, AIDEWATCH_BROKER_URL=fresh_redis,
                         AIDEWATCH_ALERT_URLS=hook.url, **FAST)
        proxy.cut()
        worker = start_worker(tmp_path, env, "w", concurrency=2, beat=True)
        try:
            Celery(broker=fresh_redis).send_task("aidewatch.process_article", args=(pk,), queue="process")
            time.sleep(12)  # the database is away; the worker keeps failing and retrying
            assert store.article_status(pk) == "fetched" and not hook.log
            proxy.restore()
            wait_for(lambda: _done(store, hook), 120, "the article to be processed after the outage")
            time.sleep(2)
        finally:
            stop(worker)
            proxy.close()
        _assert_once(store, hook)


def test_alert_channel_down_retried_with_backoff_once_and_failure_visible(tmp_path, postgres_url, fresh_redis):
    store = _store(postgres_url)
    pk, _ = store.add_article(article_id="story", origin="feed", alerts=True, text=FLETCHER,
                              published=datetime(2017, 2, 17))
    with Hook([(0, 503), (0, 503)]) as flaky, Hook([(0, 503)] * 20) as dead:
        env = worker_env(tmp_path, AIDEWATCH_DATABASE_URL=postgres_url, AIDEWATCH_BROKER_URL=fresh_redis,
                         AIDEWATCH_ALERT_URLS=f"{flaky.url} {dead.url}", AIDEWATCH_ALERT_MAX_ATTEMPTS=3,
                         **FAST)
        worker = start_worker(tmp_path, env, "w", concurrency=2, beat=True)
        try:
            Celery(broker=fresh_redis).send_task("aidewatch.process_article", args=(pk,), queue="process")
            try:
                wait_for(lambda: store.alert_counts() == {"sent": 1, "failed": 1}, 60,
                         "one channel to get the alert and the other to be given up")
            except AssertionError as exc:
                raise AssertionError(f"{exc}: {_state(store, flaky)} {dead.log}") from None
            time.sleep(3)
        finally:
            stop(worker)
        assert flaky.delivered == 1 and len(flaky.log) == 3, flaky.log  # 503, 503, then 200
        gaps = [b[0] - a[0] for a, b in zip(flaky.log, flaky.log[1:])]
        assert gaps[-1] > gaps[0], gaps  # backing off
        assert len(dead.log) == 3 and dead.delivered == 0  # AIDEWATCH_ALERT_MAX_ATTEMPTS, then given up
        status = subprocess.run([sys.executable, "-m", "aidewatch.cli", "status"], env=env, capture_output=True,
                                text=True, timeout=60, cwd=ROOT)
        assert status.returncode == 0, status.stderr[-2000:]
        assert "1 sent, 0 pending, 1 failed" in status.stdout and "failed alert" in status.stdout


def test_two_beats_poll_each_feed_once_per_interval(tmp_path, http_server, postgres_url, fresh_redis):
    url = _site(http_server, etag='"v1"')
    store = _store(postgres_url)
    store.add_feed("local", url=url, interval_minutes=0.05)  # every 3 s
    route, stamps = http_server.routes["/feed.xml"], []
    http_server.route("/feed.xml", lambda _req: stamps.append(time.monotonic()) or route)
    with Hook() as hook:
        env = worker_env(tmp_path, AIDEWATCH_DATABASE_URL=postgres_url, AIDEWATCH_BROKER_URL=fresh_redis,
                         AIDEWATCH_ALERT_URLS=hook.url, **FAST)
        procs = [start_worker(tmp_path, env, "w", concurrency=2), start_beat(tmp_path, env, "beat1"),
                 start_beat(tmp_path, env, "beat2")]
        try:
            wait_for(lambda: _done(store, hook), 90, "the first round")
            time.sleep(10)
        finally:
            for p in procs:
                stop(p)
    assert len(stamps) >= 3, stamps  # polled every interval ...
    gaps = [b - a for a, b in zip(stamps, stamps[1:])]
    assert min(gaps) >= 2.9, gaps  # ... and never twice within it
    _assert_once(store, hook)
