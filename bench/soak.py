"""Soak: a growing local site, real Redis and PostgreSQL, real workers, faults on a schedule.

    python bench/soak.py [--duration 600] [--kill-every 20] [--beat-kill-every 120]
                         [--flush-at 300] [--outage-at 400 --outage-seconds 30] [--json out.json]

Everything runs on 127.0.0.1: a site of ``--feeds`` RSS feeds that gains a page every
``--page-every`` seconds (news of staffing moves: a first report, a second report of the same move
in other words on another feed, an exact copy on a third feed; and pages with no move), a JSON
webhook that refuses ``--refuse`` of the posts (503), Redis (the broker) and PostgreSQL (the store)
reached by the workers through a TCP proxy that can cut the store off. ``--workers`` celery workers
(prefork, ``--concurrency`` each, every one in its own process group) and one beat run with short
leases. For ``--duration`` seconds faults are injected on their schedule:

- every ``--kill-every`` s every worker's process group is SIGKILLed and started again;
- every ``--beat-kill-every`` s beat is SIGKILLed and started again 3 s later;
- at each ``--flush-at`` second the broker's database is flushed (queues and unacked messages lost);
- at ``--outage-at`` the store is cut off for ``--outage-seconds`` (connections dropped, new ones refused).

Then the site stops growing, the faults stop, and the soak waits (at most ``--settle-timeout``)
for everything to finish, and checks: every page is one article, processed; every copy is marked
as a copy; no move is stored as two events; every watched move was alerted exactly once (one
idempotency key accepted per move; a key accepted twice is a crash-window repeat, counted
apart); no unwatched move alerted; nothing unfinished (no pending article, feed claim or alert).
Prints the figures (and writes them as JSON with ``--json``); exits 1 when a check fails.
"""
from __future__ import annotations

import argparse
import html
import http.server
import json
import os
import random
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from pipeline_env import TcpProxy, kill_group, start_beat, start_worker, stop, worker_env  # noqa: E402

FIRST = ["Margaret", "Daniel", "Priya", "Oliver", "Hannah", "Tomasz", "Grace", "Samuel", "Fiona", "Marcus",
         "Aisha", "Robert", "Helen", "Gareth", "Nadia", "Patrick", "Laura", "Edward", "Sophie", "Kieran"]
LAST = ["Whitfield", "Okafor", "Lindqvist", "Harrington", "Castellano", "Brennan", "Achebe", "Morrison",
        "Kowalski", "Fairbairn", "Delaney", "Ashworth", "Pemberton", "Gallagher", "Thornton", "Mackenzie",
        "Ferreira", "Holloway", "Sinclair", "Baxter", "Abernathy", "Blackwood", "Carrington", "Donnelly",
        "Ellison", "Fitzgerald", "Goodwin", "Hargreaves", "Ingram", "Jardine", "Kavanagh", "Lockhart",
        "Merriweather", "Norwood", "Oyelaran", "Prendergast", "Quigley", "Rutherford", "Stavros", "Tennant",
        "Underwood", "Vasquez", "Wainwright", "Yardley", "Zielinski", "Beaumont", "Cartwright", "Dunmore",
        "Eastwood", "Fenwick", "Gilchrist", "Hawthorne", "Iqbal", "Jennings", "Kirkland", "Langford",
        "Montague", "Nakamura", "Osborne", "Pritchard", "Radcliffe", "Sutherland", "Trevelyan", "Villiers",
        "Whitmore", "Albrecht", "Bramwell", "Crossley", "Drummond", "Everett", "Forsyth", "Greaves", "Hollis",
        "Kerrigan", "Lowther", "Marchetti", "Nightingale", "Ormerod", "Pickering", "Rowntree", "Selby"]
ORGS = ["Northgate Water", "Brightline Rail", "Harbour Bank", "Kestrel Airways", "Meridian Foods",
        "Albion Insurance", "Redfern Media", "Calder Energy", "Summit Retail", "Oakridge Pharma"]
ROLES = ["chief executive", "finance director", "chairman", "chief operating officer", "managing director"]
FILLER = ["council", "budget", "parks", "roads", "library", "weather", "festival", "schools", "harbour",
          "traffic", "museum", "housing", "bridge", "market", "rainfall", "football", "orchestra", "ferry"]


NOUNS = ["warehouse", "pension", "tariff", "pipeline", "contract", "factory", "airport", "subsidiary",
         "network", "depot", "licence", "fleet", "platform", "reservoir", "terminal", "campus", "office",
         "laboratory", "portfolio", "franchise", "bond", "brand", "turbine", "mine", "vessel", "studio"]
ADJS = ["northern", "regional", "overseas", "disputed", "modest", "record", "delayed", "revised", "quarterly",
        "annual", "troubled", "expanded", "former", "planned", "combined", "rural", "coastal", "digital"]
VERBS = ["reviewed", "expanded", "sold", "closed", "upgraded", "audited", "financed", "renamed", "relocated",
         "restructured", "insured", "leased", "valued", "merged", "rebuilt", "licensed"]
PLACES = ["Leeds", "Bristol", "Glasgow", "Cardiff", "Belfast", "Norwich", "Derby", "Exeter", "Dundee", "York",
          "Swansea", "Preston", "Hull", "Bath", "Oxford", "Carlisle"]


def _background(rng: random.Random, sentences: int = 5) -> str:
    """Sentences made of random words: every report is its own text (no near-copy of another)."""
    out = []
    for _ in range(sentences):
        out.append(f"The {rng.choice(ADJS)} {rng.choice(NOUNS)} in {rng.choice(PLACES)} was {rng.choice(VERBS)} "
                   f"after a {rng.choice(ADJS)} {rng.choice(NOUNS)} review found {rng.randint(2, 990)} "
                   f"{rng.choice(NOUNS)}s {rng.choice(VERBS)} near the {rng.choice(ADJS)} {rng.choice(NOUNS)}")
    return ". ".join(out) + "."


def _report(move: dict, variant: int) -> str:
    person, role, org, sur = move["person"], move["role"], move["org"], move["person"].split()[1]
    if move["type"] == "appointment":
        return [f"{org} has appointed {person} as its new {role}, the company said on Tuesday. {sur} joins "
                f"from a rival firm and will take up the post next month. Shares in {org} rose slightly "
                f"after the announcement.",
                f"{person} is to become {role} of {org}, the group announced. {sur}, who has spent two decades "
                f"in the industry, said the chance to join was welcome. Analysts welcomed the move."][variant]
    return [f"{person} has resigned as {role} of {org}, the company said on Monday. {sur} had held the post "
            f"for six years. The board said a search for a successor had begun.",
            f"{org} said on Wednesday that its {role}, {person}, would step down at the end of the year. "
            f"{sur} led the company through a difficult period. A successor has not been named."][variant]


def _filler(rng: random.Random, n: int) -> str:
    words = rng.sample(FILLER, 6)
    return (f"Residents gathered on day {n} to talk about the {words[0]} and the {words[1]}. "
            f"Officials said the {words[2]} plan would be reviewed alongside the {words[3]} survey. "
            f"A report on the {words[4]} and the {words[5]} is expected next week, item {n}.")


class Site:
    """The growing news site: ``feeds`` RSS feeds on 127.0.0.1 and their pages."""

    def __init__(self, feeds: int, seed: int, watch_share: float):
        self.rng = random.Random(seed)
        self.nfeeds = feeds
        self.lock = threading.Lock()
        self.pages: dict[str, dict] = {}  # path -> {text, title, feed, move, copy_of, at}
        self.feed_items: dict[int, list[str]] = defaultdict(list)
        self.moves: list[dict] = []
        self.pending: list[tuple[str, dict]] = []  # pages planned, published one at a time
        # One surname per person (the extractor may name people by surname alone).
        last = list(LAST)
        self.rng.shuffle(last)
        names = [f"{FIRST[i % len(FIRST)]} {s}" for i, s in enumerate(last)]
        # Every move is planned ahead (its person watched or not), so the watchlist is complete
        # before the first page appears.
        self.upcoming = [{"person": name, "role": self.rng.choice(ROLES), "org": self.rng.choice(ORGS),
                          "type": self.rng.choice(["appointment", "departure"]),
                          "watched": self.rng.random() < watch_share} for name in names]
        self.count = 0
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body, ctype = site.serve(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def feed_url(self, i: int) -> str:
        return f"{self.base}/feed/{i}.xml"

    def serve(self, path: str) -> tuple[bytes | None, str]:
        with self.lock:
            if path.startswith("/feed/"):
                i = int(path.split("/")[2].split(".")[0])
                items = "".join(self._item(p) for p in reversed(self.feed_items[i][-40:]))
                rss = (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Feed {i}</title>"
                       f"<link>{self.base}/</link>{items}</channel></rss>")
                return rss.encode(), "application/rss+xml"
            page = self.pages.get(path)
        if page is None:
            return None, "text/plain"
        paras = "".join(f"<p>{html.escape(s)}.</p>" for s in page["text"].split(". ") if s)
        doc = (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(page['title'])}</title>"
               f"</head><body><article><h1>{html.escape(page['title'])}</h1>{paras}</article></body></html>")
        return doc.encode(), "text/html; charset=utf-8"

    def _item(self, path: str) -> str:
        p = self.pages[path]
        return (f"<item><title>{html.escape(p['title'])}</title><link>{self.base}{path}</link>"
                f"<guid>{self.base}{path}</guid><pubDate>{format_datetime(p['at'])}</pubDate></item>")

    def _plan(self) -> None:
        """Plan the next pages: a move (first report, copy, second report) or a page with no move."""
        n = self.count
        if self.rng.random() < 0.25:
            self.pending.append((f"/page/{n}.html", {"text": _filler(self.rng, n) + " " + _background(self.rng),
                                                     "title": f"Local news {n}"}))
            return
        if not self.upcoming:  # every person has moved: from now on, pages with no move
            self.pending.append((f"/page/{n}.html", {"text": _filler(self.rng, n) + " " + _background(self.rng),
                                                     "title": f"Local news {n}"}))
            return
        move = dict(self.upcoming.pop(0), id=len(self.moves))
        self.moves.append(move)
        verb = "appointed" if move["type"] == "appointment" else "steps down"
        first = _report(move, 0) + " " + _background(self.rng)
        self.pending += [
            (f"/page/{n}.html", {"text": first, "title": f"{move['person']} {verb}", "move": move["id"]}),
            (f"/syndicated/{n}.html", {"text": first, "title": f"{move['person']} {verb}", "move": move["id"],
                                       "copy_of": f"/page/{n}.html"}),
            (f"/page/{n}b.html", {"text": _report(move, 1) + " " + _background(self.rng),
                                  "title": f"{move['org']}: {move['person']}",
                                  "move": move["id"]}),
        ]

    def grow(self) -> None:
        """Publish one more page on a feed (a copy never on its original's feed)."""
        with self.lock:
            if not self.pending:
                self._plan()
                self.count += 1
            path, page = self.pending.pop(0)
            feed = self.rng.randrange(self.nfeeds)
            if page.get("copy_of"):
                orig = self.pages[page["copy_of"]]["feed"]
                feed = (orig + 1 + self.rng.randrange(self.nfeeds - 1)) % self.nfeeds
            page.update(feed=feed, at=datetime.now(timezone.utc).replace(microsecond=0))
            self.pages[path] = page
            self.feed_items[feed].append(path)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Receiver:
    """A JSON webhook on 127.0.0.1 that refuses a share of the posts with 503 and records the
    idempotency key, event and person of every post it accepts."""

    def __init__(self, refuse: float, seed: int):
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.accepted: list[dict] = []
        self.refused = 0
        self.bad = 0
        rec = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with rec.lock:
                    refuse = rec.rng.random() < refuse_share
                try:
                    body = json.loads(raw)
                    key = self.headers.get("Idempotency-Key")
                    ok = key and body.get("idempotency_key") == key
                except ValueError:
                    body, ok = None, False
                status = 503 if refuse else (200 if ok else 400)
                with rec.lock:
                    if refuse:
                        rec.refused += 1
                    elif not ok:
                        rec.bad += 1
                    else:
                        rec.accepted.append({"key": key, "event_id": body["event_id"], "person": body["person"],
                                             "type": body["type"], "watched": body.get("watched"),
                                             "at": round(time.monotonic(), 1)})
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        refuse_share = refuse
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"json://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _create_database(admin_url: str) -> str:
    import psycopg
    name = "aidewatch_soak_" + uuid.uuid4().hex[:10]
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + "/" + name


def _drop_database(admin_url: str, url: str) -> None:
    import psycopg
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def _check(store, site: Site, receiver: Receiver) -> dict:
    """The end state against what the site published and the receiver accepted."""
    from sqlalchemy import select

    from storage.schema import articles, feeds
    with site.lock:
        pages = {site.base + path: page for path, page in site.pages.items()}
        moves = list(site.moves)
    with store.engine.connect() as conn:
        rows = conn.execute(select(articles.c.id, articles.c.article_id, articles.c.url, articles.c.canonical_url,
                                   articles.c.status, articles.c.duplicate_of, articles.c.error)).all()
        claimed = conn.execute(select(feeds.c.name).where(feeds.c.claimed_until.is_not(None))).all()
    by_url: dict[str, list] = defaultdict(list)
    for r in rows:
        by_url[r.canonical_url or r.url].append(r)
    missing = [u for u in pages if not by_url.get(u)]
    doubled_pages = [u for u in pages if len(by_url.get(u, [])) > 1]
    unknown = [u for u in by_url if u not in pages]
    unfinished = [r.article_id for r in rows if r.status in ("discovered", "fetched")]
    failed = [(r.article_id, r.error) for r in rows if r.status == "failed"]
    id_of_url = {u: rs[0].article_id for u, rs in by_url.items() if rs}
    copies = [(u, p) for u, p in pages.items() if p.get("copy_of")]
    # A copy and its original: whichever was processed second is marked a copy of the other.
    dup_of = {r.article_id: r.duplicate_of for r in rows}
    unmarked = [u for u, p in copies
                if not ((a := id_of_url.get(u)) and (b := id_of_url.get(site.base + p["copy_of"]))
                        and (dup_of.get(a) == b or dup_of.get(b) == a))]

    events = [e for e in store.iter_events() if not e["historical"]]
    per_move: dict[int, list] = defaultdict(list)
    exact = {(m["person"], m["type"]): m["id"] for m in moves}

    def move_of(person: str, kind: str) -> int | None:  # the extractor may quote a name oddly
        return exact.get((person, kind), next((m["id"] for m in moves if m["type"] == kind
                                                and m["person"] in person), None))
    stray_events = []
    for e in events:
        mid = move_of(e["person"], e["type"])
        (per_move[mid].append(e) if mid is not None else stray_events.append((e["person"], e["type"])))
    stored_twice = {moves[mid]["person"]: len(evs) for mid, evs in per_move.items() if len(evs) > 1}
    not_extracted = [m["person"] for m in moves if m["id"] not in per_move]

    keys_by_move: dict[int, set] = defaultdict(set)
    deliveries = Counter(a["key"] for a in receiver.accepted)
    unwatched_alerts = []
    for a in receiver.accepted:
        mid = move_of(a["person"], a["type"])
        if mid is None or not moves[mid]["watched"]:
            unwatched_alerts.append(a["person"])
        else:
            keys_by_move[mid].add(a["key"])
    watched = [m for m in moves if m["watched"] and m["id"] in per_move]
    not_alerted = [m["person"] for m in watched if not keys_by_move.get(m["id"])]
    alerted_twice = [m["person"] for m in watched if len(keys_by_move.get(m["id"], ())) > 1]
    repeats = {k: [a["at"] for a in receiver.accepted if a["key"] == k] for k, n in deliveries.items() if n > 1}
    pending = store.pending_work()
    alert_counts = store.alert_counts()
    return {
        "pages": len(pages), "moves": len(moves), "watched_moves": len(watched), "articles": len(rows),
        "copies": len(copies), "events": len(events),
        "missing_pages": missing, "pages_stored_twice": doubled_pages, "unknown_articles": unknown[:20],
        "unfinished": unfinished, "failed": failed, "claimed_feeds": [r.name for r in claimed],
        "copies_unmarked": unmarked, "moves_stored_twice": stored_twice, "stray_events": stray_events[:20],
        "moves_not_extracted": not_extracted, "watched_not_alerted": not_alerted,
        "watched_alerted_with_two_keys": alerted_twice, "unwatched_alerted": unwatched_alerts,
        "alerts_accepted": len(receiver.accepted), "alerts_refused": receiver.refused,
        "alerts_malformed": receiver.bad, "crash_window_repeats": repeats,
        "alert_outbox": alert_counts, "pending_work": pending,
    }


CHECKS = ("missing_pages", "pages_stored_twice", "unknown_articles", "unfinished", "failed",
          "copies_unmarked", "moves_stored_twice", "watched_not_alerted", "watched_alerted_with_two_keys",
          "unwatched_alerted", "alerts_malformed")


def _settled(store, site: Site, grown_until: float) -> bool:
    """Every published page known and finished, every feed polled since the last page, no
    pending alert left."""
    from sqlalchemy import func, select

    from storage.schema import alert_outbox, articles, feeds
    with site.lock:
        npages = len(site.pages)
    pending = store.pending_work()
    if pending["articles"] or pending["feeds"]:
        return False
    since = datetime.fromtimestamp(grown_until, timezone.utc).replace(tzinfo=None)
    with store.engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(articles)).scalar()
        stale = conn.execute(select(func.count()).select_from(feeds).where(
            feeds.c.last_polled_at.is_(None) | (feeds.c.last_polled_at < since))).scalar()
        waiting = conn.execute(select(func.count()).select_from(alert_outbox).where(
            alert_outbox.c.status == "pending")).scalar()
    return n >= npages and not stale and not waiting


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--duration", type=float, default=600, help="seconds of growth and faults")
    ap.add_argument("--feeds", type=int, default=16)
    ap.add_argument("--page-every", type=float, default=3.0, help="seconds between two new pages")
    ap.add_argument("--feed-interval", type=float, default=30, help="seconds between two polls of a feed")
    ap.add_argument("--kill-every", type=float, default=20, help="SIGKILL the worker groups every N s (0: never)")
    ap.add_argument("--beat-kill-every", type=float, default=120, help="SIGKILL beat every N s (0: never)")
    ap.add_argument("--flush-at", type=float, nargs="*", default=None,
                    help="seconds at which the broker is flushed (default: half-way)")
    ap.add_argument("--outage-at", type=float, default=None, help="second at which the store is cut (default 0.7 x duration)")
    ap.add_argument("--outage-seconds", type=float, default=30, help="length of the store outage (0: none)")
    ap.add_argument("--settle-timeout", type=float, default=180)
    ap.add_argument("--refuse", type=float, default=0.25, help="share of webhook posts refused (503)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--concurrency", type=int, default=1)
    ap.add_argument("--watch-share", type=float, default=0.5)
    ap.add_argument("--lease-seconds", type=float, default=20)
    ap.add_argument("--task-time-limit", type=float, default=15)
    ap.add_argument("--beat-seconds", type=float, default=2)
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--redis-url", default=f"redis://127.0.0.1:6379/{1 + os.getpid() % 15}")
    ap.add_argument("--pg-admin-url", default=os.environ.get("AIDEWATCH_TEST_PG_ADMIN",
                                                             "postgresql://postgres@127.0.0.1:5432/postgres"))
    ap.add_argument("--json", help="write the figures to this file")
    ap.add_argument("--keep", action="store_true", help="keep the database and the logs' folder")
    args = ap.parse_args(argv)
    flush_at = args.flush_at if args.flush_at is not None else [args.duration / 2]
    outage_at = args.outage_at if args.outage_at is not None else 0.7 * args.duration

    import redis

    from storage import Store
    from workers.model import WatchPerson

    tmp = Path(tempfile.mkdtemp(prefix="aidewatch-soak-"))
    broker = redis.Redis.from_url(args.redis_url, socket_connect_timeout=3)
    broker.flushdb()
    db_url = _create_database(args.pg_admin_url)
    site, receiver = Site(args.feeds, args.seed, args.watch_share), Receiver(args.refuse, args.seed)
    proxy = TcpProxy(("127.0.0.1", int(db_url.rsplit(":", 1)[1].split("/")[0])))
    proxied = f"postgresql://postgres@127.0.0.1:{proxy.port}/{db_url.rsplit('/', 1)[1]}"
    store = Store(db_url)
    for move in site.upcoming:
        if move["watched"]:
            store.add_watch(WatchPerson(name=move["person"]))
    for i in range(args.feeds):
        store.add_feed(f"feed{i}", url=site.feed_url(i), interval_minutes=args.feed_interval / 60,
                       alert_max_age_days=0)
    env = worker_env(tmp, AIDEWATCH_DATABASE_URL=proxied, AIDEWATCH_BROKER_URL=args.redis_url,
                     AIDEWATCH_ALERT_URLS=receiver.url, AIDEWATCH_LEASE_SECONDS=args.lease_seconds,
                     AIDEWATCH_VISIBILITY_TIMEOUT=args.lease_seconds, AIDEWATCH_BEAT_SECONDS=args.beat_seconds,
                     AIDEWATCH_TASK_TIME_LIMIT=args.task_time_limit, AIDEWATCH_ALERT_RETRY_SECONDS=2,
                     AIDEWATCH_ALERT_MAX_ATTEMPTS=30, AIDEWATCH_HOST_CONCURRENCY=4, AIDEWATCH_FETCH_TIMEOUT=5)
    faults: Counter = Counter()
    workers: list = []
    beat = None
    figures: dict = {}
    t0 = time.monotonic()

    def start_workers() -> list:
        return [start_worker(tmp, env, f"w{i}", concurrency=args.concurrency) for i in range(args.workers)]

    fault_log: list[tuple[float, str]] = []

    def log(msg: str) -> None:
        fault_log.append((round(time.monotonic(), 1), msg))
        print(f"[{time.monotonic() - t0:6.1f}s] {msg}", flush=True)

    try:
        workers, beat = start_workers(), start_beat(tmp, env, "beat")
        next_page = 0.0
        next_kill = args.kill_every or float("inf")
        next_beat_kill = args.beat_kill_every or float("inf")
        flushes = sorted(flush_at)
        outage_end = None
        beat_restart = None
        while True:
            now = time.monotonic() - t0
            if now >= args.duration:
                break
            if now >= next_page:
                site.grow()
                next_page += args.page_every
            if now >= next_kill:
                for w in workers:
                    kill_group(w)
                workers = start_workers()
                faults["worker_kills"] += 1
                next_kill += args.kill_every
                log(f"SIGKILL worker groups ({faults['worker_kills']})")
            if now >= next_beat_kill and beat_restart is None:
                kill_group(beat)
                beat_restart = now + 3
                faults["beat_kills"] += 1
                next_beat_kill += args.beat_kill_every
                log("SIGKILL beat")
            if beat_restart is not None and now >= beat_restart:
                beat, beat_restart = start_beat(tmp, env, "beat"), None
            if flushes and now >= flushes[0]:
                flushes.pop(0)
                broker.flushdb()
                faults["broker_flushes"] += 1
                log("broker flushed")
            if args.outage_seconds and outage_end is None and now >= outage_at and not faults["store_outages"]:
                proxy.cut()
                outage_end = now + args.outage_seconds
                faults["store_outages"] += 1
                log(f"store cut for {args.outage_seconds:.0f} s")
            if outage_end is not None and now >= outage_end:
                proxy.restore()
                outage_end = None
                log("store back")
            time.sleep(0.1)
        if outage_end is not None:
            proxy.restore()
        if beat_restart is not None:
            beat = start_beat(tmp, env, "beat")
        grown_until = time.time()
        last_fault = time.monotonic()
        log(f"faults over ({dict(faults)}); {len(site.pages)} pages published; settling")
        settled_after = None
        while time.monotonic() - last_fault < args.settle_timeout:
            if _settled(store, site, grown_until):
                settled_after = time.monotonic() - last_fault
                break
            time.sleep(1)
        time.sleep(3)  # room for a late duplicate to show
        figures = _check(store, site, receiver)
        figures.update(faults=dict(faults), fault_log=fault_log, duration=args.duration, settle_seconds=settled_after,
                       settle_timeout=args.settle_timeout)
        logs = "".join(p.read_text(errors="replace") for p in tmp.glob("*.log"))
        figures["log_soft_time_limit"] = logs.count("SoftTimeLimitExceeded")
        figures["log_command_in_progress"] = logs.count("another command is already in progress")
    finally:
        for w in workers:
            stop(w)
        if beat is not None:
            stop(beat)
        proxy.close()
        site.close()
        receiver.close()
        store.close()
        if not args.keep:
            _drop_database(args.pg_admin_url, db_url)
        broker.flushdb()
    failures = {k: figures[k] for k in CHECKS if figures.get(k)}
    if figures.get("settle_seconds") is None:
        failures["settle"] = f"not settled within {args.settle_timeout:.0f} s"
    figures["ok"] = not failures
    summary = {k: v for k, v in figures.items() if not isinstance(v, (list, dict)) or k in ("faults", "alert_outbox")}
    print(json.dumps(summary, indent=1, default=str))
    for k, v in failures.items():
        print(f"FAILED {k}: {str(v)[:2000]}")
    print(f"logs in {tmp}")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1, default=str))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
