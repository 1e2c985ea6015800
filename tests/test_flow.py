"""The whole flow: a local news site on 127.0.0.1 → real Celery worker → store → webhook alert.

Once on the embedded default (SQLite, filesystem broker, ``aidewatch run --once``) and once as a
server (PostgreSQL store, Redis broker, a separate ``celery worker`` process).
"""
from __future__ import annotations

import html
import json
import os
import subprocess
import sys
import time
from email.utils import format_datetime
from datetime import datetime, timezone
from pathlib import Path

import pytest
from celery import Celery

from httpserver import Route
from storage import Store
from webhook import WebhookReceiver

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
AIDEWATCH = [sys.executable, "-m", "aidewatch.cli"]


def _seed_articles() -> list[dict]:
    meta = {m["id"]: m for m in map(json.loads, (SEEDS / "meta.jsonl").read_text().splitlines()) if m}
    out = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out.append({"id": path.stem, "text": text, "outlet": meta[path.stem].get("outlet"),
                    "published": datetime.fromisoformat(meta[path.stem]["published"]).replace(tzinfo=timezone.utc)})
    return out


def _page(article: dict) -> bytes:
    paras = [p.strip() for p in article["text"].splitlines() if p.strip()]
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paras)
    title = html.escape(paras[0][:80])
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>"
            f"<meta property='og:site_name' content='{html.escape(article['outlet'] or '')}'></head>"
            f"<body><nav><a href='/'>Home</a> <a href='/politics'>Politics</a></nav>"
            f"<article><h1>{title}</h1>{body}</article>"
            f"<footer>Copyright the publisher</footer></body></html>").encode()


def _feed(server, articles: list[dict]) -> bytes:
    items = "".join(
        f"<item><title>{html.escape(a['text'].splitlines()[0][:80])}</title>"
        f"<link>{server.url('/news/' + a['id'] + '.html?utm_source=rss')}</link>"
        f"<pubDate>{format_datetime(a['published'])}</pubDate></item>" for a in articles)
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Local politics</title>"
            f"<link>{server.url('/')}</link><description>test</description>{items}</channel></rss>").encode()


@pytest.fixture
def news_site(http_server):
    """A feed (with an ETag, so a second poll gets 304) and one page per seed article."""
    articles = _seed_articles()
    for a in articles:
        http_server.route(f"/news/{a['id']}.html",
                          Route(body=_page(a), headers={"Content-Type": "text/html; charset=utf-8"}))
    http_server.route("/politics/feed.xml", Route(body=_feed(http_server, articles), etag='"feed-v1"',
                                                  headers={"Content-Type": "application/rss+xml"}))
    return http_server


def _env(tmp_path: Path, site, hook: WebhookReceiver, **extra) -> dict:
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feeds]]\nname = "local politics"\nurl = "{site.url("/politics/feed.xml")}"\n'
                     f"interval_minutes = 0.001\nalert_max_age_days = 0\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIDEWATCH_")}
    env.update(AIDEWATCH_DATA_DIR=str(tmp_path / "data"), AIDEWATCH_FEEDS_FILE=str(feeds),
               AIDEWATCH_ALLOW_PRIVATE_ADDRESSES="1", AIDEWATCH_ALERT_URLS=f"json://127.0.0.1:{hook.port}/hook",
               AIDEWATCH_BEAT_SECONDS="1", OMP_NUM_THREADS="1", PYTHONPATH=str(ROOT), **extra)
    return env


def _check_seed_events(store: Store, hook: WebhookReceiver) -> None:
    events = list(store.iter_events())
    fletcher = [e for e in events if e["person"] == "Simon Fletcher" and e["type"] == "departure"
                and not e["historical"]]
    assert len(fletcher) == 1, events
    assert len(fletcher[0]["sources"]) == 2
    arts = list(store.iter_articles())
    assert len(arts) == 3 and all(a["status"] == "processed" for a in arts), arts
    assert all(a["url"] and "utm_source" not in a["article_id"] for a in arts)
    alerts = [r["json"] for r in hook.requests]
    assert len(alerts) == 1, alerts
    assert "Simon Fletcher" in alerts[0]["title"] + alerts[0]["message"]


def _feed_requests(site) -> list:
    return site.requests_to("/politics/feed.xml")


def test_embedded_default_end_to_end(tmp_path, news_site):
    with WebhookReceiver() as hook:
        env = _env(tmp_path, news_site, hook)
        first = subprocess.run(AIDEWATCH + ["run", "--once"], env=env, capture_output=True, text=True, timeout=300)
        assert first.returncode == 0, first.stderr[-3000:]
        store = Store(f"sqlite:///{tmp_path}/data/aidewatch.db")
        _check_seed_events(store, hook)
        before = (list(store.iter_events()), list(store.iter_articles()))
        time.sleep(0.1)  # the feed's interval (0.06 s) has passed: it is due again
        second = subprocess.run(AIDEWATCH + ["run", "--once"], env=env, capture_output=True, text=True,
                                timeout=300)
        assert second.returncode == 0, second.stderr[-3000:]
        requests = _feed_requests(news_site)
        assert len(requests) == 2 and requests[1].headers.get("if-none-match") == '"feed-v1"'
        assert store.list_feeds()[0].last_status == 304
        assert (list(store.iter_events()), list(store.iter_articles())) == before
        assert len(hook.requests) == 1


def _wait(predicate, timeout: float = 180, what: str = "condition"):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def test_server_mode_with_redis_postgres_and_a_celery_worker(tmp_path, news_site, postgres_url, fresh_redis):
    with WebhookReceiver() as hook:
        env = _env(tmp_path, news_site, hook, AIDEWATCH_DATABASE_URL=postgres_url,
                   AIDEWATCH_BROKER_URL=fresh_redis)
        # the first CLI call loads the feeds and watchlist files into the empty store
        subprocess.run(AIDEWATCH + ["feeds", "list"], env=env, check=True, capture_output=True, timeout=120)
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "tasks.app", "worker", "-Q", "alerts,poll,fetch,process,backfill",
             "-c", "2", "--loglevel", "WARNING", "-n", f"test-{os.getpid()}@%h"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=open(tmp_path / "worker.log", "w"))
        try:
            client = Celery(broker=fresh_redis)
            store = Store(postgres_url)
            client.send_task("aidewatch.tick", queue="poll")
            _wait(lambda: len(hook.requests) >= 1 and store.counts().get("articles_processed") == 3,
                  what="three processed articles and an alert")
            time.sleep(1)
            _check_seed_events(store, hook)
            before = (list(store.iter_events()), list(store.iter_articles()))
            client.send_task("aidewatch.tick", queue="poll")
            _wait(lambda: len(_feed_requests(news_site)) == 2 and store.list_feeds()[0].last_status == 304,
                  what="a second poll answered 304")
            time.sleep(1)
            assert _feed_requests(news_site)[1].headers.get("if-none-match") == '"feed-v1"'
            assert (list(store.iter_events()), list(store.iter_articles())) == before
            assert len(hook.requests) == 1
        finally:
            worker.terminate()
            worker.wait(30)
