"""``aidewatch backfill URL`` (news sitemaps, RFC 5005 feed archives) through the guarded fetch, on
the embedded default and on Redis + PostgreSQL with two worker processes; a WARC backfill killed
mid-way and resumed gives the same store as one uninterrupted run."""
from __future__ import annotations

import gzip
import html
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import update
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from httpserver import Route
from pipeline_env import start_worker, stop, wait_for, worker_env
from storage import Store
from storage.schema import articles

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
AIDEWATCH = [sys.executable, "-m", "aidewatch.cli"]
HTML = {"Content-Type": "text/html; charset=utf-8"}


def _page(text: str, outlet: str) -> bytes:
    paras = "".join(f"<p>{html.escape(p)}</p>" for p in text.splitlines() if p.strip())
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>News</title>"
            f"<meta property='og:site_name' content='{outlet}'></head>"
            f"<body><article>{paras}</article></body></html>").encode()


def _seed_pages(server) -> list[str]:
    """The three seed articles as pages; returns their paths."""
    paths = []
    for i, f in enumerate(sorted(SEEDS.glob("*.txt"))):
        path = f"/news/{f.stem}.html"
        server.route(path, Route(body=_page(f.read_text(encoding="utf-8"), f"Outlet {i}"), headers=HTML))
        paths.append(path)
    return paths


FIRST = "Alex Blair Casey Dana Eli Frankie Gale Harper Indy Jordan Kai Lee Morgan Noel Oakley Parker".split()
LAST = ("Abbott Barlow Carver Dunmore Ellery Fairbanks Grantham Holloway Ingram Jessop Kenworth Lockhart "
        "Marsden Norcott Ormsby Pennington").split()
WORDS = sorted(set(w.strip(".,“”’'\"()").lower() for f in sorted(SEEDS.glob("*.txt"))
                   for w in f.read_text(encoding="utf-8").split() if w.isalpha() and len(w) > 3))


def person(i: int) -> str:
    return f"{FIRST[i % 16]} {LAST[(i // 16) % 16]}"


def distinct_article(i: int) -> str:
    """A short news article about one departure; its filler words differ from every other's."""
    import random
    rng = random.Random(i)
    filler = " ".join(rng.choice(WORDS) for _ in range(40))
    return (f"{person(i)} has stepped down as finance director of Northwind{i} Holdings, the company "
            f"announced on Tuesday.\nThe board thanked {person(i).split()[1]} for ten years of work.\n"
            f"Analysts said: {filler}.")


def _run(env: dict, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
    res = subprocess.run(AIDEWATCH + list(args), env=env, capture_output=True, text=True, timeout=300)
    if ok:
        assert res.returncode == 0, res.stderr[-3000:]
    return res


def _sqlite(tmp_path: Path) -> Store:
    return Store(f"sqlite:///{tmp_path}/data/aidewatch.db")


def _sitemaps(server, paths: list[str]) -> str:
    urls = "".join(f"<url><loc>{server.url(p)}</loc><news:news><news:publication_date>2017-02-17"
                   f"</news:publication_date></news:news></url>" for p in paths)
    child = ("<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9' "
             f"xmlns:news='http://www.google.com/schemas/sitemap-news/0.9'>{urls}</urlset>").encode()
    server.route("/sitemap-news.xml.gz", Route(body=gzip.compress(child),
                                                headers={"Content-Type": "application/x-gzip"}))
    index = ("<?xml version='1.0'?><sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
             f"<sitemap><loc>{server.url('/sitemap-news.xml.gz')}</loc></sitemap>"
             f"<sitemap><loc>{server.url('/missing-sitemap.xml')}</loc></sitemap></sitemapindex>").encode()
    server.route("/sitemap.xml", Route(body=index, headers={"Content-Type": "application/xml"}))
    return server.url("/sitemap.xml")


def test_sitemap_url_backfill_embedded(tmp_path, http_server):
    paths = _seed_pages(http_server) + ["/news/gone.html"]  # the last one answers 404
    url = _sitemaps(http_server, paths)
    env = worker_env(tmp_path)
    refused = _run(env | {"AIDEWATCH_ALLOW_PRIVATE_ADDRESSES": "0"}, "backfill", url, "--quiet", ok=False)
    assert refused.returncode == 1 and "nothing listed" in refused.stderr  # the SSRF guard said no
    assert "private_address: 1" in refused.stderr  # the reason, in the summary
    assert any(e["reason"] == "private_address" for e in _sqlite(tmp_path).last_errors())
    assert http_server.requests_to("/sitemap.xml") == []

    out = _run(env, "backfill", url, "--quiet")
    assert "4 records (4 new" in out.stderr and "3 processed" in out.stderr and "1 failed" in out.stderr
    store = _sqlite(tmp_path)
    arts = {a["article_id"]: a for a in store.iter_articles()}
    assert set(arts) == {http_server.url(p) for p in paths}
    assert arts[http_server.url("/news/gone.html")]["error"] == "http_error"
    assert any(e["person"] == "Simon Fletcher" for e in store.iter_events())
    assert all(len(http_server.requests_to(p)) == 1 for p in paths)
    assert store.alert_counts() == {}  # backfill: no alerts
    assert any("missing-sitemap" in e["ref"] for e in store.last_errors(limit=50))

    again = _run(env, "backfill", url, "--quiet")
    assert "0 new" in again.stderr
    assert all(len(http_server.requests_to(p)) == 1 for p in paths)  # pages are not fetched again


def _feed_page(server, title: str, items: list[tuple[str, str | None]], links: dict[str, str]) -> bytes:
    link_xml = "".join(f"<link rel='{rel}' href='{server.url(href)}'/>" for rel, href in links.items())
    entries = "".join(
        f"<entry><id>{server.url(p)}</id><title>t</title><link href='{server.url(p)}'/>"
        f"<updated>2017-02-17T10:00:00Z</updated>"
        + (f"<content type='html'>{html.escape(body)}</content>" if body else "") + "</entry>"
        for p, body in items)
    return (f"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><title>{title}</title>"
            f"<id>urn:x</id><updated>2017-02-18T00:00:00Z</updated>{link_xml}{entries}</feed>").encode()


def test_paged_feed_archive_backfill(tmp_path, http_server):
    p0, p1, p2 = _seed_pages(http_server)
    full = "".join(f"<p>{html.escape(x)}</p>" for x in (SEEDS / "002_880bd02216675e85.txt")
                   .read_text(encoding="utf-8").splitlines() if x.strip())
    atom = {"Content-Type": "application/atom+xml"}
    http_server.route("/feed.xml", Route(headers=atom, body=_feed_page(
        http_server, "current", [(p0, None)], {"prev-archive": "/archive/2.xml"})))
    http_server.route("/archive/2.xml", Route(headers=atom, body=_feed_page(
        http_server, "2", [(p1, None)], {"prev-archive": "/archive/1.xml", "current": "/feed.xml"})))
    http_server.route("/archive/1.xml", Route(headers=atom, body=_feed_page(
        http_server, "1", [(p2, full)], {"next-archive": "/archive/2.xml", "current": "/feed.xml"})))
    env = worker_env(tmp_path)
    out = _run(env, "backfill", http_server.url("/feed.xml"), "--quiet")
    assert "3 records (3 new" in out.stderr and "3 processed" in out.stderr, out.stderr
    for doc in ("/feed.xml", "/archive/2.xml", "/archive/1.xml"):
        assert len(http_server.requests_to(doc)) == 1  # each archive page once
    assert http_server.requests_to(p2) == []  # the entry carried the full text: no fetch
    assert len(http_server.requests_to(p0)) == len(http_server.requests_to(p1)) == 1
    assert {a["status"] for a in _sqlite(tmp_path).iter_articles()} == {"processed"}


def test_sitemap_backfill_on_redis_postgres_with_two_workers(tmp_path, http_server, postgres_url, fresh_redis):
    paths = _seed_pages(http_server)
    for i in range(12):  # more pages, so both workers get some
        http_server.route(f"/more/{i}.html", Route(body=_page(distinct_article(i), "More News"), headers=HTML))
        paths.append(f"/more/{i}.html")
    url = _sitemaps(http_server, paths)
    env = worker_env(tmp_path, AIDEWATCH_DATABASE_URL=postgres_url, AIDEWATCH_BROKER_URL=fresh_redis)
    out = _run(env, "backfill", url, "--no-wait", "--quiet")  # only enqueues
    assert "15 records (15 new" in out.stderr and "15 articles queued" in out.stderr
    store = Store(postgres_url)
    assert store.counts().get("articles_discovered") == 15
    workers = [start_worker(tmp_path, env, f"bf{i}", queues="backfill") for i in range(2)]
    try:
        wait_for(lambda: store.counts().get("articles_processed") == 15, 240, "15 processed articles", 0.5)
    finally:
        for w in workers:
            stop(w)
    assert all(len(http_server.requests_to(p)) == 1 for p in paths)  # each page fetched once
    people = {e["person"] for e in store.iter_events()}
    assert "Simon Fletcher" in people and {person(i) for i in range(12)} <= people
    logs = [(tmp_path / f"bf{i}.log").read_text() for i in range(2)]
    assert not any("Traceback" in log for log in logs), logs


# --- WARC: interrupted and resumed ------------------------------------------------------------

def _warc(path: Path, n: int) -> None:
    seeds = [f.read_text(encoding="utf-8") for f in sorted(SEEDS.glob("*.txt"))]
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for i in range(n):
            if i % 10 == 0:
                text = seeds[(i // 10) % 3]  # real articles, repeated: copies of each other
            else:
                text = distinct_article(i)
            body = _page(text, f"Outlet {i % 4}")
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                       protocol="HTTP/1.1")
            rec = writer.create_warc_record(f"https://news.example/{i:04d}", "response",
                                            payload=io.BytesIO(body), http_headers=headers,
                                            warc_headers_dict={"WARC-Date": "2017-02-17T10:00:00Z"})
            writer.write_record(rec)


def _snapshot(env: dict) -> tuple[list, list]:
    events = [json.loads(x) for x in _run(env, "export", "events").stdout.splitlines()]
    arts = [json.loads(x) for x in _run(env, "export", "articles").stdout.splitlines()]
    # story ids are named after a story's first article, which depends on processing order:
    # compare the partition of articles into stories, not the names
    groups = {}
    for a in arts:
        groups.setdefault(a["story_id"], set()).add(a["article_id"])
    stories = sorted(sorted(g) for g in groups.values())
    arts = sorted(((a["article_id"], a["status"], a["url"], a["published"], a["duplicate_of"] is not None)
                   for a in arts), key=repr)
    ev = sorted(((e["type"], e["person"], e["role"], e["organisation"], e["historical"],
                  sorted(s["article_id"] for s in e["sources"])) for e in events), key=repr)
    return ev, arts + [("stories", stories)]


def test_warc_backfill_killed_and_resumed_gives_the_same_store(tmp_path):
    warc = tmp_path / "crawl.warc.gz"
    _warc(warc, 240)
    whole = worker_env(tmp_path / "whole")
    out = _run(whole, "backfill", str(warc), "--quiet")
    assert "240 records (240 new" in out.stderr and "0 failed" in out.stderr, out.stderr

    env = worker_env(tmp_path / "cut")
    proc = subprocess.Popen(AIDEWATCH + ["backfill", str(warc), "--quiet"], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    db = tmp_path / "cut" / "data" / "aidewatch.db"
    store = None

    def some_read():
        nonlocal store
        if store is None and db.exists():
            store = Store(f"sqlite:///{db}")
        return store is not None and store.counts()["articles"] >= 100
    try:
        wait_for(some_read, 120, "a part of the archive read", 0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # no clean-up: a crash
        proc.wait(10)
    c = store.counts()
    assert c["articles"] < 240 or c.get("articles_processed", 0) < 240, "killed too late to test anything"
    # the killed run's lease on the article it was processing runs out (here: at once)
    with store.engine.begin() as conn:
        conn.execute(update(articles).where(articles.c.status.in_(("discovered", "fetched")))
                     .values(lease_until=None))
    resumed = _run(env, "backfill", str(warc), "--quiet")
    assert "resuming" in resumed.stderr and "0 failed, 0 unfinished" in resumed.stderr, resumed.stderr
    assert _snapshot(env) == _snapshot(whole)
    # and a third run adds nothing (read from the top again: the checkpoint is gone once done)
    again = _run(env, "backfill", str(warc), "--quiet")
    assert "240 records (0 new, 240 already stored)" in again.stderr
    assert _snapshot(env) == _snapshot(whole)
