"""Latency of the web view and its API on a store with 100k events: p50 / p95 / max per route.

    python bench/web_latency.py [--events 100000] [--requests 100] [--database-url URL] [--keep]

Fills a fresh store in bulk (``Store.load_decided``: articles of 2 events each, 3 articles a
story, 5,000 people at 400 organisations over five years), adds 50 feeds and a 20-person
watchlist, starts ``aidewatch serve`` on a free loopback port and times sequential requests
(one keep-alive client, as a person clicking) on every route, with varied names and ids.
Target: p95 under 100 ms per route. ``cpu ms`` is the server's CPU time per request (user +
system, from /proc), which a busy machine inflates far less than the wall-clock figures.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIRST = ["Anna", "Ben", "Clara", "David", "Eva", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kemi", "Liam",
         "Maya", "Noah", "Olga", "Pavel", "Quinn", "Rosa", "Sami", "Tara"]
LAST = [f"{a}{b}" for a in ("Ash", "Birch", "Cole", "Dale", "Eld", "Fern", "Gale", "Hale", "Ivor", "Jar")
        for b in ("ton", "by", "well", "more", "field", "wood", "ridge", "ford", "stone", "worth",
              "land", "hurst", "combe", "wick", "ley", "den", "holm", "thorpe", "gate", "mere", "shaw",
              "brook", "croft", "dyke", "lowe")]
ROLES = ["chief executive", "finance director", "head of policy", "press secretary", "chair",
         "general secretary", "chief of staff", "campaigns director"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def fill(store, n_events: int, rng: random.Random) -> dict:
    """Write ``n_events`` events (2 per article) in bulk; returns names and ids to query."""
    from storage.bulk import DecidedArticle
    from storage.commit import Fingerprint
    from workers.model import StaffingEvent, WatchPerson

    people = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(5000)]
    orgs = [f"{w} {k}" for w in ("Northern", "Royal", "National", "City", "United", "Green", "First", "Grand")
            for k in ("Bank", "Trust", "Council", "Party", "Office", "Museum", "Agency", "Union", "Board", "Fund",
                      "League", "Society", "Institute", "Foundation", "Authority", "Commission", "Group",
                      "Partners", "Holdings", "Services", "Press", "Media", "Works", "Studio", "Guild",
                      "Alliance", "Network", "Forum", "Centre", "College", "School", "Hospital", "Clinic",
                      "Academy", "Lab", "Court", "Chamber", "Assembly", "Senate", "Ministry", "Bureau",
                      "Council 2", "Trust 2", "Board 2", "Party 2", "Office 2", "Union 2", "Fund 2",
                      "Agency 2", "Group 2")]
    start = datetime(2020, 1, 1)
    pk = store.next_article_pk()
    batch, ids, stories = [], [], []
    story = None
    for i in range(n_events // 2):
        if i % 3 == 0:
            story = f"s{hashlib.sha1(str(i).encode()).hexdigest()[:15]}"
            stories.append(story)
        published = start + timedelta(minutes=rng.randrange(5 * 365 * 24 * 60))
        evs = []
        for _ in range(2):
            person, org = rng.choice(people), rng.choice(orgs)
            role = rng.choice(ROLES)
            ev = StaffingEvent(type=rng.choice(["appointment", "departure"]), person=person, role=role,
                               organisation=org, counterpart=None, historical=rng.random() < 0.15,
                               evidence=f"{person} has been appointed {role} of the {org}, it said.",
                               confidence=0.8)
            evs.append((ev, f"{person.lower()}|{ev.type}|{org.lower()}|{i}"))
        text = " ".join(e.evidence for e, _ in evs)
        fp = Fingerprint(content_hash=hashlib.sha1(text.encode()).hexdigest(), minhash=b"", band_keys=[],
                         profile={}, terms=[])
        batch.append(DecidedArticle(pk=pk, article_id=f"bench-{i}", text=text, published=published,
                                    outlet=rng.choice(["The Daily", "Morning Post", "Evening News", "Wire"]),
                                    fingerprint=fp, story_id=story, events=tuple(evs)))
        pk += 1
        if len(batch) == 1000:
            store.load_decided(batch)
            batch = []
    if batch:
        store.load_decided(batch)
    for k in range(50):
        store.add_feed(f"Feed {k:02d}", url=f"https://feeds.example/{k}.xml")
    for name in rng.sample(people, 20):
        store.add_watch(WatchPerson(name=name))
    sample = [e["id"] for e in store.events_of(people[:20], limit=50)]
    return {"people": people, "orgs": orgs, "stories": stories, "event_ids": sample}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=100, help="requests per route")
    ap.add_argument("--database-url", default=None, help="default: a SQLite file in a temporary folder")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    ap.add_argument("--reuse", default=None, help="a folder kept by --keep: measure its store again")
    args = ap.parse_args()
    tmp = Path(args.reuse) if args.reuse else Path(tempfile.mkdtemp(prefix="aidewatch-web-bench-"))
    url = args.database_url or f"sqlite:///{tmp}/web.db"
    os.environ.update(AIDEWATCH_DATA_DIR=str(tmp), AIDEWATCH_DATABASE_URL=url)
    from storage import Store
    rng = random.Random(12)
    store = Store(url)
    t0 = time.perf_counter()
    if args.reuse:
        import json
        names = json.loads((tmp / "names.json").read_text())
    else:
        names = fill(store, args.events, rng)
        import json
        (tmp / "names.json").write_text(json.dumps(names))
    store.analyze()  # as autovacuum (or the next ANALYZE) would after a bulk load
    counts = store.event_counts()
    event_ids = [e["id"] for e in store.events_page(__import__("storage.views", fromlist=["EventFilter"])
                                                   .EventFilter(), limit=200)[0]] + names["event_ids"]
    store.close()
    print(f"store: {url.split('@')[-1]}; {counts['events']} events, {counts['sources']} sources; "
          f"filled in {time.perf_counter() - t0:.0f} s", flush=True)

    port = _free_port()
    env = {k: v for k, v in os.environ.items()} | {"AIDEWATCH_LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT),
                                                     "OMP_NUM_THREADS": "1"}
    server = subprocess.Popen([sys.executable, "-m", "aidewatch.cli", "serve", "--port", str(port)], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            for _ in range(100):
                try:
                    client.get("/healthz")
                    break
                except httpx.TransportError:
                    time.sleep(0.2)
            first = client.get("/api/events?limit=50").json()
            deep = first["next_cursor"]
            for _ in range(40):  # a cursor 2,000 events deep
                nxt = client.get(f"/api/events?limit=50&cursor={deep}").json()["next_cursor"]
                if not nxt:
                    break
                deep = nxt
            pick = lambda seq: seq[rng.randrange(len(seq))]  # noqa: E731
            surname = lambda: pick(names["people"]).split()[-1]  # noqa: E731
            routes = {
                "/": lambda: "/",
                "/events": lambda: "/events",
                "/events?person=": lambda: f"/events?person={quote(surname())}",
                "/events?organisation=&current=1": lambda: f"/events?organisation={quote(pick(names['orgs']))}&current=1",
                "/events?since=&until=&type=": lambda: "/events?since=2022-03-01&until=2022-03-31&type=departure",
                "/events?watchlist=1": lambda: "/events?watchlist=1",
                "/events?cursor= (2,000 deep)": lambda: f"/events?cursor={deep}",
                "/events/{id}": lambda: f"/events/{pick(event_ids)}",
                "/people/{name}": lambda: f"/people/{quote(pick(names['people']))}",
                "/stories/{id}": lambda: f"/stories/{pick(names['stories'])}",
                "/feeds": lambda: "/feeds",
                "/watchlist": lambda: "/watchlist",
                "/api/events": lambda: "/api/events",
                "/api/events?person=&type=": lambda: f"/api/events?person={quote(surname())}&type=appointment",
                "/api/events?cursor=": lambda: f"/api/events?cursor={deep}",
                "/api/events/{id}": lambda: f"/api/events/{pick(event_ids)}",
                "/api/people/{name}": lambda: f"/api/people/{quote(pick(names['people']))}",
                "/api/stories/{id}": lambda: f"/api/stories/{pick(names['stories'])}",
                "/api/feeds": lambda: "/api/feeds",
                "/api/status": lambda: "/api/status",
                "/events.atom": lambda: "/events.atom",
                "/events.atom?person=": lambda: f"/events.atom?person={quote(surname())}",
                "/events.atom?watchlist=1": lambda: "/events.atom?watchlist=1",
                "/metrics": lambda: "/metrics",
                "/healthz": lambda: "/healthz",
            }
            print(f"{'route':<36} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'cpu ms':>7} {'bytes':>7}", flush=True)
            worst = 0.0
            for label, make in routes.items():
                for _ in range(3):
                    client.get(make())  # warm the page cache and the templates
                times, size = [], 0
                cpu0 = _cpu_seconds(server.pid)
                for _ in range(args.requests):
                    path = make()
                    t = time.perf_counter()
                    r = client.get(path)
                    times.append((time.perf_counter() - t) * 1000)
                    assert r.status_code in (200, 404), (path, r.status_code, r.text[:200])
                    size = max(size, len(r.content))
                cpu = (_cpu_seconds(server.pid) - cpu0) * 1000 / args.requests
                times.sort()
                p95 = times[int(0.95 * (len(times) - 1))]
                worst = max(worst, p95)
                print(f"{label:<36} {statistics.median(times):7.1f} {p95:7.1f} {times[-1]:7.1f} {cpu:7.1f} {size:7d}",
                      flush=True)
            print(f"worst p95: {worst:.1f} ms (target < 100 ms)")
    finally:
        server.terminate()
        server.wait(timeout=10)
        if not (args.keep or args.reuse):
            import shutil
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
