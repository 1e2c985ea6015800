"""Hostile input through the real poll_feed / fetch_article tasks (in this process, a misbehaving
HTTP server on 127.0.0.1): each case ends as a clear recorded error or a safe result, quickly,
and nothing crashes. The Celery soft time limit is checked through a real prefork worker."""
from __future__ import annotations

import time

import pytest
from celery import Celery

from httpserver import Route
from pipeline_env import claim, inprocess, start_worker, stop, wait_for, worker_env
from storage import Store

RSS = {"Content-Type": "application/rss+xml"}
HTML = {"Content-Type": "text/html; charset=utf-8"}


def _rss(title: str = "Minister resigns", link: str = "http://127.0.0.1:9/news/1", head: str = "") -> bytes:
    head = head or "<?xml version='1.0' encoding='utf-8'?>"
    return (f"{head}<rss version='2.0'><channel><title>t</title><item><title>{title}</title>"
            f"<link>{link}</link><guid>g1</guid></item></channel></rss>").encode("utf-8")


_LAUGHS = "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))

# name -> (route, expected: an error reason, or "ok" when the feed parses to one safe entry)
FEEDS = {
    "billion laughs": (Route(body=_rss("Boom &lol9;", head=f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol">{_LAUGHS}]>'),
                             headers=RSS), "ok"),
    "external entity (XXE)": (Route(body=_rss("Leak &xxe;", head='<?xml version="1.0"?><!DOCTYPE rss '
                                              '[<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'), headers=RSS), "ok"),
    "gzip bomb": (Route(gzip_bomb=50 * 1024 * 1024, headers=RSS), "too_large"),
    "endless chunked body": (Route(endless=True, headers=RSS), "too_large"),
    "false Content-Length": (Route(body=_rss(), headers=RSS, content_length=100_000), "protocol_error"),
    "slow drip": (Route(body=_rss() * 20, headers=RSS, drip=(10, 0.2)), "timeout"),
    "wrong charset declared": (Route(body=_rss("Ministre démissionne").replace(b"utf-8", b"us-ascii"),
                                     headers=RSS), "ok"),
    "no charset, latin-1 bytes": (Route(body=_rss("Ministre démissionne").decode().encode("latin-1")
                                        .replace(b" encoding='utf-8'", b""), headers={"Content-Type": "text/xml"}), "ok"),
    "invalid UTF-8": (Route(body=_rss("Bad \udcff bytes".encode("utf-8", "surrogateescape").decode("latin-1"))
                            .replace(b"\xc3\xbf", b"\xff\xfe"), headers=RSS), "ok"),
    "truncated XML": (Route(body=b"<?xml version='1.0'?><rss><channel><title>cut", headers=RSS), "malformed_feed"),
    "HTML served as a feed": (Route(body=b"<!doctype html><html><body><p>hello</p></body></html>", headers=HTML),
                              "not_a_feed"),
    "empty 200": (Route(body=b"", headers=RSS), "empty"),
    "file:// link in an entry": (Route(body=_rss(link="file:///etc/passwd"), headers=RSS), "ok"),
}


@pytest.mark.parametrize("case", list(FEEDS))
def test_hostile_feed(case, tmp_path, http_server):
    route, expected = FEEDS[case]
    url = http_server.route("/feed.xml", route)
    with inprocess(tmp_path, AIDEWATCH_FETCH_TIMEOUT=1, AIDEWATCH_FETCH_MAX_BYTES=2_000_000) as store:
        fid = store.add_feed("f", url=url)
        claim(store, fid)
        from tasks.pipeline import poll_feed
        t0 = time.monotonic()
        result = poll_feed(fid)
        assert time.monotonic() - t0 < 8, result
        feed = store.get_feed(fid)
        arts = list(store.iter_articles())
        if expected == "ok":
            assert result.get("status") == 200 and feed.error_count == 0, (result, feed.last_error)
            text = repr(arts)
            assert "root:" not in text and "lollollol" not in text
            assert all(a["url"] is None or a["url"].startswith("http") for a in arts)
        else:
            assert result.get("error") == expected, result
            assert feed.last_error.startswith(expected) and feed.next_check_at > feed.last_polled_at


PAGES = {
    "50 MB page": (Route(body=b"<html><body>" + b"x" * (50 * 1024 * 1024) + b"</body></html>", headers=HTML),
                   "too_large", True),
    "50 MB page, no Content-Length": (Route(body=b"<p>" + b"x" * (50 * 1024 * 1024), headers=HTML, chunked=True),
                                      "too_large", True),
    "gzip bomb page": (Route(gzip_bomb=100 * 1024 * 1024, headers=HTML), "too_large", True),
    "redirect loop": (Route(redirect="/page"), "too_many_redirects", True),
    "redirect to file://": (Route(redirect="file:///etc/passwd"), "bad_scheme", True),
    "slow drip page": (Route(body=b"<p>" + b"x" * 5000, headers=HTML, drip=(50, 0.2)), "timeout", False),
}


@pytest.mark.parametrize("case", list(PAGES))
def test_hostile_page(case, tmp_path, http_server):
    route, reason, final = PAGES[case]
    url = http_server.route("/page", route)
    with inprocess(tmp_path, AIDEWATCH_FETCH_TIMEOUT=1, AIDEWATCH_FETCH_MAX_BYTES=2_000_000) as store:
        pk, _ = store.add_article(article_id="a", url=url, origin="feed", alerts=False)
        from tasks.pipeline import fetch_article
        t0 = time.monotonic()
        assert fetch_article(pk) == {"error": reason, "final": final}
        assert time.monotonic() - t0 < 8
        art = store.get_article(pk)
        assert art["error"] == reason and art["status"] == ("failed" if final else "discovered")


def test_private_addresses_refused_through_the_pipeline(tmp_path, http_server):
    """With the guard on (the default), a feed or page on a private address is refused before
    any connection, also in its numeric disguises."""
    http_server.route("/feed.xml", Route(body=_rss(), headers=RSS))
    with inprocess(tmp_path, AIDEWATCH_ALLOW_PRIVATE_ADDRESSES=0) as store:
        from tasks.pipeline import fetch_article, poll_feed
        for i, host in enumerate(["127.0.0.1", "2130706433", "0x7f.1", "[::ffff:127.0.0.1]", "localhost"]):
            fid = store.add_feed(f"f{i}", url=f"http://{host}:{http_server.port}/feed.xml")
            claim(store, fid)
            assert poll_feed(fid)["error"] == "private_address", host
        pk, _ = store.add_article(article_id="a", url=f"http://169.254.169.254/latest/meta-data/", origin="feed",
                                  alerts=False)
        assert fetch_article(pk) == {"error": "private_address", "final": True}
    assert http_server.requests == []


def test_pathological_page_stopped_by_the_soft_time_limit(tmp_path, postgres_url, fresh_redis):
    """spaCy on a huge page full of trigger sentences takes far longer than the limit: the prefork
    worker's soft time limit stops it and the article is kept, failed with reason time_limit."""
    text = "Simon Fletcher resigned as chief of staff to the Labour leader on Monday. " * 20000
    store = Store(postgres_url)
    pk, _ = store.add_article(article_id="huge", origin="feed", alerts=False, text=text)
    env = worker_env(tmp_path, AIDEWATCH_DATABASE_URL=postgres_url, AIDEWATCH_BROKER_URL=fresh_redis,
                     AIDEWATCH_TASK_TIME_LIMIT=5, AIDEWATCH_LEASE_SECONDS=10, AIDEWATCH_VISIBILITY_TIMEOUT=10)
    worker = start_worker(tmp_path, env, "w", concurrency=1)
    try:
        Celery(broker=fresh_redis).send_task("aidewatch.process_article", args=(pk,), queue="process")
        wait_for(lambda: store.article_status(pk) == "failed", 60, "the article to be stopped")
    finally:
        stop(worker)
    art = store.get_article(pk)
    assert art["error"] == "time_limit" and art["article_id"] == "huge" and art["attempts"] == 1
    assert art["text"] == text  # the article is kept
